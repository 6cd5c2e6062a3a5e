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
  decoded in bulk by ``positions``) copied at commit into a memory-mapped file beside the
  segment, checked against the segment's id, document count and file sizes;
- ``positions``: a ``Positions`` format that writes the same bytes, faster, and reads
  millions of them at once;
- ``writers``: ``SegmentWriter`` and ``MpWriter`` subclasses (their ``pool``,
  ``perdocwriter``, ``_flush_segment``, ``_new_task`` and ``_commit`` internals) that batch
  postings, and never commit when a worker process was lost;
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
