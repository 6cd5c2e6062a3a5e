"""Issue 15, items 3, 5, 8, 10, 11 and 12: hostile input files, hostile article text, API
arguments; each a warning or one ``Error:`` line, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit.articles import find_files
from searchkit.cli.commands import main
from searchkit.errors import InvalidArgumentError, QuerySyntaxError
from searchkit.index import store
from searchkit.models import Problem

HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil\x07x\x08\x7f\x9b31m\u202eevil"
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07\\x1b]8;;http://evil\\x07x\\x08\\x7f\\x9b31m\\u202eevil"


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def jsonl(folder: Path, *records: dict[str, object], name: str = "feed.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


ROGUN = {"id": "rogun", "lang": "fr", "title": "Rogun", "body": "Le barrage de Rogun."}
KAMBARATA = {"id": "kambarata", "lang": "fr", "title": "Kambarata", "body": "Un barrage."}


# --- item 11: symbolic links ---------------------------------------------------------


def test_links_out_of_the_folder_are_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = jsonl(tmp_path / "outside", ROGUN)
    corpus = jsonl(tmp_path / "corpus", KAMBARATA)
    (corpus / "passwd.jsonl").symlink_to(outside / "feed.jsonl")
    (corpus / "etc").symlink_to(outside, target_is_directory=True)
    (corpus / "inside.jsonl").symlink_to(corpus / "feed.jsonl")  # inside: followed
    found, problems = find_files([corpus])
    assert [s.rel for s in found] == ["feed.jsonl"]
    assert problems == [
        Problem(
            str(corpus / name),
            f"symbolic link to {outside / target}, outside the folder given: not followed "
            "(use --follow-links to follow it)",
            warning=True,
        )
        for name, target in (("etc", ""), ("passwd.jsonl", "feed.jsonl"))
    ]
    index_dir = tmp_path / "ix"
    result = cli("index", str(corpus), "--index", str(index_dir))
    assert result.exit_code == 0
    assert result.stdout.startswith("1 added")
    result = cli("index", str(corpus), "--index", str(index_dir), "--follow-links")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 added")  # rogun, reached twice, indexed once


# --- item 3: FIFOs --------------------------------------------------------------------


def test_a_fifo_in_a_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "corpus", ROGUN)
    os.mkfifo(corpus / "pipe.jsonl")
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {corpus / 'pipe.jsonl'}: not a regular file (a FIFO, socket or device): "
        "skipped\n"
    )


def test_a_file_replaced_by_a_fifo_after_the_walk_does_not_block(tmp_path: Path) -> None:
    """Run in a subprocess with a timeout: before the fix, opening the FIFO blocked forever."""
    fifo = tmp_path / "late.jsonl"
    os.mkfifo(fifo)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from searchkit.articles import SourceFile, FileStream, fingerprint, load_file\n"
        "from searchkit.errors import CorpusError\n"
        f"source = SourceFile(Path({str(fifo)!r}), {str(fifo)!r}, 'late.jsonl')\n"
        "try:\n"
        "    fingerprint(source)\n"
        "except CorpusError as exc:\n"
        "    print(exc)\n"
        "print(load_file(source).problems[0].reason)\n"
        "print(list(FileStream(source))[0].reason)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20
    )
    reason = "not a regular file (a FIFO, socket or device): skipped"
    assert result.stdout == f"{fifo}: {reason}\n{reason}\n{reason}\n", result.stderr


# --- item 5: one bad input never aborts the run ----------------------------------------


def test_a_field_nested_too_deeply_is_dropped_with_a_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    deep = json.dumps({**ROGUN, "extra": json.loads("[" * 600 + "]" * 600)})
    (corpus / "deep.jsonl").write_text(deep + "\n" + json.dumps(KAMBARATA) + "\n")
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f'warning: {corpus / "deep.jsonl"}:1: "extra" is nested more than 64 levels deep: ignored\n'
    )
    assert result.stdout.startswith("2 added")


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "corpus", ROGUN)
    bad = os.fsencode(corpus) + b"/caf\xe9.jsonl"
    with open(bad, "wb") as f:
        f.write(json.dumps(KAMBARATA).encode() + b"\n")
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"failed: {corpus}/caf\\xe9.jsonl: the file name is not valid UTF-8: skipped; rename it\n"
    )
    assert result.stdout.startswith("1 added")


def test_an_unreadable_file_names_its_path_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = jsonl(tmp_path / "corpus", ROGUN)
    path = corpus / "feed.jsonl"
    real_open = os.open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(path):  # chmod cannot be used: CI runs as root
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("os.open", denied)
    result = cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"failed: {path}: cannot read: permission denied; check the file's permissions\n"
    )


# --- item 10: terminal injection --------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    record = {
        "id": f"id{HOSTILE}",
        "lang": "fr",
        "title": f"Rogun {HOSTILE}",
        "author": f"Auteur {HOSTILE}",
        "tags": [f"tag{HOSTILE}"],
        "body": f"Le barrage de Rogun {HOSTILE} et encore du texte.",
    }
    corpus = jsonl(root / "corpus", record)
    assert searchkit.build_index([corpus], root / "ix").ok
    return root / "ix"


def test_article_text_cannot_drive_the_terminal(hostile_index: Path) -> None:
    result = cli("query", "Rogun", "--index", str(hostile_index), "--facets")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for raw in ("\x1b", "\x07", "\x08", "\x7f", "\x9b", "\u202e"):
        assert raw not in out
    assert f"  1. Rogun {SHOWN}  [fr]" in out
    assert f"Auteur {SHOWN}" in out
    assert f"tag{SHOWN}" in out


def test_json_output_escapes_c1_del_and_bidi_controls(hostile_index: Path) -> None:
    result = cli("query", "Rogun", "--index", str(hostile_index), "--json")
    assert result.exit_code == 0
    assert "\\u001b]0;pwned\\u0007" in result.stdout
    assert "\\u007f\\u009b31m\\u202eevil" in result.stdout
    for raw in ("\x1b", "\x7f", "\x9b", "\u202e"):
        assert raw not in result.stdout
    assert json.loads(result.stdout)["hits"][0]["title"] == f"Rogun {HOSTILE}"


def test_error_lines_cannot_drive_the_terminal(hostile_index: Path) -> None:
    result = cli("similar", f"x{HOSTILE}", "--index", str(hostile_index))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no article with id 'x{SHOWN}' in ")


# --- items 8 and 12: API arguments and the CLI ------------------------------------------


def test_api_arguments_raise_what_the_cli_refuses(hostile_index: Path) -> None:
    with searchkit.open_index(hostile_index) as searcher:
        with pytest.raises(InvalidArgumentError) as limit:
            searcher.search("Rogun", limit=0)
        assert isinstance(limit.value, ValueError)
        assert (
            str(limit.value)
            == "limit must be 1 or more and offset 0 or more (got limit=0, offset=0)"
        )
        with pytest.raises(QuerySyntaxError, match=r"^the query is empty: give some words"):
            searcher.search("  ")
        assert searcher.search("", author=f"Auteur {HOSTILE}").total == 1  # a filter: listed
        with pytest.raises(InvalidArgumentError, match=r"^lang: 'en' is not one of 'fr', 'de'$"):
            searcher.search("Rogun", lang="en")
        with pytest.raises(QuerySyntaxError, match=r"^since: 'notadate' is not a date"):
            searcher.search("Rogun", since="notadate")


def test_a_query_may_start_with_a_dash(hostile_index: Path) -> None:
    result = cli("query", "-Kambarata +barrage", "--index", str(hostile_index))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 article for: -Kambarata +barrage (showing 1-1)")
    result = cli("query", "barrage", "--limt", "3", "--index", str(hostile_index))
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: No such option: --limt\n")


def test_eval_with_its_files_swapped_says_so(hostile_index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "q1", "lang": "fr", "text": "Rogun"}\n')
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\trogun\t1\n")
    result = cli("eval", str(qrels), str(queries), "--index", str(hostile_index))
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: {qrels}: not one query read (expected JSON Lines of {{"qid", "lang", '
        '"text"}); the order is: searchkit eval QUERIES.jsonl QRELS.tsv (are the two files '
        "swapped?)\n"
    )


def test_summary_seconds_leave_out_the_wait_for_the_lock(tmp_path: Path) -> None:
    corpus = jsonl(tmp_path / "corpus", ROGUN)
    index_dir = tmp_path / "ix"
    held = threading.Event()

    def hold() -> None:
        with store.write_lock(index_dir):
            held.set()
            time.sleep(1.5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    started = time.perf_counter()
    report = searchkit.build_index([corpus], index_dir, wait=10)
    holder.join()
    assert time.perf_counter() - started >= 1.0
    assert report.seconds < 1.0
