"""Saved web pages: boilerplate out, metadata in, bad pages named with a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import searchkit
from searchkit.articles import html as html_pages
from searchkit.articles import load_file
from searchkit.articles.walk import SourceFile

DATA = Path(__file__).resolve().parents[1] / "data" / "html"
needs_extra = pytest.mark.skipif(
    not html_pages.available(), reason=html_pages.INSTALL_HINT.replace("; skipped", "")
)

BOILERPLATE = [
    "cookies",
    "Cookies",
    "Faire un don",
    "Jetzt spenden",
    "newsletter",
    "Newsletter",
    "Partager",
    "Teilen",
    "commentaire",
    "Kommentar",
    "Les plus lus",
    "Meistgelesen",
    "Mentions légales",
    "Impressum",
    "Politique",
    "Spende",
    "lecteurs",
    "Leserinnen",
    "Lire aussi",
    "Lesen Sie auch",
]


def load(name: str) -> tuple[searchkit.Article | None, list[searchkit.Problem]]:
    path = DATA / name
    result = load_file(SourceFile(path, str(path), name))
    return (result.articles[0] if result.articles else None), result.problems


@needs_extra
@pytest.mark.parametrize(
    ("name", "lang", "title", "author", "date", "tags", "url", "first", "last"),
    [
        (
            "fr-barrage-naryn.html",
            "fr",
            "Sur le Naryn, un petit barrage qui divise un village",
            "Élodie Marchand",
            "2023-05-14T08:30:00+06:00",
            ("Kirghizstan", "Énergie", "Eau"),
            "https://steppes-vallees.example/fr/2023/05/naryn-microcentrale-kotchkor",
            "Au bord du Naryn",
            "la route de Bichkek.",
        ),
        (
            "de-staudamm-naryn.html",
            "de",
            "Ein kleiner Staudamm spaltet ein Dorf am Naryn",
            "Jonas Brückner",
            "2023-05-16",
            ("Kirgistan", "Energie", "Wasser"),
            "https://steppen-taeler.example/de/2023/05/naryn-kleinwasserkraftwerk",
            "Am Ufer des Naryn",
            "an der Straße nach Bischkek.",
        ),
    ],
)
def test_an_outlet_page_gives_its_article_without_boilerplate(
    name, lang, title, author, date, tags, url, first, last
):
    article, problems = load(name)
    assert problems == []
    assert article is not None
    assert (article.id, article.lang, article.title) == (name[:-5], lang, title)
    assert (article.author, article.date, article.tags, article.url) == (author, date, tags, url)
    assert article.lead.startswith(("À Kotchkor", "In Kotschkor"))
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith(first) and paragraphs[-1].endswith(last)
    assert len(paragraphs) == 8  # six paragraphs and two subheadings
    assert paragraphs[2] in (
        "Une promesse de courant toute l’année",
        "Strom im ganzen Jahr versprochen",
    )
    for phrase in BOILERPLATE:
        assert phrase not in article.body, phrase
    assert article.title not in article.body and article.lead not in article.body
    assert len(article.related) == 2 and article.related[1].startswith(
        ("Les glaciers", "Die Gletscher")
    )
    assert all(u.startswith("https://stepp") for u in article.extra["related_urls"])


@needs_extra
def test_a_page_in_windows_1252_declared_in_a_meta_tag_reads_with_its_accents():
    article, problems = load("legacy-cp1252.html")
    assert problems == []
    assert article is not None
    assert article.title == "Le festival de Nowrouz à Samarcande"
    assert article.author == "Inès Lefèvre" and article.date == "2018-03-21"
    assert "chœurs d’enfants" in article.body and "cookies" not in article.body


@needs_extra
def test_a_page_declaring_latin_1_that_is_really_utf8_is_read_as_utf8():
    text, warning = html_pages.decode_page('<meta charset="iso-8859-1"><p>Sécurité</p>'.encode())
    assert "Sécurité" in text and "are UTF-8" in warning


@needs_extra
def test_broken_markup_is_repaired_with_a_warning():
    article, problems = load("bad-broken-markup.html")
    assert article is not None and article.lang == "de"
    assert article.title == "Schneeleoparden im Tian Shan gezählt"
    assert "Weidevieh als Konkurrenz" in article.body
    assert [p.warning for p in problems] == [True]
    assert problems[0].reason.startswith("broken markup (6 mismatched tags, first on line 8")


@needs_extra
def test_a_page_without_an_article_is_named_with_the_reason():
    article, problems = load("bad-no-article.html")
    assert article is None
    assert [p.warning for p in problems] == [False]
    assert problems[0].reason.startswith("no article in the page (a listing, index or error page?)")


def test_a_20_mb_page_is_refused_unread(tmp_path):
    big = tmp_path / "huge.html"
    filler = "<p>" + "Remplissage sans intérêt. " * 40 + "</p>\n"
    with big.open("w", encoding="utf-8") as out:
        out.write("<html><body><article>")
        while out.tell() < 20 * 2**20:
            out.write(filler * 100)
        out.write("</article></body></html>")
    result = load_file(SourceFile(big, str(big), "huge.html"))
    assert result.articles == []
    [problem] = result.problems
    assert problem.reason.startswith("too large (20.")
    assert "the limit for a .html file is 10 MB" in problem.reason


def test_without_the_extra_a_page_is_one_problem_saying_how_to_install(monkeypatch):
    monkeypatch.setattr(html_pages, "available", lambda: False)
    article, problems = load("fr-barrage-naryn.html")
    assert article is None
    assert [p.reason for p in problems] == [html_pages.INSTALL_HINT]
    assert "pip install 'searchkit[html]'" in problems[0].reason


@needs_extra
def test_a_folder_of_pages_indexes_and_names_each_bad_page(tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(DATA, folder)
    (folder / "huge.htm").write_bytes(b"<p>" + b"x" * (11 * 2**20))
    report = searchkit.build_index([folder], tmp_path / "index")
    assert report.added == 4  # fr, de, legacy-cp1252, broken markup (repaired)
    failed = {Path(p.path).name: p.reason for p in report.failed}
    assert set(failed) == {"bad-no-article.html", "huge.htm"}
    assert [Path(p.path).name for p in report.warnings] == ["bad-broken-markup.html"]
    with searchkit.open_index(tmp_path / "index") as searcher:
        hits = searcher.search("microcentrale Kotchkor").hits
        assert hits[0].id == "fr-barrage-naryn"
        assert searcher.search("Kleinwasserkraftwerk", lang="de").hits[0].id == "de-staudamm-naryn"
        assert searcher.search("newsletter").total == 0
        assert searcher.search("cookies").total == 0
        assert searcher.search("tag:Kirgistan").hits[0].author == "Jonas Brückner"
