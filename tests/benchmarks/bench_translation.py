"""What query translation costs: the same queries with and without it, on one index.

    python tests/benchmarks/bench_translation.py INDEX QUERIES.jsonl

Runs every query (``{"text": ...}`` a line) twice on one opened index - a first pass
(caches empty) and a warm pass - with translation off, then on, then both again, and
prints p50 and p95 per pass in milliseconds (top 10, snippets included).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import searchkit


def passes(index: str, queries: list[str], translate: bool) -> list[tuple[float, float]]:
    """(p50, p95) in ms of a first and a warm pass over ``queries``."""
    out = []
    with searchkit.open_index(index) as searcher:
        for _ in range(2):
            times = []
            for text in queries:
                started = time.perf_counter()
                searcher.search(text, limit=10, translate=translate)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            out.append((statistics.median(times), times[int(0.95 * len(times))]))
    return out


def main() -> None:
    index, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as lines:
        queries = [json.loads(line)["text"] for line in lines if line.strip()]
    for translate in (False, True, False, True):
        (first50, first95), (warm50, warm95) = passes(index, queries, translate)
        print(
            f"translate={translate!s:5}  first pass p50 {first50:.2f} p95 {first95:.2f} ms;"
            f"  warm p50 {warm50:.2f} p95 {warm95:.2f} ms"
        )


if __name__ == "__main__":
    main()
