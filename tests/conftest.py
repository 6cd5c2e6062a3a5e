"""Shared fixtures: one small bilingual index, built once per test session.

The articles are written here (JSON Lines) rather than read from corpus/, so that the
expected rankings, facet counts and snippets in the tests can be read off this file.

Layout: one folder per subpackage of searchkit (tests/search/ for searchkit/search/, ...),
project-wide checks (lint, README, the relevance gate) here at the top. The folders have no
``__init__.py``: test file names are unique instead, so that the tests import the installed
searchkit (as CI installs it), never the checkout's folder through sys.path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchkit.index.build import build_index
from searchkit.search.searcher import Searcher, open_index

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _article(id_: str, lang: str, title: str, lead: str, body: str, **meta: object) -> dict:
    return {"id": id_, "lang": lang, "title": title, "lead": lead, "body": body, **meta}


ARTICLES = [
    _article(
        "fr-base-kant",
        "fr",
        "Russie : une seconde base militaire au Kirghizstan ?",
        "Moscou hésite à installer une nouvelle base militaire dans le sud du Kirghizstan.",
        "Plusieurs députés de Bichkek réclament une présence russe accrue près d'Och. "
        "Les militaires russes stationnés à Kant remplissent leurs missions, répond Moscou.\n\n"
        "La sécurité de la vallée de Ferghana inquiète. L'armée russe au Kirghizstan dispose "
        "déjà d'avions et d'hélicoptères. Une seconde base militaire coûterait cher.",
        tags=["Kirghizstan", "Russie", "Défense"],
        author="Camille Delorme",
        date="2021-10-20",
        url="https://example.org/fr/base-kant",
    ),
    _article(
        "fr-coton-economie",
        "fr",
        "Le coton reste la base de l'économie ouzbèke",
        "La récolte du coton mobilise encore des milliers de personnes en Ouzbékistan.",
        "La base de l'économie rurale reste le coton, même si les prix baissent. "
        "Dans les champs, un ancien officier raconte son expérience de la récolte. "
        "Un militaire à la retraite dirige aujourd'hui une coopérative agricole.",
        tags=["Ouzbékistan", "Économie", "Coton"],
        author="Roxane Poulain",
        date="2019-03-02",
    ),
    _article(
        "de-militaerbasis",
        "de",
        "Moskau plant keine zweite Militärbasis in Kirgistan",
        "Eine zweite russische Militärbasis im Süden Kirgistans ist vorerst vom Tisch.",
        "Ein Abgeordneter hatte vorgeschlagen, im Gebiet Osch eine zweite russische "
        "Militärbasis zu errichten. Das Verteidigungsministerium in Moskau winkte ab.\n\n"
        "Kritiker sagen: Russische Militärbasen lösen keinen Grenzkonflikt. In Kant sind "
        "bereits mehrere hundert Soldaten stationiert. Die Sicherheit im Süden bleibt Thema.",
        tags=["Kirgistan", "Russland", "Sicherheit"],
        author="Tobias Neumann",
        date="2023-11-05",
    ),
    _article(
        "de-baumwolle",
        "de",
        "Baumwollernte in Usbekistan ohne Zwangsarbeit",
        "Usbekistan meldet Fortschritte bei der Baumwollernte.",
        "Jahrelang mussten Lehrer und Studenten in Usbekistan Baumwolle pflücken. "
        "Nach Angaben der Regierung ist die Zwangsarbeit auf den Feldern nun beendet.",
        tags=["Usbekistan", "Wirtschaft", "Baumwolle"],
        author="Tobias Neumann",
        date="2019-09-15",
    ),
    _article(
        "fr-securite-alimentaire",
        "fr",
        "Sécurité alimentaire : le Tadjikistan dépend des importations",
        "Le pays importe la moitié de son blé du Kazakhstan.",
        "La sécurité alimentaire reste fragile dans les vallées du Pamir. Les familles "
        "dépendent de l'argent envoyé par les migrants depuis la Russie.",
        tags=["Tadjikistan", "Sécurité", "Agriculture"],
        author="Camille Delorme",
        date="2019-06-10",
    ),
    _article(
        "de-aralsee",
        "de",
        "Der Aralsee trocknet weiter aus",
        "Vom einst viertgrößten See der Welt sind nur Reste geblieben.",
        "Die Fischer von Aral warten auf die Rückkehr des Wassers. Ein Damm in Kasachstan "
        "hat den nördlichen Teil des Sees stabilisiert, der Süden bleibt eine Salzwüste.",
        tags=["Kasachstan", "Umwelt", "Aralsee"],
        author="Anna Schmidt",
        date="2020-02-01",
    ),
    _article(
        "fr-mer-aral",
        "fr",
        "La mer d'Aral continue de s'assécher",
        "Le Kazakhstan a sauvé la petite mer d'Aral grâce à un barrage.",
        "Les pêcheurs d'Aralsk ont retrouvé du poisson au nord. Au sud, en Ouzbékistan, "
        "le fond de la mer est devenu un désert de sel.",
        tags=["Kazakhstan", "Environnement", "Mer d'Aral"],
        author="Roxane Poulain",
        date="2019-12-01",
    ),
    _article(
        "de-gastarbeiter",
        "de",
        "Tadschikische Gastarbeiter in Russland unter Druck",
        "Nach dem Anschlag bei Moskau wächst das Misstrauen gegen Migranten.",
        "Hunderttausende Tadschiken arbeiten auf russischen Baustellen. Ihre Überweisungen "
        "machen ein Drittel der Wirtschaftsleistung Tadschikistans aus.",
        tags=["Tadschikistan", "Russland", "Migration"],
        author="Anna Schmidt",
        date="2022-03-03",
    ),
    _article(
        "fr-migrants-tadjiks",
        "fr",
        "Les migrants tadjiks en Russie face à la crise",
        "Les transferts d'argent vers Douchanbé ont chuté.",
        "Des centaines de milliers de Tadjiks travaillent sur les chantiers russes. "
        "Leurs transferts représentent un tiers du PIB du Tadjikistan.",
        tags=["Tadjikistan", "Russie", "Migration"],
        author="Roxane Poulain",
        date="2022-05-05",
    ),
    _article(
        "fr-alphabet-latin",
        "fr",
        "Le Kazakhstan passe à l'alphabet latin",
        "Astana veut abandonner le cyrillique d'ici 2031.",
        "La réforme de l'alphabet divise les linguistes. Les écoles du Kazakhstan "
        "commencent à enseigner le nouvel alphabet latin aux enfants.",
        tags=["Kazakhstan", "Langue"],
        author="Élodie Durand",
        date="2018-04-12",
    ),
]


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built index of :data:`ARTICLES` (read-only for tests: build your own to change it)."""
    root = tmp_path_factory.mktemp("search-corpus")
    corpus = root / "corpus"
    corpus.mkdir()
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES]
    (corpus / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_index([corpus], root / "index")
    assert report.ok and report.added == len(ARTICLES), report
    return root / "index"


@pytest.fixture(scope="session")
def searcher(index_dir: Path) -> Iterator[Searcher]:
    """One open searcher over :data:`ARTICLES`, shared by the whole session."""
    with open_index(index_dir) as opened:
        yield opened


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An index of the sample articles in corpus/, built once for the whole session.

    Read-only: a test that writes to an index copies this one first
    (``shutil.copytree(corpus_index, tmp_path / "ix")``). The session fails at its end if
    a test changed the files here.
    """
    folder = tmp_path_factory.mktemp("corpus") / "index"
    report = build_index([CORPUS], folder)
    assert report.ok, [str(p) for p in report.failed]
    before = _listing(folder)
    yield folder
    assert _listing(folder) == before, "a test wrote to corpus_index: copy it first"
