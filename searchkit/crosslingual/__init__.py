"""Data for cross-lingual (French <-> German) search: place names and a bilingual lexicon.

Only re-exports: the public API reads here. Tables load lazily, once per process.
"""

from searchkit.crosslingual.lexicon import Translation, other_lang, translate
from searchkit.crosslingual.places import find_places, spellings

__all__ = ["Translation", "find_places", "other_lang", "spellings", "translate"]
