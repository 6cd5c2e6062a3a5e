"""Rendering results for people (terminal text, HTML) and programs (JSON). No search here.

Every renderer reads a :class:`SearchResults`; highlights are character spans into each
hit's snippet, so marking them is the same loop whatever the output.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

import click

from searchkit.models import Hit, SearchResults

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
    }


def render_html_snippet(hit: Hit) -> str:
    """The snippet as HTML: text escaped, matched words in ``<mark>``."""
    return _marked(hit.snippet, hit.highlights, lambda s: f"<mark>{s}</mark>", html.escape)
