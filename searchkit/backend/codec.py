"""Whoosh's W3 codec files read directly, for the fast path (:mod:`searchkit.backend.postings`).

whoosh-reloaded is pinned at 2.7.5: these readers follow its file layouts, and the
tests that compare the fast path with Whoosh's own reader would show any change.
"""

from __future__ import annotations

import io
import itertools
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths, _pointer

from searchkit.backend.positions import decode_many

_MAGIC = WHOOSH3_HEADER_MAGIC
_INT = struct.Struct("!i")
_CODECS = b"c_codecs\nencode\n"
#: A segment's postings: term keys, posting counts, documents, weights, position counts
#: (0 in a field without positions), positions.
SegmentPostings = tuple[list[bytes], list[int], np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class Lexicon:
    """A segment's term index (the W3 codec's ``.trm`` hash file), read into memory once.

    Whoosh looks a term up with several small file reads (hash slots, key, value), most
    of them for terms absent from the field; here the same hash lookup
    (``HashReader.ranges_for_key``) runs over bytes in memory (~7 MB per 15,000
    articles).
    """

    def __init__(self, terms: Any) -> None:
        index = terms._tindex
        self.keycoder, self.hashfn, self.tables = terms._keycoder, index.hashfn, index.tables
        end = max((start + slots * _pointer.size for start, slots in index.tables), default=0)
        self.data = index.dbfile.get(0, end) if end else b""

    def term_info(self, field: str, term: bytes) -> W3TermInfo | None:
        """The term info of ``term`` in ``field``, None when the segment lacks it."""
        key = self.keycoder(field, term)
        keyhash = self.hashfn(key)
        start, slots = self.tables[keyhash & 255]
        data, size = self.data, _pointer.size
        slot = start + ((keyhash >> 8) % slots) * size if slots else 0
        for _ in range(slots):
            slothash, item = _pointer.unpack_from(data, slot)
            if not item:
                return None
            if slothash == keyhash:
                keylen, datalen = _lengths.unpack_from(data, item)
                begin = item + _lengths.size
                if keylen == len(key) and data[begin : begin + keylen] == key:
                    return W3TermInfo.from_bytes(data[begin + keylen : begin + keylen + datalen])
            slot += size
            if slot == start + slots * size:
                slot = start
        return None


def decode_postings(raw: bytes) -> tuple[list[int], list[float], list[tuple[int, int, bytes]]]:
    """One term's postings as the W3 codec writes them: ids, weights, and the blocks.

    Each block: a signed length (negative for the last), a pickled info tuple (count,
    last id, max weight, compression, min/max length), then the pickled (delta-coded ids,
    weights, values) tuple, zlib-compressed when the info says so. The values (encoded
    positions, a pickled bytes object each) cost most of the unpickling and are rarely
    needed: only ids and weights are unpickled here, and each block is returned as
    (index of its first posting, compression, data) for :meth:`TermPostings.value`.
    One read per term and decoding in bulk beat Whoosh's block-by-block matcher.
    """
    ids: list[int] = []
    weights: list[float] = []
    blocks: list[tuple[int, int, bytes]] = []
    for count, compression, data in _blocks(raw):
        blocks.append((len(ids), compression, data))
        block_ids, block_weights = _ids_weights(
            zlib.decompress(data) if compression else data, count
        )
        ids.extend(itertools.accumulate(block_ids))
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
    return ids, weights, blocks


def decode_with_values(raw: bytes) -> tuple[list[int], list[float], list[bytes]]:
    """:func:`decode_postings` with each posting's value (its encoded positions) instead
    of the blocks: every block unpickled whole, for a field that has positions."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for count, compression, data in _blocks(raw):
        block_ids, block_weights, block_values = pickle.loads(
            zlib.decompress(data) if compression else data
        )
        ids.extend(itertools.accumulate(block_ids))
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        values.extend(block_values)
    return ids, weights, values


def _blocks(raw: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(posting count, compression, pickled data) of each block of a W3 posting list."""
    if raw[:4] != _MAGIC:
        raise ValueError("not a W3 posting list")
    stream, position = io.BytesIO(raw), 4
    while True:
        (length,) = _INT.unpack_from(raw, position)
        start, position = position + 4, position + 4 + abs(length)
        stream.seek(start)
        count, _, _, compression, _, _ = pickle.load(stream)
        yield count, compression, raw[stream.tell() : position]
        if length < 0:  # (the last block's length is negative)
            return


def _ids_weights(pickled: bytes, count: int) -> tuple[Any, Any]:
    """The ids and weights of a pickled (ids, weights, values) block, values not unpickled.

    Values are bytes objects, which protocol 2 pickles as ``_codecs.encode(text,
    "latin1")``: the first one starts with that GLOBAL (ids are small-int opcodes and
    weights floats, neither can contain it), after the MARK of a tuple of more than 3.
    Cut there, a None in place of the values and TUPLE3 end an equivalent pickle.
    """
    at = pickled.find(_CODECS)
    if count > 3 and at > 0 and pickled[at - 1 : at] == b"(":
        at -= 1
    elif count > 3 or at < 0:
        block_ids, block_weights, _ = pickle.loads(pickled)
        return block_ids, block_weights
    block_ids, block_weights, _ = pickle.loads(pickled[:at] + b"N\x87.")
    return block_ids, block_weights


def segment_postings(leaf: Any) -> SegmentPostings:
    """Every posting of a segment (a ``SegmentReader``), read from its files in key order:
    what :func:`searchkit.backend.derived.postings_arrays` takes."""
    terms = leaf._terms
    schema = leaf.schema
    positional = {
        number.to_bytes(2, "big")  # (how a key starts: its field's number)
        for name, number in terms._fieldmap.items()
        if name in schema and schema[name].format.supports("positions")
    }
    keys, sizes, has_values = [], [], []
    docs, weights = array("i"), array("d")
    values: list[bytes] = []
    for key, value in sorted(terms._tindex.items()):
        start, length = W3TermInfo.from_bytes(value).extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes forgets the [0]
            (length,) = length
        raw = terms._postfile.get(start, length)
        if key[:2] in positional:
            ids, weight, found = decode_with_values(raw)
            values += found
        else:
            ids, weight, _ = decode_postings(raw)
        keys.append(key)
        sizes.append(len(ids))
        has_values.append(key[:2] in positional)
        docs.extend(ids)
        weights.extend(weight)
    counts, positions = decode_many(values)
    per_posting = np.zeros(len(docs), dtype=np.int64)
    per_posting[np.repeat(np.array(has_values, dtype=bool), sizes)] = counts
    found_docs, found_weights = np.frombuffer(docs, "i"), np.frombuffer(weights, "d")
    return keys, sizes, found_docs, found_weights, per_posting, positions
