"""Finding, fingerprinting and loading article files; bad input; the sample corpus."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

import searchkit.articles as articles
from searchkit.articles import SourceFile, find_files, fingerprint, load_file
from searchkit.articles.boilerplate import classify, fold
from searchkit.errors import CorpusError
from searchkit.models import Problem

DATA = Path(__file__).resolve().parents[1] / "data" / "articles"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ARTICLE = "Un titre\n\nUn chapeau court.\n\nUn texte. Avec deux phrases.\n\nUn autre paragraphe.\n"


def write(path: Path, text: str = ARTICLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def source(path: Path, rel: str | None = None) -> SourceFile:
    return SourceFile(path, str(path.resolve()), rel or path.name)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for rel in ("fr/b.txt", "fr/a.txt", "de/x.TXT", "all.jsonl", "fr/sub/c.txt"):
        write(root / rel)
    for rel in ("notes.md", "fr/a.txt.bak", ".hidden.txt", ".git/y.txt", "fr/.cache/z.txt"):
        write(root / rel)
    return root


def rels(found: list[SourceFile]) -> list[str]:
    return [s.rel for s in found]


def test_folders_are_walked_in_name_order_skipping_hidden_and_other_files(corpus: Path) -> None:
    found, problems = find_files([corpus])
    assert rels(found) == ["all.jsonl", "de/x.TXT", "fr/a.txt", "fr/b.txt", "fr/sub/c.txt"]
    assert problems == []
    assert found[2] == SourceFile(
        corpus / "fr/a.txt", str((corpus / "fr/a.txt").resolve()), "fr/a.txt"
    )


def test_each_file_once_even_if_given_twice(corpus: Path) -> None:
    found, _ = find_files([corpus, str(corpus), corpus / "fr/a.txt"])
    assert rels(found) == ["all.jsonl", "de/x.TXT", "fr/a.txt", "fr/b.txt", "fr/sub/c.txt"]


def test_a_file_given_directly_is_named_by_its_name(corpus: Path) -> None:
    found, problems = find_files([corpus / "fr" / "sub" / "c.txt", corpus / ".hidden.txt"])
    assert rels(found) == ["c.txt", ".hidden.txt"]  # named by the user: not skipped
    assert problems == []


def test_a_file_given_directly_with_another_suffix_is_reported(corpus: Path) -> None:
    found, problems = find_files([corpus / "notes.md"])
    assert found == []
    reason = "not an article file (.md): searchkit reads .txt, .jsonl, .html and .htm"
    assert problems == [Problem(str(corpus / "notes.md"), reason)]


def test_a_path_that_does_not_exist_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="nowhere: no such file or folder"):
        find_files([tmp_path / "nowhere"])


def test_symlinks_to_files_and_folders_are_followed(tmp_path: Path, corpus: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "extra.txt")
    (corpus / "linked.txt").symlink_to(outside)
    (corpus / "ext").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (corpus / "fr" / "same.txt").symlink_to(corpus / "fr" / "a.txt")
    found, problems = find_files([corpus], follow_links=True)  # outside links: only asked
    assert problems == []
    # linked.txt and fr/same.txt lead to files already listed: each file is listed once.
    assert rels(found) == [
        "all.jsonl",
        "de/x.TXT",
        "ext/extra.txt",
        "fr/a.txt",
        "fr/b.txt",
        "fr/sub/c.txt",
    ]
    assert found[2].path == corpus / "ext" / "extra.txt"
    assert found[2].key == str(outside.resolve())


def test_a_link_to_a_folder_inside_the_root_is_an_alias_not_a_second_id(corpus: Path) -> None:
    (corpus / "aa-alias").symlink_to(corpus / "fr", target_is_directory=True)
    found, problems = find_files([corpus])
    assert problems == []
    assert rels(found) == ["all.jsonl", "de/x.TXT", "fr/a.txt", "fr/b.txt", "fr/sub/c.txt"]


def test_a_symlink_loop_is_reported_not_followed(corpus: Path) -> None:
    (corpus / "fr" / "sub" / "up").symlink_to(corpus / "fr", target_is_directory=True)
    (corpus / "self.txt").symlink_to(corpus / "self.txt")
    found, problems = find_files([corpus])
    assert rels(found) == ["all.jsonl", "de/x.TXT", "fr/a.txt", "fr/b.txt", "fr/sub/c.txt"]
    assert problems == [
        Problem(str(corpus / "self.txt"), "symbolic link loop: it cannot be resolved, skipped"),
        Problem(
            str(corpus / "fr/sub/up"),
            f"symbolic link loop (points back to {corpus / 'fr'}): not followed",
            warning=True,
        ),
    ]


def test_a_broken_symlink_is_reported(corpus: Path) -> None:
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "gone-folder").symlink_to(corpus / "nowhere", target_is_directory=True)
    _, problems = find_files([corpus])
    reason = "broken symbolic link (its target does not exist): skipped"
    assert problems == [
        Problem(str(corpus / "gone-folder"), reason, warning=True),
        Problem(str(corpus / "gone.txt"), reason),
    ]


def test_fingerprint_is_the_sha256_of_the_bytes(corpus: Path) -> None:
    path = corpus / "fr/a.txt"
    assert fingerprint(source(path)) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_vanished_file_fails_to_fingerprint_and_to_load(corpus: Path) -> None:
    [first, *_], _ = find_files([corpus / "fr/a.txt"])
    (corpus / "fr/a.txt").unlink()
    with pytest.raises(CorpusError, match=r"a\.txt: file vanished"):
        fingerprint(first)
    reason = "file vanished (deleted or moved since the folder was read): not indexed"
    assert load_file(first) == articles.FileResult([], [Problem(str(first.path), reason)], "")


def load(path: Path) -> articles.FileResult:
    return load_file(source(path))


def test_load_gives_the_article_and_the_sha_of_its_bytes(corpus: Path) -> None:
    path = corpus / "fr/a.txt"
    result = load_file(source(path, "fr/a.txt"))
    [article] = result.articles
    assert (article.id, article.title, article.lead) == ("fr/a", "Un titre", "Un chapeau court.")
    assert article.path == str(path)
    assert result.sha == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not an article"),
        ("controls.txt", bytes(range(1, 32)) * 10, "binary file, not an article"),
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n  \r\n\t\n", "empty file (only blank lines)"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file (only blank lines)"),
        ("empty.jsonl", b"", "empty file"),
        ("blank.jsonl", b"\n\n  \n", "empty file (only blank lines)"),
        ("binary.jsonl", b'{"id": "a"}\n\x00\x01\x02', "binary file, not an article"),
        ("utf16.jsonl", '{"id": "a"}'.encode("utf-16"), "UTF-16 JSON Lines: re-save it as UTF-8"),
        (
            "notes.md",
            b"# Notes",
            "not an article file (.md): searchkit reads .txt, .jsonl, .html and .htm",
        ),
    ],
)
def test_bad_files_are_failures_not_errors(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = load(path)
    assert (result.articles, result.problems) == ([], [Problem(str(path), reason)])


def test_a_folder_named_like_an_article_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    result = load(tmp_path / "folder.txt")
    assert result.problems == [
        Problem(str(tmp_path / "folder.txt"), "is a folder, not an article file")
    ]


def test_an_unreadable_file_is_a_failure(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus / "fr/a.txt"
    real_open = os.open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        # chmod 0 cannot be used: CI runs as root, who reads anything.
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("os.open", denied)
    reason = "cannot read: permission denied; check the file's permissions"
    assert load(path).problems == [Problem(str(path), reason)]


@pytest.mark.parametrize(
    "encoding, warning",
    [
        ("cp1252", "decoded as cp1252: re-save it as UTF-8"),
        ("utf-16", "decoded as UTF-16: re-save it as UTF-8"),
        ("utf-8-sig", ""),
    ],
)
def test_legacy_encodings_are_decoded_without_mojibake(
    tmp_path: Path, encoding: str, warning: str
) -> None:
    original = load(DATA / "fr/bergers-naryn.txt").articles[0]
    text = (DATA / "fr/bergers-naryn.txt").read_text(encoding="utf-8")
    path = tmp_path / "bergers-naryn.txt"
    path.write_bytes(text.encode(encoding))
    result = load(path)
    expected = [Problem(str(path), warning, warning=True)] if warning else []
    assert result.problems == expected
    [article] = result.articles
    for name in ("title", "lead", "body", "author", "caption", "credit", "tags", "related"):
        assert getattr(article, name) == getattr(original, name)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt")
    path.write_bytes("Un titre\n\nUn texte accentué.\n\nUn octet \x81 isolé.\n".encode("latin-1"))
    result = load(path)
    assert result.problems == [
        Problem(str(path), "decoded as latin-1: re-save it as UTF-8", warning=True)
    ]
    [article] = result.articles
    assert (article.lead, article.body) == ("Un texte accentué.", "Un octet \x81 isolé.")


class SpyOpen:
    """open() for the articles module that counts the bytes read."""

    def __init__(self) -> None:
        self.read = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        spy = self
        handle = open(*args, **kwargs)  # noqa: SIM115 - returned to a with statement

        class Counting:
            def __enter__(self) -> Counting:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def read(self, size: int = -1) -> bytes:
                data = handle.read(size)
                spy.read += len(data)
                return data

            def __getattr__(self, name: str) -> Any:
                return getattr(handle, name)

        return Counting()


def test_a_txt_over_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(11 * 2**20)  # sparse: cheap to make
    spy = SpyOpen()
    monkeypatch.setattr(articles, "open", spy, raising=False)
    result = load(path)
    reason = (
        "too large (11 MB; the limit for a .txt file is 10 MB): not indexed;"
        " split it into smaller files"
    )
    assert result == articles.FileResult([], [Problem(str(path), reason)], "")
    assert spy.read == 0


def test_a_jsonl_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(articles, "MAX_JSONL_BYTES", 100)
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": "a", "body": "Texte."}\n' * 10, encoding="utf-8")
    reason = (
        "too large (300 bytes; the limit for a .jsonl file is 100 bytes): not indexed;"
        " split it into smaller files"
    )
    assert load(path).problems == [Problem(str(path), reason)]


# --- every file of the sample corpus ------------------------------------------------------

CORPUS_FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".jsonl"))
# Fixed phrases of the outlet's boilerplate, checked as plain substrings: a check that does
# not depend on the rules it verifies.
CUES = (
    "Novastan est le seul média",
    "Lire aussi sur Novastan",
    "Envie d'Asie centrale",
    "n'hésitez pas à nous suivre",
    "Partager avec",
    "Aucun commentaire",
    "Ecrire un commentaire",
    "Captcha",
    "Novastan ist das einzige",
    "Lest auch auf Novastan",
    "direkt in dein Postfach",
    "dieser Artikel gefallen hat",
    "Teilen mit",
    "Keine Kommentare",
    "Kommentar schreiben",
)


@pytest.mark.skipif(not CORPUS_FILES, reason="corpus/ is empty")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_corpus_file_parses_without_boilerplate(path: Path) -> None:
    result = load_file(source(path, path.relative_to(CORPUS).as_posix()))
    assert [p for p in result.problems if not p.warning] == []
    assert result.articles
    for article in result.articles:
        for name in ("title", "lead", "body", "caption", "author"):
            text = getattr(article, name)
            for paragraph in text.split("\n"):
                assert classify(paragraph) is None, (name, paragraph)
            for cue in CUES:
                assert cue.lower() not in fold(text).lower(), (name, cue)
        for tag in article.tags:
            assert classify(tag) is None and not any(c.lower() in tag.lower() for c in CUES)
        if path.suffix == ".txt":
            for name in ("title", "lead", "body", "author", "caption", "credit", "tags", "related"):
                assert getattr(article, name), f"{name} is empty"
            assert article.lang == path.parent.name
