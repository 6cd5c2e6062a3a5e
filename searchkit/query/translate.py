"""Cross-lingual queries: the typed words also searched in the other language.

The archive tells many stories in both languages, so a query is also searched through
its translation (:mod:`searchkit.crosslingual.lexicon`: ``base militaire`` ->
``Militärbasis`` in the German fields) and place names in every spelling
(:mod:`searchkit.crosslingual.places`: ``Bichkek`` -> ``Bischkek``, ``Bishkek``, in every
language's fields). :func:`translate_query` adds these as :class:`Translated` nodes beside
the words they come from: optional beside optional words (an article found only through
a translation matches), alternatives of required ones (``+Militärbasis`` is satisfied by
``base militaire``) and of excluded ones (``NOT Kirghizstan`` leaves out ``Kirgistan``).

Translations weigh less than the words as typed, so that articles in the query's language
that match the words themselves still rank first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from searchkit.analysis import fold
from searchkit.analysis.filters import load_words
from searchkit.crosslingual.lexicon import LANGS, translate
from searchkit.crosslingual.places import find_places_by_language
from searchkit.query.tree import Group, Node, ParsedQuery, Translated, Word

#: A translation's best sense, against the typed word (tuned on tests/data/crosslingual.jsonl
#: with the monolingual sets unchanged: see README, Cross-lingual search).
TRANSLATION_WEIGHT = 0.5
#: What each later sense weighs, against the best one: senses pile up in a dictionary.
LATER_SENSE = 0.6
#: Another spelling of a name in the language it was typed in (``Kirghizistan`` for
#: ``Kirghizstan``), or a transliteration (``Bishkek``): the same name, the same weight.
SPELLING_WEIGHT = 1.0
#: The name as the other language spells it (``Russland`` for ``Russie``): it finds the
#: same place, yet an article that has the name as typed ranks first.
EXONYM_WEIGHT = 0.85


def translate_query(parsed: ParsedQuery, langs: Sequence[str]) -> ParsedQuery:
    """``parsed`` with the translations of its words into the fields of ``langs`` (field
    suffixes) added; the same query when nothing translates."""
    sources = query_languages([w.text for w in parsed.words])
    root = _group(parsed.root, tuple(langs), sources)
    return parsed if root == parsed.root else dataclasses.replace(parsed, root=root)


def query_languages(words: Sequence[str]) -> tuple[str, ...]:
    """The languages the query may be typed in: the one whose stop words it uses more, or
    both when that does not tell (a list of keywords, names)."""
    folded = [fold(w) for w in words]
    counts = {lang: sum(w in load_words(f"stop_{lang}.txt") for w in folded) for lang in LANGS}
    fr, de = counts["fr"], counts["de"]
    if fr != de:
        return ("fr",) if fr > de else ("de",)
    return LANGS


def _plain(node: Node) -> bool:
    return isinstance(node, Word) and node.kind == "word" and not node.parts


def _group(group: Group, langs: tuple[str, ...], sources: tuple[str, ...]) -> Group:
    """The group with translations added to its optional words and around its required ones."""
    should: list[Node] = []
    run: list[Word] = []
    for node in group.should:
        if _plain(node):
            run.append(node)  # type: ignore[arg-type]
            should.append(node)
            continue
        should += alternatives(run, langs, sources)
        run = []
        should.append(_group(node, langs, sources) if isinstance(node, Group) else node)
    should += alternatives(run, langs, sources)
    must = tuple(_required(node, langs, sources) for node in group.must)
    must_not = tuple(_required(node, langs, sources) for node in group.must_not)
    return Group(must=must, should=tuple(should), must_not=must_not, filters=group.filters)


def _required(node: Node, langs: tuple[str, ...], sources: tuple[str, ...]) -> Node:
    if isinstance(node, Group):
        return _group(node, langs, sources)
    if not _plain(node):
        return node
    found = alternatives([node], langs, sources)  # type: ignore[list-item]
    return Group(should=(node, *found)) if found else node


def alternatives(
    words: Sequence[Word], langs: tuple[str, ...], sources: tuple[str, ...]
) -> list[Translated]:
    """The translations and other spellings of consecutive typed ``words``, for the
    fields of ``langs``: names first, then the lexicon's entries for the other words."""
    if not words:
        return []
    texts = [w.text for w in words]
    found: list[Translated] = []
    named: set[int] = set()
    for start, end, columns in find_places_by_language(texts):
        named.update(range(start, end))
        found += _spellings(words, start, end, columns, langs)
    for lang in langs:
        for src in sources:
            if src == lang or lang not in LANGS:
                continue
            for t in translate(texts, src):
                if named.isdisjoint(range(t.start, t.end)):
                    typed = _key(t.source)
                    senses = tuple(s for s in t.targets if _key(s) != typed)
                    found += _node(words, t.start, t.end, lang, senses, TRANSLATION_WEIGHT)
    return found


def _spellings(
    words: Sequence[Word],
    start: int,
    end: int,
    columns: dict[str, tuple[str, ...]],
    langs: tuple[str, ...],
) -> list[Translated]:
    """The other spellings of the name typed as ``words[start:end]``, per field language:
    that language's names, the English ones and the transliterations."""
    typed = _key(" ".join(w.text for w in words[start:end]))
    own = {lang for lang in LANGS if typed in {_key(n) for n in columns[lang]}}
    found: list[Translated] = []
    for lang in langs:
        names = (*columns.get(lang, ()), *columns["en"], *columns["other"])
        if lang not in LANGS:  # (articles of other languages: every spelling)
            names = tuple(n for col in columns.values() for n in col)
        # (a longer name that holds the typed one, ``Kassym-Jomart Tokaïev`` for
        # ``Tokaïev``, finds nothing more: it would only count the same words twice)
        senses = tuple(dict.fromkeys(n for n in names if not _within(typed, n)))
        exonym = bool(own) and lang in LANGS and lang not in own
        found += _node(
            words, start, end, lang, senses, EXONYM_WEIGHT if exonym else SPELLING_WEIGHT
        )
    return found


def _within(typed: str, name: str) -> bool:
    return set(typed.split()) <= set(_key(name).split())


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def _node(
    words: Sequence[Word], start: int, end: int, lang: str, senses: tuple[str, ...], weight: float
) -> list[Translated]:
    if not senses:
        return []
    weights = tuple(weight * (1.0 if i == 0 else LATER_SENSE) for i in range(len(senses)))
    source = " ".join(w.text for w in words[start:end])
    return [Translated(source, lang, senses, weights, words[start].start, words[end - 1].end)]
