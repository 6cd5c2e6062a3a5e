"""Turning articles into Whoosh documents, and a two-process writer that never loses one.

Whoosh's ``MpWriter`` analyzes documents in worker processes, each writing its own
segment (``multisegment``: no final merge, which would take minutes and shift BM25 scores).
Three things in it are unsafe for us, so :class:`ParallelWriter` mends them: a worker that
dies is silently dropped at commit (its documents lost), workers outlive a killed parent
(holding the index lock through the inherited file descriptor), and cancelling does not
stop them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import signal
from datetime import UTC, datetime
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from searchkit.analysis import fold
from searchkit.errors import SearchkitError
from searchkit.models import Article
from searchkit.schema import field_lang

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

#: File descriptor of the index lock; workers close their inherited copy (see module doc).
LOCK_FD: int | None = None


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 day or timestamp as a naive UTC datetime, or None when it isn't one."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def to_document(article: Article, key: str, sha: str) -> dict[str, Any]:
    """The Whoosh fields of one article; ``key`` and ``sha`` identify its file's content."""
    lang = field_lang(article.lang)
    doc: dict[str, Any] = {
        "id": article.id,
        "source": key,
        "filekey": f"{key}\x00{sha}",
        "lang": article.lang or "unknown",
        "doc": stored_fields(article, key),
    }
    texts = {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "caption": article.caption,
        "tags": " ".join(article.tags),
    }
    for part, text in texts.items():
        if text:
            doc[f"{part}_{lang}"] = text
    if article.tags:
        doc["tag"] = ",".join(fold(t).replace(",", " ") for t in article.tags)
    if article.author:
        doc["author"] = fold(article.author)
    moment = parse_date(article.date) if article.date else None
    if moment is not None:
        doc["date"] = moment
        doc["year"] = str(moment.year)
    return doc


def stored_fields(article: Article, key: str) -> dict[str, Any]:
    """What a hit shows, stored as one dict so a hit costs one stored-fields read."""
    return {
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "caption": article.caption,
        "credit": article.credit,
        "related": list(article.related),
        "tags": list(article.tags),
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "path": article.path,
        "source": key,
        "extra": dict(article.extra),
    }


def _die_with_parent() -> None:
    """Make this worker die with its parent, and drop its copy of the index lock."""
    if LOCK_FD is not None:
        with contextlib.suppress(OSError):
            os.close(LOCK_FD)
    # Ctrl-C reaches the whole process group: the parent decides, workers stay quiet;
    # and the parent's SIGTERM handler (the CLI's) must not survive the fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


class _Worker(SubWriterTask):
    def run(self) -> None:
        _die_with_parent()
        super().run()


class WorkerLostError(SearchkitError):
    """A worker process died before handing back its segment."""


class ParallelWriter(MpWriter):
    """``MpWriter(multisegment=True)`` that refuses to commit when a worker was lost."""

    def __init__(self, ix: Any, procs: int, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _new_task(self) -> SubWriterTask:
        task = _Worker(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        # A signal that lands inside fork() is swallowed by its at-fork hooks: hold
        # Ctrl-C and SIGTERM until the fork is done, so the parent sees them after.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            task.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return task

    def cancel(self) -> None:
        for task in self.tasks:
            task.terminate()
            task.join()
        self.tasks = []
        # Jobs nobody will read must not keep the process alive at exit.
        self.jobqueue.cancel_join_thread()
        self.resultqueue.cancel_join_thread()
        super().cancel()

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        segments = self._merge_segments(mergetype, optimize, merge)
        results = []
        for task in self.tasks:
            task.join()
        for _ in self.tasks:
            try:
                results.append(self.resultqueue.get(timeout=5))
            except queue.Empty:
                break
        if len(results) != len(self.tasks) or any(t.exitcode != 0 for t in self.tasks):
            self.cancel()
            raise WorkerLostError(
                "an indexing worker process died; nothing was committed: run the command "
                "again (if it keeps failing, try --procs 1)"
            )
        segments += [segment for _, _, segment in results]
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()
