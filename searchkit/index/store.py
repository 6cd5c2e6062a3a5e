"""Where an index lives on disk: opening it, checking its version, locking it for writing.

Shared by the indexer and the searcher so that both agree on what an index folder is.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from searchkit.errors import IndexLockedError, IndexNotFoundError, IndexVersionError
from searchkit.index.schema import INDEX_NAME, SCHEMA_VERSION, build_schema

LOCK_FILE = "searchkit.lock"
_TOC = re.compile(r"^_(?P<name>[A-Za-z]+?)(?P<version>\d*)_\d+\.toc$")


def found_versions(index_dir: Path) -> set[str]:
    """The index names present in ``index_dir`` (``SEARCHKIT2``, ``MAIN`` for plain Whoosh)."""
    if not index_dir.is_dir():
        return set()
    names = set()
    for entry in os.listdir(index_dir):
        match = _TOC.match(entry)
        if match:
            names.add(match["name"] + match["version"])
    return names


def check_version(index_dir: Path) -> bool:
    """True when a current index exists; raise IndexVersionError when only another one does."""
    names = found_versions(index_dir)
    if INDEX_NAME in names:
        return True
    others = sorted(names)
    if others:
        found = (
            others[-1].removeprefix("SEARCHKIT")
            if others[-1].startswith("SEARCHKIT")
            else (f"'{others[-1]}' (not a searchkit index)")
        )
        raise IndexVersionError(str(index_dir), found, SCHEMA_VERSION)
    return False


def open_existing(index_dir: Path) -> whoosh_index.Index:
    """Open the index for reading; IndexNotFoundError or IndexVersionError when it can't be."""
    if not check_version(index_dir):
        raise IndexNotFoundError(str(index_dir))
    return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)


def open_or_create(index_dir: Path, *, rebuild: bool = False) -> whoosh_index.Index:
    """Open the index for writing, creating it when absent (or outdated and ``rebuild``).

    An outdated index is left in place until the new one commits: the version is in the
    index name, so both can live in one folder, and :func:`remove_other_versions` drops
    the old files afterwards.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        exists = check_version(index_dir)
    except IndexVersionError:
        if not rebuild:
            raise
        exists = False
    if exists:
        return whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    storage = FileStorage(str(index_dir))
    return storage.create_index(build_schema(), indexname=INDEX_NAME)


def remove_other_versions(index_dir: Path) -> None:
    """Delete the files of indexes written by other searchkit versions (after a rebuild)."""
    for entry in os.listdir(index_dir):
        if entry.startswith(("_SEARCHKIT", "SEARCHKIT", "_MAIN_", "MAIN_")) and not (
            entry.startswith((f"_{INDEX_NAME}_", f"{INDEX_NAME}_", f"{INDEX_NAME}."))
        ):
            with contextlib.suppress(OSError):
                (index_dir / entry).unlink()


@contextlib.contextmanager
def write_lock(index_dir: Path, wait: float = 0.0) -> Iterator[IO[str]]:
    """Hold the index's write lock, waiting up to ``wait`` seconds for another writer.

    An fcntl lock dies with its process, so a killed ``searchkit index`` never leaves a
    stale lock behind. The holder's pid is written into the file for the error message.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115
    try:
        _acquire(handle, str(index_dir), wait)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield handle
    finally:
        handle.close()


def _acquire(handle: IO[str], index_dir: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            handle.seek(0)
            holder = handle.read().strip()
            raise IndexLockedError(index_dir, holder)
        time.sleep(0.1)


def last_update(index_dir: Path) -> float | None:
    """The time of the last commit (the newest table of contents), or None."""
    tocs = [index_dir / e for e in os.listdir(index_dir) if e.startswith(f"_{INDEX_NAME}_")]
    return max((p.stat().st_mtime for p in tocs), default=None)


def disk_size(index_dir: Path) -> int:
    """Bytes used by the index folder."""
    return sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
