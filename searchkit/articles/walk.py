"""Finding article files: folders walked in path order, each file once, loops and aliases
told apart, every oddity a Problem rather than an exception."""

from __future__ import annotations

import errno
import io
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


def find_files(
    paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False
) -> tuple[list[SourceFile], list[Problem]]:
    """Article files (*.txt, *.jsonl, *.html, *.htm) under the given folders, plus the files
    given directly.

    Folders are walked recursively, listed in path order, hidden files and folders skipped;
    each file is listed once (by resolved path) even if reached twice. A symbolic link
    inside a folder is followed only when its target is inside that folder (so a link to
    ``/etc/passwd`` or to ``/proc`` is reported and skipped), unless ``follow_links``; links
    to folders inside the given folder are aliases (the real path is listed); a link back
    to a parent folder is reported as a loop, not followed. FIFOs, sockets and devices are
    skipped with a warning, and so are names that are not UTF-8. Paths given are kept in
    their order (a path given is followed wherever it points). A given path that does not
    exist raises CorpusError.
    """
    found: list[SourceFile] = []
    problems: list[Problem] = []
    keys: set[str] = set()
    for given in paths:
        for source in _sources(Path(given), problems, follow_links):
            if source.key not in keys:
                keys.add(source.key)
                found.append(source)
    return found, problems


def _sources(root: Path, problems: list[Problem], follow_links: bool) -> Iterator[SourceFile]:
    """The article files one given path stands for."""
    if not root.exists():
        if root.is_symlink():
            raise CorpusError(f"{root}: broken symbolic link (its target is missing or loops)")
        raise CorpusError(f"{root}: no such file or folder")
    if root.is_dir():
        yield from _walk(root, problems, follow_links)
    elif root.suffix.lower() not in SUFFIXES:
        problems.append(Problem(str(root), unsupported(root.suffix)))
    elif not stat.S_ISREG(root.stat().st_mode):
        problems.append(Problem(str(root), "not a regular file: skipped"))
    else:
        yield SourceFile(root, str(root.resolve()), root.name)


def _walk(root: Path, problems: list[Problem], follow_links: bool) -> list[SourceFile]:
    """The files under root in path order, without recursion (deep trees) or cycles (loops).

    A link to a folder inside root is an alias: skipped, the real folder is walked (so ids
    come from real paths). A link leading outside root is skipped with a warning, or
    followed (once) with ``follow_links``.
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
            refusal = _refusal(entry, path, kind, real_root, follow_links)
            if refusal is not None:
                problems.append(refusal)
                continue
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


_NOT_REGULAR = "not a regular file (a FIFO, socket or device): skipped"


def _refusal(
    entry: os.DirEntry[str], path: Path, kind: str, real_root: Path, follow_links: bool
) -> Problem | None:
    """Why an entry is skipped with a word: a link out of root, a non-UTF-8 name, a FIFO."""
    if kind == "other":
        return Problem(str(path), _NOT_REGULAR, warning=True)
    if kind not in ("dir", "file"):
        return None
    if not _may_follow(entry, path, real_root, follow_links):
        return _outside_problem(path)
    if not _utf8(entry.name):
        return _name_problem(path, kind)
    return None


def _may_follow(entry: os.DirEntry[str], path: Path, real_root: Path, follow: bool) -> bool:
    """A symbolic link is followed only into root (or anywhere with ``follow``)."""
    if follow or not entry.is_symlink():
        return True
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def _outside_problem(path: Path) -> Problem:
    target = os.readlink(path)
    reason = (
        f"symbolic link to {target}, outside the folder given: not followed "
        "(use --follow-links to follow it)"
    )
    return Problem(str(path), reason, warning=True)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by the file system encoding
        return False
    return True


def _name_problem(path: Path, kind: str) -> Problem:
    what = "folder" if kind == "dir" else "file"
    reason = f"the {what} name is not valid UTF-8: skipped; rename it"
    return Problem(str(path), reason, warning=kind == "dir")


def open_regular(path: Path) -> io.BufferedReader:
    """Open a file for reading, refusing (OSError EINVAL) anything but a regular file.

    Non-blocking, so that a file replaced by a FIFO after the folder walk can never block
    the run (opening a FIFO for reading waits for a writer); checked with fstat on the
    opened file, so that what is read is what was checked.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, _NOT_REGULAR, str(path))
        os.set_blocking(fd, True)
        return io.BufferedReader(io.FileIO(fd, "rb"))
    except BaseException:
        os.close(fd)
        raise


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
    if exc.errno == errno.EINVAL and exc.strerror == _NOT_REGULAR:
        return _NOT_REGULAR
    return f"cannot read: {exc.strerror or exc}"
