"""ruff and mypy (configured in pyproject.toml) are part of the test command, so CI enforces
them."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_mypy_strict() -> None:
    """mypy --strict on the package: ~5 s from cold, under a second with .mypy_cache/."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed; it is part of the test extra: pip install '.[test]'")
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
