"""A derived, memory-mapped copy of each segment's postings: a fresh process reads as fast
as a warm one.

Whoosh stores a term's postings as pickled, zlib-compressed blocks behind an on-disk hash
table; the first query of a process reads the whole term table (~9 MB a segment of
17,000 articles) and unpickles every block it needs, ~60% of a first query's time. After
each commit, :func:`write_missing` writes beside every segment a file
``<INDEX_NAME>_<segment id>.fast`` that holds the same postings as flat arrays:

- the segment's term keys (Whoosh's own: field number, then the term's bytes), sorted,
  one blob and their end offsets, and each key's first 8 bytes as a number: a key is
  found by ``numpy.searchsorted`` over those, then a binary search among the few left;
- per term, where its postings start in the arrays;
- every posting's document number (``int32``, within the segment) and weight (the
  ``float64`` Whoosh stores: the frequency times the field's boost);
- every posting's word positions, flat (``int32``), and where each posting's start:
  proximity and phrases read them as array slices, where Whoosh's blocks cost a zlib
  and an unpickling of 128 postings for one (~40% of a first query's time before).
  Decoding them all at commit costs ~2 s of CPU a segment of 17,000 articles.

Arrays are memory-mapped (``numpy.frombuffer`` over ``mmap``): opening costs nothing and
a query touches only its terms' pages. The Whoosh index stays complete and is read by
Whoosh as always; these files are a cache of it. Each file records its segment's id,
document count and the size of the segment's files: a file that does not match (or is
missing, or cut short) is ignored, :class:`~searchkit.backend.postings.FastIndex` reads
the segment through Whoosh's files instead, and the next index run rewrites it. The name
follows Whoosh's segment file pattern, so Whoosh deletes the file with its segment (after
a merge or a rebuild).
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import json
import mmap
import os
import signal
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import SegmentReader

from searchkit.backend.codec import segment_postings

SUFFIX = ".fast"
_MAGIC = b"SKFAST2\n"  # 2: positions added (a file of 1 is stale)
_HEADER = struct.Struct("<Q")  # the JSON header's length, after the magic
_ALIGN = 8
_PR_SET_PDEATHSIG = 1


def segment_files_size(storage: Any, segment_id: str) -> int:
    """The bytes of a segment's own Whoosh files (ours left out): what a file checks."""
    prefix = f"{segment_id}."
    return sum(
        storage.file_length(name)
        for name in storage.list()
        if name.startswith(prefix) and not name.endswith((SUFFIX, f"{SUFFIX}.part"))
    )


def _fingerprint(storage: Any, segment: Any) -> dict[str, Any]:
    segment_id = segment.segment_id()
    return {
        "segment": segment_id,
        "docs": segment.doc_count_all(),
        "bytes": segment_files_size(storage, segment_id),
    }


def path_of(folder: Path, segment_id: str) -> Path:
    """Where the derived file of segment ``segment_id`` lives."""
    return folder / f"{segment_id}{SUFFIX}"


class DerivedSegment:
    """One segment's derived file, memory-mapped: its terms' postings as array views."""

    def __init__(self, buffer: mmap.mmap, header: dict[str, Any], start: int) -> None:
        self._buffer = buffer

        def array(name: str) -> np.ndarray:
            offset, dtype, count = header["arrays"][name]
            return np.frombuffer(buffer, dtype=dtype, count=count, offset=start + offset)

        self.keys = array("keys")
        self.key_ends = array("key_ends")
        self.prefixes = array("prefixes")
        self.starts = array("starts")
        self.position_starts = array("position_starts")
        self.positions = array("positions")
        self.docs = array("docs")
        self.weights = array("weights")
        self._blob = buffer
        self._blob_start = start + header["arrays"]["keys"][0]
        self._count = len(self.key_ends)

    def _key(self, number: int) -> bytes:
        begin = int(self.key_ends[number - 1]) if number else 0
        base = self._blob_start
        return self._blob[base + begin : base + int(self.key_ends[number])]

    def find(self, key: bytes) -> int | None:
        """The number of the term whose key is ``key``, None when the segment lacks it.

        The keys' first 8 bytes, as big-endian numbers, narrow the search to the keys
        that share them (``numpy.searchsorted``, in C; most often none or one); the key
        is bisected among those (ids share their first bytes by the thousand)."""
        prefix = _prefix(key)
        low = int(self.prefixes.searchsorted(prefix, "left"))
        if low == self._count or self.prefixes[low] != prefix:
            return None
        high = int(self.prefixes.searchsorted(prefix, "right"))
        number = bisect.bisect_left(range(low, high), key, key=self._key) + low
        if number < high and self._key(number) == key:
            return number
        return None

    def postings(self, number: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term ``number``'s documents (within the segment), weights, and where each
        posting's positions start in :attr:`positions` (one more: where the last ends)."""
        begin, end = int(self.starts[number]), int(self.starts[number + 1])
        return self.docs[begin:end], self.weights[begin:end], self.position_starts[begin : end + 1]


def open_segment(storage: Any, leaf: SegmentReader) -> DerivedSegment | None:
    """The derived file of ``leaf``'s segment in the index ``storage`` (a FileStorage),
    None when it is missing or does not match the segment."""
    path = path_of(Path(storage.folder), leaf.segment().segment_id())
    try:
        with open(path, "rb") as stream:
            buffer = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, or empty (mmap refuses 0 bytes)
        return None
    try:
        header, start = _read_header(buffer)
        if header.get("fingerprint") != _fingerprint(storage, leaf.segment()):
            return None
        end = max((o + np.dtype(d).itemsize * n for o, d, n in header["arrays"].values()))
        if start + end > len(buffer):
            return None  # cut short
        return DerivedSegment(buffer, header, start)
    except (ValueError, KeyError, TypeError, struct.error):
        return None


def _read_header(buffer: mmap.mmap) -> tuple[dict[str, Any], int]:
    if buffer[: len(_MAGIC)] != _MAGIC:
        raise ValueError("not a derived postings file")
    (size,) = _HEADER.unpack_from(buffer, len(_MAGIC))
    begin = len(_MAGIC) + _HEADER.size
    header = json.loads(buffer[begin : begin + size])
    if not isinstance(header, dict):
        raise ValueError("bad header")
    return header, _aligned(begin + size)


def _prefix(key: bytes) -> np.uint64:
    """A key's first 8 bytes (zeros after a shorter one) as a number that sorts as they do.

    A numpy uint64, not a Python int: searchsorted would compare a Python int with the
    array as objects, 50 times slower."""
    return np.uint64(int.from_bytes(key[:8].ljust(8, b"\0"), "big"))


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def postings_arrays(
    keys: list[bytes],
    counts: Sequence[int],
    docs: np.ndarray,
    weights: np.ndarray,
    position_counts: np.ndarray,
    positions: np.ndarray,
) -> dict[str, np.ndarray]:
    """The arrays of a derived file, from its terms' postings: their keys (sorted), their
    posting counts, all their documents and weights one after the other, each posting's
    number of positions (0 in a field without) and all the positions one after the other.
    :func:`~searchkit.backend.codec.segment_postings` reads them from the segment's
    files; the writer
    (``backend.segment``) has them in memory."""
    return {
        "keys": np.frombuffer(b"".join(keys), dtype=np.uint8),
        "key_ends": np.cumsum([len(key) for key in keys], dtype=np.int64),
        "prefixes": np.array([_prefix(k) for k in keys], dtype=np.uint64),
        "starts": np.concatenate(([0], np.cumsum(counts, dtype=np.int64))),
        "docs": docs.astype(np.int32),
        "weights": weights.astype(np.float64),
        "position_starts": _narrow(np.concatenate(([0], np.cumsum(position_counts)))),
        "positions": positions.astype(np.int32),
    }


def _narrow(values: np.ndarray) -> np.ndarray:
    """``values`` (not negative) as int32 when they fit: half the pages to read."""
    return values.astype(np.int32) if not len(values) or values[-1] < 2**31 else values


def write_segment(storage: Any, leaf: SegmentReader) -> Path:
    """Write the derived file of ``leaf``'s segment, read from its Whoosh files."""
    return write_postings(storage, leaf.segment(), postings_arrays(*segment_postings(leaf)))


def write_postings(storage: Any, segment: Any, arrays: dict[str, np.ndarray]) -> Path:
    """Write the derived file of ``segment`` (:func:`postings_arrays`) into the index
    ``storage``: aside, fsynced, then renamed into place (a reader sees no file or a
    whole one)."""
    layout, offset = {}, 0
    for name, values in arrays.items():
        layout[name] = (offset, values.dtype.str, len(values))
        offset = _aligned(offset + values.nbytes)
    header = json.dumps({"fingerprint": _fingerprint(storage, segment), "arrays": layout}).encode()
    path = path_of(Path(storage.folder), segment.segment_id())
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "wb") as out:
            out.write(_MAGIC + _HEADER.pack(len(header)) + header)
            out.write(b"\0" * (_aligned(out.tell()) - out.tell()))
            base = out.tell()
            for name, values in arrays.items():
                out.write(b"\0" * (base + layout[name][0] - out.tell()))
                out.write(values.tobytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    return path


def write_missing(ix: Any) -> list[Path]:
    """Write the derived file of every segment of ``ix`` whose file is missing or stale;
    the paths written. Called after each commit, under the index's write lock.

    Segments are written side by side, one process per core (forked: each reads its
    segment and writes its own file); a segment whose child failed is written here. The
    files are a cache: one that cannot be written (a full disk) is left out, its segment
    is read through Whoosh's files, and the next index run tries again.
    """
    if not hasattr(ix.storage, "folder"):  # (an index in RAM: nothing to derive on disk)
        return []
    with ix.reader() as reader:
        todo = [
            leaf
            for leaf, _ in reader.leaf_readers()
            if isinstance(leaf, SegmentReader) and open_segment(ix.storage, leaf) is None
        ]
        procs = max(1, min(os.cpu_count() or 1, len(todo)))
        shares = [todo[n::procs] for n in range(procs)]
        children = [_fork_writing(ix.storage, share) for share in shares[1:] if share]
        for leaf in shares[0] if shares else ():
            with contextlib.suppress(OSError):
                write_segment(ix.storage, leaf)
        for child in children:
            os.waitpid(child, 0)
        written = []
        for leaf in todo:  # (a child that failed: its segments written here)
            if open_segment(ix.storage, leaf) is None:
                with contextlib.suppress(OSError):
                    write_segment(ix.storage, leaf)
            if open_segment(ix.storage, leaf) is not None:
                written.append(path_of(Path(ix.storage.folder), leaf.segment().segment_id()))
        return written


def _fork_writing(storage: Any, leaves: list[SegmentReader]) -> int:
    """A child process that writes the derived files of ``leaves``; its pid."""
    parent = os.getpid()
    child = os.fork()
    if child:
        return child
    code = 1
    try:
        with contextlib.suppress(OSError, AttributeError):  # die with the parent (Linux)
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # (the parent died before that took effect)
            return child
        for leaf in leaves:
            write_segment(storage, leaf)
        code = 0
    finally:
        os._exit(code)  # (never back into the parent's code: no atexit, no finalizers)
