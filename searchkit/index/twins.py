"""The story twins file: which article tells the same story in the other language.

Links are found after each commit (:mod:`searchkit.search.twins`) and kept beside the
index in one small JSON file, ``{id: twin id}`` both ways, replaced atomically (written
aside, then renamed) so that a reader sees the old links or the new, never half a file.
A missing or unreadable file means no links: they are a convenience, never a reason for
a search to fail.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from searchkit.index.schema import INDEX_NAME

TWINS_FILE = f"{INDEX_NAME}_twins.json"


def twins_path(index_dir: Path) -> Path:
    """Where the twins file of ``index_dir`` lives."""
    return index_dir / TWINS_FILE


def read_twins(index_dir: Path) -> dict[str, str]:
    """``{id: twin id}``; empty when there is no file or it cannot be read."""
    try:
        data = json.loads(twins_path(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def write_twins(index_dir: Path, twins: dict[str, str]) -> None:
    """Replace the twins file with ``twins`` (atomically, durably)."""
    final = twins_path(index_dir)
    aside = final.with_name(final.name + ".part")
    with open(aside, "w", encoding="utf-8") as out:
        json.dump(dict(sorted(twins.items())), out, ensure_ascii=False, indent=0)
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, final)


class TwinsReader:
    """The twins file as last read, read again when it changes on disk (a stat a call)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._stamp: tuple[int, int] | None = None
        self._twins: dict[str, str] = {}

    def get(self) -> dict[str, str]:
        """The current ``{id: twin id}`` map."""
        stamp = None
        with contextlib.suppress(OSError):
            info = twins_path(self.index_dir).stat()
            stamp = (info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            self._stamp, self._twins = stamp, read_twins(self.index_dir) if stamp else {}
        return self._twins
