"""Properties every analyzer keeps, on any text: no errors, honest spans, stable folding."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.analysis import analyzer_for, fold
from searchkit.analysis.filters import WORD_RE, fold_accents

LANGS = ("fr", "de", "unknown")
# Latin letters with the accents, umlauts and ligatures of our two languages, and spaces.
# (Hyphens stay out: folding a whole text can read a digraph across one, "a-ue" -> "a-u",
# which the analyzers, folding piece by piece, never do; hyphens have table tests.)
LATIN = st.text(st.sampled_from([*"aeiouynrstlAEIOUNRSTéèêàçôœöüäßÉÀÖÜÄ", " ", " "]), max_size=60)


@settings(max_examples=150)
@given(text=st.text(), lang=st.sampled_from(LANGS), mode=st.sampled_from(["index", "query"]))
def test_any_text_gives_honest_tokens(text: str, lang: str, mode: str) -> None:
    last = -1
    for token in analyzer_for(lang)(text, positions=True, chars=True, mode=mode):
        assert token.text
        assert 0 <= token.startchar < token.endchar <= len(text)
        assert text[token.startchar : token.endchar].strip()
        assert token.pos >= last  # positions never go back (parts share one)
        last = token.pos


@settings(max_examples=150)
@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_indexing_path_agrees_with_the_spans_path(text: str, lang: str) -> None:
    analyzer = analyzer_for(lang)
    fast = [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]
    full = [(t.text, t.pos) for t in analyzer(text, positions=True, chars=True, mode="index")]
    assert fast == full


@given(text=st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold_accents(fold_accents(text)) == fold_accents(text)


@given(text=st.text())
def test_fold_is_lowercase_ascii(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()


@given(text=LATIN)
def test_folded_text_analyzes_the_same(text: str) -> None:
    def terms(lang: str, value: str, mode: str) -> list[str]:
        return [t.text for t in analyzer_for(lang)(value, mode=mode)]

    for mode in ("index", "query"):
        assert terms("fr", text, mode) == terms("fr", fold(text), mode)
        assert terms("unknown", text, mode) == terms("unknown", fold(text), mode)
    # German splits only capitalised nouns, which folding lowercases: compare queries
    assert terms("de", text, "query") == terms("de", fold(text), "query")


@given(text=st.text(), lang=st.sampled_from(LANGS))
def test_stop_words_kept_on_request(text: str, lang: str) -> None:
    analyzer = analyzer_for(lang)
    kept = [t.text for t in analyzer(text, removestops=False) if not t.stopped]
    assert kept == [t.text for t in analyzer(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_analyzers_pickle_and_compare(lang: str) -> None:
    analyzer = analyzer_for(lang)
    assert pickle.loads(pickle.dumps(analyzer)) == analyzer == analyzer_for(lang)
    assert not analyzer.__dict__  # no stemmer, word list or cache travels with the schema


def test_neutral_analyzer_neither_stems_nor_stops() -> None:
    neutral = analyzer_for("unknown")
    assert [t.text for t in neutral("Les armées der Zürich Казахстан")] == [
        "les",
        "armees",
        "der",
        "zurich",
        "kazakhstan",
    ]
    assert analyzer_for("en") == neutral


# The joiners between \w runs, and \w characters (letters of several scripts, digits, _).
JOINED = st.text(st.sampled_from([*"-‐‑'’.,", " ", "\n", *"aZé9_ßЖ", "ʼ", "!"]), max_size=40)


@settings(max_examples=300)
@given(text=JOINED)
def test_word_pattern_finds_what_the_plain_pattern_finds(text: str) -> None:
    """WORD_RE is possessive (faster); it must find exactly the words of the plain form."""
    plain = re.compile(r"\w+(?:[-‐‑'’.,]\w+)*")
    assert [m.span() for m in WORD_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
