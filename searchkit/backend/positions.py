"""The posting format of our text fields: Whoosh's ``Positions``, fed faster.

The bytes written are exactly those of ``whoosh.formats.Positions`` (a reader cannot tell
the difference); only the way they are produced changes. Whoosh builds them from one Token
object per word; our analyzers can hand over each word's terms as plain tuples
(``term_lists``), and most positions lists are one position long, whose encoding is
cached. This is the class pickled with the schema, so it lives here under a stable name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.formats import Positions
from whoosh.system import pack_uint

_ONE_POSITION: dict[int, bytes] = {}


def encode_positions(poslist: list[int]) -> bytes:
    """``Positions.encode``, with the one-position case cached."""
    if len(poslist) == 1:
        pos = poslist[0]
        value = _ONE_POSITION.get(pos)
        if value is None:
            value = _ONE_POSITION[pos] = pack_uint(1) + dumps([pos], 2)
        return value
    deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
    header: bytes = pack_uint(len(deltas))
    return header + dumps(deltas, 2)


class FastPositions(Positions):  # type: ignore[misc]  # Whoosh is untyped
    """Positions postings built from an analyzer's ``term_lists`` when it has one."""

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        term_lists = getattr(analyzer, "term_lists", None)
        if term_lists is None or kwargs.get("mode", "index") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: defaultdict[str, list[int]] = defaultdict(list)
        pos = 0
        for terms in term_lists(value, "index"):
            if terms:
                for term in terms:
                    poses[term].append(pos)
                pos += 1
        boost = self.field_boost
        for term, poslist in poses.items():
            yield term, len(poslist), len(poslist) * boost, encode_positions(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)


# --- reading many encoded values at once (the derived files, at commit) ----------------

#: What every value starts with: the count (4 bytes, big-endian), then pickle protocol 2
#: of a list (PROTO 2, EMPTY_LIST, BINPUT 0); its items follow.
_LIST_START = b"\x80\x02]q\x00"
_HEAD = 4 + len(_LIST_START)
_MARK, _APPEND, _APPENDS = ord("("), ord("a"), ord("e")
#: The pickle opcodes of an int item and the bytes of their argument (little-endian;
#: BININT is signed, but deltas never are negative).
_ARG_BYTES = {ord("K"): 1, ord("M"): 2, ord("J"): 4}


def decode_many(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """How many positions each encoded value holds, and all of them, flat (int64).

    What ``Positions.decode_positions`` gives value by value, for millions of values at
    once: the pickles' opcodes are read by numpy, one opcode of every value per step
    (~0.5 s for the 2.4 million values of a 17,000-article segment, against ~2 s through
    ``pickle.loads``). A value in any other shape is decoded by Whoosh's own code.
    """
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    blob = np.frombuffer(b"".join(values) + b"\0" * _HEAD, dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    counts = np.zeros(len(values), dtype=np.int64)
    for k in range(4):  # (one byte of every value at a time: no index array per byte)
        counts = (counts << 8) | blob[starts + k]
    regular = lengths > _HEAD
    for k, byte in enumerate(_LIST_START, 4):
        regular &= blob[starts + k] == byte
    odd = np.flatnonzero(~regular).tolist()
    counts[odd] = [len(_slow(values[i])) for i in odd]
    offsets = np.cumsum(counts) - counts
    deltas = np.zeros(int(counts.sum()), dtype=np.int64)
    ends = _walk(blob, starts[regular] + _HEAD, offsets[regular].copy(), deltas)
    if not np.array_equal(ends, offsets[regular] + counts[regular]):
        raise ValueError("positions whose count disagrees with their list")
    for i in odd:  # (none in an index Whoosh or searchkit wrote)
        decoded = np.array(_slow(values[i]), dtype=np.int64)
        deltas[offsets[i] : offsets[i] + counts[i]] = np.diff(decoded, prepend=0)
    total = np.cumsum(deltas)
    before = np.repeat(total[offsets] - deltas[offsets], counts) if len(deltas) else deltas
    return counts, total - before


def _slow(value: bytes) -> list[int]:
    decoded: list[int] = Positions().decode_positions(value)
    return decoded


def _walk(blob: np.ndarray, cursor: np.ndarray, out: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """Read each value's items from ``cursor`` (its first opcode after the list's start)
    into ``deltas`` from ``out`` on, until the value's APPEND or last APPENDS; where
    each value's items ended in ``deltas``."""
    ended = np.zeros(len(cursor), dtype=np.int64)
    which = np.arange(len(cursor))
    while len(cursor):
        op = blob[cursor]
        step = np.ones(len(cursor), dtype=np.int64)  # MARK, APPEND, APPENDS: one byte
        for code, size in _ARG_BYTES.items():
            item = np.flatnonzero(op == code)
            if len(item):
                at = cursor[item] + 1
                value = sum(blob[at + k].astype(np.int64) << (8 * k) for k in range(size))
                deltas[out[item]] = value
                out[item] += 1
                step[item] = 1 + size
        end = (op == _APPEND) | (op == _APPENDS)
        # (APPENDS then MARK: a list of more than 1,000 items goes on in another batch)
        end &= blob[cursor + 1] != _MARK
        ended[which[end]] = out[end]
        keep = ~end
        cursor, out, which = cursor[keep] + step[keep], out[keep], which[keep]
    return ended
