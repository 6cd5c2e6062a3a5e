"""Text analysis: one analyzer chain per language, and the folding the filters share.

``analyzer_for("fr")``, ``analyzer_for("de")`` and ``analyzer_for(anything else)`` return
Whoosh analyzers; the index and the query parser call them with ``mode="index"`` and
``mode="query"``. Their instances hold no data, so the pickled schema stays small.
"""

from __future__ import annotations

from searchkit.analysis.filters import ChainAnalyzer, fold
from searchkit.analysis.french import FrenchAnalyzer
from searchkit.analysis.german import GermanAnalyzer
from searchkit.analysis.neutral import NeutralAnalyzer

__all__ = ["FrenchAnalyzer", "GermanAnalyzer", "NeutralAnalyzer", "analyzer_for", "fold"]

_ANALYZERS: dict[str, type[ChainAnalyzer]] = {"fr": FrenchAnalyzer, "de": GermanAnalyzer}


def analyzer_for(lang: str) -> ChainAnalyzer:
    """The analyzer of ``lang``: "fr", "de", or the neutral one for anything else.

    The neutral analyzer tokenizes, lowercases and folds; it neither stems nor stops.
    """
    return _ANALYZERS.get(lang, NeutralAnalyzer)()
