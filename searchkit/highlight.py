"""Snippets: the passages of an article that best show why it matched, as text + spans.

The stored text is re-analyzed with its language's index-time analyzer, keeping character
offsets, so a token that matched a query term marks the ORIGINAL word: the query
``militaire`` marks ``militaires``, ``Basis`` marks ``Militärbasen``. Positions only: colours,
plain text, JSON or HTML are the business of :mod:`searchkit.output`.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh.support.levenshtein import distance

from searchkit import querytree as q
from searchkit.analysis import analyzer_for, fold
from searchkit.analysis.filters import WORD_RE, fold_accents

FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
#: How much text to show before the first match of a fragment.
CONTEXT_CHARS = 50
ELLIPSIS = "…"
#: Distinct words whose analysis is kept per language (bounds memory on huge corpora).
MAX_CACHED_WORDS = 500_000
_SPACE = re.compile(r"\s+")
# A paragraph break after a line with no closing punctuation (a subheading) would run
# into the next sentence once whitespace is collapsed: it becomes a visible separator.
_HEADING_BREAK = re.compile(r"(?<=[^\s.!?…:;»\"”“)])[ \t]*\n\s*\n\s*")
PARAGRAPH_MARK = " · "

Span = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    """Fragments of text joined by ellipses; ``spans`` are (start, end) of the marked words."""

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class TermMatcher:
    """Which analyzed terms count as a match: exact terms, prefixes, fuzzy terms."""

    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    fuzzy: tuple[tuple[str, int], ...] = ()

    def key(self, term: str) -> str | None:
        """The query term that ``term`` matches (to count distinct terms), or None."""
        if term in self.exact:
            return term
        for prefix in self.prefixes:
            if term.startswith(prefix):
                return prefix + "*"
        for wanted, dist in self.fuzzy:
            if abs(len(term) - len(wanted)) <= dist and distance(term, wanted) <= dist:
                return wanted + "~"
        return None

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes or self.fuzzy)


def matcher_for(parsed: q.ParsedQuery, lang: str) -> TermMatcher:
    """The terms to mark in ``lang`` fields (fr, de, xx): every word not under NOT."""
    exact: set[str] = set()
    prefixes: list[str] = []
    fuzzy: list[tuple[str, int]] = []
    for node in _positive(parsed.root):
        if isinstance(node, q.Phrase):
            exact.update(q.terms_of(lang, node.text))
        elif node.kind == "prefix":
            prefixes.append(q.prefix_of(node.text))
        elif node.kind == "fuzzy":
            fuzzy.extend((term, node.dist) for term in q.terms_of(lang, node.text))
        else:
            exact.update(q.terms_of(lang, node.text))
    return TermMatcher(frozenset(exact), tuple(prefixes), tuple(fuzzy))


def _positive(node: q.Node) -> Iterable[q.Word | q.Phrase]:
    if isinstance(node, q.Group):
        for child in (*node.must, *node.should):
            yield from _positive(child)
    elif isinstance(node, q.Word | q.Phrase):
        yield node


def make_snippet(doc: Mapping[str, Any], lang: str, matcher: TermMatcher) -> Snippet:
    """Up to 3 fragments of ~200 characters around the matches in the body (else the lead).

    ``doc`` is the stored dict of an article (already free of boilerplate); ``lang`` the
    suffix of its fields (fr, de, xx). Without any match: the beginning of the lead.
    """
    for part in ("body", "lead"):
        text = doc.get(part) or ""
        matches = find_matches(text, lang, matcher) if matcher and text else []
        if matches:
            return _fragments(text, matches)
    text = doc.get("lead") or doc.get("body") or doc.get("caption") or ""
    start, end = _window(text, 0, 0)
    return _join(text, [(start, end)], [])


def find_matches(text: str, lang: str, matcher: TermMatcher) -> list[tuple[int, int, str]]:
    """``(start, end, query term)`` of each word of ``text`` that matches, in order.

    As the analyzer would find them, but cheaper: each distinct word is analyzed once per
    process (:class:`_Vocabulary`), and only the words that match are located in the text.
    """
    vocabulary = _vocabulary(lang)
    words = set(WORD_RE.findall(text))
    vocabulary.learn(words, matcher)
    words = {w for w in words if w in vocabulary.terms}  # those that might match
    spellings = None
    if not (matcher.prefixes or matcher.fuzzy):
        spellings = vocabulary.spellings(matcher.exact)
        words &= spellings  # set operations, no Python loop
    matching: dict[str, list[tuple[int, int, str]]] = {}
    for word in words:
        terms = vocabulary.terms[word]
        keys = [(a, b, key) for term, a, b in terms if (key := matcher.key(term)) is not None]
        if keys:
            matching[word] = keys
    if not matching:
        return []
    found: dict[Span, str] = {}
    for start, word in _occurrences(text, spellings or matching):
        for a, b, key in matching.get(word, ()):
            found.setdefault((start + a, start + b), key)
    return _outermost(found)


def _occurrences(text: str, words: Iterable[str]) -> list[tuple[int, str]]:
    r"""(start, word) of each whole word of ``words`` in ``text``, left to right, as the
    pattern ``(?<!\w)(?:longest|...|shortest)(?!\w)`` would find them (the longest word
    at a place first, none inside another), without compiling one per set of words."""
    found = []
    size = len(text)
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (at and _is_word(text[at - 1])) and not (end < size and _is_word(text[end])):
                found.append((at, -len(word), word))
            at = text.find(word, at + 1)
    found.sort()
    out: list[tuple[int, str]] = []
    cursor = 0
    for at, minus, word in found:
        if at >= cursor:
            out.append((at, word))
            cursor = at - minus
    return out


def _is_word(char: str) -> bool:
    r"""Whether ``re`` counts ``char`` as ``\w`` (str patterns: alphanumeric or "_")."""
    return char.isalnum() or char == "_"


class _Vocabulary:
    """The words met so far in one language's texts: their terms, and back.

    Analyzing a word (stemming, German compound splitting) costs far more than looking
    it up, so a word is analyzed only once it might match a query: when its folded form
    contains the first three letters of a query term (stems and compound parts keep
    them). Until then only its folded form is kept.
    """

    def __init__(self, lang: str) -> None:
        self.analyzer = analyzer_for(q.ANALYZER_LANG[lang])
        self.fold = fold_accents if lang == "fr" else fold  # as the language's chain folds
        self.terms: dict[str, tuple[tuple[str, int, int], ...]] = {}
        self.words: dict[str, set[str]] = {}
        self.folded: dict[str, str] = {}

    def learn(self, words: set[str], matcher: TermMatcher) -> None:
        """Analyze the words not analyzed yet that might match ``matcher``."""
        if len(self.folded) > MAX_CACHED_WORDS:  # bound memory on huge, diverse corpora
            self.terms.clear()
            self.words.clear()
            self.folded.clear()
        heads = None
        if not matcher.fuzzy:
            heads = _heads(frozenset(t[:3] for t in (*matcher.exact, *matcher.prefixes)))
        for word in [w for w in words if w not in self.terms]:  # (set - keys() copies keys)
            folded = self.folded.get(word)
            if folded is None:
                folded = self.folded[word] = self.fold(word)
            if heads is None or heads(folded):
                tokens = self.analyzer(word, chars=True, mode="index")
                self.terms[word] = tuple((t.text, t.startchar, t.endchar) for t in tokens)
                for term, _, _ in self.terms[word]:
                    self.words.setdefault(term, set()).add(word)

    def spellings(self, terms: frozenset[str]) -> set[str]:
        """Every word analyzed so far whose analysis gives one of ``terms``."""
        return set().union(*(self.words.get(term, ()) for term in terms))


@functools.lru_cache(maxsize=1024)
def _heads(heads: frozenset[str]) -> Callable[[str], object]:
    """Whether a folded word contains one of ``heads``: one regex search, not a loop."""
    if not heads:
        return lambda folded: False
    return re.compile("|".join(map(re.escape, sorted(heads)))).search


_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary(lang: str) -> _Vocabulary:
    if lang not in _VOCABULARIES:
        _VOCABULARIES[lang] = _Vocabulary(lang)
    return _VOCABULARIES[lang]


def _outermost(found: dict[Span, str]) -> list[tuple[int, int, str]]:
    """Drop spans inside another marked span (a compound part inside its compound)."""
    out: list[tuple[int, int, str]] = []
    for (start, end), key in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end, key))
    return out


def _fragments(text: str, matches: list[tuple[int, int, str]]) -> Snippet:
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


def _join(text: str, windows: list[Span], matches: list[tuple[int, int, str]]) -> Snippet:
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
