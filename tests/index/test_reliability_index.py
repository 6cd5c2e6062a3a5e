"""Issue 15, items 2, 6, 7, 9, 12 and 13: the index folder under faults, damage and hostile
lock files. Every failure is one ``Error:`` line (CLI) and a SearchkitError (API)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.backend import durable
from searchkit.cli.commands import main
from searchkit.errors import IndexCorruptError, IndexWriteError
from searchkit.index.schema import INDEX_NAME

ARTICLES = [
    {
        "id": "fr-rogun",
        "lang": "fr",
        "title": "Le barrage de Rogun",
        "body": "Le barrage de Rogun.",
    },
    {"id": "de-rogun", "lang": "de", "title": "Der Rogun-Staudamm", "body": "Der Staudamm Rogun."},
]


def write_feed(folder: Path, articles: list[dict[str, str]] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(a, ensure_ascii=False) for a in articles]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reliability")
    feed = write_feed(root / "feed")
    assert searchkit.build_index([feed], root / "ix").ok
    return feed, root / "ix"


@pytest.fixture
def copy(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    feed, index_dir = built
    shutil.copytree(index_dir, tmp_path / "ix")
    return feed, tmp_path / "ix"


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def shape(index_dir: Path) -> list[str]:
    """The folder's names with the random segment ids blanked out."""
    return sorted(re.sub(r"_[0-9a-z]{16}\b", "_<segment>", n) for n in os.listdir(index_dir))


# --- item 9: the lock file ----------------------------------------------------------


def test_a_lock_file_that_is_a_symlink_is_never_followed(copy: tuple[Path, Path]) -> None:
    feed, index_dir = copy
    victim = index_dir.parent / "victim.txt"
    victim.write_text("precious\n")
    (index_dir / "searchkit.lock").unlink()
    (index_dir / "searchkit.lock").symlink_to(victim)
    result = cli("index", str(feed), "--index", str(index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write the index at {index_dir}: {index_dir / 'searchkit.lock'} is a "
        "symbolic link, which searchkit never follows: remove it and run again\n"
    )
    assert victim.read_text() == "precious\n"
    with pytest.raises(IndexWriteError, match="symbolic link"):
        searchkit.build_index([feed], index_dir)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_lock_path_that_is_not_a_file_is_one_error_line(
    copy: tuple[Path, Path], kind: str
) -> None:
    feed, index_dir = copy
    lock = index_dir / "searchkit.lock"
    lock.unlink()
    lock.mkdir() if kind == "folder" else os.mkfifo(lock)
    result = cli("index", str(feed), "--index", str(index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write the index at {index_dir}: {lock} is not a regular file (a "
        "folder, a FIFO or a device): remove it and run again\n"
    )


def test_a_lock_file_that_is_not_utf8_names_its_holder_readably(copy: tuple[Path, Path]) -> None:
    from searchkit.index import store

    feed, index_dir = copy
    with store.write_lock(index_dir):
        (index_dir / "searchkit.lock").write_bytes(b"pid \xff\xfe 12\n")
        result = cli("index", str(feed), "--index", str(index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the index is being updated by another process (pid \ufffd\ufffd 12): wait "
        f"for it to finish, or run again with --wait SECONDS (index: {index_dir})\n"
    )


def test_an_index_folder_without_write_permission_is_one_error_line(
    copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed, index_dir = copy
    real_open = os.open

    def denied(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        # chmod cannot be used: CI runs as root, who writes anywhere.
        if str(path).endswith("searchkit.lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("os.open", denied)
    result = cli("index", str(feed), "--index", str(index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write the index at {index_dir}: permission denied on "
        f"{index_dir / 'searchkit.lock'}: check the folder's permissions\n"
    )


# --- item 2: leftovers --------------------------------------------------------------


def test_no_op_runs_leave_no_files(copy: tuple[Path, Path]) -> None:
    feed, index_dir = copy
    before = shape(index_dir)
    for _ in range(3):
        report = searchkit.build_index([feed], index_dir)
        assert (report.added, report.unchanged) == (0, 2)
    assert shape(index_dir) == before


def test_a_run_removes_what_killed_runs_left(copy: tuple[Path, Path]) -> None:
    feed, index_dir = copy
    before = shape(index_dir)
    for name in (f"{INDEX_NAME}_0123456789abcdef", f"{INDEX_NAME}_fedcba9876543210"):
        (index_dir / f"{name}.seg").write_bytes(b"x" * 1000)  # an uncommitted segment
        (index_dir / f"{name}._stored.col").write_bytes(b"")  # a zero-byte file of one
    (index_dir / f"_{INDEX_NAME}_9.toc.1733450000.5").write_bytes(b"")  # a half-written TOC
    (index_dir / f"{INDEX_NAME}.tmp").mkdir()
    (index_dir / f"{INDEX_NAME}.tmp" / "abc.doclist").write_bytes(b"x")
    searchkit.build_index([feed], index_dir)  # a no-op run: it commits nothing
    assert shape(index_dir) == before


def test_a_failed_first_run_leaves_no_empty_index(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "broken.jsonl").write_text("not json\n")
    index_dir = tmp_path / "ix"
    result = cli("index", str(feed), "--index", str(index_dir))
    assert result.exit_code == 1
    assert os.listdir(index_dir) == ["searchkit.lock"]
    result = cli("stats", "--index", str(index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no index at {index_dir}; create it with: searchkit index corpus/ --index "
        f"{index_dir}\n"
    )


# --- item 6: a damaged index --------------------------------------------------------


def _segment(index_dir: Path) -> Path:
    return next(index_dir.glob(f"{INDEX_NAME}_*.seg"))


def _toc(index_dir: Path) -> Path:
    return next(index_dir.glob(f"_{INDEX_NAME}_*.toc"))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), 97):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGE = {
    "truncated segment": (_segment, _truncate, "EOFError: Ran out of input"),
    "garbled segment": (_segment, _garble, None),
    "deleted segment": (_segment, Path.unlink, "No such file or directory"),
    "garbage TOC": (_toc, lambda p: p.write_bytes(b"\x07" * 200), "IndexError: Index was"),
    "truncated TOC": (_toc, _truncate, "UnpicklingError: pickle data was truncated"),
    "empty TOC": (_toc, lambda p: p.write_bytes(b""), "TypeError: ord() expected"),
    "TOC is a folder": (_toc, _folder, "Is a directory"),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", ["query", "stats", "similar", "index"])
def test_a_damaged_index_is_one_error_line_saying_rebuild(
    copy: tuple[Path, Path], damage: str, command: str
) -> None:
    feed, index_dir = copy
    pick, spoil, detail = DAMAGE[damage]
    spoil(pick(index_dir))
    args = {
        "query": ["query", "barrage"],
        "stats": ["stats"],
        "similar": ["similar", "fr-rogun"],
        "index": ["index", str(feed)],
    }[command]
    result = cli(*args, "--index", str(index_dir))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: the index at {index_dir} is damaged or unreadable (")
    assert lines[0].endswith(
        f"): rebuild it with: searchkit index PATH --rebuild --index {index_dir}"
    )
    if detail:
        assert detail in lines[0]


@pytest.mark.parametrize("damage", DAMAGE)
def test_rebuild_mends_a_damaged_index(copy: tuple[Path, Path], damage: str) -> None:
    feed, index_dir = copy
    before = shape(index_dir)
    pick, spoil, _ = DAMAGE[damage]
    spoil(pick(index_dir))
    with pytest.raises(IndexCorruptError):
        searchkit.build_index([feed], index_dir)
    assert searchkit.build_index([feed], index_dir, rebuild=True).added == 2
    assert shape(index_dir) == before
    with searchkit.open_index(index_dir) as searcher:
        assert searcher.search("Rogun").total == 2


# --- item 7: statistics while a commit deletes files --------------------------------


def test_stats_tolerate_files_vanishing_during_a_commit(
    copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files a commit deletes while the folder is measured: one already gone when
    looked at, one gone between two looks (is_file, then stat)."""
    _, index_dir = copy
    real_stat, real_walk, real_rglob = os.stat, os.walk, Path.rglob
    looks: dict[str, int] = {}

    def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = os.path.basename(str(path))
        looks[name] = looks.get(name, 0) + 1
        if name == "gone.seg" or (name == "late.seg" and looks[name] > 1):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_stat(_segment(index_dir) if name == "late.seg" else path, *args, **kwargs)

    def walk(top, *args, **kwargs):  # type: ignore[no-untyped-def]
        for root, dirs, names in real_walk(top, *args, **kwargs):
            yield root, dirs, [*names, "gone.seg", "late.seg"]

    def rglob(self, pattern):  # type: ignore[no-untyped-def]
        yield from real_rglob(self, pattern)
        yield from (self / "gone.seg", self / "late.seg")

    with searchkit.open_index(index_dir) as searcher:
        monkeypatch.setattr("os.stat", stat)
        monkeypatch.setattr("os.walk", walk)
        monkeypatch.setattr(Path, "rglob", rglob)
        stats = searcher.stats()
    assert stats.articles == 2
    assert stats.size_bytes > 0


# --- item 13: durable commits -------------------------------------------------------


def test_a_commit_fsyncs_its_files_before_the_toc_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = write_feed(tmp_path / "feed")
    index_dir = tmp_path / "ix"
    events: list[str] = []
    real_fsync_path, real_rename = durable.fsync_path, os.rename

    def fsync_path(path: str) -> None:
        events.append("fsync " + os.path.basename(path))
        real_fsync_path(path)

    def rename(old: str, new: str) -> None:
        events.append("rename " + os.path.basename(new))
        real_rename(old, new)

    monkeypatch.setattr(durable, "fsync_path", fsync_path)
    monkeypatch.setattr(os, "rename", rename)
    searchkit.build_index([feed], index_dir)
    last = events.index(f"rename _{INDEX_NAME}_1.toc")
    segment = next(index_dir.glob(f"{INDEX_NAME}_*.seg")).name
    assert f"fsync {segment}" in events[:last]
    assert events[last - 1].startswith(f"fsync _{INDEX_NAME}_1.toc.")  # the temporary TOC
    assert events[last + 1] == "fsync ix"  # the folder, so that the rename is on disk
