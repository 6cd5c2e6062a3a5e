"""Relevance over judged query sets: what ``searchkit eval`` reads, runs and reports.

The metrics themselves (trec_eval's definitions) are in :mod:`searchkit.evaluation.metrics`.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import SearchkitError
from searchkit.evaluation.judgments import (
    Query,
    check_not_swapped,
    read_cases,
    read_qrels,
    read_queries,
)
from searchkit.evaluation.metrics import METRICS, Judgments, score_ranking
from searchkit.index import store
from searchkit.models import Problem


@dataclass(frozen=True)
class QueryScore:
    """The metrics of one evaluated query."""

    qid: str
    lang: str
    text: str
    scores: dict[str, float] = field(hash=False, compare=False)
    relevant: int = 0
    retrieved: int = 0


@dataclass(frozen=True)
class EvalReport:
    """What one evaluation measured, and what it could not evaluate (``counts``)."""

    index_dir: str
    lang: str | None
    depth: int
    overall: dict[str, float] = field(hash=False, compare=False)
    by_lang: dict[str, dict[str, float]] = field(hash=False, compare=False)
    queries: tuple[QueryScore, ...] = ()
    counts: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0

    def to_dict(self, per_query: bool = True) -> dict[str, Any]:
        """A JSON-ready dict; ``per_query`` adds every query's metrics."""
        result: dict[str, Any] = {
            "index": self.index_dir,
            "lang": self.lang,
            "depth": self.depth,
            "evaluated": len(self.queries),
            "metrics": self.overall,
            "by_lang": self.by_lang,
            "counts": self.counts,
            "problems": [str(p) for p in self.problems],
            "seconds": round(self.seconds, 3),
        }
        if per_query:
            result["queries"] = [
                {"qid": q.qid, "lang": q.lang, "relevant": q.relevant, **q.scores}
                for q in self.queries
            ]
        return result


#: Why a query or judgment was not evaluated, as shown in the report.
COUNT_LABELS = {
    "queries_without_judgments": "queries without judgments (not evaluated)",
    "judgments_without_query": "judged qids missing from the queries file",
    "no_relevant": "queries with no relevant judgment (not evaluated)",
    "empty_queries": "empty queries (not evaluated)",
    "other_language": "queries in another language (not evaluated)",
    "failed_queries": "queries the engine refused (scored 0)",
    "missing_docs": "judged relevant documents not in the index",
    "broken_lines": "broken lines (skipped)",
}
#: Missing documents listed one by one; the rest are only counted.
MAX_LISTED = 20


def evaluate(
    queries: str | os.PathLike[str],
    qrels: str | os.PathLike[str] | None,
    index_dir: str | os.PathLike[str] = "index",
    *,
    lang: str | None = None,
    depth: int = 100,
) -> EvalReport:
    """Run every judged query against the index and measure the rankings.

    Each query searches all languages, as ``searchkit query`` does; ``lang`` evaluates only
    the queries of that language, searched in that language. Without ``qrels``, the
    queries file holds the judgments itself (:func:`read_cases`, the relevance gate's
    format), and each case searches the language it names. ``depth`` hits are fetched
    (Recall@100 and MAP need 100). Raises CorpusError when a file cannot be read, and the
    index errors of :func:`searchkit.search.searcher.open_index`; everything else is reported.
    """
    from searchkit.search.searcher import open_index  # search imports the analyzers: load on use

    started = time.perf_counter()
    if qrels is None:
        by_qid, judged, problems = read_cases(queries)
    else:
        by_qid, problems = read_queries(queries)
        judged, qrel_problems = read_qrels(qrels)
        check_not_swapped(queries, by_qid, qrels, judged)
        problems += qrel_problems
    counts = Counter({key: 0 for key in COUNT_LABELS})
    counts["broken_lines"] = len(problems)
    todo = _select(by_qid, judged, lang, counts)
    problems += _missing_docs(Path(index_dir), todo, judged, counts, str(qrels or queries))
    failed: list[Problem] = []
    with open_index(index_dir) as searcher:
        scores = [_score(searcher, q, judged[q.qid], lang, depth, failed) for q in todo]
    counts["failed_queries"] = len(failed)
    problems += failed
    return EvalReport(
        index_dir=str(index_dir),
        lang=lang,
        depth=depth,
        overall=_mean(scores),
        by_lang={lg: _mean([s for s in scores if s.lang == lg]) for lg in _langs(scores)},
        queries=tuple(scores),
        counts=dict(counts),
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
    )


def _select(
    by_qid: dict[str, Query],
    judged: dict[str, dict[str, int]],
    lang: str | None,
    counts: Counter[str],
) -> list[Query]:
    """The queries that can be evaluated; count why the others cannot."""
    counts["judgments_without_query"] = len(judged.keys() - by_qid.keys())
    todo = []
    for query in by_qid.values():
        if lang and query.lang != lang:
            counts["other_language"] += 1
        elif query.qid not in judged:
            counts["queries_without_judgments"] += 1
        elif not any(g >= 1 for g in judged[query.qid].values()):
            counts["no_relevant"] += 1
        elif not query.text.strip():
            counts["empty_queries"] += 1
        else:
            todo.append(query)
    return todo


def _missing_docs(
    index_dir: Path,
    todo: list[Query],
    judged: dict[str, dict[str, int]],
    counts: Counter[str],
    path: str,
) -> list[Problem]:
    """Judged relevant documents the index does not hold: no engine could find them."""
    problems: list[Problem] = []
    with store.open_existing(index_dir).searcher() as searcher:
        for query in todo:
            for doc, grade in judged[query.qid].items():
                if grade >= 1 and searcher.document_number(id=doc) is None:
                    counts["missing_docs"] += 1
                    if len(problems) < MAX_LISTED:
                        reason = f"judged document {doc} (query {query.qid}) is not in the index"
                        problems.append(Problem(path, reason))
    return problems


def _score(
    searcher: Any,
    query: Query,
    judged: Judgments,
    lang: str | None,
    depth: int,
    failed: list[Problem],
) -> QueryScore:
    """Rank one query (ids only: no snippets, no suggestion); a refused query scores 0."""
    try:
        searched = query.search_lang if query.search_lang is not None else lang
        results = searcher.search(
            query.text, lang=searched, limit=depth, snippets=False, suggest=False
        )
        ranking = [hit.id for hit in results.hits]
    except SearchkitError as exc:  # e.g. QuerySyntaxError: the engine failed this query
        failed.append(Problem(f"query {query.qid}", str(exc)))
        ranking = []
    relevant = sum(1 for g in judged.values() if g >= 1)
    return QueryScore(
        query.qid, query.lang, query.text, score_ranking(ranking, judged), relevant, len(ranking)
    )


def _langs(scores: list[QueryScore]) -> list[str]:
    return sorted({s.lang for s in scores})


def _mean(scores: list[QueryScore]) -> dict[str, float]:
    return {m: sum(s.scores[m] for s in scores) / len(scores) if scores else 0.0 for m in METRICS}
