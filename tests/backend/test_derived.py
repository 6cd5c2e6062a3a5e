"""The derived postings files (searchkit.backend.derived): the same rankings as reading
Whoosh's files, Whoosh still reads the index, and a missing or stale file is never used
and is rewritten by the next index run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLES
from whoosh import index as whoosh_index

from searchkit.backend import derived
from searchkit.backend.postings import FastIndex
from searchkit.index import store
from searchkit.index.build import build_index
from searchkit.index.schema import INDEX_NAME
from searchkit.search.searcher import open_index

QUERIES = [
    "base militaire",
    "Militärbasis",
    "Kirghizstan élections",
    '"base militaire"',
    "Bichkek OR Bischkek",
    "réfugiés -Kirghizstan",
    "tag:Kirghizstan",
    "élect*",
    "Wahlen~1",
    "Regierung Wasserkraftwerk",
    "le la les",
    # several adjacent words: the proximity bonus reads their positions
    "une seconde base militaire au Kirghizstan",
    "la mer d'Aral continue de s'assécher",
    "Tadschikische Gastarbeiter in Russland",
    '"mer d\'Aral"',
    '"keine zweite Militärbasis"',
]


def _fast_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{derived.SUFFIX}"))


def _ranked(folder: Path, text: str) -> list[tuple[str, float, str]]:
    with open_index(folder) as searcher:
        hits = searcher.search(text, limit=20).hits
        return [(h.id, h.score, h.snippet) for h in hits]


def _whoosh_only(folder: Path, tmp_path: Path) -> Path:
    plain = tmp_path / "plain"
    shutil.copytree(folder, plain)
    for path in _fast_files(plain):
        path.unlink()
    return plain


def _assert_same(fast: Path, plain: Path) -> None:
    for text in QUERIES:
        ours, theirs = _ranked(fast, text), _ranked(plain, text)
        assert [(i, s) for i, _, s in ours] == [(i, s) for i, _, s in theirs], text
        for (_, a, _), (_, b, _) in zip(ours, theirs, strict=True):
            assert a == pytest.approx(b, abs=1e-9), text


def test_written_beside_each_segment(index_dir: Path) -> None:
    ix = store.open_existing(index_dir)
    with ix.reader() as reader:
        segments = [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]
    assert [p.name for p in _fast_files(index_dir)] == sorted(
        f"{s}{derived.SUFFIX}" for s in segments
    )


def test_derived_path_ranks_as_whoosh_files(index_dir: Path, tmp_path: Path) -> None:
    _assert_same(index_dir, _whoosh_only(index_dir, tmp_path))


def test_derived_path_is_the_one_used(index_dir: Path) -> None:
    with open_index(index_dir) as searcher:
        searcher.search("base militaire")
        fast: FastIndex = searcher._commit.fast
        assert fast._derived and all(d is not None for d in fast._derived.values())
        assert not fast._lexicons  # Whoosh's term table never read


def test_segments_and_deletions_rank_as_whoosh_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    half = len(ARTICLES) // 2
    for name, part in (("a", ARTICLES[:half]), ("b", ARTICLES[half:])):
        lines = [json.dumps(a, ensure_ascii=False) for a in part]
        (corpus / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp_path / "index"
    build_index([corpus], folder)
    (corpus / "b.jsonl").write_text(
        json.dumps(ARTICLES[-1], ensure_ascii=False) + "\n", encoding="utf-8"
    )
    build_index([corpus], folder)  # a second segment, and deletions in the first
    assert len(_fast_files(folder)) >= 2
    _assert_same(folder, _whoosh_only(folder, tmp_path))
    mixed = tmp_path / "mixed"  # one segment through its derived file, one through Whoosh's
    shutil.copytree(folder, mixed)
    _fast_files(mixed)[0].unlink()
    _assert_same(mixed, _whoosh_only(folder, tmp_path / "again"))


def test_whoosh_reads_the_index_with_derived_files(index_dir: Path) -> None:
    ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        assert searcher.doc_count() == len(ARTICLES)


def test_positions_are_read_from_the_derived_file(index_dir: Path) -> None:
    """Proximity and phrases read positions as array slices, never Whoosh's blocks."""
    with open_index(index_dir) as searcher:
        searcher.search('"base militaire" une seconde base militaire au Kirghizstan')
        fast: FastIndex = searcher._commit.fast
        postings = fast.postings("title_fr", "militair")
        assert postings.located and not postings.blocks
        # "Russie : une seconde base militaire": russi 0, second 1, base 2 (une: a stop word)
        assert fast.positions("title_fr", postings, 0) == [3]
        assert not postings.blocks and not postings.spots


@pytest.mark.parametrize(
    "damage", ["missing", "empty", "truncated", "other segment", "older version"]
)
def test_stale_file_is_ignored_then_rewritten(index_dir: Path, tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "index"
    shutil.copytree(index_dir, folder)
    files = _fast_files(folder)
    target = files[0]
    if damage == "missing":
        target.unlink()
    elif damage == "empty":
        target.write_bytes(b"")
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[:-100])
    elif damage == "older version":  # the layout before positions: SKFAST1
        target.write_bytes(b"SKFAST1\n" + target.read_bytes()[8:])
    else:  # a file written for another segment, under this segment's name
        other = tmp_path / "other"
        build_index([_one_article_corpus(tmp_path)], other)
        shutil.copy(_fast_files(other)[0], target)
    _assert_same(folder, _whoosh_only(index_dir, tmp_path))
    with open_index(folder) as searcher:
        searcher.search("base militaire")
        assert None in searcher._commit.fast._derived.values()
    build_index([], folder)  # an index run (nothing to add) rewrites it
    assert derived.open_segment(store.open_existing(folder).storage, _leaf(folder)) is not None


def _leaf(folder: Path):  # type: ignore[no-untyped-def]
    reader = store.open_existing(folder).reader()
    return next(leaf for leaf, _ in reader.leaf_readers())


def _one_article_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps(ARTICLES[0], ensure_ascii=False) + "\n", "utf-8")
    return corpus


def test_a_file_that_cannot_be_written_fails_no_index_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The derived files are a cache: a full disk leaves them out, searches read Whoosh's
    files, and the next run writes them."""
    real = derived.write_postings  # (the writer's and write_segment's way to the disk)

    def full_disk(*args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(derived, "write_postings", full_disk)
    monkeypatch.setattr(derived.os, "cpu_count", lambda: 1)  # (no forked child to patch)
    folder = tmp_path / "index"
    report = build_index([_one_article_corpus(tmp_path)], folder)
    assert report.ok and not _fast_files(folder)
    assert not list(folder.glob("*.part"))
    with open_index(folder) as searcher:
        hits = searcher.search(ARTICLES[0]["title"]).hits
        assert [h.id for h in hits][:1] == [ARTICLES[0]["id"]]
    monkeypatch.setattr(derived, "write_postings", real)
    build_index([], folder)
    assert len(_fast_files(folder)) == 1


def test_a_field_no_segment_has_is_not_looked_up(index_dir: Path) -> None:
    """A query's words are looked up in every language's fields; a field without a term
    in any segment (no article in ``xx``) answers at once, no segment file opened."""
    with open_index(index_dir) as searcher:
        fast: FastIndex = searcher._commit.fast
        assert len(fast.postings("body_xx", "base").docs) == 0
        assert not fast._derived and not fast._postings
        assert fast.postings("body_fr", "base").docs.tolist() == [0, 1]
        assert fast._derived
