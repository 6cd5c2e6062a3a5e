"""The parsed query tree, its words as index terms, and the tree spelled as Whoosh queries.

:func:`searchkit.query.parse` builds the tree: groups of words, phrases, filters and date
spans. Each word is analyzed once per language, for that language's fields (``analyze``,
``terms_of``), so one query finds French and German articles. :func:`to_whoosh` spells the
tree as Whoosh queries: the reference for which articles match (:mod:`searchkit.scoring`
evaluates and ranks the tree faster, and is tested against it) and the document sets of
filters and dates.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as wq

from searchkit.analysis import analyzer_for, fold
from searchkit.analysis.compounds import split
from searchkit.analysis.filters import clean_term, stemmer
from searchkit.schema import TEXT_PARTS


@dataclass(frozen=True)
class Word:
    """One typed word; ``kind`` is ``word``, ``prefix`` or ``fuzzy`` (``dist`` edits)."""

    text: str
    start: int
    end: int
    kind: str = "word"
    dist: int = 0
    parts: tuple[str, ...] | None = None  # None: every text field; ("title",) for title:


@dataclass(frozen=True)
class Phrase:
    """Words that must stand in this order (after analysis)."""

    text: str
    start: int
    end: int
    parts: tuple[str, ...] | None = None


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
    """Clauses: every ``must``, any ``should`` (ranked), no ``must_not``."""

    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()


Node = Word | Phrase | Filter | DateSpan | Group


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
            and bool(root.should)
            and all(isinstance(n, Word) and n.kind == "word" and not n.parts for n in root.should)
        )


# --- the tree's words as index terms, and the tree as Whoosh queries -------------------

#: The analyzer behind each field suffix (``xx`` holds articles of other languages).
ANALYZER_LANG = {"fr": "fr", "de": "de", "xx": "unknown"}
AuthorLookup = Callable[[str], list[str]]


@functools.lru_cache(maxsize=65536)
def analyze(lang: str, text: str) -> tuple[tuple[int, str], ...]:
    """``(position, term)`` pairs of ``text`` as the ``*_{lang}`` fields see a query."""
    analyzer = analyzer_for(ANALYZER_LANG[lang])
    return tuple((t.pos, t.text) for t in analyzer(text, positions=True, mode="query"))


def terms_of(lang: str, text: str) -> list[str]:
    """The distinct analyzed terms of ``text`` for the ``lang`` fields, in order."""
    return list(dict.fromkeys(term for _, term in analyze(lang, text)))


@functools.lru_cache(maxsize=65536)
def parts_of(lang: str, text: str) -> tuple[str, ...]:
    """The terms the index adds for ``text`` beyond what a query searches: the parts of
    German compounds (``Militärbasis``: ``militar``, ``basis``)."""
    analyzer = analyzer_for(ANALYZER_LANG[lang])
    whole = {term for _, term in analyze(lang, text)}
    found = (t.text for t in analyzer(text, mode="index") if t.text not in whole)
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=65536)
def split_of(lang: str, text: str) -> tuple[str, ...]:
    """The terms of a German query compound's preferred split (``Wasserkraftwerk``:
    ``wass``, ``kraftwerk``): an article that has all of them spells the compound out
    (``ein Kraftwerk am Wasser``). Empty for a word the index does not split."""
    if lang != "de" or not parts_of(lang, text):
        return ()
    stem = stemmer("german")
    return tuple(dict.fromkeys(stem(part) for part in split(clean_term(fold(text), text))))


def prefix_of(text: str) -> str:
    """A prefix as the index spells it: folded, lower case, without a leading elision."""
    return fold(re.split(r"['’]", text)[-1]).lower()


def tag_value(value: str) -> str:
    """A tag as the ``tag`` field stores it (see writer.to_document)."""
    return fold(value).replace(",", " ").strip().lower()


def to_whoosh(
    parsed: ParsedQuery, langs: Sequence[str], authors: AuthorLookup | None = None
) -> wq.Query | None:
    """The Whoosh query for ``parsed`` over the text fields of ``langs`` (fr, de, xx).

    None when nothing is left to search (only stop words). Words are OR-ed; ``authors``
    maps a typed name to the indexed author values it means. What matters here is which
    articles match: Whoosh's scores are not searchkit's ranking (:mod:`searchkit.bm25`).
    """
    return compile_node(parsed.root, langs, authors)


def compile_node(
    node: Node, langs: Sequence[str], authors: AuthorLookup | None = None
) -> wq.Query | None:
    """The Whoosh query of one node of a parsed query (see :func:`to_whoosh`)."""
    return _Compiler(tuple(langs), authors or (lambda name: [fold(name)])).node(node)


def _any(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


class _Compiler:
    def __init__(self, langs: tuple[str, ...], authors: AuthorLookup) -> None:
        self.langs = langs
        self.authors = authors

    def node(self, node: Node) -> wq.Query | None:
        if isinstance(node, Group):
            return self.group(node)
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, DateSpan):
            return wq.DateRange("date", node.since, node.until)
        return self.filter(node)

    def group(self, group: Group) -> wq.Query | None:
        must = [q for q in map(self.node, group.must) if q is not None]
        should = [q for q in map(self.node, group.should) if q is not None]
        must_not = [q for q in map(self.node, group.must_not) if q is not None]
        if must:
            query = wq.And(must) if len(must) > 1 else must[0]
            if should:
                query = wq.AndMaybe(query, _any(should))
        elif should:
            query = _any(should)
        elif must_not:
            query = wq.Every()
        else:
            return None
        return wq.AndNot(query, _any(must_not)) if must_not else query

    def fields(self, parts: tuple[str, ...] | None, lang: str) -> list[str]:
        return [f"{part}_{lang}" for part in parts or TEXT_PARTS]

    def word(self, word: Word) -> wq.Query | None:
        subs: list[wq.Query] = []
        for lang in self.langs:
            if word.kind == "prefix":
                subs += [wq.Prefix(f, prefix_of(word.text)) for f in self.fields(word.parts, lang)]
                continue
            for term in terms_of(lang, word.text):
                for name in self.fields(word.parts, lang):
                    if word.kind == "fuzzy":
                        subs.append(wq.FuzzyTerm(name, term, maxdist=word.dist, prefixlength=1))
                    else:
                        subs.append(wq.Term(name, term))
        return _any(subs) if subs else None

    def phrase(self, phrase: Phrase) -> wq.Query | None:
        subs: list[wq.Query] = []
        for lang in self.langs:
            by_pos = dict(reversed(analyze(lang, phrase.text)))  # first term at each position
            if not by_pos:
                continue
            positions = sorted(by_pos)
            words = [by_pos[p] for p in positions]
            gap = max((b - a for a, b in itertools.pairwise(positions)), default=1)
            for name in self.fields(phrase.parts, lang):
                subs.append(
                    wq.Term(name, words[0]) if len(words) == 1 else wq.Phrase(name, words, slop=gap)
                )
        return _any(subs) if subs else None

    def filter(self, node: Filter) -> wq.Query | None:
        if node.field == "tag":
            return wq.Term("tag", tag_value(node.value))
        if node.field == "lang":
            return wq.Term("lang", node.value.lower())
        names = self.authors(node.value) or [fold(node.value)]
        return _any([wq.Term("author", name) for name in names])
