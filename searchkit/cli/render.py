"""Rendering for people (terminal text, HTML) and programs (JSON): the CLI's one home
for output. No search here.

Every results renderer reads a :class:`SearchResults`; highlights are character spans into
each hit's snippet, so marking them is the same loop whatever the output. Index summaries,
statistics and evaluation reports are rendered here too.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import click

from searchkit.cli.text import (
    INDENT,
    dumps,
    long_date,
    marked,
    safe,
    short_date,
    wrap_marked,
)
from searchkit.models import Article, Hit, SearchResults

#: Facet values shown per facet in the terminal (JSON has them all).
FACET_VALUES_SHOWN = 10


def mark(text: str, spans: tuple[tuple[int, int], ...], wrap: Callable[[str], str]) -> str:
    """``text`` with the substring of each ``(start, end)`` span passed through ``wrap``
    (and every control character escaped: see :func:`safe`)."""
    return marked(text, spans, wrap, safe)


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
        lines.append(f"Did you mean: {style(safe(results.suggestion), fg='yellow', bold=True)}")
    for hit in results.hits:
        lines.append("")
        title = safe(hit.title or hit.id)
        lines.append(f"{hit.rank:>3}. {style(title, bold=True)}  [{safe(hit.lang)}]")
        details = [f"score {hit.score:.2f}", short_date(hit.date), hit.author, ", ".join(hit.tags)]
        lines.append("     " + safe(" · ".join(d for d in details if d)))
        where = safe(" · ".join(p for p in (hit.id, hit.url) if p))
        lines.append("     " + style(where, dim=True))
        red = lambda s: style(s, fg="red", bold=True)  # noqa: E731
        lines += wrap_marked(hit.snippet, hit.highlights, red, width, INDENT)
        if hit.via_translation:
            via = safe(", ".join(hit.via_translation))
            lines.append("     " + style(f"via: {via}", dim=True))
        if hit.translations:
            other = "German" if hit.lang == "fr" else "French"
            twins = safe(", ".join(hit.translations))
            lines.append("     " + style(f"also in {other}: {twins}", dim=True))
    if results.facets:
        lines.append("")
        lines += _facet_lines(results.facets, results.facets_left_out)
    return "\n".join(lines)


def _summary(results: SearchResults) -> str:
    if not results.hits:
        more = " on this page" if results.total else ""
        return f"No articles found{more} for: {safe(results.query)}"
    first = results.offset + 1
    last = results.offset + len(results.hits)
    noun = "article" if results.total == 1 else "articles"
    return f"{results.total} {noun} for: {safe(results.query)} (showing {first}-{last})"


def _facet_lines(facets: dict[str, dict[str, int]], left_out: dict[str, int]) -> list[str]:
    """One line a facet; years all, in time order; others their first values and how many
    more there are (``--json`` lists FACET_LIMIT of them, and counts the rest)."""
    lines = []
    for name, counts in facets.items():
        limit = len(counts) if name == "year" else FACET_VALUES_SHOWN
        shown = list(counts.items())[:limit]
        more = len(counts) - len(shown) + left_out.get(name, 0)
        line = f"{name}: " + ", ".join(f"{safe(str(value))} ({count})" for value, count in shown)
        lines.append(line + (f", and {more} more" if more else ""))
    return lines


def render_json(results: SearchResults) -> str:
    """One JSON document: query, total, hits (+ offset, facets, suggestion when set)."""
    return dumps(results.to_dict())


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
            yield dumps(data, indent=None)
        else:
            yield _csv_line(
                safe("; ".join(v) if isinstance(v := data[c], list) else str(v))
                for c in CSV_COLUMNS
            )


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def render_html_snippet(hit: Hit) -> str:
    """The snippet as HTML: text escaped, matched words in ``<mark>``."""
    return marked(hit.snippet, hit.highlights, lambda s: f"<mark>{s}</mark>", html.escape)


# --- one whole article ----------------------------------------------------------------


def render_article(article: Article, *, color: bool, width: int | None = None) -> str:
    """``searchkit show``: title, metadata, lead, body with its subheadings, caption,
    related links and the twin, paragraphs wrapped to ``width`` (None: one line each)."""

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    def paragraph(text: str) -> list[str]:
        return wrap_marked(text, (), str, width, "")

    meta = [article.lang, long_date(article.date), article.author]
    lines = [style(safe(article.title or article.id), bold=True)]
    lines.append(safe(" · ".join(m for m in meta if m)))
    lines.append(style(safe(" · ".join(p for p in (article.id, article.url) if p)), dim=True))
    if article.tags:
        lines.append("tags: " + safe(", ".join(article.tags)))
    if article.lead:
        lines += ["", *(style(line, bold=True) for line in paragraph(article.lead))]
    for heading, text in article.paragraphs():
        lines.append("")
        if heading:
            lines.append(style(safe(text), bold=True, underline=True))
        else:
            lines += paragraph(text)
    if article.caption or article.credit:
        caption = " — ".join(p for p in (article.caption, article.credit) if p)
        lines += ["", *(style(line, dim=True) for line in paragraph(f"Photo: {caption}"))]
    if article.related:
        lines += ["", "Related:", *(f"  - {safe(title)}" for title in article.related)]
    if article.translations:
        other = "German" if article.lang == "fr" else "French"
        lines += ["", f"Also in {other}: " + safe(", ".join(article.translations))]
    return "\n".join(lines)
