"""The Whoosh schema: one set of text fields per language, plus filter and stored fields.

Each language has its own fields (``title_fr``, ``body_de``, ...) so that each is analyzed
by that language's chain; articles in other languages go to the neutral ``*_xx`` fields.
The schema version is part of the Whoosh index name, so an index written by another
version of searchkit is never opened with this schema (it would be misread).
"""

from __future__ import annotations

from whoosh import fields

from searchkit.analysis import analyzer_for
from searchkit.formats import FastPositions

#: Bump whenever the schema or an analyzer changes what is written to the index.
SCHEMA_VERSION = 1
INDEX_NAME = f"SEARCHKIT{SCHEMA_VERSION}"

#: Languages that have their own fields; anything else is indexed as ``xx``.
FIELD_LANGS = ("fr", "de", "xx")

#: BM25F field weights (see searchkit.bm25): the title says most about an article, the
#: caption least. Also written to the index as Whoosh field boosts (the postings' weights
#: are frequencies times these); searchkit.postings divides them out when reading.
BOOSTS = {"title": 4.0, "tags": 2.5, "lead": 2.0, "body": 1.0, "caption": 0.5}
TEXT_PARTS = tuple(BOOSTS)


def field_lang(lang: str) -> str:
    """The field suffix for an article language: ``fr``, ``de``, or ``xx`` for the rest."""
    return lang if lang in ("fr", "de") else "xx"


def build_schema() -> fields.Schema:
    """Build the schema. Analyzers are pickled with it, so they are module-level classes."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # The file an article came from (resolved path), and that file's content hash:
        # the indexer reads both from the lexicon to find what changed, without
        # loading stored documents.
        source=fields.ID,
        filekey=fields.ID,
        lang=fields.ID(stored=True),
        # Filters and facets: folded, lowercased values.
        tag=fields.KEYWORD(commas=True, lowercase=True),
        author=fields.ID,
        year=fields.ID,
        date=fields.DATETIME,
        # Everything shown with a hit, in one stored dict (read once per hit).
        doc=fields.STORED,
    )
    for lang in FIELD_LANGS:
        analyzer = analyzer_for(lang if lang != "xx" else "unknown")
        for part, boost in BOOSTS.items():
            field = fields.TEXT(analyzer=analyzer, phrase=True, field_boost=boost)
            field.format = FastPositions(field_boost=boost)  # same bytes, built faster
            schema.add(f"{part}_{lang}", field)
    return schema
