"""Ranking: BM25F over the per-language fields, plus a boost for words that stand together.

Field boosts (title > tags > lead > body > caption) are in the index (schema.BOOSTS), so a
word's score is the sum of its BM25 scores in each field. Proximity: every pair of
adjacent query words is also an optional sloppy phrase (at most PROXIMITY_SLOP positions
apart, in order) in the title, lead and body; an article where ``base militaire`` stands
together earns that pair's score again (times PROXIMITY_BOOST), one where the words are
scattered does not.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.util.numeric import byte_to_length

from searchkit.query import ParsedQuery, Word, terms_of
from searchkit.schema import TEXT_PARTS

PROXIMITY_SLOP = 3
PROXIMITY_BOOST = 1.0
PROXIMITY_PARTS = ("title", "lead", "body")

Ranked = list[tuple[int, float]]


def proximity_clauses(parsed: ParsedQuery, langs: tuple[str, ...]) -> list[wq.Query]:
    """Sloppy two-word phrases for each pair of adjacent plain words of the query."""
    words = [
        n for n in parsed.root.should if isinstance(n, Word) and n.kind == "word" and not n.parts
    ]
    clauses: list[wq.Query] = []
    for lang in langs:
        firsts = [terms[0] for w in words if (terms := terms_of(lang, w.text))]
        for a, b in itertools.pairwise(firsts):
            if a == b:
                continue
            for part in PROXIMITY_PARTS:
                clauses.append(
                    wq.Phrase(f"{part}_{lang}", [a, b], slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
                )
    return clauses


def rank(
    searcher: Any,
    query: wq.Query | None,
    parsed: ParsedQuery,
    langs: tuple[str, ...],
    allowed: frozenset[int] | None,
    limit: int,
) -> tuple[Ranked, int, Callable[[], set[int]]]:
    """The top ``limit`` (docnum, score) pairs, the total count, and a way to get all matches.

    ``allowed`` (filters) restricts the documents; None allows all.
    """
    if query is None or (allowed is not None and not allowed):
        return [], 0, set  # (an empty filter set would read as "no filter" to Whoosh)
    clauses = proximity_clauses(parsed, langs)
    if clauses:
        query = wq.AndMaybe(query, wq.Or(clauses))
    results = searcher.search(query, limit=limit, filter=None if allowed is None else set(allowed))
    ranked = [(docnum, score) for score, docnum in results.top_n]
    return ranked, len(results), results.docs


# --- the fast path: BM25F over the index's own postings, with numpy --------------------

#: Candidates (best BM25F first) whose proximity is checked exactly.
CANDIDATES = 50
#: Postings kept in memory (ids, scores, encoded positions), oldest terms dropped first.
CACHED_POSTINGS = 4_000_000
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class TermPostings:
    """One term of one field: its documents (ascending), BM25 scores and encoded positions."""

    docs: np.ndarray
    scores: np.ndarray
    values: tuple[Any, ...] = ()

    def find(self, docs: np.ndarray) -> np.ndarray:
        """Index of each of ``docs`` (ascending) in this term's postings, -1 when absent."""
        if not len(self.docs):
            return np.full(len(docs), -1)
        at = np.minimum(np.searchsorted(self.docs, docs), len(self.docs) - 1)
        return np.where(self.docs[at] == docs, at, -1)


EMPTY = TermPostings(np.zeros(0, dtype=np.int64), np.zeros(0))


class FastIndex:
    """What the fast path reads from one commit of the index, cached: make one per commit.

    Global document numbers (segment offsets added), statistics from the top searcher
    (global idf and average lengths, as Whoosh's BM25F), deleted documents masked out.
    """

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.leaves = list(searcher.reader().leaf_readers())
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                self.live[[offset + d for d in leaf.deleted_docs_set]] = False
        weighting = searcher.weighting
        self.b, self.k1 = getattr(weighting, "B", 0.75), getattr(weighting, "K1", 1.2)
        self._postings: OrderedDict[tuple[str, str], TermPostings] = OrderedDict()
        self._cached = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._masks: dict[frozenset[int], np.ndarray] = {}

    def mask(self, allowed: frozenset[int]) -> np.ndarray:
        """``allowed`` as a boolean array over document numbers (cached)."""
        if allowed not in self._masks:
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
            self._masks[allowed] = mask
        return self._masks[allowed]

    def postings(self, field: str, term: str) -> TermPostings:
        """The postings of ``term`` in ``field`` with their BM25 scores (cached, LRU)."""
        key = (field, term)
        if key in self._postings:
            self._postings.move_to_end(key)
            return self._postings[key]
        found = self._read(field, term)
        self._postings[key] = found
        self._cached += len(found.docs)
        while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
            _, dropped = self._postings.popitem(last=False)
            self._cached -= len(dropped.docs)
        return found

    def _read(self, field: str, term: str) -> TermPostings:
        ids, weights, values = [], [], []
        for leaf, offset in self.leaves:
            if (field, term) not in leaf:
                continue
            fieldobj = leaf.schema[field]
            matcher = leaf._terms.matcher(field, fieldobj.to_bytes(term), fieldobj.format)
            for block_ids, block_weights, block_values in _blocks(matcher):
                ids.append(np.asarray(block_ids, dtype=np.int64) + offset)
                weights.append(np.asarray(block_weights, dtype=np.float64))
                values.extend(block_values)
        if not ids:
            return EMPTY
        docs, weight = np.concatenate(ids), np.concatenate(weights)
        lengths = self.lengths(field)[docs]
        avgfl = self.searcher.avg_field_length(field) or 1
        idf = self.searcher.idf(field, term)
        norm = self.k1 * ((1 - self.b) + self.b * lengths / avgfl)
        scores = idf * (weight * (self.k1 + 1)) / (weight + norm)
        return TermPostings(docs, scores, tuple(values))

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in ``field``, as Whoosh's one-byte encoding rounds it."""
        if field not in self._lengths:
            codes = np.zeros(self.size, dtype=np.uint8)
            for leaf, offset in self.leaves:
                column = leaf._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                if column is not None:  # (a shorter column: the last documents lack the field)
                    raw = column._dbfile.get(column._basepos, column._count)
                    codes[offset : offset + column._count] = np.frombuffer(raw, dtype=np.uint8)
            self._lengths[field] = _LENGTHS[codes]
        return self._lengths[field]

    def positions(self, field: str, postings: TermPostings, index: int) -> list[int]:
        """The word positions of posting ``index`` of a term of ``field``."""
        return self.searcher.schema[field].format.decode_positions(postings.values[index])


def _blocks(matcher: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(ids, weights, values) a block at a time: far fewer Python steps than per posting."""
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values
            matcher._next_block()
        return
    ids, weights, values = [], [], []  # inlined postings of a rare term
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    yield ids, weights, values


def rank_fast(
    fast: FastIndex,
    parsed: ParsedQuery,
    langs: tuple[str, ...],
    allowed: frozenset[int] | None,
    limit: int,
) -> tuple[Ranked, int, Callable[[], set[int]]]:
    """:func:`rank` for plain words (``parsed.is_plain``), the same ranking, in numpy.

    Every document is scored by BM25F; the best CANDIDATES (at least 5 times ``limit``)
    then get their exact proximity bonus, and the top ``limit`` are returned.
    """
    found = [
        fast.postings(f"{part}_{lang}", term)
        for word in parsed.root.should
        for lang in langs
        for term in terms_of(lang, word.text)
        for part in TEXT_PARTS
    ]
    found = [p for p in found if len(p.docs)]
    if not found:
        return [], 0, set
    docs = np.concatenate([p.docs for p in found])
    scores = np.bincount(docs, np.concatenate([p.scores for p in found]), fast.size)
    keep = fast.live & (np.bincount(docs, minlength=fast.size) > 0)
    if allowed is not None:
        keep &= fast.mask(allowed)
    matched = np.flatnonzero(keep)
    count = max(CANDIDATES, 5 * limit)
    if len(matched) > count:
        matched_scores = scores[matched]
        candidates = np.sort(matched[np.argpartition(-matched_scores, count - 1)[:count]])
    else:
        candidates = matched
    final = scores[candidates] + _proximity(fast, parsed, langs, candidates)
    order = np.lexsort((candidates, -final))[:limit]
    ranked = [(int(candidates[i]), float(final[i])) for i in order]
    return ranked, len(matched), lambda: set(matched.tolist())


def _proximity(
    fast: FastIndex, parsed: ParsedQuery, langs: tuple[str, ...], docs: np.ndarray
) -> np.ndarray:
    """What :func:`proximity_clauses` adds to the score of each of ``docs`` (ascending)."""
    bonus = np.zeros(len(docs))
    where: dict[tuple[str, str], tuple[TermPostings, np.ndarray]] = {}
    positions: dict[tuple[str, str, int], list[int]] = {}

    def locate(field: str, term: str) -> tuple[TermPostings, np.ndarray]:
        if (field, term) not in where:
            postings = fast.postings(field, term)
            where[field, term] = postings, postings.find(docs)
        return where[field, term]

    def at(field: str, term: str, postings: TermPostings, index: int) -> list[int]:
        if (field, term, index) not in positions:
            positions[field, term, index] = fast.positions(field, postings, index)
        return positions[field, term, index]

    for lang in langs:
        firsts = [terms[0] for w in parsed.root.should if (terms := terms_of(lang, w.text))]
        for a, b in itertools.pairwise(firsts):
            for field in (f"{part}_{lang}" for part in PROXIMITY_PARTS if a != b):
                (pa, ia), (pb, ib) = locate(field, a), locate(field, b)
                for i in np.flatnonzero((ia >= 0) & (ib >= 0)):
                    if _near(at(field, a, pa, ia[i]), at(field, b, pb, ib[i])):
                        bonus[i] += PROXIMITY_BOOST * (pa.scores[ia[i]] + pb.scores[ib[i]])
    return bonus


def _near(first: list[int], second: list[int]) -> bool:
    """True when a position of ``second`` follows one of ``first`` within the slop."""
    after = set(second)
    return any(p + d in after for p in first for d in range(1, PROXIMITY_SLOP + 1))
