"""A lean Whoosh ``SegmentWriter`` for our schema: documents inverted in memory.

Same segment files as Whoosh's writer (``tests/backend/test_writer.py``), built with far
less Python per posting: text fields whose analyzer gives plain term lists
(:meth:`~searchkit.analysis.filters.ChainAnalyzer.term_lists`) are counted straight into
per-term lists (:mod:`searchkit.backend.inverted`), without Token objects, posting
tuples or the sort of the whole pool at the end.

Memory stays bounded by ``limitmb``: past it, the buffered postings are written to a
sorted run in Whoosh's posting pool, and the segment is finished the way Whoosh does
(merging the runs), only slower.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from itertools import repeat
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from searchkit.backend import derived
from searchkit.backend.inverted import (
    POSTING_BYTES,
    TERM_BYTES,
    TOKEN_BYTES,
    FieldPostings,
    TextPostings,
)
from searchkit.backend.positions import FastPositions
from searchkit.backend.w3files import Written, write_fields

_MAX_FILTER_VALUES = 100_000
# A field's analysis for one document: its postings (the terms of each word for our text
# fields, (term bytes, frequency, weight, value) tuples for the others) and its length.
Analyzed = tuple[list[tuple[str, ...]] | list[tuple[bytes, int, float, bytes]], int]


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh is untyped
    """Whoosh's SegmentWriter, made lean for our schema (same segment files).

    What our schema never uses (per-document boosts, spelling fields, term vectors, sort
    columns) is refused rather than handled.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._limit = kwargs.get("limitmb", 128) * 1024 * 1024
        self._fields: dict[str, FieldPostings] = {}
        self._size = 0
        self._written: Written | None = None
        self._filters: dict[tuple[str, str | datetime], list[tuple[bytes, int, float, bytes]]] = {}

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        docnum, schema, perdoc = self.docnum, self.schema, self.perdocwriter
        names = sorted(name for name, value in fields.items() if value is not None)
        self._check_fields(schema, names)
        # Everything that can fail on bad input runs before anything is kept.
        analyzed = [self._analyze(name, schema[name], fields[name]) for name in names]
        perdoc.start_doc(docnum)
        try:
            for name, (_, length) in zip(names, analyzed, strict=True):
                field = schema[name]
                perdoc.add_field(name, field, fields[name] if field.stored else None, length)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, (postings, length) in zip(names, analyzed, strict=True):
            if postings:
                self._keep(name, schema[name], postings, length)
        self.pool.fieldnames.update(names)
        self._added = True
        self.docnum += 1
        if self._size > self._limit:
            self._spill()

    def _analyze(self, name: str, field: Any, value: Any) -> Analyzed:
        """One field of one document analyzed: its postings, its length (0 if unscored)."""
        if field.vector or field.column_type or field.separate_spelling():
            raise TypeError(f"{name}: FastSegmentWriter does not handle this field")
        if not field.indexed:
            return [], 0
        if _is_text(field) and isinstance(value, str):
            words = field.analyzer.term_lists(value, "index")
            length = sum(map(len, words))
            return (words if length else []), length if field.scorable else 0
        # A filter's values repeat (a language, a date: 1,686 of them in orangesum_fr's
        # 33,684 articles; a date is 8 terms): each is analyzed once. Not unique ids.
        key = (name, value) if not field.unique and isinstance(value, str | datetime) else None
        postings = self._filters.get(key) if key else None
        if postings is None:
            postings = list(field.index(value))
            if key:
                if len(self._filters) > _MAX_FILTER_VALUES:
                    self._filters.clear()
                self._filters[key] = postings
        length = sum(freq for _, freq, _, _ in postings)
        return postings, length if field.scorable else 0

    def _keep(self, name: str, field: Any, postings: Any, length: int) -> None:
        """Add one document's postings in one field to that field's buffer."""
        kept = self._fields.get(name)
        if kept is None:
            kept = self._fields[name] = _field_postings(field)
        docnum = self.docnum
        if kept.lengths is not None:
            kept.lengths[docnum] = byte_to_length(length_to_byte(length))
        if isinstance(kept, TextPostings):  # the terms of each word
            words = len(kept.numbers)
            new = kept.add(docnum, postings)
            self._size += TOKEN_BYTES * (len(kept.numbers) - words) + TERM_BYTES * new
            return
        terms = kept.terms
        for tbytes, _, weight, vbytes in postings:
            entry = terms.get(tbytes)
            if entry is None:
                entry = terms[tbytes] = ([], [], [])
                self._size += TERM_BYTES
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes)
        self._size += POSTING_BYTES * len(postings)

    def _spill(self) -> None:
        """Write the buffered postings as one sorted run on disk (Whoosh's posting pool's
        format), streamed: they come out of the fields already in the pool's order (field,
        term bytes, document), so neither a list of every posting nor a sort is built."""
        pool = self.pool
        path, run = pool._new_run()
        pool._write_run(run, self._run_items())
        pool._add_run(path)
        self._fields, self._size = {}, 0

    def _run_items(self) -> Iterator[tuple[str, bytes, int, Any, bytes]]:
        for name in sorted(self._fields):
            kept = self._fields[name]
            for key, (docs, values, encoded) in kept.sorted_terms():
                yield from zip(repeat(name), repeat(key), docs, kept.weights(values), encoded)

    def cancel(self) -> None:
        self._fields = {}
        cancel_quietly(self)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        if self.pool.runs:  # (memory ran out at least once: Whoosh's way, merging runs)
            self._spill()
            reader = self.per_document_reader()
            lengths = _CachedLengths(reader)
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            reader.close()
        else:
            self._written = Written()
            write_fields(self.fieldwriter, self.schema, self._fields, self._written)
        self._fields = {}
        self.fieldwriter.close()

    def _finalize_segment(self) -> Any:
        """Whoosh's, then the segment's derived file from the postings still in memory:
        the commit's :func:`~searchkit.backend.derived.write_missing` finds it written,
        instead of reading back and decoding every posting list (~2 s a worker)."""
        segment = super()._finalize_segment()
        written, self._written = self._written, None
        if written is not None and isinstance(self.storage, FileStorage):  # (not in RAM)
            # A cache: one that cannot be written (disk full) is written after the commit.
            with contextlib.suppress(OSError):
                derived.write_postings(self.storage, segment, written.arrays())
        return segment


def _is_text(field: Any) -> bool:
    """Our text fields: positions from an analyzer that gives plain term lists."""
    return isinstance(field.format, FastPositions) and hasattr(field.analyzer, "term_lists")


def _field_postings(field: Any) -> FieldPostings:
    if _is_text(field):
        return TextPostings(field.format.field_boost, field.scorable)
    return FieldPostings(None, field.format.fixed_value_size(), field.scorable)


class _CachedLengths:
    """``doc_field_length`` from one array per field, loaded once.

    At commit, Whoosh asks the per-document reader for a document's field length once per
    posting (a column read, a seek and a decode each time): a third of indexing time.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            lengths = self._fields[fieldname] = self._load(fieldname)
        return lengths[docnum] if docnum < len(lengths) else default

    def _load(self, fieldname: str) -> list[int]:
        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return []
        return [byte_to_length(b) if b else 0 for b in column]


def cancel_quietly(writer: SegmentWriter) -> None:
    """Close a writer without committing, even when its files cannot be written (disk full).

    ``SegmentWriter.cancel`` flushes the new segment's files first: on a full disk that
    raises again and masks the first error. Here a failed flush is ignored (the files are
    leftovers, removed under the lock by :func:`searchkit.backend.cleanup.remove_leftovers`).
    """
    if writer.is_closed:
        return
    with contextlib.suppress(OSError):
        writer._close_segment()
    with contextlib.suppress(OSError):
        writer._tempstorage.destroy()
    if writer.writelock:
        writer.writelock.release()
    writer.is_closed = True
