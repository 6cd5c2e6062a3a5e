"""Snippets: the passages of an article that best show why it matched, as text + spans.

Which words match is :mod:`searchkit.highlight.matching`'s business (it marks the ORIGINAL words:
the query ``militaire`` marks ``militaires``, ``Basis`` marks ``Militärbasen``); this module
picks the passages and cuts them. Positions only: colours, plain text, JSON or HTML are
the business of :mod:`searchkit.cli.render`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from searchkit.highlight.matching import Match, Span, TermMatcher, find_matches, matcher_for
from searchkit.models import SENTENCE_END

__all__ = ["Snippet", "TermMatcher", "find_matches", "make_snippet", "matcher_for"]

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
#: How much text to show before the first match of a fragment.
CONTEXT_CHARS = 50
ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
# A paragraph break after a line with no closing punctuation (a subheading) would run
# into the next sentence once whitespace is collapsed: it becomes a visible separator.
_BREAK = re.compile(r"\n\s*\n\s*")
_SENTENCE_END = SENTENCE_END
PARAGRAPH_MARK = " · "
_TEXT = re.compile(r"\S")


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
    candidates = _candidates(text, matches)
    shown: set[str] = set()
    chosen: list[Span] = []
    while candidates and len(chosen) < MAX_FRAGMENTS:
        # max() keeps the first of equals: the earliest in the text
        (start, end), keys, _ = max(candidates, key=lambda c: (len(c[1] - shown), len(c[1]), c[2]))
        chosen.append((start, end))
        shown |= keys
        candidates = [c for c in candidates if not (c[0][0] < end and start < c[0][1])]
    return _join(text, sorted(chosen), matches)


def _candidates(text: str, matches: list[Match]) -> list[tuple[Span, frozenset[str], int]]:
    """A window from each match on: its span, the query terms it shows, how many matches."""
    starts = [s for s, _, _ in matches]
    out = []
    for first in dict.fromkeys(starts):
        start, end = _window(text, first, first)
        inside = matches[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        keys = [k for _, e, k in inside if e <= end]
        out.append(((start, end), frozenset(keys), len(keys)))
    return out


def _window(text: str, first: int, last: int) -> Span:
    """About FRAGMENT_CHARS around text[first:last], cut at whitespace."""
    # (conditions, not min() and max(): a snippet makes a window per match, ~10)
    start = first - CONTEXT_CHARS
    if start > 0:
        space = _SPACE.search(text, start, first)
        start = space.end() if space else first
    else:
        start = 0
    end = start + FRAGMENT_CHARS
    if end < len(text):
        cut = text.rfind(" ", last, end)
        newline = text.rfind("\n", last, end)
        cut = newline if newline > cut else cut
        end = cut if cut > last else end
    else:
        end = len(text)
    return start, end if end > last else last


def _join(text: str, windows: list[Span], matches: list[Match]) -> Snippet:
    """The windows as one line (whitespace collapsed, ellipses at cuts), spans shifted."""
    out: list[str] = [ELLIPSIS] if windows and windows[0][0] > 0 else []
    spans: list[Span] = []
    for i, (start, end) in enumerate(windows):
        if i:  # neighbours with only whitespace between them read as one fragment
            out.append(f" {ELLIPSIS} " if _TEXT.search(text, windows[i - 1][1], start) else " ")
        _join_window(text, start, end, matches, out, spans)
    if windows and _TEXT.search(text, windows[-1][1]):
        out.append(ELLIPSIS)
    return Snippet("".join(out), tuple(spans))


def _join_window(
    text: str, start: int, end: int, matches: list[Match], out: list[str], spans: list[Span]
) -> None:
    """Append text[start:end] to ``out``, flattened, and the spans of its matches."""
    size = sum(map(len, out))
    window = text[start:end]
    if window.isprintable() and "  " not in window:  # nothing to flatten (most windows)
        spans += [
            (size + a - start, size + b - start) for a, b, _ in matches if start <= a <= b <= end
        ]
        out.append(window.rstrip())
        return
    cursor = start
    for m_start, m_end, _ in matches:
        if start <= m_start and m_end <= end:
            gap = _flatten(text, cursor, m_start)
            size += len(gap)
            out += (gap, text[m_start:m_end])
            spans.append((size, size + m_end - m_start))
            size += m_end - m_start
            cursor = m_end
    out.append(_flatten(text, cursor, end).rstrip())


def _flatten(text: str, start: int, end: int) -> str:
    """text[start:end] as one line: whitespace collapsed, a subheading's paragraph break
    shown as a mark."""
    chunk = text[start:end]
    if "\n" in chunk:  # (the gap after a marked word goes on a line that word ends)
        chunk = _mark_headings(chunk, text[start - 1] if start else " ")
    return _collapse(chunk)


def _mark_headings(chunk: str, before: str = " ") -> str:
    r"""Each paragraph break after a subheading (``[ \t]*\n\s*\n\s*`` after a character
    that is neither whitespace nor in _SENTENCE_END) as PARAGRAPH_MARK. ``before`` is
    the character before ``chunk`` (a space: none).

    What a regex with a lookbehind says in one line, but that one tries the lookbehind at
    every character; this skips ahead to line breaks (several times faster).
    """
    out: list[str] = []
    cursor = 0
    for found in _BREAK.finditer(chunk):
        start = found.start()
        while start > cursor and chunk[start - 1] in " \t":
            start -= 1
        last = chunk[start - 1] if start else before
        if not last.isspace() and last not in _SENTENCE_END:
            out += (chunk[cursor:start], PARAGRAPH_MARK)
            cursor = found.end()
    return "".join(out) + chunk[cursor:] if out else chunk


def _collapse(chunk: str) -> str:
    """``_SPACE.sub(" ", chunk)``: each run of whitespace as one space, in C."""
    if chunk.isprintable() and "  " not in chunk:  # only single spaces (and no \n, \xa0)
        return chunk
    words = chunk.split()  # the same whitespace as \s: str.isspace
    if not words:
        return " " if chunk else ""
    lead = " " if chunk[0].isspace() else ""
    return lead + " ".join(words) + (" " if chunk[-1].isspace() else "")
