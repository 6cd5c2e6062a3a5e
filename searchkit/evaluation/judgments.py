"""Judged queries read from files: queries (JSONL) with qrels (TSV or TREC), or cases that
carry their judgments inline (the relevance gate's format). Broken lines are problems,
never errors; a file with nothing readable in it is refused (often: two files swapped)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.errors import CorpusError
from searchkit.models import Problem


@dataclass(frozen=True)
class Query:
    """One judged query as read from the queries file."""

    qid: str
    lang: str
    text: str
    #: The language searched, for a judged case that names one (None: every language).
    search_lang: str | None = None


def _lines(path: str | os.PathLike[str]) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read it ({exc}); check the path") from exc


def _objects(
    path: str | os.PathLike[str],
    valid: Callable[[dict[str, Any]], bool],
    wanted: str,
    problems: list[Problem],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each JSONL line that is an object ``valid`` accepts; any
    other non-blank line becomes the problem ``not a {wanted} object``."""
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict) and valid(record):
            yield number, record
        else:
            problems.append(Problem(str(path), f"not a {{{wanted}}} object", number))


def read_queries(path: str | os.PathLike[str]) -> tuple[dict[str, Query], list[Problem]]:
    """Queries by qid from a JSONL file; broken lines come back as problems, not errors."""
    queries: dict[str, Query] = {}
    problems: list[Problem] = []
    for number, record in _objects(path, _is_query, '"qid", "lang", "text"', problems):
        qid = str(record["qid"])
        if qid in queries:
            problems.append(Problem(str(path), f"qid {qid} again; the first one counts", number))
        else:
            text = record.get("text") or ""
            queries[qid] = Query(qid, str(record.get("lang") or "unknown"), text)
    return queries, problems


def _is_query(record: dict[str, Any]) -> bool:
    """A qid (any JSON value), and a text that is a string when given (none: empty)."""
    return "qid" in record and isinstance(record.get("text") or "", str)


def _is_case(record: dict[str, Any]) -> bool:
    return isinstance(record.get("query"), str) and isinstance(record.get("expected"), list)


def read_cases(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Query], dict[str, dict[str, int]], list[Problem]]:
    """Queries with their judgments inline, as the relevance gate writes them: one
    ``{"query", "lang", "expected": [ids]}`` object a line (``tests/data/*.jsonl``).

    ``lang`` is the language searched (null: both); each expected id is relevant (grade 1).
    """
    queries: dict[str, Query] = {}
    judged: dict[str, dict[str, int]] = {}
    problems: list[Problem] = []
    for number, record in _objects(path, _is_case, '"query", "lang", "expected"', problems):
        qid, lang = f"line{number}", record.get("lang") or None
        queries[qid] = Query(qid, lang or "any", record["query"], lang)
        judged[qid] = {str(doc): 1 for doc in record["expected"]}
    return queries, judged, problems


def read_qrels(path: str | os.PathLike[str]) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    """Judgments ``qid -> {docid: grade}`` from ``qid TAB docid TAB grade`` or TREC lines."""
    qrels: dict[str, dict[str, int]] = {}
    problems = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        parts = [p.strip() for p in parts]
        try:
            if len(parts) not in (3, 4):
                raise ValueError
            grade = int(parts[-1])
        except ValueError:
            if number > 1:  # the first line may be a header such as "qid docid rel"
                problems.append(Problem(str(path), "expected: qid TAB docid TAB grade", number))
            continue
        qrels.setdefault(parts[0], {})[parts[-2]] = grade
    return qrels, problems


def check_not_swapped(
    queries: str | os.PathLike[str],
    by_qid: dict[str, Query],
    qrels: str | os.PathLike[str],
    judged: dict[str, dict[str, int]],
) -> None:
    """A file with not one readable line is refused (most often: the two files swapped)."""
    usage = "searchkit eval QUERIES.jsonl QRELS.tsv (are the two files swapped?)"
    if not by_qid:
        raise CorpusError(
            f'{queries}: not one query read (expected JSON Lines of {{"qid", "lang", "text"}}); '
            f"the order is: {usage}"
        )
    if not judged:
        raise CorpusError(
            f"{qrels}: not one judgment read (expected lines of qid TAB docid TAB grade); "
            f"the order is: {usage}"
        )
