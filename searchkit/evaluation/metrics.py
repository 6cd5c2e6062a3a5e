"""Relevance metrics of one ranked list of ids against graded judgments.

The definitions follow trec_eval (nDCG with the judged grade as gain, a document is
relevant when its grade is >= 1), so our figures compare with published ones. They are
tested against values computed by hand rather than through a metrics library, which keeps
the package's dependencies at four. Pure functions: no index, no files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

METRICS = ("ndcg@10", "mrr@10", "recall@100", "map")
LABELS = {"ndcg@10": "nDCG@10", "mrr@10": "MRR@10", "recall@100": "Recall@100", "map": "MAP"}
Judgments = Mapping[str, int]


def ndcg(ranking: Sequence[str], judged: Judgments, k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first ``k`` ids (gain = the grade)."""
    dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranking: Sequence[str], judged: Judgments, k: int = 10) -> float:
    """1 / the rank of the first relevant id within the first ``k``, else 0."""
    for i, doc in enumerate(ranking[:k]):
        if judged.get(doc, 0) >= 1:
            return 1.0 / (i + 1)
    return 0.0


def recall(ranking: Sequence[str], judged: Judgments, k: int = 100) -> float:
    """The share of the relevant documents found within the first ``k`` ids."""
    relevant = {d for d, g in judged.items() if g >= 1}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


def average_precision(ranking: Sequence[str], judged: Judgments) -> float:
    """Mean of the precision at each relevant id's rank, over all relevant documents."""
    relevant = sum(1 for g in judged.values() if g >= 1)
    found, total = 0, 0.0
    for i, doc in enumerate(ranking):
        if judged.get(doc, 0) >= 1:
            found += 1
            total += found / (i + 1)
    return total / relevant if relevant else 0.0


def score_ranking(ranking: Sequence[str], judged: Judgments) -> dict[str, float]:
    """All four metrics of one ranked list of ids."""
    return {
        "ndcg@10": ndcg(ranking, judged, 10),
        "mrr@10": reciprocal_rank(ranking, judged, 10),
        "recall@100": recall(ranking, judged, 100),
        "map": average_precision(ranking, judged),
    }
