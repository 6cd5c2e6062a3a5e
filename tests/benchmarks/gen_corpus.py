"""Write N synthetic articles as JSONL, for speed and memory runs at archive scale.

    python tests/benchmarks/gen_corpus.py 30000 /tmp/gen30k.jsonl --seed 1

The text comes only from our own sample corpus (corpus/): one word-bigram model per
language, so word frequencies, word lengths, accents, compounds and punctuation are those
of our articles. Numbers are redrawn so that the vocabulary has a long tail, as a real
archive has. Bodies average ~350 words (log-normal, 80 to 1,500), in paragraphs; each
article has a title, a lead, 2-5 of the corpus's tags, an author, a date and a URL.
Deterministic for a given seed and corpus.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MEAN_WORDS = 350
SIGMA = 0.45  # spread of the log-normal body length: most bodies 150-700 words
MU = math.log(MEAN_WORDS) - SIGMA**2 / 2
JUMP = 0.12  # share of words drawn from the unigram distribution: varies the text
SENTENCE_END = (".", "!", "?", "»", "“")
FIRST_DAY = 734503  # 2012-01-01 as a proleptic Gregorian ordinal
DAYS = 4748  # to 2024-12-31


@dataclass
class Model:
    """One language's bigram model and metadata pools, built from the sample articles."""

    tokens: list[str] = field(default_factory=list)  # every token: the unigram draw
    successors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    starts: list[str] = field(default_factory=list)  # tokens that begin a sentence
    numeric: set[str] = field(default_factory=set)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def learn(self, text: str) -> None:
        """Add one text's tokens (whitespace-split, punctuation kept on the words)."""
        words = text.split()
        after_end = True
        for previous, word in zip([None, *words], words, strict=False):
            if previous is not None:
                self.successors[previous].append(word)
            if after_end:
                self.starts.append(word)
            after_end = word.endswith(SENTENCE_END)
            if any(c.isdigit() for c in word):
                self.numeric.add(word)
        self.tokens.extend(words)


def build_models(corpus: Path) -> dict[str, Model]:
    """Read every article under ``corpus`` (boilerplate already stripped by the reader)."""
    sys.path.insert(0, str(ROOT))  # a script run from anywhere imports this checkout
    from searchkit.articles import find_files, load_file
    from searchkit.articles.language import detect_language

    models = {"fr": Model(), "de": Model()}
    sources, _ = find_files([corpus])
    for source in sources:
        for article in load_file(source).articles:
            text = "\n".join([article.title, article.lead, article.body])
            lang = article.lang or detect_language(text)
            if lang not in models:
                continue
            model = models[lang]
            for part in (article.lead, article.body):
                model.learn(part)
            model.tags.extend(article.tags)
            if article.author:
                model.authors.append(article.author)
    for lang, model in models.items():
        if not model.tokens:
            raise SystemExit(f"no {lang} articles under {corpus}")
        model.tags = sorted(set(model.tags)) or [
            "Asie centrale" if lang == "fr" else "Zentralasien"
        ]
        model.authors = _author_pool(model.authors)
    return models


def _author_pool(authors: list[str]) -> list[str]:
    """The corpus's authors, plus their first and last names recombined: ~100s of bylines."""
    names = sorted({a for a in authors if " " in a})
    firsts = sorted({a.split()[0] for a in names})
    lasts = sorted({a.split()[-1] for a in names})
    return names + [f"{f} {la}" for f in firsts for la in lasts] or ["Rédaction"]


class Writer:
    """Draws text from a model; one random generator for the whole run (determinism)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, model: Model, count: int) -> list[str]:
        """``count`` tokens following the bigram chain, with some unigram jumps."""
        rnd, successors, tokens = self.rng.random, model.successors, model.tokens
        word = model.starts[int(rnd() * len(model.starts))]
        out = [word]
        for _ in range(count - 1):
            nexts = successors.get(word)
            if not nexts or rnd() < JUMP:
                nexts = tokens
            word = nexts[int(rnd() * len(nexts))]
            out.append(self._renumber(word) if word in model.numeric else word)
        return out

    def _renumber(self, word: str) -> str:
        """Redraw the digits of a number: years, amounts and ids give the long tail."""
        return "".join(str(self.rng.randrange(10)) if c.isdigit() else c for c in word)

    def body(self, model: Model) -> str:
        """Paragraphs of 40-120 words, ~350 words in all."""
        total = min(1500, max(80, int(self.rng.lognormvariate(MU, SIGMA))))
        paragraphs, left = [], total
        while left > 0:
            size = min(left, self.rng.randint(40, 120))
            paragraphs.append(_sentence(self.words(model, size)))
            left -= size
        return "\n\n".join(paragraphs)

    def title(self, model: Model) -> str:
        words = self.words(model, self.rng.randint(5, 11))
        return _sentence(words).rstrip(".,;:!?»« ")


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return text if text.endswith(SENTENCE_END) else text + "."


def article(writer: Writer, models: dict[str, Model], number: int) -> dict[str, object]:
    """One JSONL record: ``fr`` and ``de`` alternate, so any prefix of the file is mixed."""
    rng = writer.rng
    lang = "fr" if number % 2 == 0 else "de"
    model = models[lang]
    day = random_day(rng)
    title = writer.title(model)
    slug = "-".join(title.lower().split()[:6])
    return {
        "id": f"gen-{lang}-{number:07d}",
        "lang": lang,
        "title": title,
        "lead": _sentence(writer.words(model, rng.randint(20, 45))),
        "body": writer.body(model),
        "tags": rng.sample(model.tags, min(len(model.tags), rng.randint(2, 5))),
        "author": model.authors[int(rng.random() * len(model.authors))],
        "date": day,
        "url": f"https://example.org/{lang}/{day[:4]}/{number}-{slug}",
    }


def random_day(rng: random.Random) -> str:
    """An ISO day between 2012 and 2024."""
    return date.fromordinal(FIRST_DAY + rng.randrange(DAYS)).isoformat()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many articles to write")
    parser.add_argument("out", type=Path, help="the JSONL file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="sample articles")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    models = build_models(args.corpus)
    writer = Writer(random.Random(args.seed))
    words = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for number in range(args.count):
            record = article(writer, models, number)
            words += len(str(record["body"]).split())
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    print(
        f"{args.count} articles, {words / max(args.count, 1):.0f} body words on average, "
        f"written to {args.out} in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
