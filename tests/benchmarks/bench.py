"""searchkit side by side with stock Whoosh, tantivy and bm25s, on the same data, in one run.

    python tests/benchmarks/bench.py --docs DOCS.jsonl [--queries Q.jsonl --qrels Q.tsv]
        --out /tmp/bench [--engines searchkit,whoosh,tantivy,bm25s] [--limit-queries N]

Each engine indexes the JSONL, then answers the same queries, each phase in its own
process; the runner samples the RSS of that process tree (psutil) for the peak. Printed:
indexing articles/s and words/s (reading the JSONL included), peak memory, index size,
open + first query, p50/p95 of short (1-3 words) and long (natural-language) queries,
top 10, in a first pass (caches empty) and a warm pass (the same queries again), and
nDCG@10 / MRR@10 when judgments are given; then searchkit's ratio to each.
Without judged queries, long queries are ~10-word passages of the corpus and short ones
mid-frequency words. See bench_engines.py for how each engine is set up.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_common import (
    TEXT_PARTS,
    WORD,
    QuerySet,
    corpus_queries,
    doc_text,
    judged_queries,
    percentile,
    read_docs,
)
from bench_table import render

HERE = Path(__file__).resolve().parent
ALL_ENGINES = ("searchkit", "whoosh", "tantivy", "bm25s")
OPTIONAL = {"tantivy": "tantivy", "bm25s": "bm25s"}  # engine -> module needed
SAMPLE_SECONDS = 0.05  # often enough for a peak; rarely enough not to load a core
CLI_RUNS = 7  # whole-process queries, their median reported


def measured(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return the peak RSS (MB) of its process tree, sampled, and its
    wall time in seconds (the whole process: interpreter, imports, work, exit)."""
    started = time.perf_counter()
    try:
        import psutil
    except ImportError:
        subprocess.run(command, check=True)
        return 0.0, time.perf_counter() - started
    process = subprocess.Popen(command)
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(root))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return peak / 2**20, seconds


def process_ms(engine: str, folder: Path, text: str, runs: int = CLI_RUNS) -> float:
    """The median wall time (ms) of answering one query in a whole fresh process, as a
    reader at the terminal pays it: for searchkit its own ``searchkit query`` command;
    for the others a Python script that opens the engine and prints the top 10
    (``bench_worker.py once``)."""
    if engine == "searchkit":
        command = [str(Path(sys.executable).with_name("searchkit")), "query", text]
        command += ["--index", str(folder)]
    else:
        command = [sys.executable, str(HERE / "bench_worker.py"), "once", engine, str(folder)]
        command.append(text)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5)


def _tree_rss(root) -> int:  # type: ignore[no-untyped-def]
    import psutil

    total = 0
    try:
        members = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # a worker that just ended
            continue
    return total


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run_engine(engine: str, docs: Path, out: Path, queries: Path) -> dict:
    """Index, then query, each in a fresh process; the figures of one engine."""
    folder = out / engine
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    worker = [sys.executable, str(HERE / "bench_worker.py")]
    index_json, query_json = out / f"{engine}.index.json", out / f"{engine}.query.json"
    print(f"[bench] {engine}: indexing ...", file=sys.stderr, flush=True)
    index_peak, index_seconds = measured(
        [*worker, "index", engine, str(docs), str(folder), str(index_json)]
    )
    print(f"[bench] {engine}: querying ...", file=sys.stderr, flush=True)
    query_peak, _ = measured([*worker, "query", engine, str(folder), str(queries), str(query_json)])
    built = json.loads(index_json.read_text(encoding="utf-8"))
    answered = json.loads(query_json.read_text(encoding="utf-8"))
    sets = json.loads(queries.read_text(encoding="utf-8"))
    print(f"[bench] {engine}: whole-process queries ...", file=sys.stderr, flush=True)
    return {
        "articles": built["articles"],
        # the whole indexing process (interpreter, imports, reading, writing, commit)
        "index_seconds": index_seconds,
        "process_ms": process_ms(engine, folder, (sets["long"] or sets["short"])[0]),
        "index_peak_mb": max(index_peak, built["maxrss_mb"]),
        "query_peak_mb": max(query_peak, answered["maxrss_mb"]),
        "size_mb": disk_mb(folder),
        "open_first_ms": answered["open_first_ms"],
        "first_query_ms": answered["first_query_ms"],
        **{
            f"{kind}_{run}_{name}": percentile(answered[f"{kind}_{run}_ms"], share)
            for kind in ("short", "long")
            for run in ("first", "warm")
            for name, share in (("p50", 0.5), ("p95", 0.95))
        },
        "errors": answered["errors"],
        "rankings": answered["rankings"],
    }


def quality(result: dict, queries: QuerySet) -> None:
    """Add nDCG@10 and MRR@10 of the long queries' rankings, when they are judged."""
    from searchkit.evaluation.metrics import ndcg, reciprocal_rank

    if not queries.qids:
        return
    pairs = list(zip(queries.qids, result["rankings"], strict=True))
    result["ndcg@10"] = sum(ndcg(r, queries.qrels[q]) for q, r in pairs) / len(pairs)
    result["mrr@10"] = sum(reciprocal_rank(r, queries.qrels[q]) for q, r in pairs) / len(pairs)


def corpus_size(docs: Path) -> tuple[int, int]:
    """Articles and words (title, lead and body) in the JSONL."""
    articles = words = 0
    for record in read_docs(docs):
        articles += 1
        words += sum(len(WORD.findall(doc_text(record, part))) for part in TEXT_PARTS)
    return articles, words


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, required=True, help="the articles, JSONL")
    parser.add_argument("--queries", type=Path, help="judged queries, JSONL {qid, lang, text}")
    parser.add_argument("--qrels", type=Path, help="judgments, qid TAB docid TAB grade")
    parser.add_argument("--out", type=Path, required=True, help="folder for the indexes")
    parser.add_argument("--engines", default=",".join(ALL_ENGINES))
    parser.add_argument("--limit-queries", type=int, default=0, help="sample N queries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--procs", type=int, help="searchkit's indexing processes (default: its own)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if (args.queries is None) != (args.qrels is None):
        parser.error("--queries and --qrels go together")
    return args


def precompile() -> None:
    """Compile searchkit's modules, as ``pip install`` leaves an installed package: an
    editable install (or PYTHONDONTWRITEBYTECODE) would otherwise add compiling every
    module to each fresh process's open + first query."""
    import compileall

    import searchkit

    compileall.compile_dir(Path(searchkit.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    precompile()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.procs:  # read by the searchkit worker (bench_engines.build_searchkit)
        os.environ["BENCH_SEARCHKIT_PROCS"] = str(args.procs)
    if args.queries:
        queries = judged_queries(args.queries, args.qrels, args.limit_queries, args.seed)
    else:
        queries = corpus_queries(args.docs, args.limit_queries, args.seed)
    query_file = args.out / "queries.json"
    query_file.write_text(json.dumps({"short": queries.short, "long": queries.long}), "utf-8")
    articles, words = corpus_size(args.docs)
    results, skipped = {}, []
    for engine in args.engines.split(","):
        module = OPTIONAL.get(engine)
        if module and importlib.util.find_spec(module) is None:
            skipped.append(engine)
            continue
        results[engine] = run_engine(engine, args.docs, args.out, query_file)
        quality(results[engine], queries)
    setting = {
        "docs": args.docs.name,
        "articles": articles,
        "words": words,
        "short_queries": len(queries.short),
        "long_queries": len(queries.long),
        "judged": bool(queries.qids),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}",
        "skipped": skipped,
        "procs": args.procs,
    }
    print(render(setting, results))
    if args.json:
        slim = {e: {k: v for k, v in r.items() if k != "rankings"} for e, r in results.items()}
        args.json.write_text(json.dumps({"setting": setting, "results": slim}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
