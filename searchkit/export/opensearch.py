"""OpenSearch / Elasticsearch: settings and mappings that analyze as searchkit does, and
the articles as bulk NDJSON files.

Each language's chain, written with the engines' built-in filters (all of them Lucene's,
so ``tests/export/lucene/AnalyzeExport.java`` runs the exported chain with Lucene itself)::

    pattern tokenizer (searchkit's word regex) -> elision (fr) -> lowercase -> asciifolding
    -> german_normalization (ae/oe/ue = a/o/u, as searchkit's fold) -> [synonym_graph:
    place-name spellings, search time only] -> word_delimiter_graph (Jalal-Abad: jalalabad,
    jalal, abad) -> stop -> [ee$ -> e (fr)] -> [dictionary_decompounder (de, index time)]
    -> snowball

Accents are folded at index and at search time, so ``securite`` finds ``sécurité`` and
back, as in searchkit. Articles in another language go to the ``*_xx`` fields (no stop
words, no stemming). Where the chains still differ from searchkit, and by how much, is
measured by ``tests/export/test_export_lucene.py`` (README, "Moving to OpenSearch").
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from searchkit.analysis.compounds import MIN_COMPOUND, MIN_PART, _lexicon
from searchkit.analysis.filters import WORD_RE, load_table, load_words
from searchkit.analysis.french import STEMS
from searchkit.export.jsonl import iter_articles
from searchkit.fields import FIELD_LANGS, LANGUAGES, TEXT_PARTS, field_lang, field_name
from searchkit.index.documents import text_parts
from searchkit.models import Article
from searchkit.search.searcher import open_index

INDEX_FILE = "index.json"
BULK_PATTERN = "bulk-{:05d}.ndjson"
#: Articles per bulk file: 500 articles of ~5 kB make ~2.5 MB requests, inside the 5-15 MB
#: range the engines' docs recommend for a bulk request.
CHUNK_ARTICLES = 500
_SNOWBALL = {"fr": "French", "de": "German"}


def analyzer_name(lang: str, mode: str) -> str:
    """``searchkit_fr_index``, ``searchkit_de_search``, ``searchkit_xx_index``..."""
    return f"searchkit_{lang}_{mode}"


def _chain(lang: str, mode: str) -> list[str]:
    """The filters of one analyzer, in order (the names defined by :func:`analysis`)."""
    chain = ["searchkit_elision_fr"] if lang == "fr" else []
    chain.append("lowercase")
    if lang == "fr":  # before folding: côté (side) keeps apart from côte (coast)
        chain.append("searchkit_stems_fr")
    chain += ["searchkit_folding", "german_normalization"]
    if mode == "search" and lang in LANGUAGES:
        chain.append("searchkit_places")
    chain.append("searchkit_pieces")
    if lang not in LANGUAGES:
        return chain
    chain.append(f"searchkit_stop_{lang}")
    if lang == "fr":
        chain.append("searchkit_feminine_fr")
    if lang == "de" and mode == "index":
        chain.append("searchkit_compounds_de")
    chain.append(f"searchkit_snowball_{lang}")
    return chain


def _stem_rules() -> list[str]:
    """``analysis/data/stems_fr.txt`` as stemmer_override rules: ``base, bases => base``."""
    forms: dict[str, list[str]] = {}
    for form, term in load_table(STEMS).items():
        forms.setdefault(term, []).append(form)
    return [f"{', '.join(sorted(f))} => {term}" for term, f in sorted(forms.items())]


def analysis() -> dict[str, Any]:
    """The ``settings.analysis`` object: tokenizer, filters and the six analyzers."""
    filters: dict[str, Any] = {
        "searchkit_elision_fr": {
            "type": "elision",
            "articles_case": True,
            "articles": sorted(load_words("elision_fr.txt")),
        },
        "searchkit_folding": {"type": "asciifolding", "preserve_original": False},
        # The French nouns that get a term of their own (base, not Snowball's "bas"):
        # marked as keywords, so that Snowball leaves them as they are.
        "searchkit_stems_fr": {"type": "stemmer_override", "rules": _stem_rules()},
        "searchkit_places": {
            "type": "synonym_graph",
            "expand": True,
            "lenient": True,
            "synonyms": place_synonyms(),
        },
        "searchkit_pieces": {
            "type": "word_delimiter_graph",
            "generate_word_parts": True,
            "generate_number_parts": True,
            "catenate_words": False,
            "catenate_numbers": False,
            "catenate_all": True,
            "split_on_case_change": False,
            "split_on_numerics": False,
            "stem_english_possessive": False,
            "preserve_original": False,
            # A dot or comma joins digits (3.600, 1,5: one number, as in searchkit).
            "type_table": [". => DIGIT", ", => DIGIT"],
        },
        "searchkit_feminine_fr": {
            "type": "pattern_replace",
            "pattern": "ee(s?)$",
            "replacement": "e$1",
        },
        "searchkit_compounds_de": {
            "type": "dictionary_decompounder",
            "word_list": compound_words(),
            "min_word_size": MIN_COMPOUND,
            "min_subword_size": MIN_PART,
            "max_subword_size": 30,
            "only_longest_match": False,
        },
    }
    for lang in LANGUAGES:
        filters[f"searchkit_stop_{lang}"] = {
            "type": "stop",
            "stopwords": sorted(load_words(f"stop_{lang}.txt")),
        }
        filters[f"searchkit_snowball_{lang}"] = {"type": "snowball", "language": _SNOWBALL[lang]}
    analyzers = {
        analyzer_name(lang, mode): {
            "type": "custom",
            "tokenizer": "searchkit_words",
            "filter": _chain(lang, mode),
        }
        for lang in FIELD_LANGS
        for mode in ("index", "search")
    }
    tokenizer = {
        "searchkit_words": {
            "type": "pattern",
            "pattern": WORD_RE.pattern,
            "flags": "UNICODE_CHARACTER_CLASS",  # Python's \w is Unicode; Java's is ASCII
            "group": 0,
        }
    }
    return {"tokenizer": tokenizer, "filter": filters, "analyzer": analyzers}


@cache
def compound_words() -> list[str]:
    """The German lexicon (``analysis/data/lexicon_de.txt``) as a decompounder word list.

    Folded as searchkit folds, words of MIN_PART letters or more, and each word ending in
    "e" also without it: the form it takes before a linking element (Grenz|konflikt,
    Hilfs|organisation), which searchkit's splitter knows and a plain word list does not.
    """
    last, first_only, _ = _lexicon()
    words = set(last | first_only)
    words |= {w[:-1] for w in words if w.endswith("e") and len(w) > MIN_PART}
    return sorted(words)


@cache
def place_synonyms() -> list[str]:
    """The place-name spellings (``crosslingual/data/places.tsv``) as Solr synonym rules.

    One rule a place: every lookup key, folded as the analyzer folds at that point
    (``bichkek, bishkek, bischkek, frunze``), and a multi-word key also hyphenated
    (``nour-soultan``: the tokenizer keeps a hyphenated word whole). Keys marked ambiguous
    (``och*``: also a common word) are left out: searchkit matches them only capitalised,
    and a synonym filter after lowercase cannot tell.
    """
    text = resources.files("searchkit.crosslingual").joinpath("data", "places.tsv")
    rules = []
    for line in text.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        keys = [k for k in line.split("\t")[2].split("|") if k and not k.endswith("*")]
        keys += [k.replace(" ", "-") for k in keys if " " in k]
        keys = list(dict.fromkeys(keys))
        if len(keys) > 1:
            rules.append(", ".join(keys))
    return rules


def mappings() -> dict[str, Any]:
    """One text field per part and language, analyzed by that language's chains."""
    text_fields = {
        field_name(part, lang): {
            "type": "text",
            "analyzer": analyzer_name(lang, "index"),
            "search_analyzer": analyzer_name(lang, "search"),
        }
        for lang in FIELD_LANGS
        for part in TEXT_PARTS
    }
    stored = {"type": "keyword", "index": False, "doc_values": False}
    return {
        "dynamic": False,
        "properties": {
            "id": {"type": "keyword"},
            "lang": {"type": "keyword"},
            "tags": {"type": "keyword"},
            "author": {"type": "keyword"},
            "date": {"type": "date"},
            "url": {"type": "keyword"},
            "credit": stored,
            "related": stored,
            "extra": {"type": "object", "enabled": False},
            **text_fields,
        },
    }


def index_body(shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """The body of ``PUT /<index>``: settings (with the analysis) and mappings."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            "analysis": analysis(),
        },
        "mappings": mappings(),
    }


def document(article: Article) -> dict[str, Any]:
    """An article as an OpenSearch document: its text in its language's fields."""
    lang = field_lang(article.lang)
    doc: dict[str, Any] = {"id": article.id, "lang": article.lang or "unknown"}
    texts = text_parts(article).items()
    doc.update((field_name(part, lang), text) for part, text in texts if text)
    optional = {
        "tags": list(article.tags),
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "credit": article.credit,
        "related": list(article.related),
        "extra": dict(article.extra),
    }
    doc.update((name, value) for name, value in optional.items() if value)
    return doc


def bulk_lines(articles: Iterable[Article], index: str) -> Iterator[str]:
    """Two NDJSON lines per article: the ``index`` action (``_id`` = the article id), the doc."""
    for article in articles:
        action = {"index": {"_index": index, "_id": article.id}}
        yield json.dumps(action, ensure_ascii=False)
        yield json.dumps(document(article), ensure_ascii=False)


@dataclass(frozen=True)
class OpenSearchExport:
    """What :func:`export_opensearch` wrote."""

    folder: Path
    index: str
    articles: int
    bulk_files: tuple[Path, ...]

    @property
    def index_file(self) -> Path:
        """The settings and mappings (the body of ``PUT /<index>``)."""
        return self.folder / INDEX_FILE


def export_opensearch(
    index_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    index: str = "searchkit",
    chunk: int = CHUNK_ARTICLES,
) -> OpenSearchExport:
    """Write ``index.json`` (settings and mappings) and ``bulk-NNNNN.ndjson`` files of at most
    ``chunk`` articles each into ``out_dir``. Raises IndexNotFoundError.

    Load them with curl (``PUT /<index>`` with index.json, then ``POST /_bulk`` with each
    file) or with :func:`searchkit.export.upload_opensearch`. Old bulk files in ``out_dir``
    are removed first, so the folder always holds one export.
    """
    folder = Path(out_dir)
    with open_index(index_dir) as searcher:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("bulk-*.ndjson"):
            old.unlink()
        (folder / INDEX_FILE).write_text(
            json.dumps(index_body(), ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
        files: list[Path] = []
        count = 0
        batch: list[Article] = []
        for article in iter_articles(searcher):
            batch.append(article)
            if len(batch) == chunk:
                files.append(_write_bulk(folder, len(files) + 1, batch, index))
                count += len(batch)
                batch = []
        if batch:
            files.append(_write_bulk(folder, len(files) + 1, batch, index))
            count += len(batch)
    return OpenSearchExport(folder, index, count, tuple(files))


def _write_bulk(folder: Path, number: int, batch: list[Article], index: str) -> Path:
    path = folder / BULK_PATTERN.format(number)
    path.write_text("".join(line + "\n" for line in bulk_lines(batch, index)), "utf-8")
    return path
