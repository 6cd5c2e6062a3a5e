"""The parsed query tree: its node types, built by :func:`searchkit.query.parse.parse`.

Groups of words, phrases, filters and date spans. How a word becomes index terms is in
:mod:`searchkit.query.terms`; how the tree becomes Whoosh queries, in
:mod:`searchkit.search.compile`; how it is ranked, in :mod:`searchkit.search.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Word:
    """One typed word; ``kind`` is ``word``, ``prefix`` or ``fuzzy`` (``dist`` edits)."""

    text: str
    start: int
    end: int
    kind: str = "word"
    dist: int = 0
    parts: tuple[str, ...] | None = None  # None: every text field; ("title",) for title:
    #: Field suffixes whose chain does not search the word (:mod:`searchkit.query.stopwords`).
    skip: tuple[str, ...] = ()

    def searched_in(self, langs: tuple[str, ...]) -> tuple[str, ...]:
        """The field suffixes of ``langs`` whose chain searches this word."""
        return tuple(lang for lang in langs if lang not in self.skip) if self.skip else langs


@dataclass(frozen=True)
class Phrase:
    """Words that must stand in this order (after analysis)."""

    text: str
    start: int
    end: int
    parts: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Translated:
    """Words typed in one language, searched in the fields of another (``lang``: a field
    suffix) through their translations or other spellings, best sense first.

    An article matches when it has every word of one sense; its score is that of its best
    sense, times that sense's weight (less than the words as typed, so that articles in the
    query's own language still rank first; later senses weigh less).
    """

    source: str  # the typed words
    lang: str
    senses: tuple[str, ...]
    weights: tuple[float, ...]  # one per sense
    start: int
    end: int


@dataclass(frozen=True)
class Filter:
    """``tag:``, ``author:`` or ``lang:``: an exact (folded) value, not ranked text."""

    field: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class DateSpan:
    """``date:``: a closed interval of naive UTC datetimes; None is open."""

    since: datetime | None
    until: datetime | None
    start: int
    end: int


@dataclass(frozen=True)
class Group:
    """Clauses: every ``must``, any ``should`` (ranked), no ``must_not``; and ``filters``,
    which restrict without ranking (``lang:de Rogun``: German articles with ``Rogun``)."""

    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()
    filters: tuple[Node, ...] = ()


Node = Word | Phrase | Translated | Filter | DateSpan | Group


@dataclass(frozen=True)
class ParsedQuery:
    """The tree of one query, with its words in typing order (for suggestions)."""

    text: str
    root: Group
    words: tuple[Word, ...] = field(default=())

    @property
    def is_plain(self) -> bool:
        """True for natural-language text: only plain words, OR-ed."""
        root = self.root
        return (
            not root.must
            and not root.must_not
            and not root.filters
            and bool(root.should)
            and all(isinstance(n, Word) and n.kind == "word" and not n.parts for n in root.should)
        )
