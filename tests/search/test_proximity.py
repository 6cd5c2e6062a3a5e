"""Words in order within a gap, one document at a time and many at once."""

from __future__ import annotations

import numpy as np
import pytest

from searchkit.search.proximity import in_order, in_order_many

# (positions of each word in one document, gap, in order?)
CASES = [
    ([[3], [4]], 1, True),
    ([[4], [3]], 1, False),  # the wrong order
    ([[3], [3]], 1, False),  # the same position is not "after"
    ([[3], [5]], 1, False),
    ([[3], [5]], 2, True),
    ([[0, 10], [11], [12]], 1, True),
    ([[0, 10], [1], [12]], 1, False),  # the second word follows, the third not it
    ([[0, 6], [1, 7], [8]], 1, True),  # the chain at its second place of each word
    ([[7], [8, 30], [31]], 1, False),  # word 3 follows word 2's place that follows nothing
]


@pytest.mark.parametrize(("spots", "gap", "expected"), CASES)
def test_in_order(spots: list[list[int]], gap: int, expected: bool) -> None:
    assert in_order(spots, gap) is expected


def test_in_order_many_is_in_order_document_by_document() -> None:
    """Every case with 3 words as one document each (2 words: a third that follows
    the second at once, at the gap), and a document's positions never reach into the
    next one's."""
    docs = [
        spots if len(spots) == 3 else [*spots, [max(spots[1]) + gap]] for spots, gap, _ in CASES
    ]
    gaps = {gap for _, gap, _ in CASES}
    for gap in gaps:
        runs = [
            (np.array([len(d[w]) for d in docs]), np.array([p for d in docs for p in d[w]]))
            for w in range(3)
        ]
        expected = [i for i, d in enumerate(docs) if in_order(d, gap)]
        assert in_order_many(runs, gap).tolist() == expected


def test_in_order_many_literal() -> None:
    runs = [
        (np.array([1, 2, 1]), np.array([3, 0, 9, 5])),  # doc 0: 3; doc 1: 0, 9; doc 2: 5
        (np.array([1, 1, 1]), np.array([4, 10, 0])),  # doc 2's word 2 comes first
    ]
    assert in_order_many(runs, 1).tolist() == [0, 1]
