"""The engines compared: each builds an index from the JSONL and answers top-10 queries.

``build(docs, out) -> articles`` writes an index into ``out``; ``open_engine(out)`` returns
``search(text) -> ids``, ready for the first query. Each runs in its own process (see
bench_worker.py), so imports and memory never mix.

- searchkit: ``build_index`` with its defaults; hits come with snippets.
- whoosh: what a Whoosh user writes: ``LanguageAnalyzer`` per language field, one
  ``ix.writer()``, the same fields stored; queries through ``MultifieldParser`` with
  ``OrGroup`` on the raw text; no highlights (ranking only).
- tantivy: per-language analyzers (lowercase, our stop words, Snowball), positions kept,
  the lenient parser (OR), a snippet per hit from tantivy's SnippetGenerator.
- bm25s: one index per language (PyStemmer Snowball, our stop words, title + lead + body
  as one text), both searched and merged by score; ranking only, nothing stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from bench_common import LANGS, SNOWBALL, TEXT_PARTS, doc_lang, doc_text, read_docs, stop_words

Search = Callable[[str], list[str]]
TOP = 10


def build_searchkit(docs: Path, out: Path) -> int:
    from searchkit import build_index

    # bench.py --procs N sets this; unset, build_index decides as it does for users.
    procs = (
        int(os.environ["BENCH_SEARCHKIT_PROCS"]) if "BENCH_SEARCHKIT_PROCS" in os.environ else None
    )
    report = build_index([docs], out, rebuild=True, procs=procs)
    return report.added + report.updated


def open_searchkit(out: Path) -> Search:
    from searchkit import open_index

    searcher = open_index(out)  # kept open for the whole run: the warm case

    def search(text: str) -> list[str]:
        # Hits come with their snippets: the time includes making them, as users see it.
        return [hit.id for hit in searcher.search(text, limit=TOP).hits]

    return search


def _whoosh_schema():  # type: ignore[no-untyped-def]
    from whoosh import fields
    from whoosh.analysis import LanguageAnalyzer

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        lang=fields.ID(stored=True),
        tags=fields.KEYWORD(stored=True, commas=True),
        author=fields.ID(stored=True),
        date=fields.ID(stored=True),
        url=fields.STORED,
    )
    for lang in LANGS:
        analyzer = LanguageAnalyzer(lang)
        for part in TEXT_PARTS:
            schema.add(f"{part}_{lang}", fields.TEXT(analyzer=analyzer, stored=True))
    return schema


def build_whoosh(docs: Path, out: Path) -> int:
    from whoosh import index

    out.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(out), _whoosh_schema())
    writer = ix.writer()
    count = 0
    for record in read_docs(docs):
        lang = doc_lang(record)
        fields = {f"{part}_{lang}": doc_text(record, part) for part in TEXT_PARTS}
        writer.add_document(
            id=str(record["id"]),
            lang=lang,
            tags=",".join(record.get("tags") or []),
            author=str(record.get("author") or ""),
            date=str(record.get("date") or ""),
            url=str(record.get("url") or ""),
            **{name: text for name, text in fields.items() if text},
        )
        count += 1
    writer.commit()
    return count


def open_whoosh(out: Path) -> Search:
    from whoosh import index
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = index.open_dir(str(out))
    searcher = ix.searcher()
    names = [f"{part}_{lang}" for lang in LANGS for part in TEXT_PARTS]
    parser = MultifieldParser(names, ix.schema, group=OrGroup)

    def search(text: str) -> list[str]:
        hits = searcher.search(parser.parse(text), limit=TOP)
        return [hit["id"] for hit in hits]

    return search


def _tantivy_index(out: Path, create: bool):  # type: ignore[no-untyped-def]
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("lang", stored=True, tokenizer_name="raw")
    for lang in LANGS:
        for part in TEXT_PARTS:
            builder.add_text_field(
                f"{part}_{lang}",
                stored=True,
                tokenizer_name=f"{lang}_snowball",
                index_option="position",
            )
    schema = builder.build()
    out.mkdir(parents=True, exist_ok=True)
    ix = tantivy.Index(schema, path=str(out)) if create else tantivy.Index.open(str(out))
    for lang in LANGS:  # analyzers are not saved with a tantivy index: register each time
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.custom_stopword(stop_words(lang)))
            .filter(tantivy.Filter.stemmer(SNOWBALL[lang]))
            .build()
        )
        ix.register_tokenizer(f"{lang}_snowball", analyzer)
    return ix, schema


def build_tantivy(docs: Path, out: Path) -> int:
    import tantivy

    ix, _ = _tantivy_index(out, create=True)
    writer = ix.writer()
    count = 0
    for record in read_docs(docs):
        lang = doc_lang(record)
        document = tantivy.Document(id=str(record["id"]), lang=lang)
        for part in TEXT_PARTS:
            text = doc_text(record, part)
            if text:
                document.add_text(f"{part}_{lang}", text)
        writer.add_document(document)
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


def open_tantivy(out: Path) -> Search:
    import tantivy

    ix, schema = _tantivy_index(out, create=False)
    ix.reload()
    searcher = ix.searcher()
    names = [f"{part}_{lang}" for lang in LANGS for part in TEXT_PARTS]

    def search(text: str) -> list[str]:
        query, _ = ix.parse_query_lenient(text, names)
        generators: dict[str, tantivy.SnippetGenerator] = {}
        ids = []
        for _, address in searcher.search(query, TOP).hits:
            doc = searcher.doc(address)
            body = f"body_{doc['lang'][0]}"
            if body not in generators:
                generators[body] = tantivy.SnippetGenerator.create(searcher, query, schema, body)
            generators[body].snippet_from_doc(doc).to_html()
            ids.append(doc["id"][0])
        return ids

    return search


def build_bm25s(docs: Path, out: Path) -> int:
    import bm25s
    import Stemmer

    texts: dict[str, list[str]] = {lang: [] for lang in LANGS}
    ids: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for record in read_docs(docs):
        lang = doc_lang(record)
        texts[lang].append("\n".join(doc_text(record, part) for part in TEXT_PARTS))
        ids[lang].append(str(record["id"]))
    for lang in LANGS:
        if not ids[lang]:
            continue
        stemmer = Stemmer.Stemmer(SNOWBALL[lang])
        tokens = bm25s.tokenize(
            texts[lang], stopwords=stop_words(lang), stemmer=stemmer, show_progress=False
        )
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        retriever.save(str(out / lang), show_progress=False)
        (out / lang / "ids.json").write_text(json.dumps(ids[lang]), encoding="utf-8")
    return sum(len(v) for v in ids.values())


def open_bm25s(out: Path) -> Search:
    import bm25s
    import Stemmer

    parts = []
    for lang in LANGS:
        if (out / lang / "ids.json").exists():
            retriever = bm25s.BM25.load(str(out / lang))
            ids = json.loads((out / lang / "ids.json").read_text(encoding="utf-8"))
            parts.append((retriever, ids, Stemmer.Stemmer(SNOWBALL[lang]), stop_words(lang)))

    def search(text: str) -> list[str]:
        scored = []
        for retriever, ids, stemmer, stops in parts:
            tokens = bm25s.tokenize(
                [text], stopwords=stops, stemmer=stemmer, return_ids=False, show_progress=False
            )
            k = min(TOP, len(ids))
            found, scores = retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
            scored += [(s, ids[d]) for d, s in zip(found[0], scores[0], strict=True) if s > 0]
        return [doc for _, doc in sorted(scored, key=lambda pair: -pair[0])[:TOP]]

    return search


ENGINES: dict[str, tuple[Callable[[Path, Path], int], Callable[[Path], Search]]] = {
    "searchkit": (build_searchkit, open_searchkit),
    "whoosh": (build_whoosh, open_whoosh),
    "tantivy": (build_tantivy, open_tantivy),
    "bm25s": (build_bm25s, open_bm25s),
}
