"""Reading article files: find them in folders, fingerprint them, parse them into Articles.

Bad content never raises here: every unreadable, binary, empty, too large or malformed file
(or JSONL line) becomes a :class:`~searchkit.models.Problem`, so one bad file never stops
an indexing run. Only a path the user named that does not exist raises CorpusError.

Limits: a ``.txt`` article over ``MAX_TEXT_BYTES`` (10 MB; a long article is ~50 kB) and
a ``.jsonl`` file over ``MAX_JSONL_BYTES`` (512 MB) are refused from their size, unread.
A ``.txt`` is read whole (it is small); a ``.jsonl`` is streamed line by line, so memory
holds one line (at most ``jsonl.MAX_LINE_BYTES``, 16 MB) plus the articles parsed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from searchkit.articles.decode import NotText, decode
from searchkit.articles.jsonl import iter_jsonl, read_jsonl
from searchkit.articles.textfile import parse_text
from searchkit.errors import CorpusError
from searchkit.models import Article, Problem

__all__ = [
    "MAX_JSONL_BYTES",
    "MAX_TEXT_BYTES",
    "SUFFIXES",
    "FileResult",
    "SourceFile",
    "find_files",
    "fingerprint",
    "load_file",
]

SUFFIXES = (".txt", ".jsonl")
MAX_TEXT_BYTES = 10 * 1024 * 1024
MAX_JSONL_BYTES = 512 * 1024 * 1024
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SourceFile:
    """An article file: as the user would name it, its identity, its path in the corpus."""

    path: Path  # the given folder joined with rel, not resolved
    key: str  # the resolved absolute path: stable identity for incremental indexing
    rel: str  # posix path relative to the given folder; the name for a file given directly


@dataclass(frozen=True)
class FileResult:
    """What one file gave: its articles, its problems, the sha256 of the bytes parsed."""

    articles: list[Article]
    problems: list[Problem]
    sha: str  # "" when the file was not read in full: vanished, unreadable, refused unread


def find_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[SourceFile], list[Problem]]:
    """Article files (*.txt, *.jsonl) under the given folders, plus the files given directly.

    Folders are walked recursively, listed in path order, hidden files and folders skipped;
    each file is listed once (by resolved path) even if reached twice. Symbolic links are
    followed, except links to folders inside the given folder (aliases: the real path is
    listed); a link back to a parent folder is reported as a loop, not followed. Paths given
    are kept in their order. A given path that does not exist raises CorpusError.
    """
    found: list[SourceFile] = []
    problems: list[Problem] = []
    keys: set[str] = set()
    for given in paths:
        for source in _sources(Path(given), problems):
            if source.key not in keys:
                keys.add(source.key)
                found.append(source)
    return found, problems


def fingerprint(source: SourceFile) -> str:
    """The sha256 hex digest of the file's bytes, streamed; CorpusError when unreadable."""
    try:
        with open(source.path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as exc:
        raise CorpusError(f"{source.path}: {_os_reason(exc)}") from exc


def load_file(source: SourceFile) -> FileResult:
    """Read the file once, hash those bytes and parse them by suffix; never raises for content."""
    try:
        with open(source.path, "rb") as stream:
            return _load(source, stream)
    except OSError as exc:
        return FileResult([], [Problem(str(source.path), _os_reason(exc))], "")


def _load(source: SourceFile, stream: IO[bytes]) -> FileResult:
    path = str(source.path)
    suffix = source.path.suffix.lower()
    if suffix not in SUFFIXES:
        return FileResult([], [Problem(path, _unsupported(suffix))], "")
    size = os.fstat(stream.fileno()).st_size
    if size > _limit(suffix):  # refused before reading a byte
        return FileResult([], [Problem(path, _too_large(size, suffix))], "")
    if suffix == ".jsonl":
        return _load_jsonl(path, stream)
    return _load_text(source, stream)


def _load_text(source: SourceFile, stream: IO[bytes]) -> FileResult:
    path = str(source.path)
    data = stream.read(_limit(".txt") + 1)  # never more, even if the file grew since fstat
    if len(data) > _limit(".txt"):
        return FileResult([], [Problem(path, _too_large(len(data), ".txt"))], "")
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return FileResult([], [Problem(path, "empty file")], sha)
    try:
        decoded = decode(data)
    except NotText as exc:
        return FileResult([], [Problem(path, str(exc))], sha)
    warnings = [Problem(path, decoded.warning, warning=True)] if decoded.warning else []
    article_id = str(PurePosixPath(source.rel).with_suffix(""))
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

    def __iter__(self) -> Iterator[Article | Problem]:
        source, path = self.source, str(self.source.path)
        if source.path.suffix.lower() != ".jsonl":
            result = load_file(source)
            self.sha = result.sha
            yield from result.problems
            yield from result.articles
            return
        try:
            with open(source.path, "rb") as stream:
                yield from self._jsonl(path, stream)
        except OSError as exc:
            yield Problem(path, _os_reason(exc))

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
            yield item
        if empty:
            yield _empty_jsonl(path, head)
        self.sha = hasher.hexdigest()


def _sources(root: Path, problems: list[Problem]) -> Iterator[SourceFile]:
    """The article files one given path stands for."""
    if not root.exists():
        if root.is_symlink():
            raise CorpusError(f"{root}: broken symbolic link (its target is missing or loops)")
        raise CorpusError(f"{root}: no such file or folder")
    if root.is_dir():
        yield from _walk(root, problems)
    elif root.suffix.lower() not in SUFFIXES:
        problems.append(Problem(str(root), _unsupported(root.suffix)))
    elif not stat.S_ISREG(root.stat().st_mode):
        problems.append(Problem(str(root), "not a regular file: skipped"))
    else:
        yield SourceFile(root, str(root.resolve()), root.name)


def _walk(root: Path, problems: list[Problem]) -> list[SourceFile]:
    """The files under root in path order, without recursion (deep trees) or cycles (loops).

    A link to a folder inside root is an alias: skipped, the real folder is walked (so ids
    come from real paths). A link to a folder outside root is followed, once.
    """
    found: list[SourceFile] = []
    real_root = root.resolve()
    walked = {_identity(root) or (-1, -1)}
    # Each pending folder carries its ancestors, to tell a loop from a second route.
    stack = [(root, PurePosixPath(), frozenset(walked))]
    while stack:
        folder, rel, ancestors = stack.pop()
        subfolders = []
        for entry in _entries(folder, problems):
            path, entry_rel = folder / entry.name, rel / entry.name
            kind = _entry_kind(entry)
            if kind == "dir":
                ident = _identity(path)
                if ident is None:  # removed while we walk: nothing to list
                    continue
                if ident in ancestors:
                    problems.append(_loop_problem(path))
                elif ident not in walked and not _alias(entry, path, real_root):
                    walked.add(ident)
                    subfolders.append((path, entry_rel, ancestors | {ident}))
            elif kind == "file" and path.suffix.lower() in SUFFIXES:
                found.append(SourceFile(path, str(path.resolve()), entry_rel.as_posix()))
            elif kind == "broken link":
                problems.append(_broken_link_problem(path))
        stack.extend(reversed(subfolders))
    # Folder by folder, then component-wise: "fr/a.txt" < "fr/sub/c.txt" < "fr-x.txt".
    return sorted(found, key=lambda source: source.rel.split("/"))


def _alias(entry: os.DirEntry[str], path: Path, real_root: Path) -> bool:
    return entry.is_symlink() and path.resolve().is_relative_to(real_root)


def _entries(folder: Path, problems: list[Problem]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as scan:
            entries = [e for e in scan if not e.name.startswith(".")]
    except OSError as exc:
        problems.append(Problem(str(folder), f"cannot list folder: {_os_reason(exc)}"))
        return []
    return sorted(entries, key=lambda e: e.name)


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """ "dir", "file", "broken link" (dangling or looping) or "other" (fifo, socket...)."""
    try:
        if entry.is_dir():
            return "dir"
        if entry.is_file():
            return "file"
    except OSError:  # ELOOP: a link that resolves to itself
        return "broken link"
    return "broken link" if entry.is_symlink() else "other"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _loop_problem(path: Path) -> Problem:
    target = os.readlink(path) if path.is_symlink() else "a parent folder"
    reason = f"symbolic link loop (points back to {target}): not followed"
    return Problem(str(path), reason, warning=True)


def _broken_link_problem(path: Path) -> Problem:
    """A link that cannot be followed: a failure when it names an article file."""
    reason = "broken symbolic link (its target does not exist): skipped"
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the link resolves to itself, directly or not
            reason = "symbolic link loop: it cannot be resolved, skipped"
    is_article = path.suffix.lower() in SUFFIXES
    return Problem(str(path), reason, warning=not is_article)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file vanished (deleted or moved since the folder was read): not indexed"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied; check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not an article file"
    return f"cannot read: {exc.strerror or exc}"


def _unsupported(suffix: str) -> str:
    return f"not an article file ({suffix or 'no suffix'}): searchkit reads .txt and .jsonl"


def _limit(suffix: str) -> int:
    # Read at call time, not bound at import, so that tests can lower the limits.
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
