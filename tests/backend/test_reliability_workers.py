"""Issue 15, items 1, 2 and 4: lost worker processes end the run, quickly and cleanly.

Real processes: the workers of ``searchkit index --procs 2`` are killed with SIGKILL, or
run out of room (a small RLIMIT_FSIZE stands for a full disk: writes fail with EFBIG as
they would with ENOSPC). Every wait has a timeout, so a regression fails, never hangs.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import searchkit

pytestmark = pytest.mark.slow

LOST = (
    "nothing was committed: run the command again (if it keeps failing, free disk space "
    "in the index folder or try --procs 1)\n"
)


WORDS = [
    "le",
    "barrage",
    "de",
    "Rogun",
    "au",
    "Tadjikistan",
    "la",
    "frontière",
    "du",
    "Kirghizstan",
    "reste",
    "fermée",
]


def make_feed(folder: Path, files: int, per_file: int, seed: int) -> None:
    """``files`` JSONL files of ``per_file`` French articles of 250 random words."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for f in range(files):
        lines = [
            json.dumps(
                {"id": f"f{f}-{i}", "lang": "fr", "body": " ".join(rng.choices(WORDS, k=250))}
            )
            for i in range(per_file)
        ]
        (folder / f"feed{f:03d}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workers") / "feed"
    make_feed(folder, files=40, per_file=40, seed=3)
    return folder


def index_cmd(feed: Path, index_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "searchkit",
        "index",
        str(feed),
        "--index",
        str(index_dir),
        *extra,
    ]


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def shape(index_dir: Path) -> list[str]:
    """The index folder's file names, segment ids blanked out (they are random)."""
    return sorted(re.sub(r"_[0-9a-z]{16}\b", "_<segment>", n) for n in os.listdir(index_dir))


def clean_run_shape(feed: Path, tmp_path: Path) -> list[str]:
    index_dir = tmp_path / "clean"
    assert searchkit.build_index([feed], index_dir, procs=2).ok
    return shape(index_dir)


@pytest.mark.parametrize("delay, killed", [(0.0, 2), (0.05, 1), (0.1, 2)])
def test_killing_the_workers_ends_the_run_with_one_error_line(
    feed: Path, tmp_path: Path, delay: float, killed: int
) -> None:
    index_dir = tmp_path / "ix"
    proc = subprocess.Popen(
        index_cmd(feed, index_dir, "--procs", "2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(delay)
    workers = children(proc.pid)[:killed]
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    try:
        _, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("searchkit index hung after its workers were killed")
    if not workers or proc.returncode == 0:
        pytest.skip("the run ended before its workers could be killed")
    assert time.monotonic() - started < 5
    assert proc.returncode == 1
    assert stderr == ("Error: an indexing worker process was killed (signal 9); " + LOST), stderr
    # The lock is free (no --wait needed), and the next run leaves the files of one clean run.
    report = searchkit.build_index([feed], index_dir, procs=2)
    assert report.ok and report.added == 1600
    assert shape(index_dir) == clean_run_shape(feed, tmp_path)


@pytest.mark.parametrize("procs", ["1", "2"])
def test_a_full_disk_ends_the_run_with_one_error_line(
    feed: Path, tmp_path: Path, procs: str
) -> None:
    index_dir = tmp_path / "ix"
    limit = 600_000  # bytes a file may grow to: each worker's segment needs more

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        index_cmd(feed, index_dir, "--procs", procs),
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=60,
    )
    assert result.returncode == 1
    if procs == "2":
        assert result.stderr == (
            "Error: an indexing worker process failed (File too large); " + LOST
        )
    else:
        assert result.stderr == (
            f"Error: cannot write the index at {index_dir}: File too large; nothing was "
            "committed: free some disk space and run again\n"
        )
    # Nothing left but the lock file: no segment files, no empty index (item 12).
    assert os.listdir(index_dir) == ["searchkit.lock"]
    with pytest.raises(searchkit.IndexNotFoundError):
        searchkit.open_index(index_dir)
