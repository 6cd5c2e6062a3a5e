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
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from searchkit.evaluation.metrics import LABELS, METRICS
from searchkit.evaluation.run import COUNT_LABELS, MAX_LISTED, EvalReport, QueryScore
from searchkit.models import Hit, IndexReport, IndexStats, SearchResults

if TYPE_CHECKING:  # the export modules load Whoosh: imported by the export commands only
    from searchkit.export import OpenSearchExport, UploadReport

#: Facet values shown per facet in the terminal (JSON has them all).
FACET_VALUES_SHOWN = 10

#: What a terminal would obey rather than show: C0 controls but tab and newline (ESC
#: starts colour, title and hyperlink sequences; CR and backspace overwrite), DEL, C1
#: (U+009B is a one-character CSI), bidi overrides and isolates (text that reads
#: backwards), and lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: In JSON, C0 is escaped by json.dumps; these are not.
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``\\x1b``).

    Everything printed that comes from an article or a file name goes through this.
    """
    return _UNSAFE.sub(_escape, text)


def dumps(data: Any) -> str:
    """JSON for the terminal: like json.dumps, with DEL, C1 and bidi controls escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def mark(text: str, spans: tuple[tuple[int, int], ...], wrap: Callable[[str], str]) -> str:
    """``text`` with the substring of each ``(start, end)`` span passed through ``wrap``
    (and every control character escaped: see :func:`safe`)."""
    return _marked(text, spans, wrap, safe)


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
        lines.append(f"Did you mean: {style(safe(results.suggestion), fg='yellow', bold=True)}")
    for hit in results.hits:
        lines.append("")
        title = safe(hit.title or hit.id)
        lines.append(f"{hit.rank:>3}. {style(title, bold=True)}  [{safe(hit.lang)}]")
        details = [f"score {hit.score:.2f}", hit.date, hit.author, ", ".join(hit.tags)]
        lines.append("     " + safe(" · ".join(d for d in details if d)))
        lines.append("     " + style(safe(hit.path or hit.id), dim=True))
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
        return f"No articles found{more} for: {safe(results.query)}"
    first = results.offset + 1
    last = results.offset + len(results.hits)
    noun = "article" if results.total == 1 else "articles"
    return f"{results.total} {noun} for: {safe(results.query)} (showing {first}-{last})"


def _facet_lines(facets: dict[str, dict[str, int]]) -> list[str]:
    lines = []
    for name, counts in facets.items():
        shown = list(counts.items())[:FACET_VALUES_SHOWN]
        listed = ", ".join(f"{safe(str(value))} ({count})" for value, count in shown)
        lines.append(f"{name}: {listed}")
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
    return dumps(data)


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
        return dumps(data)
    return "\n".join(
        f"{key.replace('_', ' ')}: {safe(_plain(value))}" for key, value in data.items()
    )


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
    sizes = Counter(q.lang for q in report.queries)
    head = f"{'':<10}{'queries':>8}" + "".join(f"{LABELS[m]:>12}" for m in METRICS)
    rows = [("all", len(report.queries), report.overall)]
    rows += [(lg, sizes[lg], values) for lg, values in report.by_lang.items()]
    return [head] + [
        f"{name:<10}{n:>8}" + "".join(f"{values[m]:>12.4f}" for m in METRICS)
        for name, n, values in rows
    ]


def _query_table(scores: Sequence[QueryScore]) -> list[str]:
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
