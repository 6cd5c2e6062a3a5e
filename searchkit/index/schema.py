"""The Whoosh schema: one set of text fields per language, plus filter and stored fields.

Each language has its own fields (``title_fr``, ``body_de``, ...) so that each is analyzed
by that language's chain; articles in other languages go to the neutral ``*_xx`` fields.
The schema version is part of the Whoosh index name, so an index written by another
version of searchkit is never opened with this schema (it would be misread).
"""

from __future__ import annotations

from whoosh import fields

from searchkit.backend.positions import FastPositions
from searchkit.fields import BOOSTS, FIELD_LANGS, analyzer_of, field_name

#: Bump whenever the schema, an analyzer or a pickled class path changes (2: the
#: positions format moved to searchkit.backend.positions, so version 1 indexes would
#: not unpickle: they are refused with the rebuild message instead; 3: the French chain
#: gives a few nouns a term of their own, analysis/data/stems_fr.txt).
SCHEMA_VERSION = 3
INDEX_NAME = f"SEARCHKIT{SCHEMA_VERSION}"


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
        analyzer = analyzer_of(lang)
        for part, boost in BOOSTS.items():
            field = fields.TEXT(analyzer=analyzer, phrase=True, field_boost=boost)
            field.format = FastPositions(field_boost=boost)  # same bytes, built faster
            schema.add(field_name(part, lang), field)
    return schema
