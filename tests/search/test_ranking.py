"""The ranking against a slow, straightforward reference, and against hand-computed scores.

The reference reads the index only through Whoosh's own reader (postings with their
positions, field lengths, deleted documents left out), never through searchkit.backend.postings,
and spells the model out one document at a time: BM25F per term and language
(searchkit.search.bm25), compound parts (scoring.PART_WEIGHT), the proximity bonus. The fast path
(numpy arrays, pruned proximity checks) must rank exactly as it does; the literal scores
pin the formula itself.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLES
from whoosh.reading import TermNotFound

from searchkit.backend.postings import FastIndex
from searchkit.fields import field_langs
from searchkit.index import store
from searchkit.index.build import build_index
from searchkit.index.documents import to_document
from searchkit.models import Article
from searchkit.query.parse import parse
from searchkit.query.stopwords import skip_foreign_stop_words
from searchkit.query.terms import parts_of, split_of, terms_of
from searchkit.query.tree import Word
from searchkit.search import bm25, proximity, scoring
from searchkit.search.commit import Commit
from searchkit.search.compile import option_filters
from searchkit.search.searcher import Searcher, open_index

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "data" / "relevance.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line]

# --- the reference -------------------------------------------------------------------


class Reference:
    """The model computed from Whoosh's reader, one document at a time (slow)."""

    def __init__(self, raw: Any) -> None:
        self.reader = raw.reader()
        self.live = sorted(self.reader.all_doc_ids())
        self.averages: dict[str, float] = {}
        self.scores: dict[tuple[str, str], dict[int, float]] = {}

    def positions(self, field: str, term: str) -> dict[int, list[int]]:
        try:
            matcher = self.reader.postings(field, term)
        except TermNotFound:
            return {}
        found = {}
        while matcher.is_active():
            found[matcher.id()] = list(matcher.value_as("positions"))
            matcher.next()
        return found

    def average(self, field: str) -> float:
        if field not in self.averages:
            lengths = [self.reader.doc_field_length(d, field) or 0 for d in self.live]
            present = [n for n in lengths if n > 0]
            self.averages[field] = sum(present) / len(present) if present else 1.0
        return self.averages[field]

    def bm25f(self, lang: str, term: str) -> dict[int, float]:
        """The BM25F score of ``term`` over the text fields of ``lang``, per document."""
        if (lang, term) not in self.scores:
            tf: dict[int, float] = defaultdict(float)
            for part, weight in bm25.WEIGHTS.items():
                field = f"{part}_{lang}"
                for doc, spots in self.positions(field, term).items():
                    length = self.reader.doc_field_length(doc, field) or 0
                    norm = 1 - bm25.B + bm25.B * length / self.average(field)
                    tf[doc] += weight * len(spots) / norm
            n, df = len(self.live), len(tf)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            k1 = bm25.K1
            self.scores[lang, term] = {d: idf * t * (k1 + 1) / (t + k1) for d, t in tf.items()}
        return self.scores[lang, term]

    def together(self, lang: str, a: str, b: str, doc: int) -> bool:
        for part in proximity.PARTS:
            spots_a = self.positions(f"{part}_{lang}", a).get(doc, [])
            spots_b = self.positions(f"{part}_{lang}", b).get(doc, [])
            if any(0 < q - p <= proximity.SLOP for p in spots_a for q in spots_b):
                return True
        return False

    def rank(self, text: str, langs: tuple[str, ...], limit: int) -> tuple[list, int]:
        """The top ``limit`` (docnum, score) of a plain query, and how many match."""
        nodes = skip_foreign_stop_words(parse(text)).root.should
        total: dict[int, float] = defaultdict(float)
        matched: set[int] = set()
        for node, lang in itertools.product(nodes, langs):
            assert isinstance(node, Word)
            if lang in node.skip:  # (a stop word of the query's language, one letter)
                continue
            word = node.text
            for term in terms_of(lang, word):
                for doc, score in self.bm25f(lang, term).items():
                    total[doc] += score
                    matched.add(doc)
            for term in parts_of(lang, word):
                for doc, score in self.bm25f(lang, term).items():
                    total[doc] += scoring.PART_WEIGHT * score
            split = [set(self.bm25f(lang, term)) for term in split_of(lang, word)]
            if split:  # every part of the compound's split: the article spells it out
                matched.update(set.intersection(*split))
        for lang in langs:
            words = [n.text for n in nodes if isinstance(n, Word) and lang not in n.skip]
            firsts = [terms[0] for w in words if (terms := terms_of(lang, w))]
            for a, b in itertools.pairwise(firsts):
                score_a, score_b = self.bm25f(lang, a), self.bm25f(lang, b)
                for doc in matched:
                    if a != b and self.together(lang, a, b, doc):
                        total[doc] += proximity.BOOST * (score_a.get(doc, 0) + score_b.get(doc, 0))
        ranked = sorted(((d, total[d]) for d in matched), key=lambda pair: (-pair[1], pair[0]))
        return ranked[:limit], len(matched)


def assert_same_ranking(searcher: Searcher, text: str, lang: str | None = None) -> None:
    commit = Commit(searcher._fresh().searcher)  # (a fresh one: nothing cached yet)
    raw = commit.searcher
    parsed, langs = skip_foreign_stop_words(parse(text)), field_langs(lang)
    assert parsed.is_plain or not parsed.words
    allowed = option_filters(lang, (), None, None, None)
    expected, expected_total = Reference(raw).rank(text, langs, 10)
    if allowed is not None:  # (lang= filters the documents too)
        docs = commit.docs(allowed)
        expected, expected_total = _filtered(Reference(raw), text, langs, docs)
    quick, total, _ = scoring.rank(commit, parsed, langs, allowed, 10)
    assert [d for d, _ in quick] == [d for d, _ in expected], text
    assert [s for _, s in quick] == pytest.approx([s for _, s in expected], rel=1e-9), text
    assert total == expected_total, text


def _filtered(
    reference: Reference, text: str, langs: tuple[str, ...], allowed: frozenset[int]
) -> tuple[list, int]:
    ranked, _ = reference.rank(text, langs, 10**9)
    kept = [(d, s) for d, s in ranked if d in allowed]
    return kept[:10], len(kept)


# --- the fast path ranks as the reference ----------------------------------------------

RANKED_QUERIES = [
    "base militaire",
    "Militärbasis Kirgistan",
    "l'armée russe au Kirghizstan ?",
    "Wo soll die zweite russische Militärbasis entstehen?",
    "Russie Russland Tadjikistan migrants Migranten",
    "mer d'Aral Aralsee Kasachstan",
    "coton coton",
    "le la les",
]


@pytest.mark.parametrize("text", RANKED_QUERIES)
def test_fast_path_ranks_as_the_reference(searcher: Searcher, text: str) -> None:
    assert_same_ranking(searcher, text)
    assert_same_ranking(searcher, text, lang="de")


@pytest.mark.parametrize("kept", [50, 10**7])
def test_scores_kept_between_queries_rank_as_the_reference(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    """One index answers every query twice, its term scores kept (or, with room for 50
    documents only, mostly dropped and computed again): always the reference ranking."""
    from searchkit.search import bm25

    monkeypatch.setattr(bm25, "CACHED_SCORES", kept)
    commit = Commit(searcher._fresh().searcher)
    reference = Reference(commit.searcher)
    for text in RANKED_QUERIES * 2:
        expected, _ = reference.rank(text, field_langs(None), 10)
        quick, _, _ = scoring.rank(commit, parse(text), field_langs(None), None, 10)
        assert [d for d, _ in quick] == [d for d, _ in expected], text
        assert [s for _, s in quick] == pytest.approx([s for _, s in expected], rel=1e-9)
    cache = commit.scorer
    assert cache.kept_docs == sum(len(docs) for docs, _ in cache.kept.values())
    assert cache.kept_docs <= kept or len(cache.kept) == 1


def test_fast_path_ranks_as_the_reference_on_our_corpus(corpus_index: Path) -> None:
    with open_index(corpus_index) as searcher:
        for case in CASES:
            if parse(case["query"]).is_plain:  # (the reference ranks plain words)
                assert_same_ranking(searcher, case["query"], case["lang"])


def test_fast_path_with_segments_and_deletions(tmp_path: Path) -> None:
    _write(tmp_path / "c", ARTICLES[:6])
    build_index([tmp_path / "c"], tmp_path / "ix")
    ix = store.open_existing(tmp_path / "ix")
    writer = ix.writer()  # a second segment, kept apart, and a deleted article
    for article in ARTICLES[6:]:
        fields = {**article, "tags": tuple(article["tags"])}
        writer.add_document(**to_document(Article(**fields), "k", "sha"))
    writer.delete_by_term("id", "fr-coton-economie")
    writer.commit(merge=False)
    with open_index(tmp_path / "ix") as searcher:
        assert len(searcher._fresh().searcher.reader().leaf_readers()) == 2
        for text in RANKED_QUERIES:
            assert_same_ranking(searcher, text)
        assert "fr-coton-economie" not in [h.id for h in searcher.search("coton base").hits]


def test_postings_read_as_whoosh_reads_them(searcher: Searcher) -> None:
    """Documents, frequencies, positions and lengths: what the fast path reads is what
    Whoosh's own reader reads, for every term of every text field."""
    raw = searcher._fresh().searcher
    reference, fast = Reference(raw), FastIndex(raw)
    reader = raw.reader()
    checked = 0
    for field, term in reader.all_terms():
        if field.partition("_")[0] not in bm25.WEIGHTS:
            continue
        term = term.decode("utf-8")
        expected = reference.positions(field, term)
        postings = fast.postings(field, term)
        assert postings.docs.tolist() == sorted(expected), (field, term)
        assert postings.tf.tolist() == [len(spots) for spots in expected.values()]
        assert [fast.positions(field, postings, i) for i in range(len(postings.docs))] == list(
            expected.values()
        )
        checked += 1
    assert checked > 250
    for field in (f"{part}_{lang}" for part in bm25.WEIGHTS for lang in ("fr", "de")):
        lengths = [reader.doc_field_length(d, field) or 0 for d in range(fast.size)]
        assert fast.lengths(field).tolist() == lengths


# --- the formula, computed by hand ----------------------------------------------------


def test_scores_computed_by_hand(tmp_path: Path) -> None:
    """Three French articles; ``kant`` is in A's title and body, in B's body twice.

    Titles are one word long (norm 1); bodies 2, 4 and 1 terms (``et`` is a stop word),
    so the average body is 7/3. N = 3, df = 2: idf = ln(1 + 1.5/2.5) = ln 1.6.
    A: tf~ = 4 * 1 + 1 / (0.25 + 0.75 * 2 / (7/3)) = 4 + 28/25 = 5.12
    B: tf~ = 2 / (0.25 + 0.75 * 4 / (7/3)) = 2 / (43/28) = 56/43
    score = ln 1.6 * tf~ * 2 / (tf~ + 1)  (K1 = 1)
    """
    _write(
        tmp_path / "c",
        [
            {"id": "A", "lang": "fr", "title": "Kant", "body": "Kant écrit."},
            {"id": "B", "lang": "fr", "title": "Hegel", "body": "Hegel lit Kant et Kant."},
            {"id": "C", "lang": "fr", "title": "Fichte", "body": "Rien."},
        ],
    )
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        hits = searcher.search("Kant", lang="fr").hits
        assert [h.id for h in hits] == ["A", "B"]
        # ln 1.6 * 5.12 * 2 / 6.12 and ln 1.6 * (56/43) * 2 / (56/43 + 1)
        assert hits[0].score == pytest.approx(0.7864113012, rel=1e-9)
        assert hits[1].score == pytest.approx(0.5317212775, rel=1e-9)


def test_a_term_saturates_once_over_all_fields(tmp_path: Path) -> None:
    """However many fields have a term, and however often, its score stays below
    idf * (K1 + 1): one saturation (a BM25 per field, added up, would not)."""
    many = "barrage " * 20
    _write(
        tmp_path / "c",
        [
            {
                "id": "all",
                "lang": "fr",
                "title": many,
                "lead": many,
                "body": many,
                "tags": ["barrage"],
            },
            {"id": "other", "lang": "fr", "title": "Autre", "body": "Rien ici."},
            {"id": "third", "lang": "fr", "title": "Encore", "body": "Toujours rien."},
        ],
    )
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        (hit,) = searcher.search("barrage", lang="fr").hits
    ceiling = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)) * (bm25.K1 + 1)
    assert 0.95 * ceiling < hit.score < ceiling


def test_compound_parts_rank_and_match_only_all_together(tmp_path: Path) -> None:
    """A query compound's parts rank up an article that spells it out; alone, the
    compound finds the articles that have it or all of its parts, not one part alone.
    (Bodies of three terms each: without the parts, the last three would tie, and rank
    in the order written.)"""
    body = {
        "whole": "Touristenstrecken im Gebirge.",
        "none": "Schnee liegt im Gebirge.",
        "one": "Touristen wandern im Gebirge.",
        "parts": "Strecken für Touristen im Gebirge.",
    }
    articles = [{"id": i, "lang": "de", "title": "Alpen", "body": b} for i, b in body.items()]
    _write(tmp_path / "c", articles)
    build_index([tmp_path / "c"], tmp_path / "ix")
    with open_index(tmp_path / "ix") as searcher:
        ranked = [h.id for h in searcher.search("Touristenstrecken im Gebirge", lang="de").hits]
        assert ranked == ["whole", "parts", "one", "none"]
        alone = searcher.search("Touristenstrecken", lang="de")
        assert [h.id for h in alone.hits] == ["whole", "parts"] and alone.total == 2
        assert_same_ranking(searcher, "Touristenstrecken", "de")
        assert_same_ranking(searcher, "Touristenstrecken Schnee")


def _write(folder: Path, articles: list[dict]) -> None:
    folder.mkdir(exist_ok=True)
    lines = (json.dumps(a, ensure_ascii=False) for a in articles)
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
