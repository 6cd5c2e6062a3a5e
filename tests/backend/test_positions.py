"""Many encoded positions decoded at once (the derived files) read as Whoosh reads each."""

from __future__ import annotations

import pickle

from whoosh.formats import Positions
from whoosh.system import pack_uint

from searchkit.backend.positions import decode_many, encode_positions

CASES = [
    [0],
    [7],
    [3, 9],
    [0, 1, 2, 40],
    [300],  # a delta of two bytes (BININT2)
    [5, 70_000],  # a delta of four (BININT)
    list(range(0, 7000, 7)),  # 1,000 items: one batch of APPENDS
    list(range(0, 9000, 3)),  # 3,000 items: APPENDS, MARK, and again
]


def test_decode_many_reads_what_whoosh_reads() -> None:
    values = [encode_positions(case) for case in CASES]
    counts, positions = decode_many(values)
    assert counts.tolist() == [1, 1, 2, 4, 1, 2, 1000, 3000]
    assert positions.tolist() == [p for case in CASES for p in case]
    assert positions.tolist() == [p for v in values for p in Positions().decode_positions(v)]


def test_decode_many_takes_values_without_their_stop_and_in_other_shapes() -> None:
    """Whoosh's decoder adds a missing STOP; a value pickled otherwise (protocol 0) is
    decoded by Whoosh's own code."""
    values = [
        encode_positions([4, 6])[:-1],
        pack_uint(2) + pickle.dumps([1, 2], 0),  # deltas: positions 1 and 3
        encode_positions([12]),
    ]
    counts, positions = decode_many(values)
    assert counts.tolist() == [2, 2, 1]
    assert positions.tolist() == [4, 6, 1, 3, 12]


def test_decode_many_of_nothing() -> None:
    counts, positions = decode_many([])
    assert counts.tolist() == [] and positions.tolist() == []
