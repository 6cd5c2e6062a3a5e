"""Languages, the index's field names, and the analyzer behind each: the one home of the rule.

An article in French or German is indexed in its language's own text fields
(``title_fr``, ``body_de``, ...), analyzed by that language's chain; an article in any
other language goes to the neutral ``*_xx`` fields. Every module that names a text field,
picks an analyzer for one, or maps a language to its fields asks this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from searchkit.analysis import analyzer_for
from searchkit.analysis.filters import ChainAnalyzer

#: Languages with their own analyzer and fields.
LANGUAGES = ("fr", "de")
#: An article whose language could not be told.
UNKNOWN = "unknown"
#: The field suffixes: one per language, and ``xx`` for every other language.
FIELD_LANGS = ("fr", "de", "xx")

#: BM25F field weights (see searchkit.search.bm25): the title says most about an article,
#: the caption least. Also written to the index as Whoosh field boosts (the postings'
#: weights are frequencies times these); the fast reader divides them out.
BOOSTS = {"title": 4.0, "tags": 2.5, "lead": 2.0, "body": 1.0, "caption": 0.5}
#: The parts of an article that are searched as text, each in its own field.
TEXT_PARTS = tuple(BOOSTS)


def field_lang(lang: str) -> str:
    """The field suffix for an article language: ``fr``, ``de``, or ``xx`` for the rest."""
    return lang if lang in LANGUAGES else "xx"


def field_langs(lang: str | None) -> tuple[str, ...]:
    """The field suffixes a search covers: all of them, or only those of ``lang``."""
    return FIELD_LANGS if lang is None else (field_lang(lang),)


def field_name(part: str, suffix: str) -> str:
    """The text field holding ``part`` (title, body, ...) of articles of suffix ``suffix``."""
    return f"{part}_{suffix}"


@cache
def _text_fields(suffix: str, parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(field_name(part, suffix) for part in parts)


def text_fields(suffix: str, parts: Sequence[str] | None = None) -> tuple[str, ...]:
    """The text fields of ``suffix``: all its parts, or only ``parts`` (``title:`` in a query)."""
    return _text_fields(suffix, tuple(parts or TEXT_PARTS))


def part_of(field: str) -> str:
    """``title`` for ``title_fr``: the part a text field holds."""
    return field.rpartition("_")[0]


def analyzer_of(suffix: str) -> ChainAnalyzer:
    """The analyzer behind the fields of ``suffix`` (the neutral one for ``xx``)."""
    return analyzer_for(suffix if suffix in LANGUAGES else UNKNOWN)
