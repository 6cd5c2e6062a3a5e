"""build_index(): add new files, update changed ones, delete vanished ones, commit once.

The index is only ever changed by one commit at the end of a run, under a write lock, so
an interrupted or failed run leaves it exactly as the last good commit left it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh import writing
from whoosh.query import Term

from searchkit.articles import FileStream, SourceFile, find_files, fingerprint
from searchkit.articles.language import detect_language
from searchkit.backend import derived
from searchkit.backend import writers as writer_mod
from searchkit.errors import CorpusError
from searchkit.index import store, twins
from searchkit.index.documents import to_document
from searchkit.index.schema import INDEX_NAME
from searchkit.models import Article, IndexReport, Problem

#: Below this much text to (re)index (about 300 articles), worker processes cost more
#: than they save. Bytes, not files: one JSONL file can hold a whole archive.
PARALLEL_MIN_BYTES = 1_000_000
#: The posting buffers' bound (MB, for all workers), counted conservatively: at 100,000
#: orangesum articles (37 M words) with 4,096, each of 2 workers peaked at 1.3 GB and
#: nothing spilled, in 44 s; with 2,048 the buffers spilled to sorted runs half way
#: (merging them goes through Whoosh's own writer), and the run took 100 s.
MEMORY_MB = 4096
#: Called as (bytes read, bytes to read) after each article, and once with both equal when
#: everything is read and the commit starts: bytes, so that one big feed moves it too.
Progress = Callable[[int, int], None]


@dataclass
class _Run:
    """What one run has decided and counted so far."""

    rebuild: bool = False
    problems: list[Problem] = field(default_factory=list)
    to_load: list[SourceFile] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)
    pending: dict[str, list[str]] = field(default_factory=dict)  # key -> ids, files to reload
    pending_ids: set[str] = field(default_factory=set)
    shas: dict[str, str] = field(default_factory=dict)  # key -> content hash, files to load
    replaced_ids: dict[str, str] = field(default_factory=dict)  # id -> source key
    added_ids: dict[str, str] = field(default_factory=dict)  # id -> path
    updated: int = 0
    languages: Counter[str] = field(default_factory=Counter)


def build_index(
    paths: Iterable[str | os.PathLike[str]],
    index_dir: str | os.PathLike[str] = "index",
    *,
    rebuild: bool = False,
    wait: float = 0.0,
    procs: int | None = None,
    memory_mb: int | None = None,
    progress: Progress | None = None,
    follow_links: bool = False,
    link: bool = True,
) -> IndexReport:
    """Index the ``*.txt`` and ``*.jsonl`` files under ``paths`` into ``index_dir``.

    Only new and changed files (by content hash) are read; articles of files that vanished
    from ``paths`` are removed; articles from other paths stay. ``rebuild`` starts afresh.
    ``wait`` is how long to wait for another writer; ``procs`` the worker processes
    (default: the cores, for large runs); ``memory_mb`` bounds the posting buffers
    (default :data:`MEMORY_MB`).
    A symbolic link in a folder is followed only when its target is inside that folder,
    unless ``follow_links``. ``link`` then links each new article to its story in the
    other language, if the index holds it (:mod:`searchkit.index.twins`,
    :attr:`searchkit.Hit.translations`). Raises CorpusError for a path that does not
    exist, IndexLockedError, IndexVersionError, IndexCorruptError, IndexWriteError (disk
    full, no permission), WorkerLostError.
    """
    started = time.perf_counter()
    roots = [Path(p) for p in paths]
    index_dir = Path(index_dir)
    sources, problems = find_files(roots, follow_links=follow_links)  # CorpusError: no path
    run = _Run(rebuild=rebuild, problems=list(problems))
    asked = time.perf_counter()
    with store.write_lock(index_dir, wait) as lock:
        waited = time.perf_counter() - asked  # --wait time is not indexing time
        created = INDEX_NAME not in store.found_versions(index_dir)
        committed, failed = False, True
        try:
            ix = store.open_or_create(index_dir, rebuild=rebuild)
            with store.reading(index_dir, ix.storage):
                existing = 0 if rebuild else ix.doc_count()
            store.remove_leftovers(index_dir)  # of killed, failed and no-op runs
            memory = MEMORY_MB if memory_mb is None else memory_mb
            committed = _run(run, sources, roots, ix, procs, memory, lock.fileno(), progress)
            failed = any(not p.warning for p in run.problems)
            derived.write_missing(ix)  # the query path's arrays, beside each new segment
            removed = tuple(i for i in run.replaced_ids if i not in run.added_ids)
            if link:
                with store.reading(index_dir, ix.storage):
                    twins.after_commit(ix, index_dir, list(run.added_ids), removed, rebuild)
        finally:
            # Not the files a failed run wrote, nor the empty index a failed first run
            # made (later commands then say "no index", not "0 articles").
            store.remove_leftovers(index_dir, drop_empty=created and failed and not committed)
        if rebuild:
            store.remove_other_versions(index_dir)
    return IndexReport(
        added=len(run.added_ids) - run.updated,
        updated=run.updated,
        removed=len(removed),
        unchanged=existing - len(run.replaced_ids),
        failed=tuple(p for p in run.problems if not p.warning),
        warnings=tuple(p for p in run.problems if p.warning),
        languages=dict(run.languages),
        seconds=time.perf_counter() - started - waited,
    )


def _run(
    run: _Run,
    sources: list[SourceFile],
    paths: list[Path],
    ix: Any,
    procs: int | None,
    memory_mb: int,
    lock_fd: int,
    progress: Progress | None,
) -> bool:
    """Plan, write and commit; True when a new commit was written."""
    index_dir = Path(ix.storage.folder)
    with store.reading(index_dir, ix.storage), ix.searcher() as searcher:
        _plan(run, sources, searcher, [p.resolve() for p in paths])
        writer = _open_writer(ix, procs, memory_mb, _size(run.to_load), lock_fd)
        try:
            with store.writing(index_dir):
                _write(run, writer, searcher, progress)
                return _commit(writer, run, run.rebuild)
        except BaseException:
            if not writer.is_closed:  # interrupted before the commit was written
                writer.cancel()
            raise


def _plan(run: _Run, sources: list[SourceFile], searcher: Any, roots: list[Path]) -> None:
    """Sort files into unchanged and to-load; find the indexed files that vanished."""
    indexed = {} if run.rebuild else _indexed_files(searcher)
    seen = set()
    for source in sources:
        seen.add(source.key)
        try:
            sha = fingerprint(source)
        except CorpusError as exc:  # its message starts with the path, said once here
            reason = str(exc).removeprefix(f"{source.path}: ")
            run.problems.append(Problem(str(source.path), reason))
            continue
        if indexed.get(source.key) != sha:
            run.to_load.append(source)
            run.shas[source.key] = sha
            if source.key in indexed:
                run.pending[source.key] = _ids_of(searcher, source.key)
                run.pending_ids.update(run.pending[source.key])
    for key in indexed:
        if key not in seen and _under(key, roots) and not Path(key).exists():
            run.removed_keys.append(key)
            run.replaced_ids.update(dict.fromkeys(_ids_of(searcher, key), key))


def _indexed_files(searcher: Any) -> dict[str, str]:
    """Source key -> content hash of every file with live articles in the index."""
    reader = searcher.reader()
    check = reader.has_deletions()
    files = {}
    for term in reader.lexicon("filekey"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if check and not any(searcher.docs_for_query(Term("filekey", text))):
            continue  # every article of that version was deleted: not indexed any more
        key, _, sha = text.partition("\x00")
        files[key] = sha
    return files


def _under(key: str, roots: list[Path]) -> bool:
    return any(key == str(r) or key.startswith(str(r) + os.sep) for r in roots)


def _ids_of(searcher: Any, key: str) -> list[str]:
    return [searcher.stored_fields(n)["id"] for n in searcher.docs_for_query(Term("source", key))]


def _size(sources: list[SourceFile]) -> int:
    total = 0
    for source in sources:
        with contextlib.suppress(OSError):  # a vanished file is reported when loaded
            total += source.path.stat().st_size
    return total


def _open_writer(ix: Any, procs: int | None, memory_mb: int, size: int, lock_fd: int) -> Any:
    if procs is None:
        procs = min(os.cpu_count() or 1, 2) if size >= PARALLEL_MIN_BYTES else 1
    if procs <= 1:
        return writer_mod.FastSegmentWriter(ix, limitmb=memory_mb)
    limit = max(64, memory_mb // procs)
    return writer_mod.ParallelWriter(ix, procs=procs, lock_fd=lock_fd, limitmb=limit)


def _write(run: _Run, writer: Any, searcher: Any, progress: Progress | None) -> None:
    """Delete what vanished, then load and add every new or changed file."""
    for key in run.removed_keys:
        writer.delete_by_term("source", key)
    total, before = _size(run.to_load), 0
    for source in run.to_load:
        done = before  # bound now: the callback runs within this iteration only

        def tick(read: int, done: int = done) -> None:
            if progress is not None:
                progress(min(done + read, total), total)

        _index_file(run, writer, searcher, source, tick)
        with contextlib.suppress(OSError):  # a vanished file was reported when loaded
            before += source.path.stat().st_size
    if progress is not None:
        progress(total, total)


def _index_file(
    run: _Run, writer: Any, searcher: Any, source: SourceFile, tick: Callable[[int], None]
) -> None:
    """Stream one file's articles into the writer (a large feed is never held whole).

    Its old articles are deleted at its first good article, so a file that became
    unreadable keeps its last good articles. Every article records the content hash seen
    when planning; should the file change meanwhile, the next run indexes it again.
    """
    stream, sha = FileStream(source), run.shas[source.key]
    replaced = failed = False
    for item in stream:
        tick(stream.bytes_read)
        if isinstance(item, Problem):
            run.problems.append(item)
            failed = failed or not item.warning
            continue
        if not replaced:
            _drop_old_articles(run, writer, source)
            replaced = True
        article = _with_language(item)
        if _is_duplicate(run, searcher, article, source):
            continue
        run.added_ids[article.id] = article.path
        run.updated += article.id in run.replaced_ids
        run.languages[article.lang] += 1
        writer.add_document(**to_document(article, source.key, sha))
    if not replaced and not failed:
        _drop_old_articles(run, writer, source)
    if stream.sha and stream.sha != sha:
        reason = "changed while it was being indexed: run the command again to index it all"
        run.problems.append(Problem(str(source.path), reason, warning=True))


def _drop_old_articles(run: _Run, writer: Any, source: SourceFile) -> None:
    old_ids = run.pending.get(source.key, [])
    if old_ids:
        writer.delete_by_term("source", source.key)
        run.replaced_ids.update(dict.fromkeys(old_ids, source.key))


def _with_language(article: Article) -> Article:
    if article.lang:
        return article
    text = f"{article.title}\n{article.lead}\n{article.body}"
    return replace(article, lang=detect_language(text))


def _is_duplicate(run: _Run, searcher: Any, article: Article, source: SourceFile) -> bool:
    """First one wins: an id already indexed from another file is reported and skipped."""
    other = run.added_ids.get(article.id)
    free = run.rebuild or article.id in run.pending_ids or article.id in run.replaced_ids
    if other is None and not free:
        number = searcher.document_number(id=article.id)
        if number is not None:
            other = searcher.stored_fields(number)["doc"]["path"]
    if other is None:
        return False
    reason = f"duplicate id '{article.id}', already indexed from {other}; skipped (ids are unique)"
    run.problems.append(Problem(str(source.path), reason))
    return True


def _commit(writer: Any, run: _Run, rebuild: bool) -> bool:
    """Commit what changed; True when a new generation was written."""
    if rebuild:
        writer.commit(mergetype=writing.CLEAR)
    elif run.added_ids or run.replaced_ids:
        writer.commit()
    else:
        writer.cancel()  # nothing changed: no new generation
        return False
    return True
