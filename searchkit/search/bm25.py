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
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from searchkit.backend.postings import FastIndex
from searchkit.fields import BOOSTS, TEXT_PARTS, part_of, text_fields

# K1: saturation. 1.2 (the textbook value) gave nDCG@10 0.7982 on the news headlines
# (orangesum_fr dev) against 0.8028 at 0.9; with the smaller proximity bonus (0.15), 1.0
# gives 0.8130 / 0.9538 / 0.8220 on orangesum_fr / xquad_de / piaf_fr, against 0.8127 /
# 0.9533 / 0.8223 at 0.9, 0.8108 / 0.9538 / - at 1.1, 0.8079 / 0.9534 / - at 1.2, 0.8111
# / 0.9546 / 0.8215 at 0.7 (README, Relevance).
K1 = 1.0
# B: 0.6-0.85 measured within 0.002 of 0.75 on the question sets, 0.7-0.85 no better on
# the headlines (0.8071 at 0.7, 0.8115 at 0.8, against 0.8130).
B = 0.75
#: What one occurrence in each part is worth, against one in the body.
WEIGHTS = BOOSTS

TermScores = tuple[np.ndarray, np.ndarray]  # (documents, ascending; their scores)

#: Scored documents kept per commit (16 bytes each, ~64 MB at most; a 30,000-article
#: index needs ~3 M for 400 varied queries), the least recently used terms dropped
#: first: the scores of the words people search again cost nothing.
CACHED_SCORES = 4_000_000


def idf(size: int, df: int) -> float:
    """Robertson-Sparck Jones idf, kept positive (as Lucene's): rarer terms weigh more."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


def saturate(tf: np.ndarray) -> np.ndarray:
    """BM25's saturation of a (weighted, normalised) frequency: 1 at tf~ = 1, K1 + 1 at most."""
    return tf * (K1 + 1) / (tf + K1)


def average_length(fast: FastIndex, field: str) -> float:
    """The average length of ``field`` over the live documents that have it."""
    lengths = fast.lengths(field)[fast.live]
    present = lengths[lengths > 0]
    return float(present.mean()) if len(present) else 1.0


class Scorer:
    """BM25F over one commit's postings (:class:`FastIndex`), with what it derives kept:
    N, each field's length normalisation, and the scores of recently used terms."""

    def __init__(self, fast: FastIndex) -> None:
        self.fast = fast
        self.size = int(np.count_nonzero(fast.live))  # N: deleted documents left out
        self._weights: dict[str, np.ndarray] = {}
        self.kept: OrderedDict[tuple[tuple[str, ...], str], TermScores] = OrderedDict()
        self.kept_docs = 0

    def weights(self, field: str) -> np.ndarray:
        """What one occurrence in ``field`` weighs in each document: the field's weight
        over its length normalisation, 1 - B + B * len / avglen."""
        if field not in self._weights:
            lengths = self.fast.lengths(field)
            norm = 1 - B + B * lengths / average_length(self.fast, field)
            self._weights[field] = WEIGHTS[part_of(field)] / norm
        return self._weights[field]

    def term(self, fields: tuple[str, ...], term: str) -> TermScores:
        """:meth:`term_scores`, kept for later queries (least recently used dropped)."""
        key = (fields, term)
        if key in self.kept:
            self.kept.move_to_end(key)
            return self.kept[key]
        found = self.kept[key] = self.term_scores(fields, term)
        self.kept_docs += len(found[0])
        while self.kept_docs > CACHED_SCORES and len(self.kept) > 1:
            _, (dropped, _) = self.kept.popitem(last=False)
            self.kept_docs -= len(dropped)
        return found

    def term_scores(self, fields: Sequence[str], term: str) -> TermScores:
        """The BM25F score of ``term`` over ``fields`` (all of one language) in each
        document that has it in any of them."""
        fast = self.fast
        docs, weighted = [], []
        for field in fields:
            postings = fast.postings(field, term)
            if len(postings.docs):
                docs.append(postings.docs)
                weighted.append(postings.tf * self.weights(field)[postings.docs])
        if not docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(docs) == 1:
            found, tf = docs[0], weighted[0]
        else:
            found, where = np.unique(np.concatenate(docs), return_inverse=True)
            tf = np.bincount(where, np.concatenate(weighted), len(found))
        df = int(np.count_nonzero(fast.live[found]))  # (a deleted article stays in postings)
        return found, idf(self.size, df) * saturate(tf)

    def at(self, lang: str, term: str, docs: np.ndarray) -> np.ndarray:
        """The BM25F score of ``term`` over all the text fields of ``lang`` in each of
        ``docs`` (ascending), 0 where it is absent."""
        found, scores = self.term(text_fields(lang, TEXT_PARTS), term)
        if not len(found):
            return np.zeros(len(docs))
        where = np.minimum(np.searchsorted(found, docs), len(found) - 1)
        return np.where(found[where] == docs, scores[where], 0.0)
