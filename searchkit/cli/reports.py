"""What the commands print besides search results: the index summary, statistics, tag and
author counts, evaluation reports, and export summaries."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.cli.text import dumps, safe
from searchkit.models import IndexReport, IndexStats

if TYPE_CHECKING:  # loaded by the commands that need them: a query loads neither
    from searchkit.evaluation.run import EvalReport, QueryScore
    from searchkit.export import OpenSearchExport, UploadReport


def render_summary(report: IndexReport) -> str:
    """The one summary line of ``searchkit index``."""
    langs = ", ".join(f"{n} {lang}" for lang, n in sorted(report.languages.items()))
    return (
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.failed)} failed in {report.seconds:.1f} s"
        + (f" (indexed: {langs})" if langs else "")
    )


def render_stats(stats: IndexStats, *, as_json: bool = False) -> str:
    """What ``searchkit stats`` prints: one ``key: value`` line each (size in MB, the
    update to the second), or JSON (bytes, the full ISO time)."""
    data = dataclasses.asdict(stats)
    if as_json:
        return dumps(data)
    data["size"] = human_size(data.pop("size_bytes"))
    moment = data.pop("last_update")
    data["last update"] = f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "never"
    data["index dir"] = data.pop("index_dir")
    return "\n".join(
        f"{key.replace('_', ' ')}: {safe(_plain(value))}" for key, value in data.items()
    )


def human_size(size: int) -> str:
    """``1190659`` as ``1.1 MB``: bytes, kB, MB or GB (of 1,024), one decimal, as the
    indexer's messages count them."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "kB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


def render_counts(counts: dict[str, dict[str, int]], *, as_json: bool = False) -> str:
    """``stats --tags`` / ``--authors``: each list, one value a line with its count."""
    if as_json:
        return dumps(counts)
    lines: list[str] = []
    for name, values in counts.items():
        if len(counts) > 1:
            lines += [*([""] if lines else []), f"{name} ({len(values)}):"]
        digits = len(str(max(values.values(), default=0)))
        lines += [f"{count:>{digits}}  {safe(value)}" for value, count in values.items()]
    return "\n".join(lines)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
    return str(value)


def render_eval(report: EvalReport, per_query: bool = False) -> str:
    """A small plain-text table (per language, optionally per query) and the problems."""
    lines = [
        f"Evaluated {len(report.queries)} queries against {safe(str(report.index_dir))} "
        f"(top {report.depth}, {report.seconds:.1f} s)",
        "",
        *_table(report),
    ]
    if per_query and report.queries:
        lines += ["", *_query_table(report.queries)]
    lines += _problem_lines(report)
    return "\n".join(lines)


def _table(report: EvalReport) -> list[str]:
    from searchkit.evaluation.metrics import LABELS, METRICS

    sizes = Counter(q.lang for q in report.queries)
    head = f"{'':<10}{'queries':>8}" + "".join(f"{LABELS[m]:>12}" for m in METRICS)
    rows = [("all", len(report.queries), report.overall)]
    rows += [(lg, sizes[lg], values) for lg, values in report.by_lang.items()]
    return [head] + [
        f"{name:<10}{n:>8}" + "".join(f"{values[m]:>12.4f}" for m in METRICS)
        for name, n, values in rows
    ]


def _query_table(scores: Sequence[QueryScore]) -> list[str]:
    from searchkit.evaluation.metrics import LABELS, METRICS

    head = f"{'qid':<14}{'lang':<6}" + "".join(f"{LABELS[m]:>12}" for m in METRICS) + "  query"
    rows = [
        f"{safe(q.qid[:13]):<14}{safe(q.lang):<6}"
        + "".join(f"{q.scores[m]:>12.4f}" for m in METRICS)
        + f"  {safe(_shorten(q.text, 50))}"
        for q in scores
    ]
    return [head, *rows]


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _problem_lines(report: EvalReport) -> list[str]:
    from searchkit.evaluation.run import COUNT_LABELS, MAX_LISTED

    notes = [f"  {n} {COUNT_LABELS[k]}" for k, n in report.counts.items() if n]
    listed = [f"  {safe(str(p))}" for p in report.problems[:MAX_LISTED]]
    more = len(report.problems) - len(listed)
    if more > 0:
        listed.append(f"  ... and {more} more (see --json)")
    return (["", "Not counted or not found:", *notes] if notes else []) + (
        ["", "Problems:", *listed] if listed else []
    )


def render_export_jsonl(count: int, dest: str) -> str:
    """One line: how many articles went where."""
    return f"{count} articles written to {Path(dest) / 'articles.jsonl'}"


def render_export_opensearch(written: OpenSearchExport) -> str:
    """One line: the index file and the bulk files written."""
    return (
        f"{written.articles} articles in {len(written.bulk_files)} bulk files and "
        f"{written.index_file.name} (index {written.index!r}) written to {written.folder}"
    )


def render_upload(report: UploadReport, url: str) -> str:
    """One line: what the server took, refused, and how often a request was retried."""
    more = f" (first {len(report.errors)} above)" if report.failed else ""
    return (
        f"sent {report.sent} articles to {url} index {report.index!r}: {report.indexed} "
        f"indexed, {report.failed} failed{more}, {report.retries} retries"
    )
