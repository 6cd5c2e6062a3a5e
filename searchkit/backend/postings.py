"""The fast path's reading of an index: each term's postings as numpy arrays.

:class:`FastIndex` reads one commit: global document numbers (segment offsets added),
deleted documents masked out, a term's postings (documents and term frequencies) decoded
in one go from the W3 codec's posting file (:mod:`searchkit.backend.codec`), field lengths as
arrays, prefix and fuzzy expansions. :mod:`searchkit.search.bm25` scores them,
:mod:`searchkit.search.scoring` ranks.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import pickle
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from searchkit.backend.codec import Lexicon, decode_postings
from searchkit.backend.derived import DerivedSegment, open_segment

#: Postings kept in memory (~30 bytes each: id, frequency, encoded positions), oldest terms
#: dropped first: 5 million is ~150 MB at most, the bulk of a 30,000-article index.
CACHED_POSTINGS = 5_000_000
#: Filter masks and prefix/fuzzy expansions kept, at most.
CACHED_SETS = 1000
#: Terms a prefix or fuzzy word stands for, per field, at most (the most frequent kept).
MAX_EXPANSIONS = 128
#: A posting block: (index of its first posting, compression, pickled data).
Block = tuple[int, int, bytes]
#: A derived segment's positions: (index of its first posting, starts, positions).
Located = tuple[int, np.ndarray, np.ndarray]
#: Where a segment's positions come from: Whoosh's blocks, or a derived file's arrays.
Source = Callable[[], list[Block]] | tuple[np.ndarray, np.ndarray]
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class TermPostings:
    """One term of one field: its documents (ascending), frequencies and encoded positions.

    ``tf`` is how often the term occurs in each document's field (the index stores it
    times the field's boost; that boost is divided out here: the ranking weighs fields
    itself, see :mod:`searchkit.search.bm25`).

    Positions are read only when asked for (proximity and phrases look at a few
    documents): from a derived file's arrays (``located``), else from Whoosh's blocks:
    ``blocks`` keeps each posting block's first index and its still pickled (maybe
    compressed) data; a block is decoded the first time one of its postings is.
    """

    docs: np.ndarray
    tf: np.ndarray
    blocks: tuple[Block, ...] = ()
    decoded: dict[int, list[bytes]] = dataclasses.field(default_factory=dict, compare=False)
    #: Each segment read through Whoosh's files: (index of its first posting, a function
    #: giving its blocks), called on the first position asked for.
    pending: tuple[tuple[int, Callable[[], list[Block]]], ...] = ()
    #: Decoded word positions by posting index, kept with the postings (and dropped with
    #: them): proximity and phrases ask for the same documents' positions query after query.
    spots: dict[int, list[int]] = dataclasses.field(default_factory=dict, compare=False)
    #: The segments read from derived files: (index of the segment's first posting, where
    #: each of its postings' positions start in the segment's positions, those positions).
    located: tuple[Located, ...] = ()

    def located_positions(self, index: int) -> list[int] | None:
        """The positions of posting ``index`` when its segment has a derived file."""
        for first, starts, positions in self.located:
            if 0 <= (at := index - first) < len(starts) - 1:
                return list(positions[starts[at] : starts[at + 1]].tolist())
        return None

    def value(self, index: int) -> bytes:
        """The encoded positions of posting ``index``."""
        if self.pending and not self.blocks:  # (set once: the dataclass is frozen)
            found = [
                (first + start, compression, data)
                for first, blocks in self.pending
                for start, compression, data in blocks()
            ]
            object.__setattr__(self, "blocks", tuple(found))
        block = bisect.bisect_right(self.blocks, index, key=lambda b: b[0]) - 1
        values = self.decoded.get(block)
        if values is None:
            _, compression, data = self.blocks[block]
            values = self.decoded[block] = list(
                pickle.loads(zlib.decompress(data) if compression else data)[2]
            )
        return values[index - self.blocks[block][0]]

    def find(self, docs: np.ndarray) -> np.ndarray:
        """Index of each of ``docs`` (ascending) in this term's postings, -1 when absent."""
        if not len(self.docs):
            return np.full(len(docs), -1)
        at = np.minimum(np.searchsorted(self.docs, docs), len(self.docs) - 1)
        return np.where(self.docs[at] == docs, at, -1)


EMPTY = TermPostings(np.zeros(0, dtype=np.int64), np.zeros(0))


class FastIndex:
    """What the fast path reads from one commit of the index, cached: make one per commit.

    Global document numbers (segment offsets added), deleted documents masked out.
    Postings and field lengths are read a block at a time through Whoosh's codec
    internals (whoosh-reloaded is pinned at 2.7.5): the tests that compare what it reads
    with what Whoosh's own searcher reads would show any change there.
    """

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.size: int = searcher.doc_count_all()
        # (an empty index has an EmptyReader, with nothing to read)
        self.leaves = [
            (leaf, offset)
            for leaf, offset in searcher.reader().leaf_readers()
            if isinstance(leaf, SegmentReader)
        ]
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                self.live[[offset + d for d in leaf.deleted_docs_set]] = False
        self._postings: OrderedDict[tuple[str, str], TermPostings] = OrderedDict()
        self._cached = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._masks: dict[frozenset[int], np.ndarray] = {}
        self._expansions: dict[tuple[str, str, str], list[str]] = {}
        self._lexicons: dict[int, Lexicon] = {}
        # Each segment's derived file (None: read it through Whoosh's files), on first use.
        self._derived: dict[int, DerivedSegment | None] = {}
        self._storage = getattr(getattr(searcher, "_ix", None), "storage", None)
        self._positional: dict[str, bool] = {}
        self._fields: dict[str, bool] = {}

    def mask(self, allowed: frozenset[int]) -> np.ndarray:
        """``allowed`` as a boolean array over document numbers (cached)."""
        if allowed not in self._masks:
            if len(self._masks) > CACHED_SETS:
                self._masks.clear()
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
            self._masks[allowed] = mask
        return self._masks[allowed]

    def postings(self, field: str, term: str) -> TermPostings:
        """The postings of ``term`` in ``field`` with their frequencies (cached, LRU)."""
        if not self._indexed(field):
            return EMPTY
        key = (field, term)
        if key in self._postings:
            self._postings.move_to_end(key)
            return self._postings[key]
        found = self._read(field, term)
        self._postings[key] = found
        self._cached += len(found.docs)
        while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
            _, dropped = self._postings.popitem(last=False)
            self._cached -= len(dropped.docs)
        return found

    def _indexed(self, field: str) -> bool:
        """Whether any segment has a term in ``field``: a query looks its words up in every
        language's fields, which an archive may not use (orangesum: 2 text fields of 15)."""
        if field not in self._fields:
            self._fields[field] = any(field in leaf._terms._fieldmap for leaf, _ in self.leaves)
        return self._fields[field]

    def _derived_of(self, number: int, leaf: SegmentReader) -> DerivedSegment | None:
        if number not in self._derived:
            usable = self._storage is not None and hasattr(self._storage, "folder")
            self._derived[number] = open_segment(self._storage, leaf) if usable else None
        return self._derived[number]

    def _read(self, field: str, term: str) -> TermPostings:
        ids, weights = [], []
        pending: list[tuple[int, Callable[[], list[Block]]]] = []
        located: list[Located] = []
        count = 0
        if field not in self._positional:
            self._positional[field] = self.searcher.schema[field].format.supports("positions")
        positions = self._positional[field]
        for number, (leaf, offset) in enumerate(self.leaves):
            found = self._leaf_postings(number, leaf, field, term)
            if found is None:
                continue
            leaf_ids, leaf_weights, source = found
            if positions and isinstance(source, tuple):
                located.append((count, *source))
            elif positions and not isinstance(source, tuple):
                pending.append((count, source))
            ids.append(leaf_ids.astype(np.int64) + offset)
            weights.append(leaf_weights)
            count += len(leaf_ids)
        if not ids:
            return EMPTY
        docs, weight = np.concatenate(ids), np.concatenate(weights)
        boost = self.searcher.schema[field].format.field_boost or 1.0
        return TermPostings(docs, weight / boost, pending=tuple(pending), located=tuple(located))

    def _leaf_postings(
        self, number: int, leaf: SegmentReader, field: str, term: str
    ) -> tuple[np.ndarray, np.ndarray, Source] | None:
        """One segment's postings of a term: ids within the segment, weights, and where
        their positions are; None when the segment lacks the term."""
        termbytes = leaf.schema[field].to_bytes(term)
        derived = self._derived_of(number, leaf)
        if derived is not None:
            found = derived.find(leaf._terms._keycoder(field, termbytes))
            if found is None:
                return None
            leaf_ids, leaf_weights, starts = derived.postings(found)
            return leaf_ids, leaf_weights, (starts, derived.positions)
        if number not in self._lexicons:
            self._lexicons[number] = Lexicon(leaf._terms)
        info = self._lexicons[number].term_info(field, termbytes)
        if info is None:
            return None
        # Every term's postings are in the posting file: Whoosh 2.7.5 inlines none in
        # the term info (fewer than inlinelimit=1 postings; a higher limit fails to
        # write), see tests/backend/test_whoosh_contract.py.
        start, length = info.extent()
        postfile = leaf._terms._postfile
        if isinstance(length, tuple):  # W3TermInfo.from_bytes forgets the [0]
            (length,) = length
        block_ids, block_weights, blocks = decode_postings(postfile.get(start, length))
        ids = np.array(block_ids, dtype=np.int64)
        return ids, np.array(block_weights, dtype=np.float64), blocks.copy

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in ``field``, as Whoosh's one-byte encoding rounds it."""
        if field not in self._lengths:
            codes = np.zeros(self.size, dtype=np.uint8)
            for leaf, offset in self.leaves:
                column = leaf._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                if column is not None:  # (a shorter column: the last documents lack the field)
                    raw = column._dbfile.get(column._basepos, column._count)
                    codes[offset : offset + column._count] = np.frombuffer(raw, dtype=np.uint8)
            self._lengths[field] = _LENGTHS[codes]
        return self._lengths[field]

    def expand(self, field: str, prefix: str) -> list[str]:
        """The terms of ``field`` that start with ``prefix`` (the most frequent, cached)."""
        key = ("prefix", field, prefix)
        if key not in self._expansions:
            reader = self.searcher.reader()
            found = [_text(t) for t in reader.expand_prefix(field, prefix)] if prefix else []
            self._expansions[key] = self._most_frequent(field, found)
        return self._expansions[key]

    def within(self, field: str, term: str, dist: int) -> list[str]:
        """The terms of ``field`` at most ``dist`` edits from ``term`` (cached)."""
        key = ("fuzzy", field, f"{dist}{term}")
        if key not in self._expansions:
            reader = self.searcher.reader()
            found = [_text(t) for t in reader.terms_within(field, term, dist, prefix=1)]
            self._expansions[key] = self._most_frequent(field, found)
        return self._expansions[key]

    def _most_frequent(self, field: str, terms: list[str]) -> list[str]:
        if len(self._expansions) > CACHED_SETS:
            self._expansions.clear()
        if len(terms) <= MAX_EXPANSIONS:
            return terms
        frequency = self.searcher.doc_frequency
        return sorted(terms, key=lambda t: -frequency(field, t))[:MAX_EXPANSIONS]

    def positions_of(
        self, field: str, postings: TermPostings, indices: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """How many positions each of postings ``indices`` (ascending) has, and all of
        them, flat: array slices when their segments have derived files."""
        if postings.located and len(indices):
            counts, flat = zip(
                *(_gather(where, indices) for where in postings.located), strict=True
            )
            count, found = np.concatenate(counts), np.concatenate(flat)
            if len(count) == len(indices):  # (else some are in a segment read by Whoosh)
                return count, found
        lists = [self.positions(field, postings, int(i)) for i in indices]
        count = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        return count, np.fromiter(itertools.chain.from_iterable(lists), np.int64, int(count.sum()))

    def positions(self, field: str, postings: TermPostings, index: int) -> list[int]:
        """The word positions of posting ``index`` of a term of ``field`` (do not change
        the list: it is kept for the next query)."""
        found = postings.located_positions(index) if postings.located else None
        if found is not None:  # (an array slice: nothing worth keeping)
            return found
        found = postings.spots.get(index)
        if found is None:
            decode = self.searcher.schema[field].format.decode_positions
            found = postings.spots[index] = decode(postings.value(index))
        return found


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _gather(where: Located, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The position counts and flat positions of those of ``indices`` (ascending) that
    are in the derived segment ``where``."""
    first, starts, positions = where
    low, high = np.searchsorted(indices, [first, first + len(starts) - 1])
    local = indices[low:high] - first
    begin, end = starts[local].astype(np.int64), starts[local + 1].astype(np.int64)
    counts = end - begin
    # each posting's run of positions, laid end to end: index of the run's start + offset
    shift = np.repeat(begin - (np.cumsum(counts) - counts), counts)
    return counts, positions[shift + np.arange(len(shift))].astype(np.int64)
