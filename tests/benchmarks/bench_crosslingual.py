"""Cross-lingual search among many other articles: is a story's twin found, and linked?

    python tests/benchmarks/bench_crosslingual.py [--distractors NEWS.jsonl] [--count N]

Indexes corpus/ together with N other news articles (JSONL in searchkit's format, e.g. a
real archive; none by default), then, for each twin pair of tests/data/twins.jsonl,
searches one article's title in the other language and reports how often the twin is in
the top 3 (each way), with and without translation, and how many pairs were linked at
index time. Run by hand (see README, Cross-lingual search); prints one table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import tempfile
import time
from pathlib import Path

import searchkit

ROOT = Path(__file__).resolve().parents[2]
TWINS = ROOT / "tests" / "data" / "twins.jsonl"


def distractor_feed(source: Path, count: int, folder: Path) -> Path:
    """The first ``count`` articles of ``source`` under new ids, as one JSONL file."""
    out = folder / "distractors.jsonl"
    with source.open(encoding="utf-8") as lines, out.open("w", encoding="utf-8") as feed:
        for line in itertools.islice(lines, count):
            record = json.loads(line)
            record["id"] = f"x-{record['id']}"
            feed.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def found_in_top(searcher: searchkit.Searcher, pairs: list[dict], translate: bool) -> dict:
    """Per direction, the share of pairs whose twin is in the top 3 for the title."""
    shares = {}
    for source, target in (("fr", "de"), ("de", "fr")):
        hits = 0
        for pair in pairs:
            title = searcher.article(pair[source]).title
            found = searcher.search(
                title, lang=target, limit=3, snippets=False, suggest=False, translate=translate
            )
            hits += pair[target] in [h.id for h in found.hits]
        shares[f"{source}->{target}"] = hits / len(pairs)
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=Path, help="a JSONL archive of other articles")
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    pairs = [json.loads(line) for line in TWINS.read_text("utf-8").splitlines() if line.strip()]
    work = Path(tempfile.mkdtemp(prefix="sk-xl-"))
    try:
        paths = [ROOT / "corpus"]
        if args.distractors:
            paths.append(distractor_feed(args.distractors, args.count, work))
        started = time.perf_counter()
        report = searchkit.build_index(paths, work / "ix")
        seconds = time.perf_counter() - started
        with searchkit.open_index(work / "ix") as searcher:
            total = searcher.stats().articles
            linked = sum(searcher.twins_of(p["fr"]) == (p["de"],) for p in pairs)
            wrong = sum(1 for i in searcher.all_ids() if searcher.twins_of(i)) - 2 * linked
            plain = found_in_top(searcher, pairs, translate=False)
            translated = found_in_top(searcher, pairs, translate=True)
        print(f"{total} articles ({report.languages}), indexed and linked in {seconds:.1f} s")
        print("| twin in the top 3 for the other's title | as typed | translated |")
        print("|---|---|---|")
        for way in plain:
            print(f"| {way} | {plain[way]:.0%} | {translated[way]:.0%} |")
        print(f"twin pairs linked at index time: {linked} of {len(pairs)}; other links: {wrong}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
