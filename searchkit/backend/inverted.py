"""A segment's postings inverted in memory, then written in the W3 codec's layout directly.

Whoosh's writer puts every posting in a pool as a 5-tuple (field, term bytes, document,
weight, value), sorts the whole pool at the end (a 2.6-million-tuple sort for 17,000
news articles) and writes it one posting at a time (``W3PostingsWriter.add_posting``, a
field-length lookup per posting). Here each field keeps a dict of its terms, each term
its documents (added in order, so already sorted), frequencies and values; at the end
only the distinct terms are sorted, and each term's blocks are built from its lists at
once. The bytes written are the same as Whoosh's (``tests/backend/test_writer.py``
compares the segment files): the same block layout (up to 128 postings; pickled delta
ids, weights and values, zlib level 3; a pickled info tuple), the same term infos
(``W3TermInfo``'s struct) in the same term table (Whoosh's ``OrderedHashWriter``).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator
from itertools import chain
from operator import sub
from pickle import dumps
from typing import Any, cast

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

from searchkit.backend.positions import encode_positions

#: The W3 codec's defaults (``W3Codec.__init__``), which our indexes use.
BLOCK_LIMIT = 128
COMPRESSION = 3
#: Bytes a posting and a new term cost in memory here (lists of shared small ints and
#: cached position values; a term's dict entry and three lists): what ``limitmb`` is
#: compared with. Rounded up: tracemalloc measured 48 MB for the 894,126 postings of
#: 56,965 terms of 5,000 orangesum articles, these say 58 MB.
POSTING_BYTES = 40
TERM_BYTES = 400
#: What a word of a text field costs: 12 bytes buffered, and the arrays and lists that
#: invert them at the end (measured: the whole worker's peak, per word).
TOKEN_BYTES = 40

# One term's postings: documents (ascending), frequencies or weights, encoded values.
Postings = tuple[list[int], list[Any], list[bytes]]


class FieldPostings:
    """One field's postings in memory: term -> (documents, frequencies or weights, values).

    ``boost`` set: the second list holds frequencies and a posting's weight is the
    frequency times it (our text fields); None: it holds the weights themselves.
    ``lengths``: each document's field length as the length column gives it back
    (rounded to its byte), for scorable fields; the blocks record their min and max.
    """

    def __init__(self, boost: float | None, fixed_size: int | None, scorable: bool) -> None:
        self.boost = boost
        self.fixed_size = fixed_size
        self.lengths: dict[int, int] | None = {} if scorable else None
        self.terms: dict[Any, Postings] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def sorted_terms(self) -> Iterator[tuple[bytes, Postings]]:
        """(term bytes, postings) in the order of the term bytes, as Whoosh writes them."""
        terms = self.terms
        for term in sorted(terms):  # (str order is UTF-8 byte order)
            key = term.encode("utf-8") if isinstance(term, str) else term
            yield key, terms[term]

    def weights(self, values: list[Any]) -> list[float]:
        if self.boost is None:
            return values
        boost = self.boost
        return [freq * boost for freq in values]


class TextPostings(FieldPostings):
    """A text field's words as three arrays (term number, document, position), inverted
    at the end with numpy: per word, adding a document costs a few C-level calls.

    Terms are numbered in the order they first come; at the end the words are sorted
    (stably) by their term's rank, which leaves each term's words in document and
    position order, and each run of one term in one document is a posting.
    """

    def __init__(self, boost: float, scorable: bool) -> None:
        super().__init__(boost, None, scorable)
        self.vocabulary: dict[str, int] = {}
        self.numbers, self.docs, self.positions = array("i"), array("i"), array("i")

    def __len__(self) -> int:
        return len(self.vocabulary)

    def add(self, docnum: int, words: list[tuple[str, ...]]) -> int:
        """Add a document's terms, word by word (``()`` for a stop word); the new terms."""
        kept = list(filter(None, words))
        flat = list(chain.from_iterable(kept))
        vocabulary, size = self.vocabulary, len(self.vocabulary)
        found = list(map(vocabulary.get, flat))
        if None in found:  # new terms: numbered as they come
            found = [
                vocabulary.setdefault(t, len(vocabulary)) if n is None else n
                for t, n in zip(flat, found, strict=True)
            ]
        self.numbers.extend(cast("list[int]", found))
        self.docs.extend(array("i", (docnum,)) * len(flat))
        if len(flat) == len(kept):  # one term a word: a term's position is its index
            self.positions.extend(_count_to(len(flat)))
        else:  # a word's terms share its position
            counts = list(map(len, kept))
            self.positions.frombytes(np.repeat(np.arange(len(kept), dtype="i"), counts).tobytes())
        return len(vocabulary) - size

    def sorted_terms(self) -> Iterator[tuple[bytes, Postings]]:
        count = len(self.numbers)
        if not count:
            return
        terms = list(self.vocabulary)
        order = sorted(range(len(terms)), key=terms.__getitem__)
        rank = np.empty(len(terms), dtype="i")
        rank[order] = np.arange(len(terms), dtype="i")
        ranks = rank[np.frombuffer(self.numbers, dtype="i")]
        sort = np.argsort(ranks, kind="stable")
        ranks = ranks[sort]
        docs = np.frombuffer(self.docs, dtype="i")[sort]
        positions = np.frombuffer(self.positions, dtype="i")[sort]
        del sort
        new = np.empty(count, dtype=bool)
        new[0] = True
        np.not_equal(ranks[1:], ranks[:-1], out=new[1:])
        starts = np.flatnonzero(new | np.concatenate(([True], docs[1:] != docs[:-1])))
        freqs = np.diff(np.append(starts, count))
        owners = ranks[starts]
        firsts = np.flatnonzero(new[starts])
        ends = np.append(firsts[1:], len(starts)).tolist()
        doc_list, freq_list = docs[starts].tolist(), freqs.tolist()
        values = _position_values(positions, starts, freqs)
        for first, end, owner in zip(firsts.tolist(), ends, owners[firsts].tolist(), strict=True):
            postings = (doc_list[first:end], freq_list[first:end], values[first:end])
            yield terms[order[owner]].encode("utf-8"), postings


_COUNT = array("i")


def _count_to(count: int) -> array[int]:
    """``array("i", range(count))``, sliced from one kept array (a copy, in C)."""
    global _COUNT  # (grown, never shrunk: as long as the longest text seen)
    if len(_COUNT) < count:
        _COUNT = array("i", range(max(count, 2 * len(_COUNT))))
    return _COUNT[:count]


def _position_values(positions: np.ndarray, starts: np.ndarray, freqs: np.ndarray) -> list[bytes]:
    """Each posting's positions encoded as ``FastPositions`` does (a one-position value is
    the cached one, the same object each time, as there)."""
    firsts = positions[starts]
    single = [encode_positions([p]) for p in range(int(firsts.max()) + 1)]
    values = list(map(single.__getitem__, firsts.tolist()))
    several = np.flatnonzero(freqs > 1)
    if not len(several):
        return values
    deltas = positions.copy()
    deltas[1:] -= positions[:-1]
    deltas[starts] = firsts
    # Only the words of postings with several positions, as Python ints.
    mask = np.repeat(freqs > 1, freqs)
    flat = deltas[mask].tolist()
    counts = freqs[several].tolist()
    at = 0
    for number, count in zip(several.tolist(), counts, strict=True):
        values[number] = pack_uint(count) + dumps(flat[at : at + count], 2)
        at += count
    return values


class Written:
    """The postings :func:`write_fields` wrote, term by term in key order: what the
    segment's derived file (:func:`searchkit.backend.derived.write_postings`) holds."""

    def __init__(self) -> None:
        self.keys: list[bytes] = []
        self.extents = array("q")  # (start, length) of each term's posting list
        self.counts: list[int] = []
        self.docs = array("i")
        self.weights = array("f")  # (as the blocks keep them)


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
        prefix = pack_ushort(fieldwriter._fieldid)
        add_term = fieldwriter._tindex.add
        offset = postfile.tell()
        chunk: list[bytes] = []
        for key, postings in field.sorted_terms():
            size, info = _posting_list(chunk, field, postings, written.weights)
            add_term(prefix + key, info + pack_long(offset) + pack_int(size))
            written.keys.append(prefix + key)
            written.extents.extend((offset, size))
            written.counts.append(len(postings[0]))
            written.docs.extend(postings[0])
            offset += size
            if len(chunk) > 4096:
                postfile.write(b"".join(chunk))
                chunk.clear()
        postfile.write(b"".join(chunk))
        fieldwriter.finish_field()


def _posting_list(
    out: list[bytes], field: FieldPostings, postings: Postings, weights_out: array[float]
) -> tuple[int, bytes]:
    """Append one term's blocks to ``out`` (and its weights to ``weights_out``): their
    size, and the term's info (without its extent), as ``W3PostingsWriter`` and
    ``W3TermInfo`` make them."""
    docs, values, encoded = postings
    weights = field.weights(values)
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
