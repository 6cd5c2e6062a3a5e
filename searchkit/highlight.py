"""Snippets: the passages of an article that best show why it matched, as text + spans.

Which words match is :mod:`searchkit.matching`'s business (it marks the ORIGINAL words:
the query ``militaire`` marks ``militaires``, ``Basis`` marks ``Militärbasen``); this module
picks the passages and cuts them. Positions only: colours, plain text, JSON or HTML are
the business of :mod:`searchkit.output`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from searchkit.matching import Match, Span, TermMatcher, find_matches, matcher_for

__all__ = ["Snippet", "TermMatcher", "find_matches", "make_snippet", "matcher_for"]

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
#: How much text to show before the first match of a fragment.
CONTEXT_CHARS = 50
ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
# A paragraph break after a line with no closing punctuation (a subheading) would run
# into the next sentence once whitespace is collapsed: it becomes a visible separator.
_HEADING_BREAK = re.compile(r"(?<=[^\s.!?…:;»\"”“)])[ \t]*\n\s*\n\s*")
PARAGRAPH_MARK = " · "


@dataclass(frozen=True)
class Snippet:
    """Fragments of text joined by ellipses; ``spans`` are (start, end) of the marked words."""

    text: str
    spans: tuple[Span, ...] = ()


def make_snippet(doc: Mapping[str, Any], lang: str, matcher: TermMatcher) -> Snippet:
    """Up to 3 fragments of ~200 characters around the matches in the body (else the lead).

    ``doc`` is the stored dict of an article (already free of boilerplate); ``lang`` the
    suffix of its fields (fr, de, xx). Without any match: the beginning of the lead.
    """
    for part in ("body", "lead"):
        text = doc.get(part) or ""
        matches = find_matches(text, lang, matcher)
        if matches:
            return _fragments(text, matches)
    text = doc.get("lead") or doc.get("body") or doc.get("caption") or ""
    start, end = _window(text, 0, 0)
    return _join(text, [(start, end)], [])


def _fragments(text: str, matches: list[Match]) -> Snippet:
    """Greedy: each next fragment shows the most query terms not shown yet, then the most
    distinct terms, then the most matches; fragments never overlap."""
    starts = [s for s, _, _ in matches]
    candidates = []
    for first in dict.fromkeys(starts):
        window = _window(text, first, first)
        inside = matches[
            bisect.bisect_left(starts, window[0]) : bisect.bisect_left(starts, window[1])
        ]
        candidates.append((window, [k for _, e, k in inside if e <= window[1]]))
    shown: set[str] = set()
    chosen: list[Span] = []
    for _ in range(MAX_FRAGMENTS):
        best: tuple[tuple[int, int, int], Span, list[str]] | None = None
        for window, keys in candidates:
            if any(a < window[1] and window[0] < b for a, b in chosen):
                continue
            distinct = set(keys)
            score = (len(distinct - shown), len(distinct), len(keys))
            if best is None or score > best[0]:
                best = (score, window, keys)
        if best is None:
            break
        chosen.append(best[1])
        shown.update(best[2])
    return _join(text, sorted(chosen), matches)


def _window(text: str, first: int, last: int) -> Span:
    """About FRAGMENT_CHARS around text[first:last], cut at whitespace."""
    start = max(0, first - CONTEXT_CHARS)
    if start > 0:
        space = _SPACE.search(text, start, first)
        start = space.end() if space else first
    end = min(len(text), start + FRAGMENT_CHARS)
    if end < len(text):
        cut = max(text.rfind(" ", last, end), text.rfind("\n", last, end))
        end = cut if cut > last else end
    return start, max(end, last)


def _join(text: str, windows: list[Span], matches: list[Match]) -> Snippet:
    """The windows as one line (whitespace collapsed, ellipses at cuts), spans shifted."""
    out: list[str] = [ELLIPSIS] if windows and windows[0][0] > 0 else []
    spans: list[Span] = []
    for i, (start, end) in enumerate(windows):
        if i:  # neighbours with only whitespace between them read as one fragment
            out.append(f" {ELLIPSIS} " if text[windows[i - 1][1] : start].strip() else " ")
        cursor = start
        for m_start, m_end, _ in matches:
            if start <= m_start and m_end <= end:
                out.append(_flatten(text[cursor:m_start]))
                offset = sum(map(len, out))
                spans.append((offset, offset + m_end - m_start))
                out.append(text[m_start:m_end])
                cursor = m_end
        out.append(_flatten(text[cursor:end]).rstrip())
    if windows and text[windows[-1][1] :].strip():
        out.append(ELLIPSIS)
    return Snippet("".join(out), tuple(spans))


def _flatten(chunk: str) -> str:
    """One line: whitespace collapsed, a subheading's paragraph break shown as a mark."""
    return _SPACE.sub(" ", _HEADING_BREAK.sub(PARAGRAPH_MARK, chunk))
