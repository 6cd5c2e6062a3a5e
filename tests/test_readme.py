"""The README's promises: its Python example runs, every command is documented, and the
quickstart is exactly two commands, the second being the one CI runs."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest

from searchkit.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code_blocks("python")[0], "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"\d+ articles, 0 failed", lines[0])
    assert lines[2].startswith("fr/russie-seconde-base-militaire-kirghizstan fr ")
    assert lines[3].split(":", 1)[1].strip().lower() in {"base", "militaire", "militaires"}


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"searchkit {name}" in README, name


def test_quickstart_is_two_commands_and_ci_runs_the_second() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quickstart, flags=re.S)
    assert len(commands) == 2
    assert "searchkit index corpus/" in commands[0] and "searchkit query" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def syntax_examples() -> list[str]:
    section = README.split("## Query syntax", 1)[1]
    table = next(block for block in section.split("\n\n") if block.startswith("| you type"))
    rows = [line.split("|")[1] for line in table.splitlines()[2:]]
    return [example for row in rows for example in re.findall(r"`([^`]+)`", row)]


def test_every_query_syntax_example_finds_articles(corpus_index: Path) -> None:
    import searchkit

    examples = syntax_examples()
    assert len(examples) == 25
    with searchkit.open_index(corpus_index) as searcher:
        empty = [q for q in examples if searcher.search(q).total == 0]
    assert empty == []


def test_the_cross_lingual_example_is_what_the_cli_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of the README's cross-lingual example but the shortened snippets."""
    from click.testing import CliRunner

    block = next(b for b in code_blocks("text") if "--lang fr" in b and "via:" in b)
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["index", "corpus/"]).exit_code == 0
    shown = []
    for command in re.findall(r"^\$ searchkit (.*)$", block, flags=re.M):
        result = runner.invoke(main, shlex.split(command))
        assert result.exit_code == 0, result.output
        shown += [f"$ searchkit {command}", *result.output.rstrip("\n").splitlines(), ""]
    expected = block.rstrip("\n").splitlines()
    assert len(shown) - 1 == len(expected)
    for got, want in zip(shown, expected, strict=False):
        if want.endswith(" […]"):
            assert got.startswith(want.removesuffix(" […]")), (got, want)
        else:
            assert got == want
