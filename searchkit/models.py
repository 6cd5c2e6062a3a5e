"""Frozen dataclasses passed between modules and returned by the public API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

#: Characters that end a sentence; a paragraph ending otherwise is a subheading.
SENTENCE_END = frozenset('.!?…:;»"”“)')
#: A subheading is a line, not a paragraph: at most this long.
HEADING_CHARS = 160


@dataclass(frozen=True)
class Article:
    """One article, as read from a file, before analysis.

    ``lang`` is ``"fr"``, ``"de"``, ``"unknown"`` or ``""`` (not stated: detected later).
    ``date`` is an ISO 8601 string (a day or a full timestamp) or ``""``.
    ``extra`` holds JSONL fields searchkit does not know; they are stored and returned.
    """

    id: str
    title: str
    body: str
    lang: str = ""
    lead: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    date: str = ""
    url: str = ""
    caption: str = ""
    credit: str = ""
    related: tuple[str, ...] = ()
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Ids of the same story in the other language: filled by ``Searcher.article``.
    translations: tuple[str, ...] = field(default=(), compare=False)

    def paragraphs(self) -> list[tuple[bool, str]]:
        """The body's paragraphs as ``(is_subheading, text)``: a subheading is a short
        paragraph that does not end like a sentence (the outlet's format has no markup)."""
        found = []
        for block in self.body.split("\n\n"):
            text = " ".join(block.split())
            if text:
                last = text[-1]
                heading = len(text) <= HEADING_CHARS and last not in SENTENCE_END
                found.append((heading, text))
        return found

    def to_dict(self) -> dict[str, Any]:
        """The article as JSON-ready data (``searchkit show --json``, the web API)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


@dataclass(frozen=True)
class Problem:
    """A file (or one line of it) that could not be indexed, or was indexed with a warning."""

    path: str
    reason: str
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class IndexReport:
    """What one run of :func:`searchkit.build_index` did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    languages: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file or line failed."""
        return not self.failed


@dataclass(frozen=True)
class Hit:
    """One ranked article. ``highlights`` are ``(start, end)`` character spans in ``snippet``."""

    id: str
    title: str
    lang: str
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    tags: tuple[str, ...] = ()
    author: str = ""
    date: str = ""
    url: str = ""
    path: str = ""
    rank: int = 0
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Translations or other spellings of the query's words that this article matched.
    via_translation: tuple[str, ...] = ()
    #: Ids of the same story in the other language (its twins), linked at index time.
    translations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The hit as ``--json`` and the web API give it (``extra`` and ``rank`` aside)."""
        return {
            "id": self.id,
            "title": self.title,
            "lang": self.lang,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "tags": list(self.tags),
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "path": self.path,
            "via_translation": list(self.via_translation),
            "translations": list(self.translations),
        }


@dataclass(frozen=True)
class SearchResults:
    """The ranked hits of one query, with the total count and optional facets."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    offset: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict, hash=False, compare=False)
    suggestion: str | None = None
    #: Per facet, how many of its values ``facets`` leaves out (absent: none).
    facets_left_out: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """query, total, hits (+ offset, facets, facets_left_out, suggestion when set): the
        ``--json`` document and the web API's answer."""
        data: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "hits": [hit.to_dict() for hit in self.hits],
        }
        if self.offset:
            data["offset"] = self.offset
        if self.facets:
            data["facets"] = self.facets
        if self.facets_left_out:
            data["facets_left_out"] = self.facets_left_out
        if self.suggestion:
            data["suggestion"] = self.suggestion
        return data

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)


@dataclass(frozen=True)
class IndexStats:
    """What an index holds."""

    articles: int
    languages: dict[str, int]
    tags: int
    authors: int
    size_bytes: int
    last_update: datetime | None
    index_dir: str
