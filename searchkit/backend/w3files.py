"""Posting lists written in the W3 codec's layout, from lists held in memory.

The bytes are those ``W3PostingsWriter`` and ``W3TermInfo`` write (``tests/backend/
test_writer.py`` compares the segment files with Whoosh's): each term's postings in
blocks of up to 128 (pickled delta ids, weights and values, zlib level 3, behind a
pickled info tuple), its term info in the term table (Whoosh's ``OrderedHashWriter``,
whose rows are added here in bulk).
"""

from __future__ import annotations

import zlib
from array import array
from operator import sub
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from searchkit.backend import derived
from searchkit.backend.inverted import FieldPostings, Postings, TextPostings
from searchkit.backend.positions import decode_many

#: The W3 codec's defaults (``W3Codec.__init__``), which our indexes use.
BLOCK_LIMIT = 128
COMPRESSION = 3


class Written:
    """The postings :func:`write_fields` wrote, term by term in key order: what the
    segment's derived file (:func:`searchkit.backend.derived.postings_arrays`) holds."""

    def __init__(self) -> None:
        self.keys: list[bytes] = []
        self.counts: list[int] = []
        self.docs = array("i")
        self.weights = array("f")  # (as the blocks keep them)
        self.position_counts = array("q")  # (0 a posting of a field without positions)
        self.positions: list[np.ndarray] = []

    def add_positions(self, field: FieldPostings, positional: bool, values: list[bytes]) -> None:
        """The position counts and positions of a field whose terms were just written
        (``values``: their encoded values, when ``field`` did not keep its positions)."""
        size = len(self.docs) - len(self.position_counts)  # (the field's postings)
        if not positional:
            self.position_counts.frombytes(bytes(8 * size))
        elif isinstance(field, TextPostings):
            self.position_counts.frombytes(field.sorted_counts.astype(np.int64).tobytes())
            self.positions.append(field.sorted_positions)
        else:
            counts, found = decode_many(values)
            self.position_counts.frombytes(np.asarray(counts, dtype=np.int64).tobytes())
            self.positions.append(found)

    def arrays(self) -> dict[str, np.ndarray]:
        """The derived file's arrays."""
        positions = np.concatenate(self.positions) if self.positions else np.zeros(0, "i")
        return derived.postings_arrays(
            self.keys,
            self.counts,
            np.frombuffer(self.docs, dtype="i"),
            np.frombuffer(self.weights, dtype="f"),
            np.frombuffer(self.position_counts, dtype="q"),
            positions,
        )


def write_fields(
    fieldwriter: Any, schema: Any, fields: dict[str, FieldPostings], written: Written
) -> None:
    """Write every field's terms through Whoosh's ``W3FieldWriter`` (its files, its term
    table and field numbering), with the posting lists built here; note them in
    ``written``."""
    postfile = fieldwriter._postfile
    for name in sorted(fields):
        field = fields[name]
        if not field:  # (no terms)
            continue
        fieldwriter.start_field(name, schema[name])
        positional = schema[name].format.supports("positions")
        values: list[bytes] = []  # (for a field that did not keep its positions)
        prefix = pack_ushort(fieldwriter._fieldid)
        offset = postfile.tell()
        chunk: list[bytes] = []
        rows: list[tuple[bytes, bytes]] = []
        for key, postings in field.sorted_terms():
            size, info = _posting_list(chunk, field, postings, written.weights)
            rows.append((prefix + key, info + pack_long(offset) + pack_int(size)))
            written.keys.append(prefix + key)
            written.counts.append(len(postings[0]))
            written.docs.extend(postings[0])
            if positional and not isinstance(field, TextPostings):
                values += postings[2]
            offset += size
            if len(chunk) > 4096:
                postfile.write(b"".join(chunk))
                chunk.clear()
        postfile.write(b"".join(chunk))
        _add_terms(fieldwriter._tindex, rows)
        fieldwriter.finish_field()
        written.add_positions(field, positional, values)


def _add_terms(table: Any, rows: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` for each (key, value) row, keys ascending: the same bytes,
    with one write and one ``tell()`` (a system call) for all, not two a term."""
    if not rows:
        return
    if rows[0][0] <= table.lastkey:
        raise ValueError(f"Keys must increase: {table.lastkey!r}..{rows[0][0]!r}")
    dbfile, hashfn, buckets, index = table.dbfile, table.hashfn, table.buckets, table.index
    position = dbfile.tell()
    out: list[bytes] = []
    for key, value in rows:
        index.append(position)
        out += (_lengths.pack(len(key), len(value)), key, value)
        keyhash = hashfn(key)
        buckets[keyhash & 255].append((keyhash, position))
        position += _lengths.size + len(key) + len(value)
    dbfile.write(b"".join(out))
    table.lastkey = rows[-1][0]


def _posting_list(
    out: list[bytes], field: FieldPostings, postings: Postings, weights_out: array[float]
) -> tuple[int, bytes]:
    """Append one term's blocks to ``out`` (and its weights to ``weights_out``): their
    size, and the term's info (without its extent), as ``W3PostingsWriter`` and
    ``W3TermInfo`` make them."""
    docs, values, encoded = postings
    weights = field.weights(values)
    if len(docs) == 1:  # (most terms of a segment: the same bytes, less work)
        return _one_posting(out, field, docs[0], weights[0], encoded[0], weights_out)
    lengths = field.lengths
    size = len(WHOOSH3_HEADER_MAGIC)
    out.append(WHOOSH3_HEADER_MAGIC)
    total = 0.0
    minlength: int | None = None
    maxlength = 0
    maxweight: float = 0
    count = len(docs)
    for start in range(0, count, BLOCK_LIMIT):
        end = start + BLOCK_LIMIT
        ids = docs[start:end]
        block_weights = weights[start:end]
        floats = array("f", block_weights)  # (Whoosh keeps a block's weights as float32)
        total += sum(floats)
        weights_out.extend(floats)
        block_max = max(0, *block_weights)
        maxweight = max(maxweight, block_max)
        if lengths is None:
            low, high = None, 0
        else:
            known = list(map(lengths.__getitem__, ids))
            low, high = min(known), max(known)
            minlength = low if minlength is None else min(minlength, low)
            maxlength = max(maxlength, high)
        data = (
            _delta_ids(ids),
            _mini_weights(floats),
            _mini_values(field.fixed_size, encoded[start:end]),
        )
        compressed = zlib.compress(dumps(data, 2), COMPRESSION)
        info = dumps(
            (len(ids), ids[-1], block_max, COMPRESSION, length_to_byte(low), length_to_byte(high)),
            2,
        )
        length = len(info) + len(compressed)
        out.append(pack_int(-length if end >= count else length))
        out.append(info)
        out.append(compressed)
        size += 4 + length
    term_info = W3TermInfo._struct.pack(
        False,
        total,
        count,
        0 if minlength is None else length_to_byte(minlength),
        length_to_byte(maxlength),
        maxweight,
        docs[0],
        docs[-1],
    )
    return size, term_info


def _one_posting(
    out: list[bytes],
    field: FieldPostings,
    doc: int,
    weight: float,
    value: bytes,
    weights_out: array[float],
) -> tuple[int, bytes]:
    """:func:`_posting_list` for a term in one document: one block of one posting."""
    floats = array("f", (weight,))
    weights_out.extend(floats)
    stored = floats[0]
    if field.lengths is None:
        length, low = 0, None
    else:
        length = low = field.lengths[doc]
    data = ((doc,), None if stored == 1.0 else stored, _mini_values(field.fixed_size, [value]))
    compressed = zlib.compress(dumps(data, 2), COMPRESSION)
    block_max = max(0, weight)
    info = dumps((1, doc, block_max, COMPRESSION, length_to_byte(low), length_to_byte(length)), 2)
    out += (WHOOSH3_HEADER_MAGIC, pack_int(-len(info) - len(compressed)), info, compressed)
    term_info = W3TermInfo._struct.pack(
        False, stored, 1, length_to_byte(low), length_to_byte(length), block_max, doc, doc
    )
    return len(WHOOSH3_HEADER_MAGIC) + 4 + len(info) + len(compressed), term_info


def _delta_ids(ids: list[int]) -> tuple[int, ...]:
    if len(ids) == 1:
        return (ids[0],)
    return (ids[0], *map(sub, ids[1:], ids))


def _mini_weights(weights: array[float]) -> Any:
    """``W3PostingsWriter._mini_weights``: None when all are 1, one number when all equal."""
    count = len(weights)
    if weights.count(1.0) == count:
        return None
    if weights.count(weights[0]) == count:
        return weights[0]
    return tuple(weights)


def _mini_values(fixed_size: int | None, values: list[bytes]) -> Any:
    """``W3PostingsWriter._mini_values``; like ``add_posting``, empty values are left out."""
    if fixed_size is not None and fixed_size == 0:
        return None
    kept = values if all(values) else [v for v in values if v]
    if fixed_size is None or fixed_size < 0:
        return tuple(kept)
    return b"".join(kept)
