"""The ranking formula: BM25F, one saturation per term over all the fields of a language.

A term's frequency in each field of one language (title, tags, lead, body, caption) is
length-normalised in that field, weighted by the field (:data:`WEIGHTS`), and the
weighted frequencies are added up before ONE BM25 saturation, times ONE idf for the
term in that language (Robertson's BM25F, as in Zaragoza et al. 2004):

    tf~(d)  = sum over fields f of  WEIGHTS[f] * tf_f(d) / (1 - B + B * len_f(d) / avglen_f)
    idf     = log(1 + (N - df + 0.5) / (df + 0.5))
    score   = idf * tf~ * (K1 + 1) / (tf~ + K1)

``df`` counts the documents that have the term in any field of the language and ``N``
every document (deleted ones left out of both). ``avglen_f`` is the average length of
field ``f`` over the documents that have one: a field that most articles lack (the
caption) is not "long" in those that have it.

Why not Whoosh's BM25F (a BM25 per field, each with the field's own idf, added up)? A
term in title AND body was counted twice, each time near saturation, and a title term
shared by a handful of documents got a large idf of its own: on question sets where
passages share their article's title, the title drowned the body (see README,
Relevance). Whoosh's idf, log(N / (df + 1)) + 1, never falls below 1: a word found in
most documents still counted (this model with that idf: nDCG@10 0.813 / 0.952 on the
French / German question sets, against 0.820 / 0.954).
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from searchkit.postings import FastIndex
from searchkit.schema import BOOSTS

# The textbook values: 0.9-1.5 and 0.5-0.9 measured within 0.003 of them on both sets.
K1 = 1.2
B = 0.75
#: What one occurrence in each part is worth, against one in the body.
WEIGHTS = BOOSTS

TermScores = tuple[np.ndarray, np.ndarray]  # (documents, ascending; their scores)

#: Per index: :func:`weights` of each field, and N (under "").
_CACHE: weakref.WeakKeyDictionary[FastIndex, dict[str, np.ndarray]] = weakref.WeakKeyDictionary()
#: Scored documents kept per index (16 bytes each, ~64 MB at most; a 30,000-article
#: index needs ~3 M for 400 varied queries), the least recently used terms
#: dropped first: the scores of the words people search again cost nothing.
CACHED_SCORES = 4_000_000
_SCORES: weakref.WeakKeyDictionary[FastIndex, _Scores] = weakref.WeakKeyDictionary()


def idf(size: int, df: int) -> float:
    """Robertson-Sparck Jones idf, kept positive (as Lucene's): rarer terms weigh more."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


def saturate(tf: np.ndarray) -> np.ndarray:
    """BM25's saturation of a (weighted, normalised) frequency: 1 at tf~ = 1, K1 + 1 at most."""
    return tf * (K1 + 1) / (tf + K1)


def part_of(field: str) -> str:
    """``title`` for ``title_fr``: the part a text field holds."""
    return field.rpartition("_")[0]


def live_count(fast: FastIndex) -> int:
    """N: the documents not deleted (cached per index)."""
    cached = _CACHE.setdefault(fast, {})
    if "" not in cached:
        cached[""] = np.array(np.count_nonzero(fast.live))
    return int(cached[""])


def weights(fast: FastIndex, field: str) -> np.ndarray:
    """What one occurrence in ``field`` weighs in each document: the field's weight over
    its length normalisation, 1 - B + B * len / avglen (cached per index)."""
    cached = _CACHE.setdefault(fast, {})
    if field not in cached:
        lengths = fast.lengths(field)
        cached[field] = WEIGHTS[part_of(field)] / (
            1 - B + B * lengths / average_length(fast, field)
        )
    return cached[field]


def average_length(fast: FastIndex, field: str) -> float:
    """The average length of ``field`` over the live documents that have it."""
    lengths = fast.lengths(field)[fast.live]
    present = lengths[lengths > 0]
    return float(present.mean()) if len(present) else 1.0


class _Scores:
    """One index's least recently used :func:`term_scores`, at most CACHED_SCORES docs."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[tuple[str, ...], str], TermScores] = OrderedDict()
        self.size = 0

    def get(self, fast: FastIndex, fields: tuple[str, ...], term: str) -> TermScores:
        key = (fields, term)
        if key in self.kept:
            self.kept.move_to_end(key)
            return self.kept[key]
        found = self.kept[key] = term_scores(fast, fields, term)
        self.size += len(found[0])
        while self.size > CACHED_SCORES and len(self.kept) > 1:
            _, (dropped, _) = self.kept.popitem(last=False)
            self.size -= len(dropped)
        return found


def cached_term_scores(fast: FastIndex, fields: tuple[str, ...], term: str) -> TermScores:
    """:func:`term_scores`, kept for the index's later queries (the index is one commit)."""
    return _SCORES.setdefault(fast, _Scores()).get(fast, fields, term)


def term_scores(fast: FastIndex, fields: Sequence[str], term: str) -> TermScores:
    """The BM25F score of ``term`` over ``fields`` (all of one language) in each document
    that has it in any of them."""
    docs, weighted = [], []
    for field in fields:
        postings = fast.postings(field, term)
        if len(postings.docs):
            docs.append(postings.docs)
            weighted.append(postings.tf * weights(fast, field)[postings.docs])
    if not docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(docs) == 1:
        found, tf = docs[0], weighted[0]
    else:
        found, where = np.unique(np.concatenate(docs), return_inverse=True)
        tf = np.bincount(where, np.concatenate(weighted), len(found))
    df = int(np.count_nonzero(fast.live[found]))  # (a deleted article stays in postings)
    return found, idf(live_count(fast), df) * saturate(tf)
