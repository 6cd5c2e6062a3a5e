"""The query tree and the API's filters spelled as Whoosh queries: the one filter compiler.

:func:`to_whoosh` is the reference for which articles a query matches
(:mod:`searchkit.search.scoring` evaluates and ranks the tree faster, and is tested against
it); :func:`filter_query` gives the document sets of filters and dates, whether typed in the
query (``tag:``, ``date:``) or passed as options (``tag=``, ``since=``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date

from whoosh import query as wq

from searchkit.fields import text_fields
from searchkit.normalize import author_value, day_bound, tag_value
from searchkit.query.terms import analyze, prefix_of, terms_of
from searchkit.query.tree import (
    DateSpan,
    Filter,
    Group,
    Node,
    ParsedQuery,
    Phrase,
    Translated,
    Word,
)

#: Maps a typed author name to the indexed author values it means.
AuthorLookup = Callable[[str], list[str]]


def to_whoosh(
    parsed: ParsedQuery, langs: Sequence[str], authors: AuthorLookup | None = None
) -> wq.Query | None:
    """The Whoosh query for ``parsed`` over the text fields of ``langs`` (fr, de, xx).

    None when nothing is left to search (only stop words). Words are OR-ed; ``authors``
    maps a typed name to the indexed author values it means. What matters here is which
    articles match: Whoosh's scores are not searchkit's ranking (:mod:`searchkit.search.bm25`).
    """
    return compile_node(parsed.root, langs, authors)


def compile_node(
    node: Node, langs: Sequence[str], authors: AuthorLookup | None = None
) -> wq.Query | None:
    """The Whoosh query of one node of a parsed query (see :func:`to_whoosh`)."""
    return _Compiler(tuple(langs), authors or (lambda name: [author_value(name)])).node(node)


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
        if isinstance(node, Translated):
            return self.translated(node)
        if isinstance(node, DateSpan):
            return wq.DateRange("date", node.since, node.until)
        return self.filter(node)

    def group(self, group: Group) -> wq.Query | None:
        must = [q for q in map(self.node, group.must) if q is not None]
        should = [q for q in map(self.node, group.should) if q is not None]
        must_not = [q for q in map(self.node, group.must_not) if q is not None]
        must += [q for q in map(self.node, group.filters) if q is not None]
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
        return list(text_fields(lang, parts))

    def word(self, word: Word) -> wq.Query | None:
        subs: list[wq.Query] = []
        for lang in word.searched_in(self.langs):
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

    def translated(self, node: Translated) -> wq.Query | None:
        """Any sense, each with all of its words, in the fields of the node's language."""
        if node.lang not in self.langs:
            return None
        fields = self.fields(None, node.lang)
        senses = []
        for sense in node.senses:
            words = [
                _any([wq.Term(f, term) for f in fields]) for term in terms_of(node.lang, sense)
            ]
            if words:
                senses.append(words[0] if len(words) == 1 else wq.And(words))
        return _any(senses) if senses else None

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
        names = self.authors(node.value) or [author_value(node.value)]
        return _any([wq.Term("author", name) for name in names])


def option_filters(
    lang: str | None,
    tags: Sequence[str],
    author: str | None,
    since: str | date | None,
    until: str | date | None,
) -> Group | None:
    """The API's filter options as the query clauses that mean the same (``tag=`` is
    ``tag:``, ``since=`` is ``date:[since TO *]``); None when there are none."""
    nodes: list[Node] = [Filter("tag", t, 0, 0) for t in tags]
    if lang is not None:
        nodes.append(Filter("lang", lang, 0, 0))
    if author is not None:
        nodes.append(Filter("author", author, 0, 0))
    if since is not None or until is not None:
        low, high = day_bound(since, "since", 0), day_bound(until, "until", 1)
        nodes.append(DateSpan(low, high, 0, 0))
    return Group(must=tuple(nodes)) if nodes else None
