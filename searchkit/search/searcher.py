"""Searching an index: ranked hits with snippets, filters, facets, suggestions, similar.

One :class:`Searcher` keeps ONE commit open (opening a Whoosh searcher costs far more than
a query) and moves to the next when the index has a new one. What is derived from a commit
(postings arrays, term scores, filter sets, facet tables, author names) lives in its
:class:`~searchkit.search.commit.Commit`.

Ranking is in :mod:`searchkit.search.scoring`, snippets in :mod:`searchkit.highlight`,
facet counts in :mod:`searchkit.search.facets`, did-you-mean in
:mod:`searchkit.search.suggest`.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from searchkit.backend import read_without_mmap
from searchkit.errors import ArticleNotFoundError, InvalidArgumentError, QuerySyntaxError
from searchkit.fields import LANGUAGES, field_lang, field_langs, field_name, text_fields
from searchkit.highlight.snippets import Snippet, TermMatcher, make_snippet, matcher_for
from searchkit.index import store
from searchkit.index.documents import to_article
from searchkit.index.twins import TwinsReader
from searchkit.models import Article, Hit, IndexStats, SearchResults
from searchkit.query.parse import parse
from searchkit.query.stopwords import skip_foreign_stop_words
from searchkit.query.translate import translate_query
from searchkit.query.tree import ParsedQuery
from searchkit.search import scoring
from searchkit.search.commit import Commit
from searchkit.search.compile import option_filters
from searchkit.search.facets import FACET_FIELDS, FacetCounts, count_facets, value_counts
from searchkit.search.suggest import suggestion

F = TypeVar("F", bound=Callable[..., Any])
#: Terms of an article that stand for it when looking for similar ones.
SIMILAR_TERMS = 25
#: The orders of :meth:`Searcher.search`.
SORTS = ("relevance", "date")


def open_index(index_dir: str | os.PathLike[str] = "index") -> Searcher:
    """Open the index for searching; raises IndexNotFoundError or IndexVersionError."""
    path = Path(index_dir)
    ix = store.open_existing(path)
    with store.reading(path, ix.storage):
        return Searcher(read_without_mmap(ix), path)


def _check_arguments(
    text: str, lang: str | None, limit: int, offset: int, filters: tuple[object, ...]
) -> None:
    """Refuse what the CLI refuses as usage errors, with its words. Empty text with a
    filter lists the articles that pass it; without one there is nothing to search for."""
    if limit < 1 or offset < 0:
        raise InvalidArgumentError(
            f"limit must be 1 or more and offset 0 or more (got limit={limit}, offset={offset})"
        )
    if lang is not None and lang not in LANGUAGES:
        choices = ", ".join(repr(lg) for lg in LANGUAGES)
        raise InvalidArgumentError(f"lang: {lang!r} is not one of {choices}")
    if not text.strip() and all(f is None for f in filters):
        raise QuerySyntaxError("the query is empty: give some words to search for")


def _reads_index(method: F) -> F:
    """Damaged index files found while reading raise IndexCorruptError (see store.reading)."""

    @functools.wraps(method)
    def wrapper(self: Searcher, *args: Any, **kwargs: Any) -> Any:
        with store.reading(self.index_dir, self._ix.storage):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Searcher:
    """Search one index. A context manager; ``close()`` releases the index files."""

    def __init__(self, ix: Any, index_dir: Path) -> None:
        self._ix = ix
        self.index_dir = index_dir
        self._commit = Commit(ix.searcher())
        self._twins = TwinsReader(index_dir)

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the Whoosh searcher (and its files)."""
        self._commit.close()

    def _fresh(self) -> Commit:
        """The latest commit (the same object while nothing changed)."""
        if not self._commit.searcher.up_to_date():
            # Not refresh(): it reuses the reader of a segment whose deletions changed, and
            # so still returns the articles a commit replaced (whoosh-reloaded 2.7.5).
            old, self._commit = self._commit, Commit(self._ix.searcher())
            old.close()
        return self._commit

    @_reads_index
    def search(
        self,
        text: str,
        *,
        lang: str | None = None,
        limit: int = 10,
        offset: int = 0,
        tag: str | Sequence[str] | None = None,
        author: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        facets: bool = False,
        snippets: bool = True,
        suggest: bool = True,
        translate: bool = True,
        sort: str = "relevance",
    ) -> SearchResults:
        """Rank the articles matching ``text``: hits ``offset`` to ``offset + limit``.

        ``lang`` restricts to one language; ``tag`` (all of several), ``author``, ``since``
        and ``until`` (ISO days, inclusive) filter. Raises QuerySyntaxError for broken
        syntax. ``facets`` counts the matching articles by lang, tag, author and year.
        ``snippets=False`` (empty snippets, no highlights) and ``suggest=False`` (no
        did-you-mean) rank the same for less work, as evaluation wants. ``translate``
        also searches the words' translations and place names' other spellings in the
        other language (:mod:`searchkit.query.translate`); ``Hit.via_translation`` says
        which matched. ``sort="date"`` orders by date, newest first (articles without a
        date last), instead of by relevance.
        """
        _check_arguments(text, lang, limit, offset, (tag, author, since, until))
        if sort not in SORTS:
            raise InvalidArgumentError(f"sort must be one of {', '.join(SORTS)} (got {sort!r})")
        parsed = parse(text)
        commit = self._fresh()
        langs = field_langs(lang)
        tags = (tag,) if isinstance(tag, str) else tuple(tag or ())
        allowed = option_filters(lang, tags, author, since, until)
        searched = skip_foreign_stop_words(parsed)
        searched = translate_query(searched, langs) if translate else searched
        newest = commit.dates() if sort == "date" else None
        ranked, total, matched = scoring.rank(
            commit, searched, langs, allowed, offset + limit, newest
        )
        matchers: dict[str, TermMatcher] | None = {} if snippets else None
        twins = self._twins.get()  # (once a search: it checks the file on disk)
        hits = tuple(
            self._hit(commit, docnum, score, offset + i + 1, searched, matchers, twins)
            for i, (docnum, score) in enumerate(ranked[offset:])
        )
        counted, left_out = self._facets(commit, matched()) if facets and total else ({}, {})
        return SearchResults(
            query=text,
            total=total,
            hits=hits,
            offset=offset,
            facets=counted,
            suggestion=suggestion(commit.searcher, commit.fast, parsed, langs, total)
            if suggest
            else None,
            facets_left_out=left_out,
        )

    def export(self, text: str, *, batch: int = 200, **options: Any) -> Iterator[Hit]:
        """Every hit of ``text``, best first (or newest first with ``sort="date"``), a
        ``batch`` at a time: what ``search`` would page through, for an export. Takes the
        options of :meth:`search` but ``limit``, ``offset`` and ``facets``."""
        first = self.search(text, limit=batch, suggest=False, **options)
        yield from first.hits
        for offset in range(batch, first.total, batch):
            yield from self.search(text, limit=batch, offset=offset, suggest=False, **options).hits

    def _hit(
        self,
        commit: Commit,
        docnum: int,
        score: float,
        rank: int,
        parsed: ParsedQuery | None,
        matchers: dict[str, TermMatcher] | None,
        twins: Mapping[str, str],
    ) -> Hit:
        """One hit; its snippet marks what ``matchers`` (per language) find, None: no
        snippet; ``twins`` links ids to their story in the other language."""
        stored = commit.stored(docnum)
        doc = stored.get("doc") or {}
        snippet = Snippet("")
        lang = field_lang(stored.get("lang", ""))
        if matchers is not None:
            if lang not in matchers:
                matchers[lang] = matcher_for(parsed, lang) if parsed else TermMatcher()
            snippet = make_snippet(doc, lang, matchers[lang])
        via = scoring.translated_senses(commit, parsed, docnum, lang) if parsed else ()
        return Hit(
            id=stored["id"],
            title=doc.get("title", ""),
            lang=stored.get("lang", ""),
            score=float(score),
            snippet=snippet.text,
            highlights=snippet.spans,
            tags=tuple(doc.get("tags", ())),
            author=doc.get("author", ""),
            date=doc.get("date", ""),
            url=doc.get("url", ""),
            path=doc.get("path", ""),
            rank=rank,
            extra=dict(doc.get("extra") or {}),
            via_translation=via,
            translations=_twin_ids(twins, stored["id"]),
        )

    # --- facets -----------------------------------------------------------------------

    def _facets(self, commit: Commit, matched: np.ndarray) -> FacetCounts:
        """Counts of the ``matched`` documents by lang, tag, author and year."""
        return count_facets(commit.searcher, commit.facet_table(), matched, commit.size)

    def counts(self, facet: str) -> dict[str, int]:
        """Every value of ``facet`` (``lang``, ``tag``, ``author``, ``year``) in the index
        with its number of articles, the most frequent first (years in time order)."""
        if facet not in FACET_FIELDS:
            raise ValueError(f"facet must be one of {', '.join(FACET_FIELDS)}")
        commit = self._fresh()
        table = {facet: commit.facet_table()[facet]}
        live = np.flatnonzero(commit.fast.live)
        return count_facets(commit.searcher, table, live, commit.size, limit=None)[0][facet]

    # --- similar articles and statistics ----------------------------------------------

    def twins_of(self, id: str) -> tuple[str, ...]:
        """The ids of article ``id``'s story in the other language (linked at index time)."""
        return _twin_ids(self._twins.get(), id)

    @_reads_index
    def all_ids(self) -> list[str]:
        """The ids of every article in the index, in index order."""
        searcher = self._fresh().searcher
        return [fields["id"] for fields in searcher.all_stored_fields()]

    @_reads_index
    def article(self, id: str) -> Article:
        """The whole article ``id`` as it was indexed, with its twins (``translations``);
        ArticleNotFoundError if absent."""
        commit = self._fresh()
        docnum = commit.searcher.document_number(id=id)
        if docnum is None:
            raise ArticleNotFoundError(id, str(self.index_dir))
        stored = commit.stored(docnum)
        found = to_article(stored["id"], stored.get("lang", ""), stored.get("doc") or {})
        return dataclasses.replace(found, translations=self.twins_of(found.id))

    @_reads_index
    def similar(self, id: str, *, limit: int = 10) -> SearchResults:
        """The articles most like article ``id`` (not itself); ArticleNotFoundError if absent."""
        if limit < 1:
            raise InvalidArgumentError(f"limit must be 1 or more (got {limit})")
        commit = self._fresh()
        searcher = commit.searcher
        docnum = searcher.document_number(id=id)
        if docnum is None:
            raise ArticleNotFoundError(id, str(self.index_dir))
        stored = searcher.stored_fields(docnum)
        doc = stored.get("doc") or {}
        lang = field_lang(stored.get("lang", ""))
        text = "\n".join(doc.get(part) or "" for part in ("title", "lead", "body"))
        terms = searcher.key_terms_from_text(field_name("body", lang), text, numterms=SIMILAR_TERMS)
        fields = text_fields(lang, ("title", "tags", "lead", "body"))
        weighted = [(fields, term, weight) for term, weight in terms]
        ranked, total = scoring.rank_terms(commit, weighted, docnum, limit)
        links = self._twins.get()  # (once: it checks the file on disk)
        twins = [
            n for t in _twin_ids(links, id) if (n := searcher.document_number(id=t)) is not None
        ]
        if twins:  # the same story in the other language comes first
            top = max((score for _, score in ranked), default=1.0)
            others = [(n, s) for n, s in ranked if n != twins[0]]
            ranked = [(twins[0], top), *others][:limit]
            total = max(total, len(ranked))
        matchers = {lang: TermMatcher(exact=frozenset(term for term, _ in terms))}
        hits = tuple(
            self._hit(commit, number, score, i + 1, None, matchers, links)
            for i, (number, score) in enumerate(ranked)
        )
        return SearchResults(query=f"similar:{id}", total=total, hits=hits)

    @_reads_index
    def stats(self) -> IndexStats:
        """Articles per language, distinct tags and authors, size on disk, last commit."""
        commit = self._fresh()
        table = commit.facet_table()
        moment = store.last_update(self.index_dir)
        return IndexStats(
            articles=commit.searcher.doc_count(),
            languages=value_counts(table["lang"]),
            tags=len(value_counts(table["tag"])),
            authors=len(value_counts(table["author"])),
            size_bytes=store.disk_size(self.index_dir),
            last_update=datetime.fromtimestamp(moment, UTC) if moment is not None else None,
            index_dir=str(self.index_dir),
        )


def _twin_ids(links: Mapping[str, str], id: str) -> tuple[str, ...]:
    """The ids of article ``id``'s story in the other language, from the twins' links."""
    twin = links.get(id)
    return (twin,) if twin else ()
