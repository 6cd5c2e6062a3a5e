"""The searcher pool: a searcher is never used by two threads at once, at most ``size``
are opened, and closing closes them all."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from searchkit.errors import IndexNotFoundError
from searchkit.web.pool import SearcherPool


def test_each_thread_has_its_searcher_alone(index_dir: Path) -> None:
    pool = SearcherPool(index_dir, size=3)
    busy: set[int] = set()
    lock = threading.Lock()
    clashes: list[int] = []

    def borrow(_: int) -> int:
        with pool.searcher() as searcher:
            with lock:
                if id(searcher) in busy:
                    clashes.append(id(searcher))
                busy.add(id(searcher))
            total = searcher.search("Russie").total
            time.sleep(0.01)
            with lock:
                busy.discard(id(searcher))
        return total

    with ThreadPoolExecutor(12) as threads:
        totals = list(threads.map(borrow, range(60)))
    assert clashes == []
    assert set(totals) == {totals[0]} and totals[0] > 0
    assert len(pool._opened) == 3
    pool.close()
    assert pool._opened == []


def test_a_missing_index_is_reported_when_borrowing(tmp_path: Path) -> None:
    pool = SearcherPool(tmp_path / "none")
    with pytest.raises(IndexNotFoundError), pool.searcher():
        pass
    assert pool._opened == []
