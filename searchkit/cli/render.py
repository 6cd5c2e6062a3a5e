"""Rendering for people (terminal text, HTML) and programs (JSON): the CLI's one home
for output. No search here.

Every results renderer reads a :class:`SearchResults`; highlights are character spans into
each hit's snippet, so marking them is the same loop whatever the output. Index summaries,
statistics and evaluation reports are rendered here too.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from searchkit.cli.text import INDENT, long_date, short_date, wrap_marked
from searchkit.evaluation.metrics import LABELS, METRICS
from searchkit.evaluation.run import COUNT_LABELS, MAX_LISTED, EvalReport, QueryScore
from searchkit.models import Article, Hit, IndexReport, IndexStats, SearchResults

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


def render_text(results: SearchResults, *, color: bool, width: int | None = None) -> str:
    """A numbered listing: title, language, score, date, author, tags, id and URL, snippet.

    With ``color`` the titles and matched words are bold and coloured (ANSI); without it
    the text is plain, with matched words left as they are (no markup to strip). With a
    ``width`` (the terminal's) snippets are wrapped to it, under their indent.
    """

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    lines = [_summary(results)]
    if results.suggestion:
        lines.append(f"Did you mean: {style(results.suggestion, fg='yellow', bold=True)}")
    for hit in results.hits:
        lines.append("")
        lines.append(f"{hit.rank:>3}. {style(hit.title or hit.id, bold=True)}  [{hit.lang}]")
        details = [f"score {hit.score:.2f}", short_date(hit.date), hit.author, ", ".join(hit.tags)]
        lines.append("     " + " · ".join(d for d in details if d))
        lines.append("     " + style(" · ".join(p for p in (hit.id, hit.url) if p), dim=True))
        marked = lambda s: style(s, fg="red", bold=True)  # noqa: E731
        lines += wrap_marked(hit.snippet, hit.highlights, marked, width, INDENT)
        if hit.via_translation:
            lines.append("     " + style("via: " + ", ".join(hit.via_translation), dim=True))
        if hit.translations:
            other = "German" if hit.lang == "fr" else "French"
            twins = ", ".join(hit.translations)
            lines.append("     " + style(f"also in {other}: {twins}", dim=True))
    if results.facets:
        lines.append("")
        lines += _facet_lines(results.facets, results.facets_left_out)
    return "\n".join(lines)


def _summary(results: SearchResults) -> str:
    if not results.hits:
        more = " on this page" if results.total else ""
        return f"No articles found{more} for: {results.query}"
    first = results.offset + 1
    last = results.offset + len(results.hits)
    noun = "article" if results.total == 1 else "articles"
    return f"{results.total} {noun} for: {results.query} (showing {first}-{last})"


def _facet_lines(facets: dict[str, dict[str, int]], left_out: dict[str, int]) -> list[str]:
    """One line a facet; years all, in time order; others their first values and how many
    more there are (``--json`` lists FACET_LIMIT of them, and counts the rest)."""
    lines = []
    for name, counts in facets.items():
        limit = len(counts) if name == "year" else FACET_VALUES_SHOWN
        shown = list(counts.items())[:limit]
        more = len(counts) - len(shown) + left_out.get(name, 0)
        line = f"{name}: " + ", ".join(f"{value} ({count})" for value, count in shown)
        lines.append(line + (f", and {more} more" if more else ""))
    return lines


def render_json(results: SearchResults) -> str:
    """One JSON document: query, total, hits (+ offset, facets, suggestion when set)."""
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2)


#: The columns of ``query --format csv``, in order.
CSV_COLUMNS = (
    "rank", "id", "title", "lang", "date", "author", "tags", "url", "path", "score",
    "via_translation", "translations", "snippet",
)  # fmt: skip


def render_export(hits: Iterable[Hit], fmt: str) -> Iterator[str]:
    """``query --format jsonl|csv``: one line a hit as it comes (CSV: a header first; lists
    joined with ``; ``), so that an export of any size streams."""
    if fmt == "csv":
        yield _csv_line(CSV_COLUMNS)
    for hit in hits:
        data = {"rank": hit.rank, **hit.to_dict()}
        if fmt == "jsonl":
            yield json.dumps(data, ensure_ascii=False)
        else:
            yield _csv_line(
                "; ".join(v) if isinstance(v := data[c], list) else v for c in CSV_COLUMNS
            )


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


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
    """What ``searchkit stats`` prints: one ``key: value`` line each (size in MB, the
    update to the second), or JSON (bytes, the full ISO time)."""
    data = dataclasses.asdict(stats)
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    data["size"] = human_size(data.pop("size_bytes"))
    moment = data.pop("last_update")
    data["last update"] = f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "never"
    data["index dir"] = data.pop("index_dir")
    return "\n".join(f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in data.items())


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
        return json.dumps(counts, ensure_ascii=False, indent=2)
    lines: list[str] = []
    for name, values in counts.items():
        if len(counts) > 1:
            lines += [*([""] if lines else []), f"{name} ({len(values)}):"]
        digits = len(str(max(values.values(), default=0)))
        lines += [f"{count:>{digits}}  {value}" for value, count in values.items()]
    return "\n".join(lines)


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
    notes = [f"  {n} {COUNT_LABELS[k]}" for k, n in report.counts.items() if n]
    listed = [f"  {p}" for p in report.problems[:MAX_LISTED]]
    more = len(report.problems) - len(listed)
    if more > 0:
        listed.append(f"  ... and {more} more (see --json)")
    return (["", "Not counted or not found:", *notes] if notes else []) + (
        ["", "Problems:", *listed] if listed else []
    )


# --- one whole article ----------------------------------------------------------------


def render_article(article: Article, *, color: bool, width: int | None = None) -> str:
    """``searchkit show``: title, metadata, lead, body with its subheadings, caption,
    related links and the twin, paragraphs wrapped to ``width`` (None: one line each)."""

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    def paragraph(text: str) -> list[str]:
        return wrap_marked(text, (), str, width, "")

    meta = [article.lang, long_date(article.date), article.author]
    lines = [style(article.title or article.id, bold=True)]
    lines.append(" · ".join(m for m in meta if m))
    lines.append(style(" · ".join(p for p in (article.id, article.url) if p), dim=True))
    if article.tags:
        lines.append("tags: " + ", ".join(article.tags))
    if article.lead:
        lines += ["", *(style(line, bold=True) for line in paragraph(article.lead))]
    for heading, text in article.paragraphs():
        lines.append("")
        if heading:
            lines.append(style(text, bold=True, underline=True))
        else:
            lines += paragraph(text)
    if article.caption or article.credit:
        caption = " — ".join(p for p in (article.caption, article.credit) if p)
        lines += ["", *(style(line, dim=True) for line in paragraph(f"Photo: {caption}"))]
    if article.related:
        lines += ["", "Related:", *(f"  - {title}" for title in article.related)]
    if article.translations:
        other = "German" if article.lang == "fr" else "French"
        lines += ["", f"Also in {other}: " + ", ".join(article.translations)]
    return "\n".join(lines)
