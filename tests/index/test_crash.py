"""Crash safety and concurrency with real processes: kill `searchkit index` at any moment,
run two at once, search while indexing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import searchkit

TEXT = (
    "le gouvernement kirghiz annonce une nouvelle réforme de la sécurité régionale "
    "les autorités du Tadjikistan négocient avec Moscou sur le barrage de Rogun "
    "la frontière reste fermée aux camions venus de Chine depuis plusieurs semaines"
)
WORDS = TEXT.split()


def make_feed(folder: Path, files: int, per_file: int, seed: int = 1) -> int:
    """Write ``files`` JSONL files of ``per_file`` French articles; return the total."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = []
        for i in range(per_file):
            body = " ".join(rng.choice(WORDS) for _ in range(250))
            rec = {"id": f"f{f}-{i}", "lang": "fr", "title": f"Dépêche {f}-{i}", "body": body}
            lines.append(json.dumps(rec, ensure_ascii=False))
        (folder / f"feed{f:03d}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return files * per_file


def start_index(feed: Path, index_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "searchkit", "index", str(feed), "--index", str(index_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def processes_using(index_dir: Path) -> list[int]:
    """Pids of live processes whose command line names ``index_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except (OSError, IndexError):
            continue
        if str(index_dir) in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def no_process_left(index_dir: Path, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while processes_using(index_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def count(index_dir: Path) -> int:
    with searchkit.open_index(index_dir) as searcher:
        return searcher.stats().articles


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path, int]:
    """An index holding a first feed, and a second, larger feed to add to it."""
    first = tmp_path / "feed"
    make_feed(first, files=2, per_file=20)
    index_dir = tmp_path / "ix"
    searchkit.build_index([first], index_dir)
    total = make_feed(first, files=60, per_file=40, seed=2)  # changes the first two files too
    return first, index_dir, total


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("delay", [0.5, 1.5])
def test_killed_run_leaves_last_commit_and_next_run_completes(
    indexed: tuple[Path, Path, int], sig: int, delay: float
) -> None:
    feed, index_dir, total = indexed
    before = count(index_dir)
    proc = start_index(feed, index_dir, "--procs", "2")
    time.sleep(delay)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    after_kill = count(index_dir)
    # Either the run finished before the signal, or nothing of it was committed.
    assert after_kill in (before, total)
    assert "Traceback" not in stderr
    # 0: finished before the signal; -sig: killed before the CLI installed its handlers.
    if proc.returncode not in (0, -sig):
        assert proc.returncode == 130
        assert stderr.startswith("Error: interrupted")
    assert no_process_left(index_dir)  # workers die with their parent, however it ends
    report = searchkit.build_index([feed], index_dir)
    assert report.failed == ()
    assert count(index_dir) == total


def holding_the_lock(index_dir: Path, pid: int, seconds: float = 30.0) -> None:
    """Wait until process ``pid`` holds the write lock (its pid written in the lock file),
    then stop it there, so that the lock stays taken however fast it would index."""
    deadline = time.monotonic() + seconds
    lock = index_dir / "searchkit.lock"
    while not (lock.exists() and lock.read_text() == f"pid {pid}\n"):
        assert time.monotonic() < deadline, "the first writer never took the lock"
        time.sleep(0.005)
    os.kill(pid, signal.SIGSTOP)


def test_second_writer_is_refused_then_waits(indexed: tuple[Path, Path, int]) -> None:
    feed, index_dir, total = indexed
    first = start_index(feed, index_dir)
    holding_the_lock(index_dir, first.pid)
    try:
        second = start_index(feed, index_dir)
        _, err = second.communicate(timeout=60)
        waiting = start_index(feed, index_dir, "--wait", "120")
        time.sleep(0.5)  # (the waiting writer finds the lock taken too)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    assert err.startswith("Error: the index is being updated by another process")
    first.communicate(timeout=120)
    waiting.communicate(timeout=120)
    assert (first.returncode, waiting.returncode) == (0, 0)
    assert count(index_dir) == total


def test_search_works_while_indexing(indexed: tuple[Path, Path, int]) -> None:
    feed, index_dir, _ = indexed
    before = count(index_dir)
    proc = start_index(feed, index_dir)
    seen = []
    while proc.poll() is None:
        with searchkit.open_index(index_dir) as searcher:
            seen.append(searcher.search("barrage Rogun", limit=5).total)
        time.sleep(0.1)
    proc.communicate()
    assert proc.returncode == 0
    assert seen and min(seen) >= min(before, 1)


def test_stale_lock_file_of_a_killed_process_does_not_block(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    make_feed(feed, files=1, per_file=3)
    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    (index_dir / "searchkit.lock").write_text(f"pid {os.getpid() + 100000}\n")
    report = searchkit.build_index([feed], index_dir)
    assert report.added == 3
