"""The proximity bonus: query words that stand together in an article score again.

Every pair of adjacent plain query words (their first analyzed term, per language) is
also an optional sloppy phrase: at most SLOP positions apart, in order, in the title,
lead or body. An article where ``base militaire`` stands together earns that pair's
BM25F scores again (times BOOST), one where the words are scattered does not.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import numpy as np

from searchkit.backend.postings import FastIndex, TermPostings
from searchkit.fields import text_fields
from searchkit.query.terms import terms_of
from searchkit.query.tree import ParsedQuery, Word
from searchkit.search.bm25 import Scorer

# Tuned on the two question sets and the news headlines together (README, Relevance):
# 0.35, tuned on questions alone, cost 0.009 nDCG@10 on headlines (0.7982 against
# 0.8072 without a bonus); at K1 = 1.0, 0.15 gives 0.8130 / 0.9538 / 0.8220 (orangesum_fr
# / xquad_de / piaf_fr), 0.12: 0.8130 / 0.9531, 0.2: 0.8080 / 0.9544. SLOP 1 or a wider
# unordered window (4, 8) did no better on any set.
SLOP = 2
BOOST = 0.15
PARTS = ("title", "lead", "body")


@dataclass(frozen=True)
class Pair:
    """Two adjacent query terms of one language, and where each of the candidates has
    them in each field proximity looks at (-1: not there)."""

    lang: str
    a: str
    b: str
    fields: tuple[tuple[str, TermPostings, np.ndarray, TermPostings, np.ndarray], ...]
    score: np.ndarray  # the bonus of each candidate when the pair stands together


def pairs_of(parsed: ParsedQuery, langs: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(lang, a, b) for each pair of adjacent plain words of the query, a != b."""
    found = []
    for lang in langs:
        words = [w for w in plain_words(parsed) if lang not in w.skip]
        firsts = [terms[0] for w in words if (terms := terms_of(lang, w.text))]
        found += [(lang, a, b) for a, b in itertools.pairwise(firsts) if a != b]
    return found


def plain_words(parsed: ParsedQuery) -> list[Word]:
    """The words of the query's top level that proximity considers, in typing order."""
    return [
        n for n in parsed.root.should if isinstance(n, Word) and n.kind == "word" and not n.parts
    ]


def bonus(
    scorer: Scorer,
    parsed: ParsedQuery,
    langs: tuple[str, ...],
    docs: np.ndarray,
    base: np.ndarray,
    limit: int,
) -> np.ndarray:
    """``base`` (the scores of ``docs``, ascending) plus the proximity bonus, exactly for
    every document that can make the top ``limit``.

    Reading positions is the costly part, so documents are checked best possible score
    first (as if every pair stood together), and checking stops when the next one could
    not reach the ``limit``-th exact score: those left keep ``base``, below the top.
    """
    fast = scorer.fast
    pairs = _pairs(scorer, parsed, langs, docs)
    final = base.copy()
    if not pairs:
        return final
    # Which pairs each candidate has both words of, in one field at least: only those
    # can stand together there, so only those are checked (and the bound adds them up).
    present = np.array(
        [
            np.logical_or.reduce([(ia >= 0) & (ib >= 0) for _, _, ia, _, ib in pair.fields])
            for pair in pairs
        ]
    )
    potential = np.where(present, [pair.score for pair in pairs], 0.0).sum(axis=0)
    # (a margin for rounding: the bound must never fall below the exact sum)
    bound = base + potential * (1 + 1e-9) + 1e-12
    pending = [int(i) for i in np.flatnonzero(potential > 0)]
    pending.sort(key=lambda i: -bound[i])
    done = np.ones(len(docs), dtype=bool)
    done[pending] = False
    # The ``limit`` best exact scores so far, a heap: its least is the score to reach
    # (kept as it goes, where a partition of all the exact scores cost ~15 us a document).
    top = heapq.nlargest(limit, final[done].tolist())
    heapq.heapify(top)
    positions = _Positions(fast)
    for i in pending:
        if len(top) >= limit and bound[i] < top[0]:
            break  # neither this one nor any after it reaches the top ``limit``
        together = [k for k in np.flatnonzero(present[:, i]) if _together(positions, pairs[k], i)]
        final[i] = base[i] + sum(pairs[k].score[i] for k in together)
        (heapq.heappush if len(top) < limit else heapq.heappushpop)(top, float(final[i]))
    return final


def _pairs(
    scorer: Scorer, parsed: ParsedQuery, langs: tuple[str, ...], docs: np.ndarray
) -> list[Pair]:
    fast = scorer.fast
    found = []
    # (a middle word is in two pairs: its postings are looked up once)
    where: dict[tuple[str, str], tuple[TermPostings, np.ndarray]] = {}
    scored: dict[tuple[str, str], np.ndarray] = {}
    for lang, a, b in pairs_of(parsed, langs):
        fields = []
        for field in text_fields(lang, PARTS):
            for term in (a, b):
                if (field, term) not in where:
                    postings = fast.postings(field, term)
                    where[field, term] = postings, postings.find(docs)
            fields.append((field, *where[field, a], *where[field, b]))
        for term in (a, b):
            if (lang, term) not in scored:
                scored[lang, term] = scorer.at(lang, term, docs)
        score = BOOST * (scored[lang, a] + scored[lang, b])
        found.append(Pair(lang, a, b, tuple(fields), score))
    return found


class _Positions:
    """Word positions read for one query: a term of two pairs is read once per document."""

    def __init__(self, fast: FastIndex) -> None:
        self.fast = fast
        self.read: dict[tuple[str, str, int], list[int]] = {}

    def of(self, field: str, term: str, postings: TermPostings, index: int) -> list[int]:
        key = (field, term, index)
        if key not in self.read:
            self.read[key] = self.fast.positions(field, postings, index)
        return self.read[key]


def _together(positions: _Positions, pair: Pair, i: int) -> bool:
    """True when the pair stands together in document ``i`` (the ``i``-th candidate) in
    any of the fields proximity looks at."""
    for field, pa, ia, pb, ib in pair.fields:
        if ia[i] >= 0 and ib[i] >= 0:
            spots = [positions.of(field, pair.a, pa, ia[i]), positions.of(field, pair.b, pb, ib[i])]
            if in_order(spots, SLOP):
                return True
    return False


def in_order(spots: list[list[int]], gap: int) -> bool:
    """True when each word follows the previous one within ``gap`` positions."""
    current = set(spots[0])
    for following in spots[1:]:
        current = {q for q in following if any(0 < q - p <= gap for p in current)}
        if not current:
            return False
    return True


def in_order_many(runs: list[tuple[np.ndarray, np.ndarray]], gap: int) -> np.ndarray:
    """:func:`in_order` for many documents at once: which of them (their ordinals) have
    each word following the previous one within ``gap`` positions. ``runs`` gives, per
    word, each document's number of positions and all of them, flat, documents in the
    same order for every word."""
    current = _keys(*runs[0])
    for counts, positions in runs[1:]:
        following = _keys(counts, positions)
        # the first position of the previous word at most ``gap`` before: is it before?
        at = np.searchsorted(current, following - gap)
        before = np.append(current, np.iinfo(np.int64).max)[at] < following
        current = following[before]
    # (sorted: each document's first; not np.unique, whose first call imports numpy.ma,
    # ~13 ms in the middle of a query)
    ordinals = current >> 32
    return ordinals[np.flatnonzero(np.diff(ordinals, prepend=-1))]


def _keys(counts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Each position as one sorted number: its document's ordinal, then the position
    (positions are below 2**31: no gap reaches into the previous document)."""
    ordinals = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    keys: np.ndarray = (ordinals << 32) | positions
    return keys
