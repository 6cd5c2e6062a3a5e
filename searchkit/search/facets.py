"""Facets: how many of the matching articles have each language, tag, author and year.

The table (per facet field: its values, and for each live posting its document and value
index) is built once per commit from the fast path's postings; counting the matches of one
query is then one bincount per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from searchkit.backend.postings import FastIndex
from searchkit.normalize import tag_value

#: Tag and author values returned per facet, the most frequent first (each value's
#: display spelling costs one stored-document read); languages and years come complete.
FACET_LIMIT = 20
FACET_FIELDS = ("lang", "tag", "author", "year")
#: Facets listed whole, in the order of their values (years run in time order).
COMPLETE = {"lang": False, "year": True}
#: Per facet, its values with their counts; and per facet, how many values were left out.
FacetCounts = tuple[dict[str, dict[str, int]], dict[str, int]]


@dataclass(frozen=True)
class FacetColumn:
    """One facet field: its values, and for each posting its document and value index."""

    values: list[str]
    docs: np.ndarray
    which: np.ndarray


def facet_table(searcher: Any, fast: FastIndex) -> dict[str, FacetColumn]:
    """Per facet field: its values, and (document, value index) pairs of live documents."""
    table = {}
    for name in FACET_FIELDS:
        values = list(searcher.field_terms(name))
        found = [fast.postings(name, value).docs for value in values]
        docs = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        which = np.repeat(np.arange(len(values)), [len(d) for d in found])
        live = fast.live[docs]
        table[name] = FacetColumn(values, docs[live], which[live])
    return table


def count_facets(
    searcher: Any,
    table: dict[str, FacetColumn],
    matched: np.ndarray,
    size: int,
    limit: int | None = FACET_LIMIT,
) -> FacetCounts:
    """Counts of the ``matched`` documents by each facet's values, most frequent first
    (years in time order), ``limit`` values of a tag or author facet at most (None: all);
    and per facet, how many values that limit left out (facets that lost none omitted)."""
    inside = np.zeros(size, dtype=bool)
    inside[matched] = True
    out: dict[str, dict[str, int]] = {}
    left_out: dict[str, int] = {}
    for name, column in table.items():
        chosen = inside[column.docs]
        counts = np.bincount(column.which[chosen], minlength=len(column.values))
        top = sorted(np.flatnonzero(counts), key=lambda i: (-counts[i], column.values[i]))
        if name in COMPLETE:
            top = sorted(top, key=lambda i: column.values[i]) if COMPLETE[name] else top
        elif limit is not None and len(top) > limit:
            left_out[name] = len(top) - limit
            top = top[:limit]
        out[name] = {_display(searcher, name, column, chosen, i): int(counts[i]) for i in top}
    return out, left_out


def _display(
    searcher: Any, name: str, column: FacetColumn, chosen: np.ndarray, index: np.intp
) -> str:
    """The original spelling of a folded tag or author, read from one article with it."""
    value = column.values[index]
    if name not in ("tag", "author"):
        return value
    docnum = int(column.docs[chosen & (column.which == index)][0])
    doc = searcher.stored_fields(docnum).get("doc") or {}
    if name == "author":
        return doc.get("author") or value
    return next((t for t in doc.get("tags", ()) if tag_value(t) == value), value)


def value_counts(column: FacetColumn) -> dict[str, int]:
    """Live documents per value, for the values that have any."""
    counts = np.bincount(column.which, minlength=len(column.values))
    return {column.values[i]: int(counts[i]) for i in np.flatnonzero(counts)}
