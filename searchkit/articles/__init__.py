"""Reading article files: find them in folders, fingerprint them, parse them into Articles.

Bad content never raises here: every unreadable, binary, empty, too large or malformed file
(or JSONL line) becomes a :class:`~searchkit.models.Problem`, so one bad file never stops
an indexing run. Only a path the user named that does not exist raises CorpusError.

Limits: a ``.txt`` article over ``MAX_TEXT_BYTES`` (10 MB; a long article is ~50 kB), a
saved page over ``MAX_HTML_BYTES`` (10 MB; an outlet's article page is 50-500 kB) and
a ``.jsonl`` file over ``MAX_JSONL_BYTES`` (512 MB) are refused from their size, unread.
A ``.txt`` is read whole (it is small); a ``.jsonl`` is streamed line by line, so memory
holds one line (at most ``jsonl.MAX_LINE_BYTES``, 16 MB): :class:`FileStream` hands the
articles on one at a time (``load_file`` lists them, for small files and tests).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from searchkit.articles.decode import NotText, decode
from searchkit.articles.html import parse_html
from searchkit.articles.jsonl import iter_jsonl, read_jsonl
from searchkit.articles.textfile import parse_text
from searchkit.articles.walk import (
    SUFFIXES,
    SourceFile,
    find_files,
    open_regular,
    os_reason,
    unsupported,
)
from searchkit.errors import CorpusError
from searchkit.models import Article, Problem

__all__ = [
    "MAX_HTML_BYTES",
    "MAX_JSONL_BYTES",
    "MAX_TEXT_BYTES",
    "SUFFIXES",
    "FileResult",
    "FileStream",
    "SourceFile",
    "find_files",
    "fingerprint",
    "load_file",
]

MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_JSONL_BYTES = 512 * 1024 * 1024
MAX_HTML_BYTES = 10 * 1024 * 1024
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileResult:
    """What one file gave: its articles, its problems, the sha256 of the bytes parsed."""

    articles: list[Article]
    problems: list[Problem]
    sha: str  # "" when the file was not read in full: vanished, unreadable, refused unread


def fingerprint(source: SourceFile) -> str:
    """The sha256 hex digest of the file's bytes, streamed; CorpusError when unreadable."""
    try:
        with open_regular(source.path) as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as exc:
        raise CorpusError(f"{source.path}: {os_reason(exc)}") from exc


def load_file(source: SourceFile) -> FileResult:
    """Read the file once, hash those bytes and parse them by suffix; never raises for content."""
    try:
        with open_regular(source.path) as stream:
            return _load(source, stream)
    except OSError as exc:
        return FileResult([], [Problem(str(source.path), os_reason(exc))], "")


def _load(source: SourceFile, stream: IO[bytes]) -> FileResult:
    path = str(source.path)
    suffix = source.path.suffix.lower()
    if suffix not in SUFFIXES:
        return FileResult([], [Problem(path, unsupported(suffix))], "")
    size = os.fstat(stream.fileno()).st_size
    if size > _limit(suffix):  # refused before reading a byte
        return FileResult([], [Problem(path, _too_large(size, suffix))], "")
    if suffix == ".jsonl":
        return _load_jsonl(path, stream)
    return _load_text(source, stream)


def _load_text(source: SourceFile, stream: IO[bytes]) -> FileResult:
    path = str(source.path)
    suffix = source.path.suffix.lower()
    data = stream.read(_limit(suffix) + 1)  # never more, even if the file grew since fstat
    if len(data) > _limit(suffix):
        return FileResult([], [Problem(path, _too_large(len(data), suffix))], "")
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return FileResult([], [Problem(path, "empty file")], sha)
    article_id = str(PurePosixPath(source.rel).with_suffix(""))
    if suffix in (".html", ".htm"):
        page, problems = parse_html(data, article_id, path)
        return FileResult([page] if page else [], problems, sha)
    try:
        decoded = decode(data)
    except NotText as exc:
        return FileResult([], [Problem(path, str(exc))], sha)
    warnings = [Problem(path, decoded.warning, warning=True)] if decoded.warning else []
    article, problems = parse_text(decoded.text, article_id, path)
    return FileResult([article] if article else [], warnings + problems, sha)


def _load_jsonl(path: str, stream: IO[bytes]) -> FileResult:
    refusal, head = _jsonl_refusal(path, stream)
    if refusal is not None:
        return FileResult([], [refusal], "")
    hasher = hashlib.sha256()
    articles, problems = read_jsonl(stream, path, hasher)
    if not articles and not problems:
        problems = [_empty_jsonl(path, head)]
    return FileResult(articles, problems, hasher.hexdigest())


def _jsonl_refusal(path: str, stream: IO[bytes]) -> tuple[Problem | None, bytes]:
    """Why a JSONL file is not read at all (UTF-16, binary), and its first bytes."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(path, "UTF-16 JSON Lines: re-save it as UTF-8"), head
    if b"\x00" in head:
        return Problem(path, "binary file, not an article"), head
    return None, head


def _empty_jsonl(path: str, head: bytes) -> Problem:
    return Problem(path, "empty file" if not head else "empty file (only blank lines)")


class FileStream:
    """A file's articles and problems one at a time, as :func:`load_file` would list them.

    A JSONL feed can hold a whole archive: streamed, it is never in memory at once.
    ``sha`` (of the bytes parsed) is known once the stream is exhausted.
    """

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.sha = ""
        #: Bytes of the file parsed so far (a progress bar's measure).
        self.bytes_read = 0

    def __iter__(self) -> Iterator[Article | Problem]:
        source, path = self.source, str(self.source.path)
        if source.path.suffix.lower() != ".jsonl":
            result = load_file(source)
            self.sha = result.sha
            with contextlib.suppress(OSError):
                self.bytes_read = source.path.stat().st_size
            yield from result.problems
            yield from result.articles
            return
        try:
            with open_regular(source.path) as stream:
                yield from self._jsonl(path, stream)
        except OSError as exc:
            yield Problem(path, os_reason(exc))

    def _jsonl(self, path: str, stream: IO[bytes]) -> Iterator[Article | Problem]:
        size = os.fstat(stream.fileno()).st_size
        if size > _limit(".jsonl"):
            yield Problem(path, _too_large(size, ".jsonl"))
            return
        refusal, head = _jsonl_refusal(path, stream)
        if refusal is not None:
            yield refusal
            return
        hasher = hashlib.sha256()
        empty = True
        for item in iter_jsonl(stream, path, hasher):
            empty = False
            self.bytes_read = stream.tell()
            yield item
        if empty:
            yield _empty_jsonl(path, head)
        self.sha = hasher.hexdigest()


def _limit(suffix: str) -> int:
    # Read at call time, not bound at import, so that tests can lower the limits.
    if suffix in (".html", ".htm"):
        return MAX_HTML_BYTES
    return MAX_JSONL_BYTES if suffix == ".jsonl" else MAX_TEXT_BYTES


def _too_large(size: int, suffix: str) -> str:
    return (
        f"too large ({_human(size)}; the limit for a {suffix} file is "
        f"{_human(_limit(suffix))}): not indexed; split it into smaller files"
    )


def _human(size: int) -> str:
    if size < 2**20:
        return f"{size} bytes"
    return f"{size / 2**20:g} MB" if size % 2**20 == 0 else f"{size / 2**20:.1f} MB"
