"""The search site through Starlette's TestClient and a real server: pages in French and
German, the JSON API and its errors, escaping, concurrency, a new commit seen live."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="pip install 'searchkit[web]'")

from click.testing import CliRunner
from starlette.testclient import TestClient
from web_server import start_server, stop_server

from searchkit.cli.commands import main
from searchkit.index.build import build_index
from searchkit.web import create_app, i18n

MILITARY_FR = "fr/russie-seconde-base-militaire-kirghizstan"
MILITARY_DE = "de/russland-zweite-militaerbasis-kirgistan"


@pytest.fixture(scope="module")
def client(corpus_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_index)) as opened:  # its end closes the searchers
        yield opened


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


# --- the JSON API ---------------------------------------------------------------------


def test_api_search_answers_what_query_json_prints(client: TestClient, corpus_index: Path) -> None:
    answer = client.get("/api/search", params={"q": "Militärbasis", "lang": "fr", "limit": 3})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    cli = CliRunner().invoke(
        main,
        [
            "query",
            "Militärbasis",
            "--lang",
            "fr",
            "--limit",
            "3",
            "--json",
            "--index",
            str(corpus_index),
        ],
    )
    assert answer.json() == json.loads(cli.stdout)
    assert answer.json()["hits"][0]["id"] == MILITARY_FR


def test_api_search_takes_every_cli_option(client: TestClient) -> None:
    params = [
        ("q", "Kirghizstan Kirgistan"),
        ("lang", "de"),
        ("tag", "Kirgistan"),
        ("since", "2018-01-01"),
        ("until", "2022-12-31"),
        ("facets", "1"),
        ("no_translate", "true"),
        ("sort", "date"),
        ("limit", "2"),
        ("page", "1"),
    ]
    data = client.get("/api/search", params=params).json()
    assert data["total"] == 3
    assert set(data["facets"]) == {"lang", "tag", "author", "year"}
    assert all("Kirgistan" in hit["tags"] for hit in data["hits"])
    assert [hit["date"] for hit in data["hits"]] == ["2022-07-04T09:30:00+06:00", "2020-10-06"]
    author = client.get("/api/search", params=[*params, ("author", "Lena Hoffmann")]).json()
    assert [hit["author"] for hit in author["hits"]] == ["Lena Hoffmann"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": "date:[2019 TO"}, 400, "date: at character 6: the range is not closed"),
        ({"q": "mot " * 300}, 400, "characters long; the limit is 1000"),
        ({"q": ""}, 400, "the query is empty"),
        ({"q": "base", "lang": "en"}, 400, "lang must be fr or de, not 'en'"),
        ({"q": "base", "limit": "0"}, 400, "limit must be between 1 and 1000, not 0"),
        ({"q": "base", "page": "two"}, 400, "page must be a whole number, not 'two'"),
        ({"q": "base", "sort": "oldest"}, 400, "sort must be one of relevance, date"),
        ({"q": "base", "since": "hier"}, 400, "since: 'hier' is not a date"),
    ],
)
def test_api_errors_are_json_with_a_status(
    client: TestClient, params: dict, status: int, message: str
) -> None:
    answer = client.get("/api/search", params=params)
    assert answer.status_code == status
    assert message in answer.json()["error"]
    assert answer.json()["status"] == status


def test_api_article_is_the_whole_article_or_404(client: TestClient) -> None:
    data = client.get(f"/api/articles/{MILITARY_FR}").json()
    assert data["id"] == MILITARY_FR
    assert data["translations"] == [MILITARY_DE]
    assert "Une base militaire déjà bien installée à Kant" in data["body"]
    assert data["related"]
    missing = client.get("/api/articles/fr/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("no article with id 'fr/nowhere'")


# --- the pages --------------------------------------------------------------------------


def test_page_speaks_the_browsers_language(client: TestClient) -> None:
    german = client.get("/?q=base+militaire", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in german.text and "Suchen" in german.text
    french = client.get("/?q=base+militaire", headers={"Accept-Language": "fr-CH, en;q=0.5"})
    assert '<html lang="fr">' in french.text and "Rechercher" in french.text
    assert german.headers["vary"] == "Accept-Language"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("", "fr"),
        ("en-US,en;q=0.9", "fr"),
        ("en, de;q=0.5, fr;q=0.4", "de"),
        ("de, fr", "de"),
        ("fr;q=0.2, de;q=0.8", "de"),
        ("de;q=bad, fr", "fr"),
    ],
)
def test_language_negotiation(header: str, lang: str) -> None:
    assert i18n.negotiate(header) == lang


def test_dates_read_in_the_page_language() -> None:
    assert i18n.long_date("2022-07-04T09:30:00+06:00", "fr") == "4 juil. 2022"
    assert i18n.long_date("2022-07-04", "de") == "4. Juli 2022"
    assert i18n.long_date("someday", "de") == "someday"


def test_results_page_has_highlights_facets_twins_and_pages(client: TestClient) -> None:
    page = client.get("/?q=Kirghizstan", headers={"Accept-Language": "fr"}).text
    assert "<mark>Kirghizstan</mark>" in page
    assert 'data-facet="tag"' in page and 'data-facet="year"' in page
    assert "Aussi en allemand" in page
    assert 'rel="next" href="/?q=Kirghizstan&amp;page=2"' in page
    assert 'href="/?q=Kirghizstan&amp;sort=date"' in page


def test_did_you_mean_is_a_link(client: TestClient) -> None:
    page = client.get("/?q=Kirghizstn", headers={"Accept-Language": "fr"}).text
    assert 'Vouliez-vous dire <a href="/?q=Kirghizstan">Kirghizstan</a>' in page


def test_article_page_has_text_twin_related_and_similar(client: TestClient) -> None:
    page = client.get(f"/articles/{MILITARY_FR}", headers={"Accept-Language": "de"}).text
    assert "<h2>Une base militaire déjà bien installée à Kant</h2>" in page
    assert f'<a href="/articles/{MILITARY_DE}" hreflang="de">' in page
    assert "Lesen Sie auch" in page and "Ähnliche Artikel" in page
    assert client.get("/articles/fr/nowhere").status_code == 404


def test_a_malformed_query_shows_the_message_on_the_page(client: TestClient) -> None:
    answer = client.get("/?q=date:[2019+TO")
    assert answer.status_code == 400
    assert "the range is not closed" in answer.text
    assert 'value="date:[2019 TO"' in answer.text


def test_article_text_is_escaped_everywhere(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    row = {
        "id": "x/<b>1",
        "lang": "fr",
        "title": evil,
        "lead": evil,
        "body": f"Rogun {evil}",
        "tags": [evil],
        "author": evil,
        "url": "javascript:alert(1)",
    }
    (tmp_path / "feed.jsonl").write_text(json.dumps(row) + "\n")
    assert build_index([tmp_path / "feed.jsonl"], tmp_path / "ix").ok
    with TestClient(create_app(tmp_path / "ix")) as client:
        check_escaped(client, evil)


def check_escaped(client: TestClient, evil: str) -> None:
    for url in ("/?q=Rogun", "/articles/x/<b>1", "/?q=" + evil):
        page = client.get(url).text
        assert "<script>alert" not in page and "<b>1" not in page, url
        assert "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/?q=Rogun").text
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_static_files_come_from_the_package(client: TestClient) -> None:
    assert "mark {" in client.get("/static/style.css").text
    assert client.get("/static/app.js").status_code == 200


# --- a real server ----------------------------------------------------------------------


def test_many_requests_at_once_get_their_own_answers(live_url: str) -> None:
    queries = ["base militaire", "Militärbasis", "Rogun", "Bichkek", "coton", "Aral"] * 8
    alone = {q: get_json(f"{live_url}/api/search?q={urllib.request.quote(q)}") for q in queries}
    with ThreadPoolExecutor(16) as threads:
        together = list(
            threads.map(
                lambda q: get_json(f"{live_url}/api/search?q={urllib.request.quote(q)}"), queries
            )
        )
    assert together == [alone[q] for q in queries]
    assert all(status == 200 for status, _ in together)


def test_a_new_commit_is_seen_without_a_restart(corpus_index: Path, tmp_path: Path) -> None:
    shutil.copytree(corpus_index, tmp_path / "ix")
    url, server, thread = start_server(tmp_path / "ix")
    try:
        assert get_json(f"{url}/api/search?q=Zyxwvut")[1]["total"] == 0
        feed = tmp_path / "feed.jsonl"
        feed.write_text('{"id": "new-1", "lang": "fr", "body": "Le mot Zyxwvut est neuf."}\n')
        assert build_index([feed], tmp_path / "ix").ok
        status, data = get_json(f"{url}/api/search?q=Zyxwvut")
        assert (status, data["total"], data["hits"][0]["id"]) == (200, 1, "new-1")
    finally:
        stop_server(server, thread)


def test_serve_binds_to_this_machine_by_default() -> None:
    serve = next(p for p in main.commands["serve"].params if p.name == "host")
    assert serve.default == "127.0.0.1"


def test_serve_without_an_index_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no index at {tmp_path / 'none'}")


def test_browser_tests_skip_with_how_to_install_without_chromium(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SEARCHKIT_CHROMIUM": str(tmp_path / "no-chromium")}
    test_file = Path(__file__).with_name("test_browser.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(test_file)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode in (0, 5), done.stdout  # 5: nothing ran (all skipped)
    assert "1 skipped" in done.stdout
    assert "no Chromium; install it with: apt-get install -y chromium" in done.stdout


def test_serve_warns_when_it_listens_beyond_this_machine(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from searchkit.web import app

    served: list[tuple[object, str, int]] = []
    monkeypatch.setattr(app, "create_app", lambda index_dir: f"app of {index_dir}")
    monkeypatch.setattr(uvicorn, "run", lambda a, host, port, **_: served.append((a, host, port)))
    args = ["serve", "--index", str(corpus_index), "--host", "0.0.0.0", "--port", "8123"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert served == [(f"app of {corpus_index}", "0.0.0.0", 8123)]
    assert result.stderr.startswith("warning: serving on 0.0.0.0: whoever can reach")
    local = CliRunner().invoke(main, ["serve", "--index", str(corpus_index)])
    assert served[-1][1:] == ("127.0.0.1", 8000) and local.stderr == ""
