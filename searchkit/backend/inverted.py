"""A segment's postings inverted in memory (written out by :mod:`searchkit.backend.w3files`).

Whoosh's writer puts every posting in a pool as a 5-tuple (field, term bytes, document,
weight, value), sorts the whole pool at the end (a 2.6-million-tuple sort for 17,000
news articles) and writes it one posting at a time (``W3PostingsWriter.add_posting``, a
field-length lookup per posting). Here a text field keeps its words as three int arrays,
inverted with numpy at the end (:class:`TextPostings`); the other fields keep a dict of
their terms, each term its documents (added in order, so already sorted), weights and
values (:class:`FieldPostings`). Only the distinct terms are sorted, and each term's
blocks are built from its lists at once.
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Iterator
from itertools import chain
from pickle import dumps
from typing import Any, cast

import numpy as np
from whoosh.system import pack_uint

from searchkit.backend.positions import encode_positions

#: Bytes a posting and a new term cost in memory here (lists of shared small ints and
#: cached position values; a term's dict entry and three lists): what ``limitmb`` is
#: compared with. Rounded up: tracemalloc measured 48 MB for the 894,126 postings of
#: 56,965 terms of 5,000 orangesum articles, these say 58 MB.
POSTING_BYTES = 40
TERM_BYTES = 400
#: What a word of a text field costs: 12 bytes buffered, and the arrays and lists that
#: invert it at the end. Measured on half of orangesum_fr in one process (3.26 million
#: words, 108,912 terms): 169 MB before the segment is written, 497 MB at its peak.
TOKEN_BYTES = 110

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
        # Once :meth:`sorted_terms` has run: every posting's position count and all the
        # positions, in the order of its postings (what the derived file holds).
        self.sorted_counts = np.zeros(0, dtype="i")
        self.sorted_positions = np.zeros(0, dtype="i")

    def __len__(self) -> int:
        return len(self.vocabulary)

    def add(self, docnum: int, words: list[tuple[str, ...]]) -> int:
        """Add a document's terms, word by word (``()`` for a stop word); the new terms."""
        kept = list(filter(None, words))
        flat = list(chain.from_iterable(kept))
        vocabulary, size = self.vocabulary, len(self.vocabulary)
        found = list(map(vocabulary.get, flat))
        if None in found:  # new terms, numbered as they come (found by list.index, in C)
            with contextlib.suppress(ValueError):
                at = found.index(None)
                while True:
                    found[at] = vocabulary.setdefault(flat[at], len(vocabulary))
                    at = found.index(None, at + 1)
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
        self.sorted_counts, self.sorted_positions = freqs, positions
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
