"""build_index: incremental runs, failures reported per file, rebuild, versions, locks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import searchkit
from searchkit.errors import CorpusError, IndexLockedError, IndexNotFoundError, IndexVersionError
from searchkit.index import store
from searchkit.index.schema import INDEX_NAME

FR_BODY = (
    "La Russie envisage une seconde base militaire dans le sud du Kirghizstan, "
    "près de la frontière tadjike, selon des sources diplomatiques à Bichkek."
)
DE_BODY = (
    "Russland erwägt eine zweite Militärbasis im Süden Kirgistans, nahe der Grenze zu "
    "Tadschikistan, berichten Diplomaten in Bischkek."
)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def record(i: int, lang: str = "fr", **extra: object) -> dict:
    body = FR_BODY if lang == "fr" else DE_BODY
    return {"id": f"a{i}", "lang": lang, "title": f"Article {i}", "body": body, **extra}


def ids(index_dir: Path) -> list[str]:
    with searchkit.open_index(index_dir) as searcher:
        return sorted(h.id for h in searcher.search("Bichkek OR Bischkek", limit=100).hits)


def test_first_run_adds_everything(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1), record(2, "de")])
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (2, 0, 0, 0)
    assert report.failed == ()
    assert report.languages == {"fr": 1, "de": 1}
    assert ids(tmp_path / "ix") == ["a1", "a2"]


def test_rerun_without_changes_touches_nothing(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1), record(2)])
    searchkit.build_index([feed.parent], tmp_path / "ix")
    before = store.last_update(tmp_path / "ix")
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 2)
    assert store.last_update(tmp_path / "ix") == before


def test_changed_file_is_reindexed_by_content_not_mtime(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1), record(2)])
    other = write_jsonl(tmp_path / "feed" / "b.jsonl", [record(3)])
    searchkit.build_index([feed.parent], tmp_path / "ix")
    write_jsonl(feed, [record(1, title="Nouveau titre"), record(4)])
    os.utime(other, (0, 0))  # a touched but unchanged file is not re-read
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
    assert ids(tmp_path / "ix") == ["a1", "a3", "a4"]


def test_vanished_file_is_removed_but_other_paths_stay(tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "one" / "a.jsonl", [record(1)])
    two = write_jsonl(tmp_path / "two" / "b.jsonl", [record(2)])
    searchkit.build_index([one.parent], tmp_path / "ix")
    searchkit.build_index([two.parent], tmp_path / "ix")  # a new feed adds to the index
    assert ids(tmp_path / "ix") == ["a1", "a2"]
    one.unlink()
    report = searchkit.build_index([one.parent], tmp_path / "ix")
    assert (report.removed, report.unchanged) == (1, 1)
    assert ids(tmp_path / "ix") == ["a2"]


def test_removed_file_that_comes_back_is_indexed_again(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1)])
    write_jsonl(tmp_path / "feed" / "b.jsonl", [record(2)])
    searchkit.build_index([feed.parent], tmp_path / "ix")
    content = feed.read_bytes()
    feed.unlink()
    searchkit.build_index([feed.parent], tmp_path / "ix")
    feed.write_bytes(content)
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert report.added == 1
    assert ids(tmp_path / "ix") == ["a1", "a2"]


def test_bad_lines_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    feed = tmp_path / "feed" / "a.jsonl"
    feed.parent.mkdir()
    lines = [json.dumps(record(1)), "{not json", json.dumps({"id": "x"}), json.dumps(record(2))]
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert report.added == 2
    assert [(p.line, p.path) for p in report.failed] == [(2, str(feed)), (3, str(feed))]
    assert ids(tmp_path / "ix") == ["a1", "a2"]


def test_same_id_in_two_files_first_wins(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1, title="Premier")])
    second = write_jsonl(tmp_path / "feed" / "b.jsonl", [record(1, title="Second")])
    report = searchkit.build_index([tmp_path / "feed"], tmp_path / "ix")
    assert report.added == 1
    assert len(report.failed) == 1
    assert report.failed[0].path == str(second)
    assert "duplicate id 'a1'" in report.failed[0].reason
    with searchkit.open_index(tmp_path / "ix") as searcher:
        assert [h.title for h in searcher.search("Bichkek").hits] == ["Premier"]


def test_unreadable_changed_file_keeps_its_last_good_articles(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1)])
    searchkit.build_index([feed.parent], tmp_path / "ix")
    feed.write_bytes(b"\x00\x01\x02 binary garbage \x00")
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert len(report.failed) == 1
    assert ids(tmp_path / "ix") == ["a1"]


def test_language_is_detected_when_not_stated(tmp_path: Path) -> None:
    recs = [
        {k: v for k, v in record(1).items() if k != "lang"},
        {k: v for k, v in record(2, "de").items() if k != "lang"},
    ]
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", recs)
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert report.languages == {"fr": 1, "de": 1}


def test_rebuild_starts_from_scratch(tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "one" / "a.jsonl", [record(1)])
    two = write_jsonl(tmp_path / "two" / "b.jsonl", [record(2)])
    searchkit.build_index([one.parent], tmp_path / "ix")
    report = searchkit.build_index([two.parent], tmp_path / "ix", rebuild=True)
    assert report.added == 1
    assert ids(tmp_path / "ix") == ["a2"]


def test_parallel_writer_gives_the_same_results(tmp_path: Path) -> None:
    recs = [record(i, "fr" if i % 2 else "de") for i in range(60)]
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", recs)
    serial = searchkit.build_index([feed.parent], tmp_path / "serial", procs=1)
    parallel = searchkit.build_index([feed.parent], tmp_path / "parallel", procs=2)
    assert serial.added == parallel.added == 60
    for query in ("base militaire", "Militärbasis", "Bichkek frontière"):
        with (
            searchkit.open_index(tmp_path / "serial") as a,
            searchkit.open_index(tmp_path / "parallel") as b,
        ):
            ra, rb = a.search(query, limit=100), b.search(query, limit=100)
            assert ra.total == rb.total
            assert sorted((h.id, round(h.score, 6)) for h in ra.hits) == sorted(
                (h.id, round(h.score, 6)) for h in rb.hits
            )


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        searchkit.build_index([tmp_path / "nope"], tmp_path / "ix")


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="searchkit index corpus/"):
        searchkit.open_index(tmp_path / "ix")


def test_locked_index(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1)])
    with store.write_lock(tmp_path / "ix"), pytest.raises(IndexLockedError, match="--wait"):
        searchkit.build_index([feed.parent], tmp_path / "ix")


def test_index_of_another_version_is_refused_then_rebuilt(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1)])
    searchkit.build_index([feed.parent], tmp_path / "ix")
    for entry in (tmp_path / "ix").iterdir():  # pretend an older searchkit wrote it
        entry.rename(entry.with_name(entry.name.replace(INDEX_NAME, "SEARCHKIT0")))
    with pytest.raises(IndexVersionError, match="--rebuild"):
        searchkit.open_index(tmp_path / "ix")
    with pytest.raises(IndexVersionError):
        searchkit.build_index([feed.parent], tmp_path / "ix")
    searchkit.build_index([feed.parent], tmp_path / "ix", rebuild=True)
    assert ids(tmp_path / "ix") == ["a1"]
    assert not [e for e in os.listdir(tmp_path / "ix") if "SEARCHKIT0" in e]


def test_small_memory_spills_to_disk_with_the_same_results(
    tmp_path: Path, corpus_index: Path
) -> None:
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    searchkit.build_index([corpus], tmp_path / "small", memory_mb=1)  # a run file per MB
    with searchkit.open_index(corpus_index) as a, searchkit.open_index(tmp_path / "small") as b:
        for query in ("base militaire", "Wasserkraftwerk", "mer d'Aral", "Baumwollernte"):
            ra, rb = a.search(query, limit=20), b.search(query, limit=20)
            assert [(h.id, round(h.score, 6)) for h in ra.hits] == [
                (h.id, round(h.score, 6)) for h in rb.hits
            ]
            assert ra.total > 0


def test_a_feed_is_streamed_not_loaded_whole(tmp_path: Path) -> None:
    from searchkit.articles import FileStream, find_files, load_file

    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(i) for i in range(2000)])
    (source,), _ = find_files([feed])
    stream = FileStream(source)
    items = iter(stream)
    assert next(items).id == "a0"
    assert stream.sha == ""  # the rest of the file is not read yet
    rest = list(items)
    assert len(rest) == 1999
    assert stream.sha == load_file(source).sha != ""


def test_a_file_that_changed_while_indexed_is_indexed_again_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit.index import build as indexer

    feed = write_jsonl(tmp_path / "feed" / "a.jsonl", [record(1)])
    monkeypatch.setattr(indexer, "fingerprint", lambda source: "hash-seen-when-planning")
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert report.added == 1
    assert [p.reason for p in report.warnings] == [
        "changed while it was being indexed: run the command again to index it all"
    ]
    monkeypatch.undo()
    report = searchkit.build_index([feed.parent], tmp_path / "ix")
    assert (report.added, report.updated, report.warnings) == (0, 1, ())
