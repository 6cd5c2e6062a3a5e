"""ruff (configured in pyproject.toml) is part of the test command, so CI enforces it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    # The venv's bin folder need not be on PATH (CI calls .venv/bin/pytest directly).
    beside = Path(sys.executable).parent / "ruff"
    exe = str(beside) if beside.exists() else shutil.which("ruff")
    assert exe, "ruff is part of the test extra: pip install '.[test]'"
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check() -> None:
    result = ruff("check", "searchkit", "tests")
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = ruff("format", "--check", "searchkit", "tests")
    assert result.returncode == 0, result.stdout
