"""Which words a snippet marks: exactly those the index analyzer gives a query term for,
found without analyzing the whole text (skeleton + needles, then only candidate chunks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.analysis import analyzer_for
from searchkit.analysis.filters import WORD_RE, load_words
from searchkit.fields import analyzer_of
from searchkit.highlight import matching
from searchkit.highlight import skeleton as sk
from searchkit.highlight.matching import TermMatcher, find_matches, matcher_for
from searchkit.query.parse import parse

# Words that test the shortcuts: accents, digraphs spelled out (ae, oe, ue, uee), ß, œ,
# letters beyond Latin-1, elision, hyphens, numbers, stems that change a letter (payer ->
# pai), one- and two-letter terms, compounds.
SAMPLE = """
militaires Sécurité l’armée L'armée aéroport coentreprises guerre tuées Noël payer voyaient
cœur sœurs Œuvre Jalal-Abad Jalalabad au-delà aujourd’hui qu’il 3.600 3,6 égaux chevaux vue
rue Israël Douchanbé a à ne en ou le Ouzbékistan Türkmenbaşy Казахстан Kazakhstan base
militaire Kant Militärbasen Militärbasis Militaerbasis Basis Mueller Müller Straße Strasse
Maßnahmen Aßmann Grenzkonflikte Rogun-Staudamm u. o. Goethe Häuser Bäume Kirgisistan
Zentralasien Schneeschmelze
"""
WORDS = SAMPLE.split()
GLUE = [" ", "  ", "\n\n", ", ", ". ", "’", "'", "-", "‐", "_", "?", " (", ") ", "«\xa0"]
GLUE += ["\u202f»", "„", "“", " – ", "…", "\t", "", "x", "é", "ş", "€", "ʼ"]
LANGS = ("fr", "de", "xx")


def reference(text: str, lang: str, matcher: TermMatcher) -> list[tuple[int, int, str]]:
    """What find_matches promises: the whole text analyzed, nested spans dropped."""
    found: dict[tuple[int, int], str] = {}
    analyzer = analyzer_of(lang)
    for token in analyzer(text, chars=True, mode="index"):
        if (key := matcher.key(token.text)) is not None:
            found.setdefault((token.startchar, token.endchar), key)
    out: list[tuple[int, int, str]] = []
    for (start, end), key in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if not out or start >= out[-1][1]:
            out.append((start, end, key))
    return out


texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=12).map(
    lambda pairs: "".join(word + glue for word, glue in pairs)
)
query_words = st.sampled_from([w for w in WORDS if w[0].isalnum()])


@st.composite
def queries(draw: st.DrawFn) -> str:
    words = draw(st.lists(query_words, min_size=1, max_size=3))
    if draw(st.booleans()):  # a prefix, as short as 2 letters
        word = draw(query_words).split("’")[-1].split("'")[-1]
        words.append(word[: draw(st.integers(2, 5))] + "*")
    if draw(st.integers(0, 9)) == 0:
        words.append(draw(query_words) + "~")
    return " ".join(words)


@settings(max_examples=400, deadline=None)
@given(text=texts, query=queries(), lang=st.sampled_from(LANGS))
def test_matches_are_those_of_the_whole_text_analyzed(text: str, query: str, lang: str) -> None:
    matcher = matcher_for(parse(query), lang)
    assert find_matches(text, lang, matcher) == reference(text, lang, matcher)


@pytest.mark.parametrize(
    ("lang", "query", "text", "marked"),
    [
        # French folds as German does (ae, oe, ue dropped): these used to go unmarked.
        ("fr", "aéroport", "Un aéroport neuf.", ["aéroport"]),
        ("fr", "coentreprises", "Des coentreprises.", ["coentreprises"]),
        ("fr", "guerre", "La guerre civile.", ["guerre"]),
        ("fr", "tuées", "Deux personnes tuées.", ["tuées"]),
        ("fr", "payer", "Ils voulaient payer.", ["payer"]),  # Snowball: pai
        ("fr", "sœur", "Sa sœur et sa soeur.", ["sœur", "soeur"]),
        ("de", "Müller", "Herr Mueller und Herr Müller.", ["Mueller", "Müller"]),
        ("de", "Maßnahme", "Neue Maßnahmen, alte Massnahmen.", ["Maßnahmen", "Massnahmen"]),
        ("de", "Militär", "Zwei Militärbasen.", ["Militärbasen"]),
        ("xx", "Kazakhstan", "Казахстан (Kazakhstan).", ["Казахстан", "Kazakhstan"]),
        ("xx", "a", "Il a dit: à la ville.", ["a", "à"]),  # not in every word with an a
        ("de", "u", "Hund u. Katze, Uhu.", ["u"]),
    ],
)
def test_words_the_shortcuts_must_not_miss(
    lang: str, query: str, text: str, marked: list[str]
) -> None:
    found = find_matches(text, lang, matcher_for(parse(query), lang))
    assert [text[a:b] for a, b, _ in found] == marked


def test_the_chunk_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching, "MAX_CHUNKS", 2)
    matcher = matcher_for(parse("base"), "fr")
    text = "une base, des bases; la base."
    for _ in range(3):
        assert [text[a:b] for a, b, _ in find_matches(text, "fr", matcher)] == [
            "base",
            "bases",
            "base",
        ]
        assert len(matching._CHUNKS["fr"]) <= 3


# --- the skeleton ------------------------------------------------------------------------


@given(text=st.text())
def test_the_skeleton_has_one_byte_per_character(text: str) -> None:
    assert len(sk.skeleton(text)) == len(text)


def test_the_skeleton_folds_letters_and_keeps_what_words_are_made_of() -> None:
    assert sk.skeleton("Sécurité, L’ARMÉE 3.600") == b"securite' l'armee 3'600"
    assert sk.skeleton("Straße Payé") == b"strase paie"  # ß: one s; y: i, as Snowball may
    assert sk.skeleton("«\xa0a_b?\u202f»") == b"  a'b   "  # "?" is no letter
    assert sk.skeleton("sœur Şa Жук") == b"s?ur ?a ???"


def test_exotic_positions_are_letters_beyond_latin_1() -> None:
    text = "sœur € Жa"
    assert sk.exotic_positions(text, sk.skeleton(text)) == [1, 7]


def test_needles_spell_the_digraphs_fold_drops() -> None:
    assert set(sk.needles(["mull"]) or ()) == {b"mul", b"muel", b"mueel"}
    assert set(sk.needles(["tus"]) or ()) == {b"tus", b"tues", b"tuees"}
    assert set(sk.needles(["strass"]) or ()) == {b"str"}
    assert b"as" in (sk.needles(["assmann"]) or ())  # Aßmann


def test_needles_for_short_terms_start_a_piece() -> None:
    assert set(sk.needles(["ne"]) or ()) == {b" ne", b"'ne", b"?ne"}
    assert set(sk.needles([], ["ne"]) or ()) == {b"ne"}  # a prefix may be a compound part


def test_a_needle_inside_another_is_enough() -> None:
    assert set(sk.needles(["basis", "bas"]) or ()) == {b"bas", b"baes"}
    assert set(sk.needles(["base", "militair"], ["mi"]) or ()) == {b"mi", b"bas", b"baes"}


def test_without_a_skeleton_spelling_every_chunk_is_a_candidate() -> None:
    assert sk.needles(["жук"]) is None
    assert sk.needles([], [""]) is None


# --- every term of real text finds its word ------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
JOINERS = re.compile(r"[-‐‑'’.,]")


def corpus_words(lang: str) -> set[str]:
    """The words of the sample corpus in ``lang``, and for German the lexicon's nouns and
    two-word compounds of them (which the analyzer splits)."""
    texts = [path.read_text("utf-8") for path in (CORPUS / lang).glob("*.txt")]
    for line in (CORPUS / "more-articles.jsonl").read_text("utf-8").splitlines():
        article = json.loads(line)
        if article.get("lang", article["id"][:2]) == lang:
            texts += [article.get(part) or "" for part in ("title", "lead", "body")]
    words = {word for text in texts for word in WORD_RE.findall(text)}
    if lang == "de":
        nouns = sorted(w.rstrip("-!").capitalize() for w in load_words("lexicon_de.txt", str))
        words |= {*nouns, *(a + b.lower() for a, b in zip(nouns, nouns[7:], strict=False))}
    return words


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_term_of_the_sample_corpus_finds_its_word(lang: str) -> None:
    analyzer = analyzer_for(lang)
    missed = []
    for word in sorted(corpus_words(lang)):
        for term, a, b in analyzer.word_terms(word):
            if JOINERS.search(word[a:b]):  # a hyphenated word's joined form: see matching
                continue
            if (a, b, term) not in find_matches(word, lang, TermMatcher(frozenset({term}))):
                missed.append((word, term))
    assert not missed
