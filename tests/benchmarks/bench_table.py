"""The benchmark's one printed table: a row per engine, then searchkit's ratio to each."""

from __future__ import annotations

import textwrap

#: (heading, key, format); the rates are computed from the articles and seconds.
COLUMNS = (
    ("art/s", "articles_per_s", "{:,.0f}"),
    ("words/s", "words_per_s", "{:,.0f}"),
    ("peak MB idx", "index_peak_mb", "{:,.0f}"),
    ("peak MB qry", "query_peak_mb", "{:,.0f}"),
    ("size MB", "size_mb", "{:,.1f}"),
    ("open+1st ms", "open_first_ms", "{:,.0f}"),
    ("1st query ms", "first_query_ms", "{:,.1f}"),
    ("process ms", "process_ms", "{:,.0f}"),
    ("short p50", "short_warm_p50", "{:.2f}"),
    ("short p95", "short_warm_p95", "{:.2f}"),
    ("long p50", "long_warm_p50", "{:.2f}"),
    ("long p95", "long_warm_p95", "{:.2f}"),
    ("1st short p50", "short_first_p50", "{:.2f}"),
    ("1st short p95", "short_first_p95", "{:.2f}"),
    ("1st long p50", "long_first_p50", "{:.2f}"),
    ("1st long p95", "long_first_p95", "{:.2f}"),
    ("nDCG@10", "ndcg@10", "{:.4f}"),
    ("MRR@10", "mrr@10", "{:.4f}"),
)
HIGHER_IS_BETTER = {"articles_per_s", "words_per_s", "ndcg@10", "mrr@10"}
NAME_WIDTH = 20


def render(setting: dict, results: dict[str, dict]) -> str:
    """The whole printout: the setting, the table, the ratios, the notes."""
    for result in results.values():
        seconds = max(result["index_seconds"], 1e-9)
        result["articles_per_s"] = result["articles"] / seconds
        result["words_per_s"] = (
            setting["words"] * result["articles"] / setting["articles"] / seconds
        )
    columns = [c for c in COLUMNS if any(c[1] in r for r in results.values())]
    widths = [max(len(head), 9) for head, _, _ in columns]
    lines = [
        f"{setting['docs']}: {setting['articles']:,} articles, {setting['words']:,} words; "
        f"{setting['long_queries']:,} long + {setting['short_queries']:,} short queries, "
        f"top 10; {setting['machine']}",
        "",
        _row("engine", [h for h, _, _ in columns], widths),
    ]
    for engine, result in results.items():
        cells = [fmt.format(result[key]) if key in result else "-" for _, key, fmt in columns]
        lines.append(_row(engine, cells, widths))
    if "searchkit" in results and len(results) > 1:
        lines += ["", *_ratios(results, columns, widths)]
    lines += _notes(setting, results)
    return "\n".join(lines)


def _row(name: str, cells: list[str], widths: list[int]) -> str:
    return f"{name:<{NAME_WIDTH}}" + "".join(
        f"{c:>{w + 2}}" for c, w in zip(cells, widths, strict=True)
    )


def _ratios(results: dict[str, dict], columns: tuple, widths: list[int]) -> list[str]:
    ours = results["searchkit"]
    lines = []
    for engine, theirs in results.items():
        if engine == "searchkit":
            continue
        cells = []
        for _, key, _ in columns:
            if key in ours and key in theirs and theirs[key]:
                cells.append(f"{ours[key] / theirs[key]:.2f}x")
            else:
                cells.append("-")
        lines.append(_row(f"searchkit/{engine}", cells, widths))
    return lines


def _notes(setting: dict, results: dict[str, dict]) -> list[str]:
    notes = [
        "",
        "Times in ms, top 10, one opened engine (searchkit and tantivy with snippets, whoosh "
        "and bm25s ranking only); p50/p95 warm: the second pass over the queries; 1st: the "
        "first pass, caches empty; open+1st = importing the engine, opening the index and "
        "the first query in a fresh process; 1st query = that first query alone; process = "
        "one query as a whole process (searchkit: the `searchkit query` command; others: a "
        "Python script), median of 7; art/s = the whole indexing process. Peak MB = "
        "RSS of the engine's process tree. "
        "Ratios = searchkit / anchor: higher is better for art/s, words/s, nDCG, MRR; "
        "lower is better for the rest.",
    ]
    if not setting["judged"]:
        notes.append("No judgments: long queries are corpus passages, short ones corpus words.")
    if setting.get("procs"):
        notes.append(f"searchkit indexed with procs={setting['procs']}.")
    if setting["skipped"]:
        notes.append(f"Not installed, skipped: {', '.join(setting['skipped'])}.")
    for engine, result in results.items():
        if result["errors"]:
            notes.append(
                f"{engine}: {len(result['errors'])} queries failed, e.g. {result['errors'][0]}"
            )
    return [line for note in notes for line in (textwrap.wrap(note, 100) or [""])]
