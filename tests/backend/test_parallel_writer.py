"""ParallelWriter (searchkit.backend.writers) when a worker process is killed mid-run."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import searchkit
from searchkit.backend.writers import FastSegmentWriter
from searchkit.errors import WorkerLostError

TEXT = (
    "le gouvernement kirghiz annonce une nouvelle réforme de la sécurité régionale les "
    "autorités du Tadjikistan négocient avec Moscou sur le barrage de Rogun"
)
WORDS = TEXT.split()
QUERIES = ("barrage Rogun", "réforme de la sécurité", "Moscou", "kirghiz*")


def write_feed(folder: Path, name: str, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for n in numbers:
        body = " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(40 + n % 30))
        record = {"id": f"{name}{n}", "lang": "fr", "title": f"Dépêche {n}", "body": body}
        lines.append(json.dumps(record, ensure_ascii=False))
    (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def snapshot(index_dir: Path) -> tuple[int, list[list[tuple[str, float]]]]:
    with searchkit.open_index(index_dir) as searcher:
        results = [searcher.search(q, limit=50, snippets=False) for q in QUERIES]
        return searcher.stats().articles, [[(h.id, h.score) for h in r.hits] for r in results]


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (a hung run fails instead)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.slow
def test_a_killed_worker_fails_the_run_and_leaves_the_index_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker SIGKILLed while it indexes (it kills itself at one article, so that it is
    busy, not waiting for a job) makes build_index raise WorkerLostError, nothing of the
    run committed, no worker left; the next run indexes everything."""
    feed = tmp_path / "feed"
    write_feed(feed, "old", range(50))
    searchkit.build_index([feed], tmp_path / "ix", procs=1)
    before = snapshot(tmp_path / "ix")
    write_feed(feed, "new", range(600))  # 6 jobs of 100 articles for the 2 workers

    add_document = FastSegmentWriter.add_document

    def killed_at_one_article(self: FastSegmentWriter, **fields: Any) -> None:
        if fields["id"] == "new250":  # (in the third job: both workers are running)
            os.kill(os.getpid(), signal.SIGKILL)
        add_document(self, **fields)

    # Workers are forked: they run this; the parent's ParallelWriter does not add documents.
    monkeypatch.setattr(FastSegmentWriter, "add_document", killed_at_one_article)
    with deadline(60), pytest.raises(WorkerLostError, match="worker process was killed"):
        searchkit.build_index([feed], tmp_path / "ix", procs=2)
    assert multiprocessing.active_children() == []
    assert snapshot(tmp_path / "ix") == before
    monkeypatch.undo()
    report = searchkit.build_index([feed], tmp_path / "ix", procs=2)
    assert (report.added, report.failed) == (600, ())
    assert snapshot(tmp_path / "ix")[0] == 650
