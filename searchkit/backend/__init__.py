"""The contract with Whoosh: the only package that touches Whoosh's private parts.

searchkit pins ``whoosh-reloaded==2.7.5`` (a frozen project) and relies on these
internals of that version, each tested against Whoosh's own reading in
``tests/backend/``:

- ``codec``: the W3 codec's on-disk layout of a term's postings (block headers, pickled
  and zlib-compressed ids, weights and values; ``W3TermInfo``; the ``_lengths`` and
  ``_pointer`` tables), read without Whoosh's matcher objects;
- ``postings``: a ``SegmentReader``'s files and its length column, turned into numpy
  arrays per term and field (``FastIndex``);
- ``derived``: each segment's term table, posting lists and positions (read with ``codec``,
  decoded in bulk by ``positions``; or handed over by the writer from memory) copied at
  commit into a memory-mapped file beside the segment, checked against the segment's id,
  document count and file sizes;
- ``positions``: a ``Positions`` format that writes the same bytes, faster, and reads
  millions of them at once;
- ``segment``, ``inverted``, ``w3files``: a ``SegmentWriter`` subclass (its ``pool``,
  ``perdocwriter``, ``fieldwriter``, ``_flush_segment`` and ``_finalize_segment``
  internals) that inverts postings in memory and writes the W3 posting blocks, term
  infos and term table rows itself (``W3FieldWriter``'s ``_postfile``, ``_tindex`` and
  ``_fieldid``; ``OrderedHashWriter``'s ``dbfile``, ``hashfn``, ``buckets``, ``index`` and
  ``lastkey``): the same bytes as Whoosh's writer, compared file by file in the tests;
  then each segment's derived file from the postings in memory;
- ``writers``: an ``MpWriter`` subclass (its ``_new_task``, ``_enqueue`` and ``_commit``
  internals) whose workers use that writer, and that never commits when a worker
  process was lost;
- ``imports``: Whoosh's import graph without urllib.request, asyncio and morph_en.

Everything else in searchkit uses Whoosh's public API only (``whoosh.analysis``,
``whoosh.fields``, ``whoosh.query``, ``whoosh.index``, searchers and readers).
When Whoosh is first imported, :mod:`~searchkit.backend.imports` checks that it is the
pinned release: another could lay out its files differently and be misread, so it is
refused with a WhooshVersionError that says what to install.
"""

from __future__ import annotations

from typing import Any

from searchkit.backend.imports import PINNED_WHOOSH, check_whoosh_version

__all__ = ["PINNED_WHOOSH", "check_whoosh_version", "read_without_mmap"]


def read_without_mmap(ix: Any) -> Any:
    """``ix`` set to read its files plainly, not through memory maps.

    Whoosh copies each memory-mapped file of a segment into a BytesIO when it opens it
    (~170 MB and ~110 ms on 30,000 articles); plain reads cost nothing like that, and the
    fast path reads a term's postings in one go anyway.
    """
    ix.storage.supports_mmap = False
    return ix
