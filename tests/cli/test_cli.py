"""The CLI end to end through click's CliRunner: output, exit codes, error lines."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
MILITARY_FR = "fr/russie-seconde-base-militaire-kirghizstan"
MILITARY_DE = "de/russland-zweite-militaerbasis-kirgistan"


@pytest.fixture
def index_dir(corpus_index: Path) -> Path:
    """The session's index of corpus/ (read-only: copy it to index into it)."""
    return corpus_index


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_index_prints_one_summary_line(index_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(index_dir, tmp_path / "ix")
    result = run("index", str(CORPUS), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("0 added, 0 updated, 0 removed, ")
    assert " unchanged, 0 failed in " in lines[0]


def test_index_reports_failed_files_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "ok.jsonl").write_text('{"id": "x1", "body": "La base militaire de Kant."}\n')
    (folder / "empty.txt").write_bytes(b"")
    result = run("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert f"failed: {folder / 'empty.txt'}" in result.stderr
    assert result.stdout.startswith("1 added, 0 updated, 0 removed, 0 unchanged, 1 failed")


def test_index_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("index", str(tmp_path / "nowhere"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_index_env_variable_names_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "x1", "lang": "fr", "body": "Le barrage de Rogun."}\n')
    result = CliRunner(env={"SEARCHKIT_INDEX": str(tmp_path / "envix")}).invoke(
        main, ["index", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envix").is_dir()


def test_query_french_military_base_first(index_dir: Path) -> None:
    result = run("query", "base militaire", "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    first = result.stdout.split("\n\n")[1]  # after the header line
    assert MILITARY_FR in first
    assert "\x1b[" not in result.stdout  # piped: no colour


def test_query_german_military_base_first(index_dir: Path) -> None:
    result = run("query", "Militärbasis", "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["hits"][0]["id"] == MILITARY_DE


def test_query_json_shape(index_dir: Path) -> None:
    result = run("query", "base militaire", "--index", str(index_dir), "--json", "--limit", "3")
    data = json.loads(result.stdout)
    assert data["query"] == "base militaire"
    assert data["total"] >= 2
    assert len(data["hits"]) == 3
    hit = data["hits"][0]
    keys = {
        "id",
        "title",
        "lang",
        "score",
        "snippet",
        "highlights",
        "tags",
        "author",
        "date",
        "url",
        "path",
    }
    assert keys <= set(hit)
    assert hit["id"] == MILITARY_FR
    assert hit["lang"] == "fr"
    marked = {hit["snippet"][s:e].lower() for s, e in hit["highlights"]}
    assert marked & {"base", "bases", "militaire", "militaires"}


def test_query_lang_filter(index_dir: Path) -> None:
    result = run(
        "query",
        "Kirghizstan Kirgistan",
        "--index",
        str(index_dir),
        "--json",
        "--lang",
        "de",
        "--limit",
        "50",
    )
    langs = {h["lang"] for h in json.loads(result.stdout)["hits"]}
    assert langs == {"de"}


def test_query_without_index_says_how_to_create_it(tmp_path: Path) -> None:
    result = run("query", "base", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no index at {tmp_path / 'none'}")
    assert "searchkit index" in result.stderr
    assert "Traceback" not in result.output


def test_empty_query_is_a_usage_error(index_dir: Path) -> None:
    result = run("query", "  ", "--index", str(index_dir))
    assert result.exit_code == 2
    assert "the query is empty" in result.stderr


def test_malformed_query_is_one_error_line(index_dir: Path) -> None:
    result = run("query", "date:[2019 TO", "--index", str(index_dir))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_stats(index_dir: Path) -> None:
    result = run("stats", "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["languages"]["fr"] >= 12
    assert data["languages"]["de"] >= 12


def test_similar(index_dir: Path) -> None:
    result = run("similar", MILITARY_FR, "--index", str(index_dir), "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert MILITARY_FR not in [h["id"] for h in hits]
    # the same story in German first (its twin), then the closest French articles
    assert hits[0]["id"] == "de/russland-zweite-militaerbasis-kirgistan"
    assert "fr/conflit-frontalier-kirghiz-tadjik" in [h["id"] for h in hits][1:4]


def test_help_has_an_example_for_every_command() -> None:
    for name, _command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_locked_index_is_reported(index_dir: Path, tmp_path: Path) -> None:
    from searchkit.index import store

    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    with store.write_lock(copy):
        result = run("index", str(CORPUS), "--index", str(copy))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the index is being updated by another process")


def test_index_memory_and_procs_options(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    lines = [
        f'{{"id": "x{i}", "lang": "fr", "body": "Le barrage de Rogun, dépêche {i}."}}\n'
        for i in range(30)
    ]
    (folder / "a.jsonl").write_text("".join(lines))
    args = ["index", str(folder), "--index", str(tmp_path / "ix"), "--procs", "2"]
    result = run(*args, "--memory", "64")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("30 added, 0 updated, 0 removed, 0 unchanged, 0 failed")
    assert run(*args, "--memory", "10").exit_code == 2  # below the 64 MB floor


def test_a_swallowed_stop_signal_is_raised_again_at_the_next_file() -> None:
    from searchkit.cli import progress as terminal

    restore = terminal.catch_stop_signals()
    try:
        with pytest.raises(KeyboardInterrupt):
            terminal._raise_interrupt(15, None)  # as if inside fork(): lost by the caller
        with terminal.ProgressBar() as progress, pytest.raises(KeyboardInterrupt):
            progress(1, 10)
    finally:
        restore()
        terminal._signals_received.clear()


class _InterruptingFinder:
    """Stands for a Ctrl-C that lands while the command's modules load."""

    def find_spec(self, name: str, *args: object) -> None:
        if name == "searchkit.cli":
            raise KeyboardInterrupt


def test_ctrl_c_while_the_command_loads_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from searchkit.__main__ import main as command

    monkeypatch.delitem(sys.modules, "searchkit.cli")
    monkeypatch.setattr(sys, "meta_path", [_InterruptingFinder(), *sys.meta_path])
    # (KeyboardInterrupt caught too: an unguarded import must fail this test, not stop pytest)
    with pytest.raises((SystemExit, KeyboardInterrupt)) as stopped:
        command()
    assert stopped.type is SystemExit
    assert stopped.value.code == 130
    assert capsys.readouterr().err == (
        "Error: interrupted before the command began; nothing was changed\n"
    )


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m searchkit ARGS`` as its own process (where one-shot commands end at once)."""
    return subprocess.run(
        [sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=120
    )


def test_one_shot_command_delivers_all_its_output_and_exit_code(index_dir: Path) -> None:
    done = _command("query", "Kirgistan", "--format", "jsonl", "--index", str(index_dir))
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert len(lines) == 20
    assert all(json.loads(line)["id"] for line in lines)


def test_one_shot_command_error_is_one_line_and_its_exit_code(index_dir: Path) -> None:
    done = _command("query", "Rogun~5", "--index", str(index_dir))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: Rogun~5: at character 7: a fuzzy word allows 1 or 2 edits; "
        "write Rogun~ or Rogun~2\n"
    )
