"""The French analyzer: one chain, declared in :func:`french_terms` and read top to bottom.

Index and query forms (spans are those of the original text):

=================  ==============================  ==================
text               index mode                      query mode
=================  ==============================  ==================
``L’armée``        ``arme`` (span of ``armée``)    ``arme``
``sécurité``       ``securit``                     ``securit``
``Jalal-Abad``     ``jalalabad``, ``jalal``,       the same: a query word's
                   ``abad`` (one position)         terms are alternatives
``les``            nothing (stop word)             nothing
``base``           ``base`` (``bas``: Snowball's   ``base``
                   stem of bas and basé;
                   ``data/stems_fr.txt``)
=================  ==============================  ==================

Elision spans start after the apostrophe, so a highlighter marks ``armée`` in ``l’armée``.
"""

from __future__ import annotations

import re
import unicodedata

from searchkit.analysis.filters import (
    ChainAnalyzer,
    Terms,
    clean_term,
    elision_length,
    fold,
    hyphenated,
    load_table,
    load_words,
    stemmer,
)

#: Nouns with a term of their own: base is not bas (see the file).
STEMS = "stems_fr.txt"
# Folding turns "réfugiée" into "refugiee", which Snowball no longer reads as the feminine of
# "réfugié"; dropping one "e" restores that (refugie -> refug, like refugie(s)).
_FEMININE_RE = re.compile(r"ee(s?)$")


def french_terms(piece: str, mode: str) -> tuple[str, ...]:
    """The French chain for one piece of a word (after elision and hyphen splitting)."""
    term = clean_term(fold(piece), piece)  # lowercase and fold, once
    if term in load_words("stop_fr.txt"):
        return ()
    if mode == "plain":  # Whoosh's no_morph: no stemming
        return (term,)
    # A frequent noun kept apart from the word Snowball would merge it with (base / bas).
    own = load_table(STEMS).get(unicodedata.normalize("NFC", piece.lower()))
    if own is not None:
        return (own,)
    # Folding before stemming is what makes "securite" and "sécurité" one term.
    if term.endswith(("ee", "ees")):
        term = _FEMININE_RE.sub(r"e\1", term)
    return (stemmer("french")(term),)


class FrenchAnalyzer(ChainAnalyzer):
    """tokenize -> elision -> lowercase -> fold -> stop words -> exceptions -> Snowball."""

    is_stemming = True

    def analyze_word(self, word: str, mode: str) -> Terms:
        """Strip an elided article (``l’``, ``QU’``), then analyze the hyphenated pieces."""
        start = elision_length(word, load_words("elision_fr.txt"))
        return hyphenated(word, start, mode, french_terms)
