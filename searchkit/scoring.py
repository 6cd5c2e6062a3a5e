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
from collections.abc import Callable
from typing import Any

from whoosh import query as wq

from searchkit.query import ParsedQuery, Word, terms_of

PROXIMITY_SLOP = 3
PROXIMITY_BOOST = 1.0
PROXIMITY_PARTS = ("title", "lead", "body")

Ranked = list[tuple[int, float]]


def proximity_clauses(parsed: ParsedQuery, langs: tuple[str, ...]) -> list[wq.Query]:
    """Sloppy two-word phrases for each pair of adjacent plain words of the query."""
    words = [n for n in parsed.root.should if isinstance(n, Word) and n.kind == "word"]
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
    allowed: set[int] | None,
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
    results = searcher.search(query, limit=limit, filter=allowed)
    ranked = [(docnum, score) for score, docnum in results.top_n]
    return ranked, len(results), results.docs
