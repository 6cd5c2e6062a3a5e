"""A larger archive from a smaller one: its articles repeated under new ids.

    python tests/benchmarks/repeat_corpus.py DOCS.jsonl 100000 /tmp/docs100k.jsonl

Writes ``count`` articles: the input's, then the same again with ``~2``, ``~3``... appended
to each id, until ``count``.
For measuring how indexing and queries grow with the archive (README, Performance); the
vocabulary does not grow as a real archive's would, so postings grow about linearly and
the term table hardly at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def repeat(docs: Path, count: int, out: Path) -> int:
    """Write ``count`` articles of ``docs`` (repeated under new ids) to ``out``."""
    records = [line for line in docs.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not records:
        raise SystemExit(f"{docs}: no articles")
    written = 0
    with open(out, "w", encoding="utf-8") as stream:
        while written < count:
            copy = written // len(records) + 1
            record = json.loads(records[written % len(records)])
            if copy > 1:
                record["id"] = f"{record['id']}~{copy}"
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", type=Path, help="the articles, JSONL")
    parser.add_argument("count", type=int, help="how many articles to write")
    parser.add_argument("out", type=Path, help="the JSONL to write")
    args = parser.parse_args(argv)
    print(f"{repeat(args.docs, args.count, args.out):,} articles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
