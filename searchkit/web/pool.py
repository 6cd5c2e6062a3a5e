"""Searchers for many requests at once.

A Whoosh searcher is not thread-safe, and Starlette answers requests on a pool of threads:
each request borrows a :class:`~searchkit.Searcher` that no other thread holds, and gives
it back. Searchers are opened on demand up to ``size`` (each holds a commit's arrays, so
they are not free); a request that finds none free waits for one. Every search goes
through ``Searcher._fresh``, so a commit written by ``searchkit index`` meanwhile is seen
by the next request, without a restart.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

from searchkit.search.searcher import Searcher, open_index

#: Searchers opened at most: requests beyond wait (measured on corpus/: 4 threads
#: answer ~4x one; a search is CPU-bound numpy work, so more threads add little).
POOL_SIZE = 4


class SearcherPool:
    """Up to ``size`` searchers over ``index_dir``, each used by one thread at a time."""

    def __init__(self, index_dir: Path, size: int = POOL_SIZE) -> None:
        self.index_dir = index_dir
        self.size = size
        self._free: queue.LifoQueue[Searcher] = queue.LifoQueue()
        self._opened: list[Searcher] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher for this thread alone until the ``with`` block ends."""
        borrowed = self._take()
        try:
            yield borrowed
        finally:
            self._free.put(borrowed)

    def _take(self) -> Searcher:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._opened) < self.size:
                opened = open_index(self.index_dir)  # IndexNotFoundError, IndexVersionError
                self._opened.append(opened)
                return opened
        return self._free.get()

    def close(self) -> None:
        """Close every searcher (call when no request is running)."""
        with self._lock:
            for opened in self._opened:
                opened.close()
            self._opened.clear()
