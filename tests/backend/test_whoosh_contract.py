"""The Whoosh contract: what searchkit.backend reads from Whoosh's files is what Whoosh reads.

The fast path (:class:`searchkit.backend.postings.FastIndex`, over the W3 codec's bytes in
:mod:`searchkit.backend.codec`) is compared with Whoosh's own public reader, on an index
shaped to reach every branch of the codec: terms with several posting blocks (more than
128 postings in one segment), three segments (commits without merging) and deleted
articles. And the other way round: plain Whoosh still opens searchkit's index and finds
what searchkit finds.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import whoosh.index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Or, Term
from whoosh.writing import SegmentWriter

import searchkit
from searchkit.backend import derived
from searchkit.backend import postings as postings_mod
from searchkit.backend.postings import FastIndex
from searchkit.backend.writers import FastSegmentWriter
from searchkit.fields import BOOSTS, FIELD_LANGS, field_name
from searchkit.index import store
from searchkit.index.build import build_index
from searchkit.index.documents import to_document
from searchkit.index.schema import INDEX_NAME, build_schema
from searchkit.models import Article
from searchkit.query.terms import terms_of

#: Whoosh's W3 codec writes a posting block every 128 postings (W3Codec blocklimit).
BLOCK = 128
TEXT_FIELDS = [field_name(part, lang) for lang in FIELD_LANGS for part in BOOSTS]
FRENCH_TEXT = (
    "le gouvernement kirghiz annonce une nouvelle réforme de la sécurité régionale les "
    "autorités du Tadjikistan négocient avec Moscou sur la frontière fermée aux camions "
    "venus de Chine depuis plusieurs semaines"
)
GERMAN_TEXT = (
    "die Regierung in Bischkek kündigt eine Reform der regionalen Sicherheit an die "
    "Behörden Tadschikistans verhandeln mit Moskau über die geschlossene Grenze für "
    "Lastwagen aus China seit mehreren Wochen"
)
FRENCH, GERMAN = FRENCH_TEXT.split(), GERMAN_TEXT.split()
#: Articles per commit: 400 (``barrage`` in 3 posting blocks of the first segment), 200, 100.
COMMITS = (range(0, 400), range(400, 600), range(600, 700))


def _code(number: int) -> str:
    """A made-up word only article ``number`` has (a term with one posting)."""
    letters = "bcdfghjklmnpqrstvz"
    word = ""
    while True:
        number, digit = divmod(number, len(letters))
        word += letters[digit] + "o"
        if not number:
            return "zu" + word


def article(number: int) -> dict[str, Any]:
    """Article ``number``: every fifth German; all share ``barrage`` (1 to 3 times)."""
    rng = random.Random(number)
    german = number % 5 == 4
    words = GERMAN if german else FRENCH
    body = [rng.choice(words) for _ in range(rng.randint(20, 60))]
    for _ in range(1 + number % 3):
        body.insert(rng.randrange(len(body) + 1), "barrage")
    body.append(_code(number))
    return {
        "id": f"a{number}",
        "lang": "de" if german else "fr",
        "title": f"{rng.choice(words)} {rng.choice(words)} barrage",
        "lead": " ".join(rng.choice(words) for _ in range(rng.randint(0, 12))),
        "body": " ".join(body),
        "tags": [rng.choice(["Kirghizstan", "Tadjikistan", "Chine"])],
        "author": rng.choice(["Camille Delorme", "Tobias Neumann"]),
        "date": f"20{10 + number % 14}-0{1 + number % 9}-1{number % 10}",
    }


def _document(number: int) -> dict[str, Any]:
    fields = article(number)
    fields["tags"] = tuple(fields["tags"])
    return to_document(Article(**fields), "generated", "sha")


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """700 articles in three segments (one build_index, two unmerged commits), with
    deletions in the first two."""
    root = tmp_path_factory.mktemp("contract")
    feed = root / "feed"
    feed.mkdir()
    lines = [json.dumps(article(n), ensure_ascii=False) for n in COMMITS[0]]
    (feed / "first.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_index([feed], root / "ix", procs=1)
    assert report.added == len(COMMITS[0]), report
    ix = store.open_existing(root / "ix")
    for numbers, deleted in zip(COMMITS[1:], (range(0, 400, 7), range(400, 600, 11)), strict=True):
        writer = FastSegmentWriter(ix)
        for number in numbers:
            writer.add_document(**_document(number))
        for number in deleted:
            writer.delete_by_term("id", f"a{number}")
        writer.commit(merge=False)
    for path in (root / "ix").glob(f"*{derived.SUFFIX}"):
        path.unlink()  # Whoosh's files only: test_derived_files_read_as_whoosh_reads_them
    return root / "ix"


def whoosh_postings(reader: Any, field: str, term: bytes) -> list[tuple[int, float, list[int]]]:
    """(document, weight, positions) of each live posting, through Whoosh's matcher."""
    matcher = reader.postings(field, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), list(matcher.value_as("positions"))))
        matcher.next()
    return found


def fast_postings(fast: FastIndex, field: str, term: str) -> list[tuple[int, float, list[int]]]:
    """The same, as the fast path reads them (deleted documents masked as it masks them)."""
    postings = fast.postings(field, term)
    boost = BOOSTS[field.rpartition("_")[0]]
    return [
        (int(doc), float(postings.tf[i]) * boost, fast.positions(field, postings, i))
        for i, doc in enumerate(postings.docs)
        if fast.live[doc]
    ]


def test_segments_blocks_and_deletions_read_as_whoosh_reads_them(
    segmented: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every term of every text field: documents, weights (frequency times the field's
    boost), positions; every document's field lengths and deletion; over 3 segments."""
    blocks_per_read: list[int] = []

    def counting(raw: bytes) -> Any:
        ids, weights, blocks = decode(raw)
        blocks_per_read.append(len(blocks))
        return ids, weights, blocks

    decode = postings_mod.decode_postings
    monkeypatch.setattr(postings_mod, "decode_postings", counting)
    sizes = _read_every_term(segmented, derived_files=False)
    # (818 terms; the largest, "barrag" in body_fr and title_fr: 498 live postings)
    assert len(sizes) > 800
    assert max(sizes.values()) > 3 * BLOCK
    assert sum(1 for n in sizes.values() if n > BLOCK) >= 20
    assert sum(1 for n in sizes.values() if n == 1) > 500  # one posting: see the next test
    assert max(blocks_per_read) >= 3  # decode_postings went round its block loop


def test_derived_files_read_as_whoosh_reads_them(segmented: Path, tmp_path: Path) -> None:
    """The same through the derived files (searchkit.backend.derived) of the 3 segments."""
    folder = tmp_path / "ix"
    shutil.copytree(segmented, folder)
    assert len(derived.write_missing(store.open_existing(folder))) == len(COMMITS)
    assert len(_read_every_term(folder, derived_files=True)) > 800


def _read_every_term(folder: Path, derived_files: bool) -> Counter[tuple[str, bytes]]:
    ix = store.open_existing(folder)
    with ix.searcher() as raw:
        reader = raw.reader()
        assert len(reader.leaf_readers()) == len(COMMITS)
        fast = FastIndex(raw)
        assert fast.size == 700
        assert fast.live.tolist() == [not reader.is_deleted(d) for d in range(fast.size)]
        assert int(fast.live.sum()) == 700 - len(range(0, 400, 7)) - len(range(400, 600, 11))
        sizes: Counter[tuple[str, bytes]] = Counter()
        for field, term in reader.all_terms():
            if field not in TEXT_FIELDS:
                continue
            expected = whoosh_postings(reader, field, term)
            assert fast_postings(fast, field, term.decode("utf-8")) == expected, (field, term)
            sizes[field, term] = len(expected)
        for field in TEXT_FIELDS:
            lengths = [reader.doc_field_length(d, field) or 0 for d in range(fast.size)]
            assert fast.lengths(field).tolist() == lengths, field
        used = [fast._derived.get(n) is not None for n in range(len(fast.leaves))]
        assert used == [derived_files] * len(COMMITS)
    return sizes


def test_a_term_with_one_posting_is_written_to_the_posting_file(segmented: Path) -> None:
    """Whoosh's W3 codec could inline a short posting list in the term info; searchkit
    reads no inlined postings, because Whoosh 2.7.5 never writes them: it inlines fewer
    than ``inlinelimit`` postings (1: none), and any higher limit fails (next test)."""
    assert W3Codec()._inlinelimit == 1
    ix = store.open_existing(segmented)
    with ix.reader() as reader:
        single = inlined = 0
        for leaf, _ in reader.leaf_readers():
            for field, term in leaf.all_terms():
                info = leaf.term_info(field, term)
                single += info.doc_frequency() == 1
                inlined += info.is_inlined()
    assert single > 500
    assert inlined == 0


def test_whoosh_cannot_write_inlined_postings() -> None:
    """With a higher ``inlinelimit``, Whoosh 2.7.5 calls ``terminfo.set_inline``, which
    W3TermInfo lacks (it has ``set_inlined``): should a Whoosh release fix that, this
    fails, and FastIndex must read inlined postings again."""
    ix = RamStorage().create_index(build_schema())
    writer = SegmentWriter(ix, codec=W3Codec(inlinelimit=2))
    writer.add_document(**_document(1))
    with pytest.raises(AttributeError, match="set_inline"):
        writer.commit()


# --- plain Whoosh still reads searchkit's index --------------------------------------------


def _ids(searcher: Any, query: Any) -> set[str]:
    return {hit["id"] for hit in searcher.search(query, limit=None)}


@pytest.mark.parametrize("word", ["barrage", "Sicherheit", "Moscou", "frontière", "zuco"])
def test_whoosh_opens_the_index_and_finds_what_searchkit_finds(segmented: Path, word: str) -> None:
    """``whoosh.index.open_dir`` with searchkit's index name, and Whoosh's own searcher:
    a word's analyzed terms in every text field match the articles searchkit finds."""
    ix = whoosh.index.open_dir(str(segmented), indexname=INDEX_NAME)
    assert ix.doc_count() == 700 - len(range(0, 400, 7)) - len(range(400, 600, 11))
    terms = [
        Term(field_name(part, lang), term)
        for lang in FIELD_LANGS
        for term in terms_of(lang, word)
        for part in BOOSTS
    ]
    with ix.searcher() as whoosh_searcher:
        expected = _ids(whoosh_searcher, Or(terms))
    with searchkit.open_index(segmented) as searcher:
        results = searcher.search(word, limit=1000, snippets=False, suggest=False, translate=False)
    assert expected
    assert {hit.id for hit in results.hits} == expected
    assert results.total == len(expected)


def test_whoosh_finds_a_filter_term_as_searchkit_does(segmented: Path) -> None:
    ix = whoosh.index.open_dir(str(segmented), indexname=INDEX_NAME)
    with ix.searcher() as whoosh_searcher, searchkit.open_index(segmented) as searcher:
        for query, term in [("tag:Chine", Term("tag", "chine")), ("lang:de", Term("lang", "de"))]:
            results = searcher.search(
                query, limit=1000, snippets=False, suggest=False, translate=False
            )
            expected = _ids(whoosh_searcher, term)
            assert expected and {hit.id for hit in results.hits} == expected, query
