"""A query's words as index terms: each word analyzed once per field suffix (fr, de, xx).

A typed word is analyzed by each language's chain, so one query finds French and German
articles; ``lang`` below is a field suffix (:mod:`searchkit.fields`). Results are cached:
the same words come back query after query.
"""

from __future__ import annotations

import functools
import re

from searchkit.analysis import fold
from searchkit.analysis.compounds import split
from searchkit.analysis.filters import clean_term, stemmer
from searchkit.fields import analyzer_of


@functools.lru_cache(maxsize=65536)
def analyze(lang: str, text: str) -> tuple[tuple[int, str], ...]:
    """``(position, term)`` pairs of ``text`` as the ``*_{lang}`` fields see a query."""
    analyzer = analyzer_of(lang)
    return tuple((t.pos, t.text) for t in analyzer(text, positions=True, mode="query"))


def terms_of(lang: str, text: str) -> list[str]:
    """The distinct analyzed terms of ``text`` for the ``lang`` fields, in order."""
    return list(dict.fromkeys(term for _, term in analyze(lang, text)))


@functools.lru_cache(maxsize=65536)
def parts_of(lang: str, text: str) -> tuple[str, ...]:
    """The terms the index adds for ``text`` beyond what a query searches: the parts of
    German compounds (``Militärbasis``: ``militar``, ``basis``)."""
    analyzer = analyzer_of(lang)
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
