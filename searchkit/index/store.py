"""Where an index lives on disk: opening it, checking its version, locking it for writing.

Shared by the indexer and the searcher so that both agree on what an index folder is.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pickle
import re
import shutil
import stat
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from whoosh import index as whoosh_index

from searchkit.backend import cleanup
from searchkit.backend.durable import DurableStorage
from searchkit.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    SearchkitError,
)
from searchkit.index.schema import INDEX_NAME, SCHEMA_VERSION, build_schema

LOCK_FILE = "searchkit.lock"
_TOC = re.compile(r"^_(?P<name>[A-Za-z]+?)(?P<version>\d*)_\d+\.toc$")


def found_versions(index_dir: Path) -> set[str]:
    """The index names present in ``index_dir`` (``SEARCHKIT3``, ``MAIN`` for plain Whoosh)."""
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
    """Open the index for reading; IndexNotFoundError, IndexVersionError or
    IndexCorruptError when it can't be."""
    if not check_version(index_dir):
        raise IndexNotFoundError(str(index_dir))
    storage = cleanup.TrackedStorage(str(index_dir))
    with reading(index_dir, storage, opening=True):
        return storage.open_index(INDEX_NAME)


def open_or_create(index_dir: Path, *, rebuild: bool = False) -> whoosh_index.Index:
    """Open the index for writing, creating it when absent (or outdated and ``rebuild``).

    An outdated index is left in place until the new one commits: the version is in the
    index name, so both can live in one folder, and :func:`remove_other_versions` drops
    the old files afterwards. Commits through it are durable (see
    :class:`~searchkit.backend.durable.DurableStorage`).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        exists = check_version(index_dir)
    except IndexVersionError:
        if not rebuild:
            raise
        exists = False
    storage = DurableStorage(str(index_dir))
    if exists:
        try:
            with reading(index_dir, storage, opening=True):
                ix = storage.open_index(INDEX_NAME)
                if rebuild:  # every segment must open, or a fresh index is made
                    ix.reader().close()
                return ix
        except IndexCorruptError:
            if not rebuild:
                raise
            # A damaged index is what --rebuild is for: start afresh (the old files go
            # with remove_leftovers once the new commit is in; a TOC made a folder now).
            for entry in os.listdir(index_dir):
                if entry.startswith(f"_{INDEX_NAME}_") and (index_dir / entry).is_dir():
                    shutil.rmtree(index_dir / entry, ignore_errors=True)
    with writing(index_dir):
        return storage.create_index(build_schema(), indexname=INDEX_NAME)


#: What reading a damaged index's files raises from inside Whoosh: a truncated file
#: (EOFError, struct.error), garbled bytes (pickle, zlib, a bad seek: OSError), a deleted
#: or unreadable file (OSError). Seen in the trial of issue 15.
_DAMAGE: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    struct.error,
    pickle.UnpicklingError,
    zlib.error,
    whoosh_index.IndexError,
)
#: Parsing a garbled table of contents fails in more ways still (an empty one: TypeError
#: from ord(); a wrong generation: AssertionError; an unpickled object of the wrong kind).
_TOC_DAMAGE = (
    *_DAMAGE,
    AssertionError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)


@contextlib.contextmanager
def reading(
    index_dir: Path, storage: cleanup.TrackedStorage, *, opening: bool = False
) -> Iterator[None]:
    """Turn what Whoosh raises on damaged index files into IndexCorruptError (and close
    the files ``storage`` opened, which half-built readers would leave open).

    ``opening``: the table of contents is being parsed, where any failure means damage.
    """
    damage: tuple[type[BaseException], ...] = _TOC_DAMAGE if opening else _DAMAGE
    try:
        yield
    except SearchkitError:
        raise
    except damage as exc:
        storage.close_opened()
        raise IndexCorruptError(str(index_dir), _detail(exc)) from exc


@contextlib.contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Turn a failed write to the index folder (disk full, permissions) into IndexWriteError."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, PermissionError):
            advice = "check the index folder's permissions"
        elif exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            advice = "free some disk space and run again"
        else:
            advice = "run again"
        detail = f"{exc.strerror or exc}; nothing was committed: {advice}"
        raise IndexWriteError(str(index_dir), detail) from exc


def _detail(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        name = Path(exc.filename).name if exc.filename else ""
        return f"{name}: {exc.strerror}" if name else str(exc.strerror or exc)
    text = str(exc).splitlines()[0][:60] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def remove_leftovers(index_dir: Path, *, drop_empty: bool = False) -> None:
    """Delete what killed, failed and no-op runs left (under the write lock only).

    ``drop_empty``: also delete the empty index a failed first run created, so that later
    commands say there is no index rather than finding 0 articles.
    """
    cleanup.remove_leftovers(index_dir, INDEX_NAME, keep=frozenset({LOCK_FILE}))
    if drop_empty:
        for entry in os.listdir(index_dir):
            if entry.startswith((f"_{INDEX_NAME}_", f"{INDEX_NAME}_WRITELOCK")):
                with contextlib.suppress(OSError):
                    (index_dir / entry).unlink()


def remove_other_versions(index_dir: Path) -> None:
    """Delete the files of indexes written by other searchkit versions (after a rebuild)."""
    for entry in os.listdir(index_dir):
        if entry.startswith(("_SEARCHKIT", "SEARCHKIT", "_MAIN_", "MAIN_")) and not (
            entry.startswith((f"_{INDEX_NAME}_", f"{INDEX_NAME}_", f"{INDEX_NAME}."))
        ):
            with contextlib.suppress(OSError):
                (index_dir / entry).unlink()


@contextlib.contextmanager
def write_lock(index_dir: Path, wait: float = 0.0) -> Iterator[IO[bytes]]:
    """Hold the index's write lock, waiting up to ``wait`` seconds for another writer.

    An fcntl lock dies with its process, so a killed ``searchkit index`` never leaves a
    stale lock behind. The holder's pid is written into the file for the error message.
    The lock file is never followed through a symbolic link (a link planted in a shared
    folder would have the pid written over its target) and must be a regular file.
    """
    lock_path = index_dir / LOCK_FILE
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, _LOCK_FLAGS, 0o644)
    except OSError as exc:
        raise _lock_error(index_dir, lock_path, exc) from exc
    handle = os.fdopen(fd, "r+b", buffering=0)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IndexWriteError(str(index_dir), f"{lock_path} {_NOT_REGULAR}")
        _acquire(handle, str(index_dir), wait)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n".encode())
        yield handle
    finally:
        handle.close()


_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_NOT_REGULAR = "is not a regular file (a folder, a FIFO or a device): remove it and run again"


def _lock_error(index_dir: Path, lock_path: Path, exc: OSError) -> IndexWriteError:
    if exc.errno == errno.ELOOP:
        detail = (
            f"{lock_path} is a symbolic link, which searchkit never follows: remove it and "
            "run again"
        )
    elif exc.errno == errno.EISDIR:
        detail = f"{lock_path} {_NOT_REGULAR}"
    elif isinstance(exc, PermissionError):
        detail = f"permission denied on {exc.filename or index_dir}: check the folder's permissions"
    else:
        detail = f"{exc.filename or lock_path}: {exc.strerror or exc}"
    return IndexWriteError(str(index_dir), detail)


def _acquire(handle: IO[bytes], index_dir: str, wait: float) -> None:
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
            holder = handle.read(200).decode("utf-8", "replace").strip()
            raise IndexLockedError(index_dir, holder)
        time.sleep(0.1)


def last_update(index_dir: Path) -> float | None:
    """The time of the last commit (the newest table of contents), or None."""
    moments = []
    for entry in os.listdir(index_dir):
        if _TOC.match(entry) and entry.startswith(f"_{INDEX_NAME}_"):
            with contextlib.suppress(OSError):  # replaced by a commit meanwhile
                moments.append((index_dir / entry).stat().st_mtime)
    return max(moments, default=None)


def disk_size(index_dir: Path) -> int:
    """Bytes used by the index folder (a file a commit deletes meanwhile counts 0)."""
    total = 0
    for root, _, names in os.walk(index_dir):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name), follow_symlinks=False).st_size
    return total
