"""Evaluation: metrics checked against values computed by hand, file reading, reports."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from searchkit.cli.reports import render_eval
from searchkit.errors import CorpusError
from searchkit.evaluation.judgments import read_qrels, read_queries
from searchkit.evaluation.metrics import (
    average_precision,
    ndcg,
    recall,
    reciprocal_rank,
    score_ranking,
)
from searchkit.evaluation.run import evaluate

DATA = Path(__file__).resolve().parents[1] / "data" / "eval"

# Ranking a b c d against b=1, d=2, e=1 (e never retrieved), worked out on paper:
#   DCG@10  = 1/log2(3) + 2/log2(5)           = 0.63093 + 0.86135 = 1.49228
#   IDCG@10 = 2/log2(2) + 1/log2(3) + 1/log2(4) = 2 + 0.63093 + 0.5 = 3.13093
#   nDCG@10 = 1.49228 / 3.13093 = 0.47663
#   RR      = 1/2 (first relevant at rank 2)
#   R@100   = 2 of 3 relevant found = 0.66667
#   AP      = (1/2 + 2/4) / 3 = 0.33333
RANKING = ["a", "b", "c", "d"]
JUDGED = {"b": 1, "d": 2, "e": 1}


@pytest.mark.parametrize(
    ("metric", "args", "expected"),
    [
        (ndcg, (RANKING, JUDGED), 0.47663),
        (reciprocal_rank, (RANKING, JUDGED), 0.5),
        (recall, (RANKING, JUDGED), 0.66667),
        (average_precision, (RANKING, JUDGED), 0.33333),
        # Cut-offs: only the first k ids count.
        (ndcg, (RANKING, JUDGED, 2), 0.23981),  # 0.63093 / (2 + 0.63093)
        (reciprocal_rank, (RANKING, JUDGED, 1), 0.0),
        (recall, (RANKING, JUDGED, 2), 0.33333),
        # One relevant document at rank 3.
        (ndcg, (["x", "y", "z"], {"z": 1}), 0.5),  # 1/log2(4)
        (reciprocal_rank, (["x", "y", "z"], {"z": 1}), 0.33333),
        (average_precision, (["x", "y", "z"], {"z": 1}), 0.33333),
        # The ideal order scores 1; nothing relevant retrieved scores 0.
        (ndcg, (["d", "b", "e"], JUDGED), 1.0),
        (ndcg, (["a", "c"], JUDGED), 0.0),
        (average_precision, ([], JUDGED), 0.0),
        # Grade 0 is judged but not relevant; negative grades count as 0.
        (ndcg, (["a", "b"], {"a": 0, "b": 1}), 0.63093),
        (ndcg, (["a", "b"], {"a": -1, "b": 1}), 0.63093),
        (reciprocal_rank, (["a", "b"], {"a": 0, "b": 1}), 0.5),
        # No relevant document at all: 0, not a division by zero.
        (ndcg, (["a"], {}), 0.0),
        (recall, (["a"], {"a": 0}), 0.0),
    ],
)
def test_metric_against_hand_computed_value(metric, args, expected):
    assert metric(*args) == pytest.approx(expected, abs=1e-5)


def test_graded_gain_is_linear_as_in_trec_eval():
    # Gain 2 at rank 1, ideal has the same document first: 1.0; reversed order of two
    # documents graded 2 and 1: (1 + 2/log2 3) / (2 + 1/log2 3).
    assert ndcg(["b", "d"], {"b": 1, "d": 2}) == pytest.approx(
        (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    )


def test_score_ranking_gives_all_four_metrics():
    scores = score_ranking(RANKING, JUDGED)
    assert list(scores) == ["ndcg@10", "mrr@10", "recall@100", "map"]
    assert scores["map"] == pytest.approx(1 / 3)


def test_read_queries_reports_broken_lines_with_numbers():
    queries, problems = read_queries(DATA / "queries.jsonl")
    assert list(queries) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert queries["q1"].text.startswith("Quelle est la hauteur")  # the first q1 wins
    assert queries["q3"].lang == "de"
    assert [p.line for p in problems] == [8, 9]
    assert "not a" in problems[0].reason
    assert "again" in problems[1].reason


def test_read_qrels_tab_and_trec_forms(tmp_path):
    qrels, problems = read_qrels(DATA / "qrels.tsv")
    assert qrels["q1"] == {"fr-barrage": 1, "de-staudamm": 1}
    assert qrels["q2"] == {"fr-aral": 2, "fr-gone": 1}
    assert [p.line for p in problems] == [10]  # the header on line 1 is skipped silently

    trec = tmp_path / "qrels.trec"
    trec.write_text("q1 0 doc-a 1\nq1 0 doc-b 0\nq2 Q0 doc-c 3\n\n# comment\n", encoding="utf-8")
    qrels, problems = read_qrels(trec)
    assert qrels == {"q1": {"doc-a": 1, "doc-b": 0}, "q2": {"doc-c": 3}}
    assert problems == []


def test_missing_file_raises_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="no-such"):
        read_queries(tmp_path / "no-such.jsonl")
    with pytest.raises(CorpusError, match="no-such"):
        read_qrels(tmp_path / "no-such.tsv")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    from searchkit.index.build import build_index

    folder = tmp_path_factory.mktemp("eval") / "index"
    report = build_index([DATA / "docs.jsonl"], folder, rebuild=True)
    assert report.ok, report.failed
    return folder


def test_evaluate_counts_what_it_cannot_evaluate(index_dir):
    report = evaluate(DATA / "queries.jsonl", DATA / "qrels.tsv", index_dir)
    assert [q.qid for q in report.queries] == ["q1", "q2", "q3", "q4"]
    assert report.counts == {
        "queries_without_judgments": 1,  # q6
        "judgments_without_query": 1,  # q9
        "no_relevant": 1,  # q7, judged 0 only
        "empty_queries": 1,  # q5
        "other_language": 0,
        "failed_queries": 0,
        "missing_docs": 1,  # fr-gone
        "broken_lines": 3,
    }
    assert any("fr-gone" in str(p) for p in report.problems)
    assert set(report.by_lang) == {"fr", "de"}
    for values in [report.overall, *report.by_lang.values()]:
        assert all(0.0 <= v <= 1.0 for v in values.values())


def test_evaluate_scores_obvious_queries_perfectly(index_dir):
    report = evaluate(DATA / "queries.jsonl", DATA / "qrels.tsv", index_dir)
    by_qid = {q.qid: q for q in report.queries}
    assert by_qid["q3"].scores["mrr@10"] == 1.0
    assert by_qid["q4"].scores["ndcg@10"] == 1.0
    # fr-gone is judged relevant but not indexed: Recall@100 cannot exceed 1/2.
    assert by_qid["q2"].scores["recall@100"] <= 0.5
    overall = sum(q.scores["ndcg@10"] for q in report.queries) / 4
    assert report.overall["ndcg@10"] == pytest.approx(overall)


def test_evaluate_asks_for_neither_snippets_nor_suggestions(index_dir, monkeypatch):
    from searchkit.search.searcher import Searcher

    asked = []
    search = Searcher.search

    def spy(self, text, **options):
        asked.append((options["snippets"], options["suggest"]))
        return search(self, text, **options)

    monkeypatch.setattr(Searcher, "search", spy)
    evaluate(DATA / "queries.jsonl", DATA / "qrels.tsv", index_dir)
    assert asked == [(False, False)] * 4


def test_evaluate_one_language(index_dir):
    report = evaluate(DATA / "queries.jsonl", DATA / "qrels.tsv", index_dir, lang="de")
    assert [q.qid for q in report.queries] == ["q3", "q4"]
    assert report.counts["other_language"] == 4
    assert list(report.by_lang) == ["de"]


def test_report_as_dict_and_text(index_dir):
    report = evaluate(DATA / "queries.jsonl", DATA / "qrels.tsv", index_dir)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["evaluated"] == 4
    assert set(data["metrics"]) == {"ndcg@10", "mrr@10", "recall@100", "map"}
    assert [q["qid"] for q in data["queries"]] == ["q1", "q2", "q3", "q4"]
    assert "queries" not in report.to_dict(per_query=False)

    text = render_eval(report, per_query=False)
    assert "nDCG@10" in text and "MRR@10" in text
    assert "1 empty queries" in text
    assert "queries.jsonl:8" in text
    assert "q3" not in text
    assert "q3" in render_eval(report, per_query=True)


def test_query_lines_without_a_qid_or_not_objects_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        '{"lang": "fr", "text": "x"}',
        '{"qid": 1, "text": "y"}',
        "[1]",
        '{"qid": 2, "text": 5}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    queries, problems = read_queries(path)
    assert list(queries) == ["1"]
    assert [(p.line, p.reason) for p in problems] == [
        (1, 'not a {"qid", "lang", "text"} object'),
        (3, 'not a {"qid", "lang", "text"} object'),
        (4, 'not a {"qid", "lang", "text"} object'),
    ]
