"""Ranking: BM25F over the per-language fields, plus a bonus for words that stand together.

Each query word is analyzed once per language; each of its terms scores BM25F over that
language's fields (:mod:`searchkit.search.bm25`: one saturation and one idf per term, fields
weighted title > tags > lead > body > caption), and the scores of a word's terms and of
the query's words add up. Adjacent query words that stand together in an article earn
a bonus (:mod:`searchkit.search.proximity`).

:func:`rank` evaluates a parsed query over one commit's postings arrays
(:class:`~searchkit.search.commit.Commit`); :func:`rank_terms` ranks weighted terms
(similar articles).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from searchkit.fields import text_fields
from searchkit.query.terms import analyze, parts_of, prefix_of, split_of, terms_of
from searchkit.query.tree import Group, Node, ParsedQuery, Phrase, Translated, Word
from searchkit.search import bm25, proximity
from searchkit.search.commit import Commit

Ranked = list[tuple[int, float]]
#: Candidates (best BM25F first) whose proximity is checked exactly.
CANDIDATES = 50
#: What the parts of a German query compound add, times their own scores: they rank up
#: articles that say ``Strecken für Touristen`` for ``Touristenstrecken`` (nDCG@10 on the
#: German question set: 0.949 without, 0.954 with 0.35 to 1). They match only all
#: together (:meth:`Evaluator.word`): ``Militärbasis`` does not find every article that
#: mentions a ``Basis``.
PART_WEIGHT = 0.5

# --- evaluating a query tree: dense score and match arrays -----------------------------

Scored = tuple[np.ndarray, np.ndarray]  # (score of every document, matched or not)
#: A term to score: (its fields, all of one language; the term).
Term = tuple[tuple[str, ...], str]


class Evaluator:
    """Scores a query tree over one commit, for the fields of ``langs``.

    Words sum their terms' BM25F scores; groups combine their clauses (must: all,
    should: any, adding their scores; must_not: none); phrases check word positions
    and score as their words; filters and dates are the commit's document sets and
    score 1.
    """

    def __init__(self, commit: Commit, langs: tuple[str, ...]) -> None:
        self.commit, self.fast, self.langs = commit, commit.fast, langs

    def node(self, node: Node) -> Scored | None:
        """Scores and matches of one node; None when it has nothing to search (stop words)."""
        if isinstance(node, Group):
            return self.group(node)
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Translated):
            return self.translated(node)
        matched = self.commit.mask(node)
        return matched.astype(np.float64), matched

    def group(self, group: Group) -> Scored | None:
        """All ``must`` and any ``should`` clause (their scores added), no ``must_not``,
        within every filter (which adds nothing to the score)."""
        must = [r for r in map(self.node, group.must) if r is not None]
        should = [r for r in map(self.node, group.should) if r is not None]
        must_not = [r for r in map(self.node, group.must_not) if r is not None]
        filters = [r[1] for r in map(self.node, group.filters) if r is not None]
        if not (must or should or must_not or filters):
            return None
        size = self.fast.size
        scores = sum((r[0] for r in must + should), np.zeros(size))
        if must:
            matched = np.logical_and.reduce([r[1] for r in must])
        elif should:
            matched = np.logical_or.reduce([r[1] for r in should])
        else:
            matched = np.ones(size, dtype=bool)
        if must_not:
            matched &= ~np.logical_or.reduce([r[1] for r in must_not])
        if filters:
            matched &= np.logical_and.reduce(filters)
        return scores, matched

    def word(self, word: Word) -> Scored | None:
        """A word's terms; a compound's parts add to the score, and an article that has
        every part of its split matches too (``Kraftwerk am Wasser`` for
        ``Wasserkraftwerk``); one part alone does not make an article match."""
        found = self.sum(self.word_terms(word))
        if found is None or word.kind != "word":
            return found
        parts = []
        for lang in word.searched_in(self.langs):
            fields = text_fields(lang, word.parts)
            parts += [(fields, term) for term in parts_of(lang, word.text)]
        extra = self.sum(parts, [PART_WEIGHT] * len(parts))
        if extra is None:
            return found
        return found[0] + extra[0], found[1] | self._spelled_out(word)

    def _spelled_out(self, word: Word) -> np.ndarray:
        """The articles that have every part of the word's compound split, in the fields
        of one language."""
        matched = np.zeros(self.fast.size, dtype=bool)
        for lang in word.searched_in(self.langs):
            fields = text_fields(lang, word.parts)
            terms = split_of(lang, word.text)
            if terms:
                matched |= np.logical_and.reduce([self._has((fields, t)) for t in terms])
        return matched

    def _has(self, term: Term) -> np.ndarray:
        """Which documents have ``term`` in any of its fields."""
        has = np.zeros(self.fast.size, dtype=bool)
        has[self.scored(term)[0]] = True
        return has

    def word_terms(self, word: Word) -> list[Term]:
        """The terms a word stands for, each with its fields: its analyzed terms in each
        language, or the expansions of a prefix or fuzzy word."""
        found: dict[Term, None] = {}
        for lang in word.searched_in(self.langs):
            fields = text_fields(lang, word.parts)
            if word.kind == "word":
                found.update(((fields, term), None) for term in terms_of(lang, word.text))
                continue
            by_term: dict[str, list[str]] = {}  # (an expansion may be in some fields only)
            for field in fields:
                for term in self._expansions(word, lang, field):
                    by_term.setdefault(term, []).append(field)
            found.update(((tuple(f), term), None) for term, f in by_term.items())
        return list(found)

    def _expansions(self, word: Word, lang: str, field: str) -> list[str]:
        if word.kind == "prefix":
            return self.fast.expand(field, prefix_of(word.text))
        terms = terms_of(lang, word.text)
        return [t for term in terms for t in self.fast.within(field, term, word.dist)]

    def scored(self, term: Term) -> bm25.TermScores:
        """The BM25F scores of one term over its fields (kept for later queries too)."""
        return self.commit.scorer.term(*term)

    def sum(self, terms: list[Term], weights: list[float] | None = None) -> Scored | None:
        """The summed scores (times ``weights``) of terms; None when there are no terms."""
        if not terms:
            return None
        found = [self.scored(term) for term in terms]
        factors = weights or [1.0] * len(found)
        docs = np.concatenate([d for d, _ in found])
        scores = np.concatenate([s * w for (_, s), w in zip(found, factors, strict=True)])
        size = self.fast.size
        return np.bincount(docs, scores, size), np.bincount(docs, minlength=size) > 0

    def translated(self, node: Translated) -> Scored | None:
        """Articles with every word of one sense, in the fields of the node's language:
        scored as their best sense's words, times that sense's weight."""
        if node.lang not in self.langs:
            return None
        fields = text_fields(node.lang)
        best, matched = np.zeros(self.fast.size), np.zeros(self.fast.size, dtype=bool)
        for sense, weight in zip(node.senses, node.weights, strict=True):
            terms = terms_of(node.lang, sense)
            if not terms:
                continue
            found = [self.scored((fields, term)) for term in terms]
            docs = found[0][0]
            for other, _ in found[1:]:
                docs = np.intersect1d(docs, other, assume_unique=True)
            if not len(docs):
                continue
            score = sum(scores[np.searchsorted(found_docs, docs)] for found_docs, scores in found)
            # A sense of more words than were typed (``mer d'Aral`` for ``Aralsee``)
            # stands for those words: its score is not counted once per word.
            share = min(1.0, len(node.source.split()) / len(terms))
            best[docs] = np.maximum(best[docs], weight * share * score)
            matched[docs] = True
        return best, matched

    def phrase(self, phrase: Phrase) -> Scored | None:
        """Documents with the phrase's words in order (in one field), scored as the sum
        of their words' BM25F scores over the phrase's fields."""
        scores, matched = np.zeros(self.fast.size), np.zeros(self.fast.size, dtype=bool)
        searched = False
        for lang in self.langs:
            by_pos = dict(reversed(analyze(lang, phrase.text)))  # first term at each position
            words = [by_pos[p] for p in sorted(by_pos)]
            if not words:
                continue
            searched = True
            gap = max((b - a for a, b in itertools.pairwise(sorted(by_pos))), default=1)
            fields = text_fields(lang, phrase.parts)
            found = np.zeros(self.fast.size, dtype=bool)
            for field in fields:
                self._phrase_in(field, words, gap, found)
            # Only the documents with the phrase score (most often none in a language),
            # each adding its words' scores in order: the sums of the dense arrays.
            hits = np.flatnonzero(found)
            for word in words if len(hits) else ():
                docs, word_scores = self.scored((fields, word))
                if not len(docs):  # (cannot be: each word of the phrase is there)
                    continue
                at = np.minimum(np.searchsorted(docs, hits), len(docs) - 1)
                scores[hits] += np.where(docs[at] == hits, word_scores[at], 0.0)
            matched |= found
        return (scores, matched) if searched else None

    def _phrase_in(self, field: str, words: list[str], gap: int, matched: np.ndarray) -> None:
        found = [self.fast.postings(field, word) for word in words]
        common = found[0].docs
        for postings in found[1:]:
            if not len(common):
                break
            common = np.intersect1d(common, postings.docs, assume_unique=True)
        if len(found) == 1 or not len(common):
            matched[common] = True
            return
        runs = [self.fast.positions_of(field, p, p.find(common)) for p in found]
        matched[common[proximity.in_order_many(runs, gap)]] = True


def rank(
    commit: Commit,
    parsed: ParsedQuery,
    langs: tuple[str, ...],
    allowed: Node | None,
    limit: int,
    newest: np.ndarray | None = None,
) -> tuple[Ranked, int, Callable[[], np.ndarray]]:
    """The top ``limit`` (docnum, score) pairs, the total count, a way to get all matches.

    Every document is scored at once; the best CANDIDATES (at least 5 times ``limit``)
    then get their exact proximity bonus. ``allowed`` (filters) restricts the
    documents; None allows all. With ``newest`` (each document's date, NaN for none:
    :meth:`Commit.dates`) the order is by date, newest first, then by score (without the
    proximity bonus); documents without a date come last.
    """
    fast = commit.fast
    evaluator = Evaluator(commit, langs)
    result = evaluator.node(parsed.root)
    if result is None and (allowed is None or parsed.words):
        # (typed words that search nothing, stop words: no hits, even with filters)
        return [], 0, lambda: np.zeros(0, dtype=np.int64)
    scores, keep = result or (np.zeros(fast.size), np.ones(fast.size, dtype=bool))
    keep = keep & fast.live
    if allowed is not None:
        keep &= commit.mask(allowed)
    matched = np.flatnonzero(keep)
    if newest is not None:  # NaN sorts last, so undated articles end the list
        order = np.lexsort((matched, -scores[matched], -newest[matched]))[:limit]
        return [(int(d), float(scores[d])) for d in matched[order]], len(matched), lambda: matched
    candidates = _best(matched, scores, max(CANDIDATES, 5 * limit))
    final = proximity.bonus(commit.scorer, parsed, langs, candidates, scores[candidates], limit)
    order = np.lexsort((candidates, -final))[:limit]
    ranked = [(int(candidates[i]), float(final[i])) for i in order]
    return ranked, len(matched), lambda: matched


def rank_terms(
    commit: Commit, terms: list[tuple[tuple[str, ...], str, float]], exclude: int, limit: int
) -> tuple[Ranked, int]:
    """The top ``limit`` documents for weighted (fields, term, weight) triples, without
    document ``exclude``; and how many documents have any of the terms."""
    fast = commit.fast
    result = Evaluator(commit, ()).sum([(f, t) for f, t, _ in terms], [w for _, _, w in terms])
    if result is None:
        return [], 0
    scores, keep = result
    keep = keep & fast.live
    keep[exclude] = False
    matched = np.flatnonzero(keep)
    best = _best(matched, scores, limit)
    order = np.lexsort((best, -scores[best]))
    return [(int(best[i]), float(scores[best[i]])) for i in order], len(matched)


def translated_senses(
    commit: Commit, parsed: ParsedQuery, docnum: int, lang: str
) -> tuple[str, ...]:
    """The translations and spellings (senses of the query's Translated nodes) that
    article ``docnum``, of field suffix ``lang``, has every word of."""
    fields = text_fields(lang)
    found: dict[str, None] = {}
    for node in _translated(parsed.root):
        if node.lang != lang:
            continue
        for sense in node.senses:
            terms = terms_of(lang, sense)
            if terms and all(_has_doc(commit.scorer.term(fields, t)[0], docnum) for t in terms):
                found[sense] = None
    return tuple(found)


def _translated(node: Node) -> list[Translated]:
    if isinstance(node, Translated):
        return [node]
    if isinstance(node, Group):
        return [t for child in (*node.must, *node.should) for t in _translated(child)]
    return []


def _has_doc(docs: np.ndarray, docnum: int) -> bool:
    where = int(np.searchsorted(docs, docnum))
    return where < len(docs) and int(docs[where]) == docnum


def _best(docs: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` best-scored of ``docs`` (all when fewer), in docnum order."""
    if len(docs) <= count:
        return docs
    return np.sort(docs[np.argpartition(-scores[docs], count - 1)[:count]])
