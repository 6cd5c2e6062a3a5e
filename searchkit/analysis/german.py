"""The German analyzer: one chain, declared in :func:`german_terms` and read top to bottom.

==================  =============================================  ======================
text                index mode                                     query mode
==================  =============================================  ======================
``Militärbasis``    ``militarbasis``, ``militar``, ``basis``       ``militarbasis``
``Militaerbasis``   the same (ae = ä = a, ß = ss)                  ``militarbasis``
``Grenzkonflikte``  ``grenzkonflikt``, ``grenz``, ``konflikt``     ``grenzkonflikt``
``Rogun-Staudamm``  ``rogunstaudamm``, ``rogun``, ``staudamm``,    ``rogunstaudamm``,
                    ``stau``, ``damm``                             ``rogun``, ``staudamm``
==================  =============================================  ======================

Compound parts are emitted at the compound's position with the compound's span, in their
analyzed (folded and stemmed) form, so the query ``Basis`` matches ``Militärbasis`` and a
highlighter marks the whole word. Only capitalised words (German nouns) are split:
adjectives and participles (``folgenden``, ``zeitweise``) stay whole, which avoids most
false splits. Queries are not split here: a query compound matches the same compound.
The ranking adds the parts' scores at a lower weight (``searchkit.query.terms.parts_of``,
``scoring.PART_WEIGHT``), and an article that has every part of the compound's split
matches too (``searchkit.query.terms.split_of``: ``Kraftwerk am Wasser`` for ``Wasserkraftwerk``);
one part alone does not: a one-word query must not find every article that mentions
one of its parts.
"""

from __future__ import annotations

from searchkit.analysis.compounds import compound_parts
from searchkit.analysis.filters import (
    ChainAnalyzer,
    Terms,
    clean_term,
    fold,
    hyphenated,
    load_words,
    stemmer,
)


def german_terms(piece: str, mode: str) -> tuple[str, ...]:
    """The German chain for one piece of a word (after hyphen splitting)."""
    term = clean_term(fold(piece), piece)  # lowercase; ä, ae -> a; ß -> ss
    if term in load_words("stop_de.txt"):
        return ()
    if mode == "plain":  # Whoosh's no_morph: no stemming
        return (term,)
    stem = stemmer("german")(term)
    if mode == "query" or not piece[0].isupper():
        return (stem,)  # only nouns, capitalised in German, are split: not "wachs|ender"
    return (stem, *compound_parts(term))


class GermanAnalyzer(ChainAnalyzer):
    """tokenize -> lowercase -> fold -> stop words -> Snowball German -> compound parts."""

    is_stemming = True

    def analyze_word(self, word: str, mode: str) -> Terms:
        """German has no elision; hyphenated words give the joined form and the pieces."""
        return hyphenated(word, 0, mode, german_terms)
