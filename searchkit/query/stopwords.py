"""Words not searched through another language's chain: one letter, or the query's stop words.

A typed word is analyzed by every language's chain (:mod:`searchkit.query.terms`). A
French stop word is nothing to the French chain but an ordinary word to the German one:
``pollution de l'air à Bichkek`` found a German article through ``à`` -> ``a``, which is
how the German chain folds ``ä`` ("Buchstaben wie ä, ö, ü"). So:

- a word of one letter (``à``, ``ä``, ``y``) is searched in no chain: a letter on its
  own says nothing of an article (``l'UE`` is two letters, though folding makes it
  ``u``: it stays);
- a stop word of the language the query is typed in (by its stop words,
  :func:`searchkit.query.translate.query_languages`) is not searched through the other
  chains either. A query in French keeps ``an`` and ``hier``, German stop words, as
  French words: only the query's own language decides.
"""

from __future__ import annotations

import dataclasses

from searchkit.analysis.filters import elision_length, load_words
from searchkit.fields import FIELD_LANGS, LANGUAGES
from searchkit.query.terms import terms_of
from searchkit.query.translate import query_languages
from searchkit.query.tree import Group, Node, ParsedQuery, Word


def skip_foreign_stop_words(parsed: ParsedQuery) -> ParsedQuery:
    """``parsed`` with each word marked with the chains that do not search it."""
    sources = query_languages([w.text for w in parsed.words])
    root = _group(parsed.root, sources)
    return parsed if root == parsed.root else dataclasses.replace(parsed, root=root)


def skipped(text: str, sources: tuple[str, ...]) -> tuple[str, ...]:
    """The field suffixes whose chain does not search the typed word ``text``."""
    if _one_letter(text):
        return FIELD_LANGS
    found = []
    for lang in FIELD_LANGS:
        terms = terms_of(lang, text)
        if terms and any(s != lang and s in LANGUAGES and not terms_of(s, text) for s in sources):
            found.append(lang)  # (a stop word of the language the query is typed in)
    return tuple(found)


def _one_letter(text: str) -> bool:
    """``à``, ``a``, ``Ä``, ``y``: one letter as typed (after an elided article). Not
    ``l'UE``, which folding makes ``u`` (ue spells ü), nor ``Diam's``, nor a digit."""
    start = elision_length(text, load_words("elision_fr.txt"))
    core = [char for char in text[start:] if char.isalnum()]
    return len(core) == 1 and core[0].isalpha()


def _node(node: Node, sources: tuple[str, ...]) -> Node:
    if isinstance(node, Group):
        return _group(node, sources)
    if isinstance(node, Word) and node.kind == "word":
        skip = skipped(node.text, sources)
        return dataclasses.replace(node, skip=skip) if skip else node
    return node


def _group(group: Group, sources: tuple[str, ...]) -> Group:
    return Group(
        must=tuple(_node(n, sources) for n in group.must),
        should=tuple(_node(n, sources) for n in group.should),
        must_not=tuple(_node(n, sources) for n in group.must_not),
        filters=group.filters,
    )
