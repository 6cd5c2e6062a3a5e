"""What a Searcher derives from one commit of the index, in one typed object.

Opening a Whoosh searcher, reading postings into arrays, scoring terms, resolving filters
and building the facet table all cost far more than a query; all of it stays valid until
the next commit. :class:`Commit` holds it, and the :class:`~searchkit.search.searcher.Searcher`
replaces the whole object when the index changes, so nothing outlives its commit.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

import numpy as np

from searchkit.backend.postings import FastIndex
from searchkit.normalize import author_value, parse_date
from searchkit.query.tree import Node
from searchkit.search.bm25 import Scorer
from searchkit.search.compile import compile_node
from searchkit.search.facets import FacetColumn, facet_table

#: Filter sets remembered per commit, at most (then forgotten all at once).
MEMO_ENTRIES = 10_000
#: Stored articles kept per commit, the least recently shown dropped first (~4 KB each,
#: ~16 MB at most): Whoosh decompresses and unpickles an article's stored fields on every
#: read, ~27 us a hit (0.27 ms of a short query's ~1.8); the articles shown recur.
STORED_ENTRIES = 4_096


class Commit:
    """One commit's Whoosh searcher, postings arrays, BM25F scorer and derived tables."""

    def __init__(self, whoosh_searcher: Any) -> None:
        self.searcher = whoosh_searcher
        self.fast = FastIndex(whoosh_searcher)
        self.scorer = Scorer(self.fast)
        self._docsets: dict[Node, frozenset[int]] = {}
        self._authors: list[str] | None = None
        self._facets: dict[str, FacetColumn] | None = None
        self._dates: np.ndarray | None = None
        self._stored: OrderedDict[int, dict[str, Any]] = OrderedDict()

    @property
    def size(self) -> int:
        """Document numbers run from 0 to size - 1 (deleted ones included)."""
        return self.fast.size

    def close(self) -> None:
        """Close the Whoosh searcher and its files."""
        self.searcher.close()

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of document ``docnum`` (shared: not to be changed)."""
        found = self._stored.get(docnum)
        if found is None:
            found = self._stored[docnum] = self.searcher.stored_fields(docnum)
            if len(self._stored) > STORED_ENTRIES:
                self._stored.popitem(last=False)
        else:
            self._stored.move_to_end(docnum)
        return found

    def docs(self, node: Node) -> frozenset[int]:
        """The live and deleted articles a filter or date clause (or a group of them)
        selects; cached."""
        if node not in self._docsets:
            if len(self._docsets) > MEMO_ENTRIES:  # many distinct filters: start over
                self._docsets.clear()
            query = compile_node(node, (), self.authors)
            found = self.searcher.docs_for_query(query) if query is not None else ()
            self._docsets[node] = frozenset(found)
        return self._docsets[node]

    def mask(self, node: Node) -> np.ndarray:
        """:meth:`docs` as a boolean array over document numbers."""
        docs = self.docs(node)
        matched = np.zeros(self.size, dtype=bool)
        matched[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
        return matched

    def authors(self, name: str) -> list[str]:
        """Indexed author values meant by ``name``: the full name, or one word of it."""
        if self._authors is None:
            self._authors = list(self.searcher.field_terms("author"))
        wanted = author_value(name)
        return [a for a in self._authors if wanted and (a == wanted or wanted in a.split())]

    def facet_table(self) -> dict[str, FacetColumn]:
        """The facet table (see :func:`~searchkit.search.facets.facet_table`)."""
        if self._facets is None:
            self._facets = facet_table(self.searcher, self.fast)
        return self._facets

    def dates(self) -> np.ndarray:
        """Each document's date as seconds since 1970 (naive UTC), NaN when it has none or
        is deleted: what sorting by date reads. Built once per commit from the stored
        documents (the ``date`` field's terms are split by precision, not one a value)."""
        if self._dates is None:
            dates = np.full(self.size, np.nan)
            epoch = datetime(1970, 1, 1)
            for docnum, stored in self.searcher.reader().iter_docs():
                raw = (stored.get("doc") or {}).get("date") or ""
                moment = parse_date(raw) if raw else None
                if moment is not None:
                    dates[docnum] = (moment - epoch).total_seconds()
            self._dates = dates
        return self._dates
