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
import pickle
import queue
import signal
import sys
from typing import Any

from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

from searchkit.backend.segment import FastSegmentWriter, cancel_quietly
from searchkit.errors import WorkerLostError

__all__ = ["FastSegmentWriter", "ParallelWriter", "cancel_quietly"]

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _die_with_parent(lock_fd: int | None) -> None:
    """Make this worker die with its parent, and drop its copy of the index lock."""
    if lock_fd is not None:
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    # Ctrl-C reaches the whole process group: the parent decides, workers stay quiet;
    # and the parent's SIGTERM handler (the CLI's) must not survive the fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


class _Failure:
    """What a worker puts on the result queue instead of its segment when it fails."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}"


class _Worker(SubWriterTask):  # type: ignore[misc]  # Whoosh is untyped
    #: The index lock's file descriptor, inherited through fork: closed first thing.
    lock_fd: int | None = None

    def run(self) -> None:
        _die_with_parent(self.lock_fd)
        # This runs in the forked worker only: its sub-writer is our faster one.
        multiproc.SegmentWriter = FastSegmentWriter
        try:
            super().run()
        except BaseException as exc:
            # Reported to the parent (one error line), never printed here as a traceback.
            with contextlib.suppress(BaseException):
                self.resultqueue.put(_Failure(_reason(exc)), timeout=1)
            sys.exit(1)


class ParallelWriter(MpWriter):  # type: ignore[misc]  # Whoosh is untyped
    """``MpWriter(multisegment=True)`` that refuses to commit when a worker was lost.

    ``lock_fd`` is the index lock's file descriptor: each worker closes its inherited copy,
    so that a worker outliving a killed parent cannot hold the lock. Every wait on a worker
    (a full job queue, the end of a run) is bounded: a worker that died (killed, out of disk
    space) ends the run with WorkerLostError within ``POLL_SECONDS``, never a hang.
    """

    docbuffer: list[Any]  # (Whoosh's: the documents not yet sent to a worker)

    POLL_SECONDS = 0.2

    def __init__(self, ix: Any, procs: int, lock_fd: int | None = None, **kwargs: Any) -> None:
        self.lock_fd = lock_fd
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _new_task(self) -> SubWriterTask:
        task = _Worker(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        task.lock_fd = self.lock_fd
        # Daemonic: should the parent exit without cancelling (it never should), the
        # workers are terminated rather than waited for forever.
        task.daemon = True
        self.tasks.append(task)
        # A signal that lands inside fork() is swallowed by its at-fork hooks: hold
        # Ctrl-C and SIGTERM until the fork is done, so the parent sees them after.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            task.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return task

    def _enqueue(self) -> None:
        # MpWriter._enqueue with a bounded put: Queue.put blocks forever once the workers
        # that should empty the queue are dead.
        docbuffer, self.docbuffer = self.docbuffer, []
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(docbuffer)))

    def _put(self, item: Any) -> None:
        while True:
            # A worker may end normally (exit 0) once it got its None at commit; one that
            # failed, or all of them gone, means nobody will ever take this item.
            codes = [task.exitcode for task in self.tasks]
            if any(c not in (None, 0) for c in codes) or None not in codes:
                self._lost()
            try:
                self.jobqueue.put(item, timeout=self.POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _join(self) -> None:
        """Wait for every worker to end; a sibling that failed means the rest never will."""
        for task in self.tasks:
            while task.is_alive():
                task.join(self.POLL_SECONDS)
                if any(t.exitcode not in (None, 0) for t in self.tasks):
                    self._lost()

    def _lost(self) -> None:
        """Stop everything and raise WorkerLostError, with the worker's reason when known."""
        reasons = []
        with contextlib.suppress(Exception):
            while True:
                item = self.resultqueue.get(timeout=0.1)
                if isinstance(item, _Failure):
                    reasons.append(item.reason)
        codes = [t.exitcode for t in self.tasks if t.exitcode not in (None, 0)]
        self.cancel()
        if reasons:
            what = f"failed ({reasons[0]})"
        elif codes and codes[0] is not None and codes[0] < 0:
            what = f"was killed (signal {-codes[0]})"
        else:
            what = "died"
        raise WorkerLostError(
            f"an indexing worker process {what}; nothing was committed: run the command "
            "again (if it keeps failing, free disk space in the index folder or try --procs 1)"
        )

    def cancel(self) -> None:
        for task in self.tasks:
            task.terminate()
        for task in self.tasks:
            task.join(5)
        self.tasks: list[SubWriterTask] = []
        # Jobs nobody will read must not keep the process alive at exit.
        self.jobqueue.cancel_join_thread()
        self.resultqueue.cancel_join_thread()
        cancel_quietly(self)

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        segments = self._merge_segments(mergetype, optimize, merge)
        self._join()
        results = []
        for _ in self.tasks:
            try:
                results.append(self.resultqueue.get(timeout=5))
            except queue.Empty:
                break
        if len(results) != len(self.tasks) or any(isinstance(r, _Failure) for r in results):
            for result in results:  # put back for _lost to read the reason
                if isinstance(result, _Failure):
                    self.resultqueue.put(result)
            self._lost()
        segments += [segment for _, _, segment in results]
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()
