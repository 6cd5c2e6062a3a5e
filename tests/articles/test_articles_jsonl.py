"""JSON Lines articles: required fields, optional fields, bad lines, duplicates, streaming."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from searchkit.articles import SourceFile, jsonl, load_file
from searchkit.articles.jsonl import parse_line, read_jsonl
from searchkit.models import Article, Problem
from searchkit.normalize import canonical_date

DATA = Path(__file__).resolve().parents[1] / "data" / "articles"
MIXED = str(DATA / "mixed.jsonl")


def test_mixed_file_keeps_good_lines_and_reports_bad_ones_with_line_numbers() -> None:
    path = DATA / "mixed.jsonl"
    result = load_file(SourceFile(path, str(path.resolve()), "mixed.jsonl"))
    assert [a.id for a in result.articles] == [
        "fr-2021-0310-ouzbekistan-abricots",
        "de-2022-1115-kasachstan-getreide",
        "de-2023-0102-kirgistan-winter",
    ]
    assert result.problems == [
        Problem(MIXED, "not valid JSON (Expecting ',' delimiter, column 32): skipped", 3),
        Problem(MIXED, "not a JSON object (got a list): skipped", 4),
        Problem(MIXED, '"body" is missing (required): skipped', 5),
        Problem(
            MIXED,
            "duplicate id 'fr-2021-0310-ouzbekistan-abricots' (first on line 1, which wins):"
            " skipped",
            6,
        ),
        Problem(
            MIXED,
            "\"date\" '15.11.2022' is not ISO 8601 (like 2019-02-12 or 2019-02-12T10:30:00Z):"
            " dropped",
            7,
            warning=True,
        ),
        Problem(MIXED, '"id" must be a string, got a number: skipped', 8),
    ]
    assert result.sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_line_wins_and_every_field_is_read() -> None:
    path = DATA / "mixed.jsonl"
    first = load_file(SourceFile(path, str(path.resolve()), "mixed.jsonl")).articles[0]
    assert first == Article(
        id="fr-2021-0310-ouzbekistan-abricots",
        title="Dans la vallée de Ferghana, la saison des abricots commence tôt",
        body="À Kokand, les marchands attendent les premiers camions de fruits. Les prix"
        " devraient baisser dès la fin du mois.",
        lang="fr",
        lead="Les vergers ouzbeks ont fleuri avec deux semaines d'avance.",
        tags=("Ouzbékistan", "Agriculture"),
        author="Claire Martin",
        date="2021-03-10",
        url="https://example.org/fr/abricots",
        path=MIXED,
    )


def line(text: str) -> tuple[Article | None, list[Problem]]:
    return parse_line(text, "a.jsonl", 7)


def test_comma_separated_tags_unknown_fields_and_dropped_date() -> None:
    article, problems = line(
        '{"id": "x", "body": "Texte.", "tags": "Kasachstan, Landwirtschaft,  Export,",'
        ' "date": "15.11.2022", "rubrik": "Wirtschaft", "path": "autre.txt"}'
    )
    assert article is not None
    assert article.tags == ("Kasachstan", "Landwirtschaft", "Export")
    assert article.date == ""
    assert article.extra == {"rubrik": "Wirtschaft", "path": "autre.txt"}
    assert article.path == "a.jsonl"
    assert [p.warning for p in problems] == [True]


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "{",
            "not valid JSON (Expecting property name enclosed in double quotes, column 2): skipped",
        ),
        ("pas du json", "not valid JSON (Expecting value, column 1): skipped"),
        ('"une chaîne"', "not a JSON object (got a string): skipped"),
        ("42", "not a JSON object (got a number): skipped"),
        ("null", "not a JSON object (got null): skipped"),
        ('{"body": "Texte."}', '"id" is missing (required): skipped'),
        ('{"id": "x"}', '"body" is missing (required): skipped'),
        ("{}", '"id" is missing (required); "body" is missing (required): skipped'),
        ('{"id": "", "body": "Texte."}', '"id" is empty: skipped'),
        ('{"id": "x", "body": "   "}', '"body" is empty: skipped'),
        ('{"id": "x", "body": null}', '"body" is missing (required): skipped'),
        ('{"id": ["x"], "body": "Texte."}', '"id" must be a string, got a list: skipped'),
        (
            '{"id": "x", "body": {"fr": "Texte."}}',
            '"body" must be a string, got an object: skipped',
        ),
        ("[" * 100_000, "not valid JSON (nested too deeply): skipped"),
    ],
)
def test_unusable_lines(text: str, reason: str) -> None:
    assert line(text) == (None, [Problem("a.jsonl", reason, 7)])


@pytest.mark.parametrize(
    "fields, attribute, value, warning",
    [
        ('"tags": ["Kirghizstan", "Russie"]', "tags", ("Kirghizstan", "Russie"), ""),
        (
            '"tags": ["Kirghizstan", "", " Russie ", "Russie"]',
            "tags",
            ("Kirghizstan", "Russie"),
            "",
        ),
        ('"tags": ["Élections", 2020]', "tags", ("Élections", "2020"), ""),
        (
            '"tags": ["Élections", {"x": 1}]',
            "tags",
            ("Élections",),
            '"tags" has items that are not strings: those are ignored',
        ),
        ('"tags": 5', "tags", (), '"tags" should be a list of strings, got a number: ignored'),
        ('"related": "Un titre, avec une virgule"', "related", ("Un titre, avec une virgule",), ""),
        ('"related": ["Un titre", "Un autre"]', "related", ("Un titre", "Un autre"), ""),
        ('"lang": "fr"', "lang", "fr", ""),
        ('"lang": " DE "', "lang", "de", ""),
        (
            '"lang": "en"',
            "lang",
            "",
            "unknown \"lang\" 'en' (searchkit knows fr, de): detected from the text",
        ),
        ('"title": "  Un titre  "', "title", "Un titre", ""),
        ('"title": null', "title", "", ""),
        ('"author": ["A", "B"]', "author", "", '"author" should be a string, got a list: ignored'),
        ('"url": true', "url", "", '"url" should be a string, got true/false: ignored'),
        ('"date": "2019-02-12"', "date", "2019-02-12", ""),
        ('"date": "20190212"', "date", "2019-02-12", ""),
        ('"date": "2019-02-12T10:30:00Z"', "date", "2019-02-12T10:30:00+00:00", ""),
        ('"date": "2019-02-12 10:30"', "date", "2019-02-12T10:30:00", ""),
        (
            '"date": "2019-02"',
            "date",
            "",
            "\"date\" '2019-02' is not ISO 8601 (like 2019-02-12 or 2019-02-12T10:30:00Z): dropped",
        ),
        (
            '"date": "2019-02-30"',
            "date",
            "",
            "\"date\" '2019-02-30' is not ISO 8601 (like 2019-02-12 or 2019-02-12T10:30:00Z):"
            " dropped",
        ),
        ('"date": 2019', "date", "", '"date" should be a string, got a number: ignored'),
    ],
)
def test_optional_fields(fields: str, attribute: str, value: object, warning: str) -> None:
    article, problems = line('{"id": "x", "body": "Texte.", ' + fields + "}")
    assert article is not None
    assert getattr(article, attribute) == value
    expected = [Problem("a.jsonl", warning, 7, warning=True)] if warning else []
    assert problems == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-04-10", "2024-04-10"),
        ("2024-04-10T09:30:00+06:00", "2024-04-10T09:30:00+06:00"),
        ("hier", None),
        ("", None),
    ],
)
def test_normalise_date(raw: str, expected: str | None) -> None:
    assert canonical_date(raw) == expected


def read(data: bytes) -> tuple[list[Article], list[Problem], str]:
    hasher = hashlib.sha256()
    articles, problems = read_jsonl(io.BytesIO(data), "a.jsonl", hasher)
    return articles, problems, hasher.hexdigest()


def test_blank_lines_crlf_and_bom_are_fine_and_the_hash_covers_every_byte() -> None:
    data = b'\xef\xbb\xbf{"id": "a", "body": "Un."}\r\n\r\n   \n{"id": "b", "body": "Deux."}'
    articles, problems, sha = read(data)
    assert [a.id for a in articles] == ["a", "b"]
    assert problems == []
    assert sha == hashlib.sha256(data).hexdigest()


def test_cp1252_lines_are_decoded_with_one_warning_per_file() -> None:
    data = '{"id": "a", "body": "Déjà vu."}\n{"id": "b", "body": "Cœur brisé."}\n'.encode("cp1252")
    articles, problems, _ = read(data)
    assert [a.body for a in articles] == ["Déjà vu.", "Cœur brisé."]
    assert problems == [
        Problem(
            "a.jsonl",
            "decoded as cp1252 from this line on: re-save the file as UTF-8",
            1,
            warning=True,
        )
    ]


def test_an_overlong_line_is_skipped_and_the_next_one_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 64)
    monkeypatch.setattr(jsonl, "_CHUNK", 16)
    long_body = "x" * 200
    data = f'{{"id": "long", "body": "{long_body}"}}\n{{"id": "b", "body": "Court."}}\n'.encode()
    articles, problems, sha = read(data)
    assert [a.id for a in articles] == ["b"]
    assert problems == [Problem("a.jsonl", "line longer than 64 bytes: skipped", 1)]
    assert sha == hashlib.sha256(data).hexdigest()
