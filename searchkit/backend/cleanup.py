"""Removing what interrupted, failed and no-op runs leave in an index folder.

Whoosh deletes unused files only when a later commit succeeds (``whoosh.index.
clean_files``): every killed run, failed run or run that changed nothing left its segment
files behind (10 kills grew a 29 MB index to 384 MB). Called under the write lock, at the
start and at the end of every run, :func:`remove_leftovers` deletes what no commit can
need any more: files of segments the latest table of contents (TOC) does not list (the
zero-byte files of a killed run among them), older and half-written TOCs, and the writers'
temporary folder. Files of the latest commit are never touched, so a reader of it keeps
working.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import weakref
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC


def remove_leftovers(index_dir: Path, indexname: str, *, keep: frozenset[str] = frozenset()) -> int:
    """Delete the files of ``indexname`` no commit refers to; return how many were removed.

    Must be called with the index's write lock held (no writer is running). ``keep`` names
    files to leave alone (the lock file). Other indexes' files (another schema version)
    are left to :func:`searchkit.index.store.remove_other_versions`.
    """
    try:
        names = os.listdir(index_dir)
    except OSError:
        return 0
    toc_pattern = TOC._pattern(indexname)
    segment_pattern = TOC._segment_pattern(indexname)
    generations = [int(m.group(1)) for n in names if (m := toc_pattern.match(n))]
    latest = max(generations, default=-1)
    live = _live_segments(index_dir, indexname, latest)
    if live is None:  # the latest TOC cannot be read: touch nothing, the reader will say so
        return 0
    half_written = re.compile(rf"^_{re.escape(indexname)}_\d+\.toc\..+$")
    removed = 0
    for name in names:
        path = index_dir / name
        toc = toc_pattern.match(name)
        segment = segment_pattern.match(name)
        if name in keep:
            continue
        if name == f"{indexname}.tmp":
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
            continue
        stale = (
            (toc is not None and int(toc.group(1)) != latest)
            or half_written.match(name) is not None
            or (segment is not None and segment.group(1) not in live)
        )
        if stale and _unlink(path):
            removed += 1
    return removed


def _live_segments(index_dir: Path, indexname: str, generation: int) -> set[str] | None:
    if generation < 0:
        return set()
    storage = TrackedStorage(str(index_dir))
    try:
        toc = TOC.read(storage, indexname, gen=generation)
    except Exception:  # any damage: the caller reports it, nothing is deleted here
        storage.close_opened()
        return None
    return {segment.segment_id() for segment in toc.segments}


def _unlink(path: Path) -> bool:
    with contextlib.suppress(OSError):
        path.unlink()
        return True
    return False


class TrackedStorage(FileStorage):  # type: ignore[misc]  # Whoosh is untyped
    """A Whoosh ``FileStorage`` that can close every file it opened.

    Whoosh does not close a file it fails to parse (a damaged TOC or segment): it stays
    open in half-built readers (its reader retries 10 times, dropping one each time)
    until they are collected, and warns then. Each file is closed when its wrapper is
    collected, and after such a failure :meth:`close_opened` closes them at once.
    """

    def open_file(self, name: str, **kwargs: Any) -> Any:
        f = super().open_file(name, **kwargs)
        self.__dict__.setdefault("_opened", weakref.WeakSet()).add(f)
        weakref.finalize(f, f.file.close)
        return f

    def close_opened(self) -> None:
        for f in list(self.__dict__.get("_opened", ())):
            with contextlib.suppress(Exception):
                f.close()
