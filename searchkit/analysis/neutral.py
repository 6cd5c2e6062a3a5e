"""The analyzer for text of another or unknown language: no stemming, no stop words."""

from __future__ import annotations

from searchkit.analysis.filters import ChainAnalyzer, Terms, clean_term, fold, hyphenated


def neutral_terms(piece: str, mode: str) -> tuple[str, ...]:
    """Lowercase and fold one piece of a word; nothing language-specific."""
    return (clean_term(fold(piece), piece),)


class NeutralAnalyzer(ChainAnalyzer):
    """tokenize -> lowercase -> fold (``Казахстан`` -> ``kazakhstan``, ``Zürich`` -> ``zurich``)."""

    def analyze_word(self, word: str, mode: str) -> Terms:
        """Hyphenated words are handled as in the other chains (joined form and pieces)."""
        return hyphenated(word, 0, mode, neutral_terms)
