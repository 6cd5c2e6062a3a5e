"""The fast writer path writes exactly what Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import SegmentWriter

from searchkit.articles import find_files, load_file
from searchkit.backend import derived
from searchkit.backend.positions import FastPositions, encode_positions
from searchkit.backend.writers import FastSegmentWriter
from searchkit.index.documents import to_document
from searchkit.index.schema import build_schema
from searchkit.normalize import parse_date

ROOT = Path(__file__).resolve().parents[2]


def corpus_documents() -> list[dict]:
    sources, _ = find_files([ROOT / "corpus"])
    docs = []
    for source in sources:
        result = load_file(source)
        for article in result.articles:
            lang = article.lang or ("de" if article.id.startswith("de") else "fr")
            article = article.__class__(**{**article.__dict__, "lang": lang})
            docs.append(to_document(article, source.key, result.sha))
    return docs


def index_with(writer_class: type, docs: list[dict], **options: int) -> dict:
    """Everything a reader can see: terms, postings, field lengths, stored fields."""
    ix = RamStorage().create_index(build_schema())
    writer = writer_class(ix, **options)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    seen: dict = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            postings = reader.postings(fieldname, text)
            seen[fieldname, text] = [
                (p[0], round(p[1], 6), postings.value()) for p in _items(postings)
            ]
        for docnum in range(reader.doc_count_all()):
            for name in reader.indexed_field_names():
                seen["len", docnum, name] = reader.doc_field_length(docnum, name)
            seen["stored", docnum] = reader.stored_fields(docnum)
    return seen


def _items(matcher):  # type: ignore[no-untyped-def]
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


def test_fast_writer_writes_what_whoosh_writes() -> None:
    docs = corpus_documents()
    assert len(docs) == 47
    fast, stock = index_with(FastSegmentWriter, docs), index_with(SegmentWriter, docs)
    assert fast.keys() == stock.keys()
    assert fast == stock


def segment_files(writer_class: type, docs: list[dict], **options: int) -> dict[str, bytes]:
    """The files of the one segment written (not compound), named without the segment id."""
    storage = RamStorage()
    writer = writer_class(storage.create_index(build_schema()), compound=False, **options)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    segment = writer.get_segment().segment_id()
    return {
        name.replace(segment, "<segment>"): bytes(storage.files[name])
        for name in storage.files
        if segment in name
    }


def test_fast_writer_writes_the_same_bytes() -> None:
    fast = segment_files(FastSegmentWriter, corpus_documents())
    stock = segment_files(SegmentWriter, corpus_documents())
    # (postings, terms, stored fields, and one length column per text field in use)
    assert [name for name in sorted(fast) if "_len" not in name] == [
        "<segment>._stored.col",
        "<segment>.pst",
        "<segment>.trm",
    ]
    assert len(fast) == 13
    assert fast == stock


def test_fast_writer_out_of_memory_spills_and_writes_the_same() -> None:
    """With no memory to buffer in (limitmb=0), postings go to sorted runs on disk after
    every article, and the segment is finished by merging them, as Whoosh does."""
    docs = corpus_documents()
    assert index_with(FastSegmentWriter, docs, limitmb=0) == index_with(SegmentWriter, docs)


@pytest.mark.parametrize("positions", [[0], [7], [3, 9], [0, 1, 2, 40], list(range(0, 3000, 7))])
def test_positions_encode_like_whoosh(positions: list[int]) -> None:
    from whoosh.formats import Positions

    assert encode_positions(positions) == Positions().encode(positions)
    assert FastPositions().decode_positions(encode_positions(positions)) == positions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-02-12", "2019-02-12 00:00:00"),
        ("2022-07-04T09:30:00+06:00", "2022-07-04 03:30:00"),
        ("2022-07-04T09:30:00Z", "2022-07-04 09:30:00"),
        ("12/02/2019", "None"),
        ("", "None"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert str(parse_date(text)) == expected


def test_fast_writer_writes_the_derived_file_that_decoding_writes(tmp_path: Path) -> None:
    """The derived file written from the postings in memory, at the end of the segment,
    is the one :func:`derived.write_segment` writes by decoding the segment's files."""
    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = FastSegmentWriter(ix)
    for doc in corpus_documents():
        writer.add_document(**doc)
    writer.commit()
    with ix.reader() as reader:
        (leaf, _), *others = reader.leaf_readers()
        assert others == []
        path = derived.path_of(tmp_path, leaf.segment().segment_id())
        from_memory = path.read_bytes()
        path.unlink()
        derived.write_segment(ix.storage, leaf)
        assert path.read_bytes() == from_memory
        assert derived.open_segment(ix.storage, leaf) is not None
