"""Finding article files: folders walked in path order, each file once, loops and aliases
told apart, every oddity a Problem rather than an exception."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from searchkit.errors import CorpusError
from searchkit.models import Problem

SUFFIXES = (".txt", ".jsonl", ".html", ".htm")


@dataclass(frozen=True)
class SourceFile:
    """An article file: as the user would name it, its identity, its path in the corpus."""

    path: Path  # the given folder joined with rel, not resolved
    key: str  # the resolved absolute path: stable identity for incremental indexing
    rel: str  # posix path relative to the given folder; the name for a file given directly


def find_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[SourceFile], list[Problem]]:
    """Article files (*.txt, *.jsonl, *.html, *.htm) under the given folders, plus the files
    given directly.

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


def _sources(root: Path, problems: list[Problem]) -> Iterator[SourceFile]:
    """The article files one given path stands for."""
    if not root.exists():
        if root.is_symlink():
            raise CorpusError(f"{root}: broken symbolic link (its target is missing or loops)")
        raise CorpusError(f"{root}: no such file or folder")
    if root.is_dir():
        yield from _walk(root, problems)
    elif root.suffix.lower() not in SUFFIXES:
        problems.append(Problem(str(root), unsupported(root.suffix)))
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
        problems.append(Problem(str(folder), f"cannot list folder: {os_reason(exc)}"))
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


def unsupported(suffix: str) -> str:
    """Why a file with another suffix is not read."""
    what = suffix or "no suffix"
    return f"not an article file ({what}): searchkit reads .txt, .jsonl, .html and .htm"


def os_reason(exc: OSError) -> str:
    """Why a file could not be read, in words a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return "file vanished (deleted or moved since the folder was read): not indexed"
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied; check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not an article file"
    return f"cannot read: {exc.strerror or exc}"
