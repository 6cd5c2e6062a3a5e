"""The API's indexing operation: build or update an index, then link its story twins.

Building is :mod:`searchkit.index.build` (the index layer); linking the articles that
tell the same story in French and German needs the search layer
(:mod:`searchkit.search.twins`). This module joins the two, so that neither layer looks
up: the build calls back here under its write lock, once the commit is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from searchkit.index import build
from searchkit.index.twins import read_twins, twins_path, write_twins
from searchkit.models import IndexReport
from searchkit.search.searcher import open_index
from searchkit.search.twins import link_twins


def build_index(
    paths: Iterable[str | os.PathLike[str]],
    index_dir: str | os.PathLike[str] = "index",
    *,
    rebuild: bool = False,
    wait: float = 0.0,
    procs: int | None = None,
    memory_mb: int = 2048,
    progress: build.Progress | None = None,
    link: bool = True,
) -> IndexReport:
    """Index the ``*.txt`` and ``*.jsonl`` files under ``paths`` into ``index_dir``.

    Only new and changed files (by content hash) are read; articles of files that vanished
    from ``paths`` are removed; articles from other paths stay. ``rebuild`` starts afresh.
    ``wait`` is how long to wait for another writer; ``procs`` the worker processes
    (default: the cores, for large runs); ``memory_mb`` bounds the posting buffers.
    ``link`` then links each new article to its twin in the other language, if the index
    holds one (:attr:`searchkit.Hit.translations`). Raises CorpusError for a path that
    does not exist, IndexLockedError, IndexVersionError.
    """
    return build.build_index(
        paths,
        index_dir,
        rebuild=rebuild,
        wait=wait,
        procs=procs,
        memory_mb=memory_mb,
        progress=progress,
        on_commit=_link if link else None,
    )


def _link(index_dir: Path, changes: build.Changes) -> None:
    """Update the twins file for what the commit changed (every article, the first time)."""
    first = changes.rebuild or not twins_path(index_dir).exists()
    if not (first or changes.changed or changes.removed):
        return
    with open_index(index_dir) as searcher:
        if first:
            ids = searcher.all_ids()
            twins = link_twins(searcher, ids, (), {})
        else:
            old = read_twins(index_dir)
            twins = link_twins(searcher, changes.changed, changes.removed, old)
    write_twins(index_dir, twins)
