"""Where a query's words are in a text: the spans of the original words that match.

The stored text is analyzed as the index analyzed it (same tokens, same terms, character
offsets kept), so a token that matched a query term marks the ORIGINAL word: the query
``militaire`` marks ``militaires``, ``Basis`` marks ``Militärbasen``.

Analyzing a whole article per hit would cost far more than the search, so only the parts
of it that may match are analyzed: the :mod:`skeleton <searchkit.highlight.skeleton>` of the
text (one folded byte per character) is searched with ``bytes.find`` for the first letters
of the query's terms, and only the chunks (runs of non-spaces) where they occur are
tokenized and analyzed (each distinct chunk once: chunks recur across hits and queries).

What this finds is what analyzing the whole text would find (tests/highlight/test_matching.py checks
it), but for a query word typed joined whose first letters the text splits with a hyphen:
``Su27`` (term ``su27``) does not mark ``Su-27`` (whose terms are ``su27``, ``su``, ``27``);
the query ``Su-27``, also made of those three, does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from whoosh.support.levenshtein import distance

from searchkit.analysis.filters import WORD_RE
from searchkit.fields import analyzer_of
from searchkit.highlight import skeleton as sk
from searchkit.query import tree as q
from searchkit.query.terms import prefix_of, terms_of

#: (start, end, query term) of a marked word.
Match = tuple[int, int, str]
Span = tuple[int, int]
#: (start, end, term) of each term of a chunk's words, spans relative to the chunk.
ChunkTerms = tuple[tuple[int, int, str], ...]
#: Queries whose needles are kept (one page of results needs one or two).
MAX_FINDERS = 256
#: Terms whose match a query with prefixes or fuzzy words remembers (a page of hits has
#: a few thousand distinct ones).
MAX_KEYS = 4096
#: Distinct chunks whose terms are kept per language.
MAX_CHUNKS = 100_000


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
        if isinstance(node, q.Translated):
            if node.lang == lang:
                exact.update(t for sense in node.senses for t in terms_of(lang, sense))
        elif isinstance(node, q.Phrase):
            exact.update(terms_of(lang, node.text))
        elif node.kind == "prefix":
            prefixes.append(prefix_of(node.text))
        elif node.kind == "fuzzy":
            fuzzy.extend((term, node.dist) for term in terms_of(lang, node.text))
        elif lang not in node.skip:
            exact.update(terms_of(lang, node.text))
    return TermMatcher(frozenset(exact), tuple(prefixes), tuple(fuzzy))


def _positive(node: q.Node) -> Iterable[q.Word | q.Phrase | q.Translated]:
    if isinstance(node, q.Group):
        for child in (*node.must, *node.should):
            yield from _positive(child)
    elif isinstance(node, q.Word | q.Phrase | q.Translated):
        yield node


def find_matches(text: str, lang: str, matcher: TermMatcher) -> list[Match]:
    """``(start, end, query term)`` of each word of ``text`` that matches, in order.

    As if the whole text were analyzed (``lang``: fr, de, xx), and a span inside another
    marked one dropped (a compound part inside its compound).
    """
    return _finder(matcher, lang).find(text) if matcher and text else []


@functools.lru_cache(maxsize=MAX_FINDERS)
def _finder(matcher: TermMatcher, lang: str) -> _Finder:
    return _Finder(matcher, lang)


class _Finder:
    """What one query looks for in the texts of one language (fr, de, xx)."""

    def __init__(self, matcher: TermMatcher, lang: str) -> None:
        # The query term a term matches, or None: for exact terms only (most queries),
        # a dict lookup does it without a Python call; else remembered per term (a fuzzy
        # term is compared with every word's terms, and Levenshtein runs in Python).
        self.key: Callable[[str], str | None]
        if matcher.prefixes or matcher.fuzzy:
            self.key = functools.lru_cache(maxsize=MAX_KEYS)(matcher.key)
        else:
            self.key = {term: term for term in matcher.exact}.get
        # Fuzzy terms may differ anywhere, even in their first letters: no needles.
        self.needles = None if matcher.fuzzy else sk.needles(matcher.exact, matcher.prefixes)
        self.analyzer = analyzer_of(lang)
        self.chunks = _CHUNKS.setdefault(lang, {})

    def find(self, text: str) -> list[Match]:
        """The matches in ``text``, analyzing only the chunks that may hold one."""
        skel = sk.skeleton(text)
        if self.needles is None:
            spans = [m.span() for m in sk.CHUNK_RE.finditer(skel)]
        else:
            spans = _chunks(skel, self.needles, sk.exotic_positions(text, skel))
        found: dict[Span, str] = {}
        chunks, key = self.chunks, self.key
        for start, end in spans:
            chunk = text[start:end]
            terms = chunks.get(chunk)
            for a, b, term in self._analyze(chunk) if terms is None else terms:
                if (match := key(term)) is not None:
                    found.setdefault((start + a, start + b), match)
        return _outermost(found)

    def _analyze(self, chunk: str) -> ChunkTerms:
        """The terms of the words of ``chunk``, spans relative to it, as the index has them."""
        if len(self.chunks) > MAX_CHUNKS:  # bound memory on huge, diverse corpora
            self.chunks.clear()
        analyze = self.analyzer.word_terms
        terms = self.chunks[chunk] = tuple(
            (word.start() + a, word.start() + b, term)
            for word in WORD_RE.finditer(chunk)
            for term, a, b in analyze(word[0])
        )
        return terms


#: Per language: chunk -> its terms (spans relative to the chunk). Words recur, and so do
#: their chunks (a word and the punctuation around it), across hits and queries.
_CHUNKS: dict[str, dict[str, ChunkTerms]] = {}


def _chunks(skel: bytes, needles: tuple[bytes, ...], more: list[int]) -> list[Span]:
    """(start, end) of each chunk of ``skel`` that holds a needle or a position of
    ``more``, each once, in no particular order."""
    spans: dict[int, int] = {}
    size = len(skel)
    for needle in needles:
        lead = needle[:1] in sk.PIECE_STARTS  # then the word starts after its first byte
        at = skel.find(needle)
        if lead:  # (or at the start of the text)
            at = 0 if skel.startswith(needle[1:]) else (at + 1 if at >= 0 else -1)
        while at >= 0:
            start = skel.rfind(sk.SPACE, 0, at) + 1
            end = skel.find(sk.SPACE, at)
            end = size if end < 0 else end
            spans[start] = end
            at = skel.find(needle, end)
            if lead and at >= 0:
                at += 1
    for at in more:
        end = skel.find(sk.SPACE, at)
        spans[skel.rfind(sk.SPACE, 0, at) + 1] = size if end < 0 else end
    return list(spans.items())


def _outermost(found: dict[Span, str]) -> list[Match]:
    """Drop spans inside another marked span (a compound part inside its compound)."""
    out: list[Match] = []
    for (start, end), key in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end, key))
    return out
