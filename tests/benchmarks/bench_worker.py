"""One engine, one phase, in its own process, so that memory peaks are the engine's own.

    python bench_worker.py index ENGINE DOCS OUT RESULT
    python bench_worker.py query ENGINE OUT QUERIES RESULT
    python bench_worker.py once ENGINE OUT TEXT

``once`` opens the engine, answers one query and prints the ids: the whole-process case.

Writes a JSON result: for ``index`` the articles and seconds; for ``query`` the time of
opening plus the first query, each query's milliseconds (short and long, on the opened
engine, a first and a warm pass) and the long queries' top-10 ids (for nDCG@10 and
MRR@10).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench_engines import ENGINES


def run_index(engine: str, docs: Path, out: Path) -> dict:
    build, _ = ENGINES[engine]
    started = time.perf_counter()
    articles = build(docs, out)
    return {"articles": articles, "seconds": time.perf_counter() - started}


def run_queries(engine: str, out: Path, queries: Path) -> dict:
    _, open_engine = ENGINES[engine]
    sets = json.loads(queries.read_text(encoding="utf-8"))
    started = time.perf_counter()
    search = open_engine(out)  # (imports the engine's modules, opens the index)
    opened = time.perf_counter()
    first = sets["long"][0] if sets["long"] else sets["short"][0]
    search(first)
    done = time.perf_counter()
    result: dict = {
        "open_first_ms": (done - started) * 1000,
        "first_query_ms": (done - opened) * 1000,
        "errors": [],
    }
    # Each set twice: the first pass finds the index open but the engine's caches empty
    # (what one query of a fresh process meets); the second is the warm case, the
    # engine as a long-lived process that has answered such queries before sees it.
    for kind in ("short", "long"):
        for run in ("first", "warm"):
            times, rankings = [], []
            for text in sets[kind]:
                begin = time.perf_counter()
                try:
                    ids = search(text)
                except Exception as exc:  # an engine refusing a query is a result, not a crash
                    if run == "first":
                        result["errors"].append(f"{kind} {text!r}: {type(exc).__name__}: {exc}")
                    ids = []
                times.append((time.perf_counter() - begin) * 1000)
                rankings.append(ids)
            result[f"{kind}_{run}_ms"] = times
            if kind == "long" and run == "first":
                result["rankings"] = rankings
    return result


def main(argv: list[str]) -> int:
    phase, engine, *paths = argv
    if phase == "once":
        _, open_engine = ENGINES[engine]
        print("\n".join(open_engine(Path(paths[0]))(paths[1])))
        return 0
    if phase == "index":
        result = run_index(engine, Path(paths[0]), Path(paths[1]))
    else:
        result = run_queries(engine, Path(paths[0]), Path(paths[1]))
    # Peak RSS of this process and of the largest worker it waited for, in MB: a floor
    # for the tree's peak when the runner cannot sample it (no psutil).
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["maxrss_mb"] = (own + kids) / 1024
    Path(paths[-1]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
