"""Durable commits: what a power loss right after a commit leaves is that commit.

Whoosh writes a commit's segment files, then its table of contents (TOC) to a temporary
file, then renames it to ``_<index>_<generation>.toc``: the rename is the commit. It never
calls ``fsync``, so after a power loss the new TOC could name segment files whose data
never reached the disk, or be empty itself. :class:`DurableStorage` makes the rename
the last step of a durable sequence, as Lucene and tantivy do:

1. ``fsync`` every segment file of the index and the temporary TOC;
2. rename the TOC into place;
3. ``fsync`` the folder, so that the rename (and the new files' names) are on disk.

Files already flushed cost one cheap system call each. Measured on the sample corpus
and on 2,400 generated articles, see README (Safety).
"""

from __future__ import annotations

import os

from whoosh.index import TOC

from searchkit.backend.cleanup import TrackedStorage


class DurableStorage(TrackedStorage):
    """A Whoosh ``FileStorage`` whose TOC renames are durable commits."""

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        if not newname.startswith("_") or not newname.endswith(".toc"):
            super().rename_file(oldname, newname, safe)
            return
        indexname = newname[1:].rsplit("_", 1)[0]
        segment = TOC._segment_pattern(indexname)
        for name in os.listdir(self.folder):
            if segment.match(name):
                fsync_path(os.path.join(self.folder, name))
        fsync_path(self._fpath(oldname))
        super().rename_file(oldname, newname, safe)
        fsync_path(self.folder)


def fsync_path(path: str) -> None:
    """``fsync`` a file or a folder by path (a file deleted meanwhile is skipped)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
