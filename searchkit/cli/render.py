"""Rendering for people (terminal text, HTML) and programs (JSON): the CLI's one home
for output. No search here.

Every results renderer reads a :class:`SearchResults`; highlights are character spans into
each hit's snippet, so marking them is the same loop whatever the output. Index summaries,
statistics and evaluation reports are rendered here too.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from searchkit.models import Hit, IndexReport, IndexStats, SearchResults

if TYPE_CHECKING:  # (the evaluation modules load the index layer: only `eval` needs them)
    from searchkit.evaluation.run import EvalReport, QueryScore

#: Facet values shown per facet in the terminal (JSON has them all).
FACET_VALUES_SHOWN = 10


def mark(text: str, spans: tuple[tuple[int, int], ...], wrap: Callable[[str], str]) -> str:
    """``text`` with the substring of each ``(start, end)`` span passed through ``wrap``."""
    return _marked(text, spans, wrap, lambda s: s)


def _marked(
    text: str,
    spans: tuple[tuple[int, int], ...],
    wrap: Callable[[str], str],
    plain: Callable[[str], str],
) -> str:
    out, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or end > len(text):
            continue  # overlapping or stale spans never garble the text
        out += [plain(text[cursor:start]), wrap(plain(text[start:end]))]
        cursor = end
    out.append(plain(text[cursor:]))
    return "".join(out)


def render_text(results: SearchResults, *, color: bool) -> str:
    """A numbered listing: title, language, tags, author, score, id/path, snippet.

    With ``color`` the titles and matched words are bold and coloured (ANSI); without it
    the text is plain, with matched words left as they are (no markup to strip).
    """

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    lines = [_summary(results)]
    if results.suggestion:
        lines.append(f"Did you mean: {style(results.suggestion, fg='yellow', bold=True)}")
    for hit in results.hits:
        lines.append("")
        lines.append(f"{hit.rank:>3}. {style(hit.title or hit.id, bold=True)}  [{hit.lang}]")
        details = [f"score {hit.score:.2f}", hit.date, hit.author, ", ".join(hit.tags)]
        lines.append("     " + " · ".join(d for d in details if d))
        lines.append("     " + style(hit.path or hit.id, dim=True))
        snippet = mark(hit.snippet, hit.highlights, lambda s: style(s, fg="red", bold=True))
        if snippet:
            lines.append("     " + snippet)
        if hit.via_translation:
            lines.append("     " + style("via: " + ", ".join(hit.via_translation), dim=True))
        if hit.translations:
            other = "German" if hit.lang == "fr" else "French"
            twins = ", ".join(hit.translations)
            lines.append("     " + style(f"also in {other}: {twins}", dim=True))
    if results.facets:
        lines.append("")
        lines += _facet_lines(results.facets)
    return "\n".join(lines)


def _summary(results: SearchResults) -> str:
    if not results.hits:
        more = " on this page" if results.total else ""
        return f"No articles found{more} for: {results.query}"
    first = results.offset + 1
    last = results.offset + len(results.hits)
    noun = "article" if results.total == 1 else "articles"
    return f"{results.total} {noun} for: {results.query} (showing {first}-{last})"


def _facet_lines(facets: dict[str, dict[str, int]]) -> list[str]:
    lines = []
    for name, counts in facets.items():
        shown = list(counts.items())[:FACET_VALUES_SHOWN]
        lines.append(f"{name}: " + ", ".join(f"{value} ({count})" for value, count in shown))
    return lines


def render_json(results: SearchResults) -> str:
    """One JSON document: query, total, hits (+ offset, facets, suggestion when set)."""
    data: dict[str, Any] = {
        "query": results.query,
        "total": results.total,
        "hits": [_hit_json(hit) for hit in results.hits],
    }
    if results.offset:
        data["offset"] = results.offset
    if results.facets:
        data["facets"] = results.facets
    if results.suggestion:
        data["suggestion"] = results.suggestion
    return json.dumps(data, ensure_ascii=False, indent=2)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "lang": hit.lang,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "tags": list(hit.tags),
        "author": hit.author,
        "date": hit.date,
        "url": hit.url,
        "path": hit.path,
        "via_translation": list(hit.via_translation),
        "translations": list(hit.translations),
    }


def render_html_snippet(hit: Hit) -> str:
    """The snippet as HTML: text escaped, matched words in ``<mark>``."""
    return _marked(hit.snippet, hit.highlights, lambda s: f"<mark>{s}</mark>", html.escape)


# --- index, stats and evaluation reports --------------------------------------------


def render_summary(report: IndexReport) -> str:
    """The one summary line of ``searchkit index``."""
    langs = ", ".join(f"{n} {lang}" for lang, n in sorted(report.languages.items()))
    return (
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.failed)} failed in {report.seconds:.1f} s"
        + (f" (indexed: {langs})" if langs else "")
    )


def render_stats(stats: IndexStats, *, as_json: bool = False) -> str:
    """What ``searchkit stats`` prints: one ``key: value`` line each, or JSON."""
    data = dataclasses.asdict(stats)
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return "\n".join(f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in data.items())


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
    return str(value)


def render_eval(report: EvalReport, per_query: bool = False) -> str:
    """A small plain-text table (per language, optionally per query) and the problems."""
    lines = [
        f"Evaluated {len(report.queries)} queries against {report.index_dir} "
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
        f"{q.qid[:13]:<14}{q.lang:<6}"
        + "".join(f"{q.scores[m]:>12.4f}" for m in METRICS)
        + f"  {_shorten(q.text, 50)}"
        for q in scores
    ]
    return [head, *rows]


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _problem_lines(report: EvalReport) -> list[str]:
    from searchkit.evaluation.run import COUNT_LABELS, MAX_LISTED

    notes = [f"  {n} {COUNT_LABELS[k]}" for k, n in report.counts.items() if n]
    listed = [f"  {p}" for p in report.problems[:MAX_LISTED]]
    more = len(report.problems) - len(listed)
    if more > 0:
        listed.append(f"  ... and {more} more (see --json)")
    return (["", "Not counted or not found:", *notes] if notes else []) + (
        ["", "Problems:", *listed] if listed else []
    )
