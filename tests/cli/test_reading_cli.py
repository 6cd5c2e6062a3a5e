"""The terminal for readers, end to end through CliRunner: show, ids and URLs, --sort,
readable dates, complete facets, wrapped snippets, NO_COLOR, stats in human units, stats
--tags/--authors, --format jsonl|csv; and the progress bar in bytes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from searchkit.cli.commands import main
from searchkit.cli.progress import ProgressBar
from searchkit.cli.text import long_date, short_date
from searchkit.index.build import build_index


def run(index_dir: Path, *args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    result = CliRunner(env=env).invoke(main, [*args, "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return result


SHOW = """\
Russie : une seconde base militaire au Kirghizstan ?
fr · 20 Oct 2021 · Camille Delorme
fr-base-kant · https://example.org/fr/base-kant
tags: Kirghizstan, Russie, Défense

Moscou hésite à installer une nouvelle base militaire dans le sud du Kirghizstan.

Plusieurs députés de Bichkek réclament une présence russe accrue près d'Och. Les militaires \
russes stationnés à Kant remplissent leurs missions, répond Moscou.

La sécurité de la vallée de Ferghana inquiète. L'armée russe au Kirghizstan dispose déjà \
d'avions et d'hélicoptères. Une seconde base militaire coûterait cher.

Also in German: de-militaerbasis
"""


def test_show_prints_the_whole_article(index_dir: Path) -> None:
    assert run(index_dir, "show", "fr-base-kant").stdout == SHOW


def test_show_wraps_to_the_terminal(index_dir: Path) -> None:
    lines = run(index_dir, "show", "fr-base-kant", env={"COLUMNS": "60"}).stdout.splitlines()
    assert lines[5:8] == [
        "Moscou hésite à installer une nouvelle base militaire dans",
        "le sud du Kirghizstan.",
        "",
    ]
    assert max(len(line) for line in lines) <= 60


def test_show_json_and_unknown_id(index_dir: Path) -> None:
    data = json.loads(run(index_dir, "show", "fr-base-kant", "--json").stdout)
    assert data["id"] == "fr-base-kant" and data["date"] == "2021-10-20"
    assert data["translations"] == ["de-militaerbasis"]
    assert data["tags"] == ["Kirghizstan", "Russie", "Défense"]
    missing = CliRunner().invoke(main, ["show", "nope", "--index", str(index_dir)])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: no article with id 'nope'")


def test_show_marks_subheadings_and_related(corpus_index: Path) -> None:
    out = run(corpus_index, "show", "fr/russie-seconde-base-militaire-kirghizstan").stdout
    lines = out.splitlines()
    assert lines[1] == "fr · Camille Delorme"
    assert "" in lines and "Une base militaire déjà bien installée à Kant" in lines
    assert "Related:" in lines
    assert (
        "  - Au Kirghizstan, les exercices de l’OTSC mobilisent des milliers de soldats "
        "près de Batken" in lines
    )
    assert lines[-1] == "Also in German: de/russland-zweite-militaerbasis-kirgistan"


HITS = """\
3 articles for: base militaire (showing 1-2)

  1. Russie : une seconde base militaire au Kirghizstan ?  [fr]
     score 5.88 · 20 Oct 2021 · Camille Delorme · Kirghizstan, Russie, Défense
     fr-base-kant · https://example.org/fr/base-kant
     …une présence russe accrue près d'Och. Les
     militaires russes stationnés à Kant
     remplissent leurs missions, répond Moscou. La
     sécurité de la vallée de Ferghana inquiète.
     L'armée russe au Kirghizstan … déjà d'avions
     et d'hélicoptères. Une seconde base militaire
     coûterait cher.
     also in German: de-militaerbasis

  2. Le coton reste la base de l'économie ouzbèke  [fr]
     score 3.80 · 2 Mar 2019 · Roxane Poulain · Ouzbékistan, Économie, Coton
     fr-coton-economie
     La base de l'économie rurale reste le coton,
     même si les prix baissent. Dans les champs,
     un ancien officier raconte son expérience de
     la récolte. Un militaire à la retraite dirige
     aujourd'hui une…

lang: fr (2), de (1)
tag: Coton (1), Défense (1), Économie (1), Kirghizstan (1), Kirgistan (1), Ouzbékistan (1), \
Russie (1), Russland (1), Sicherheit (1)
author: Camille Delorme (1), Roxane Poulain (1), Tobias Neumann (1)
year: 2019 (1), 2021 (1), 2023 (1)
"""


def test_hits_show_id_url_readable_dates_wrapped_snippets_and_facets(index_dir: Path) -> None:
    result = run(
        index_dir, "query", "base militaire", "--limit", "2", "--facets", env={"COLUMNS": "50"}
    )
    assert result.stdout == HITS


def test_facets_say_how_many_they_leave_out(index_dir: Path) -> None:
    out = run(index_dir, "query", "Russie Russland Kazakhstan Kasachstan", "--facets").stdout
    tag_line = next(line for line in out.splitlines() if line.startswith("tag: "))
    assert tag_line.endswith(", Kasachstan (1), and 8 more")  # 18 tags: 10 shown
    assert tag_line.count("(") == 10


def test_sort_by_date(index_dir: Path) -> None:
    out = run(index_dir, "query", "Russie", "Russland", "--sort", "date").stdout
    dates = re.findall(r"^     score [\d.]+ · (\d+ \w+ \d{4})", out, flags=re.M)
    assert dates == ["5 Nov 2023", "5 May 2022", "3 Mar 2022", "20 Oct 2021", "10 Jun 2019"]


def test_readable_dates() -> None:
    assert short_date("2022-07-04T09:30:00+06:00") == "4 Jul 2022"
    assert short_date("2019-03-02") == "2 Mar 2019"
    assert short_date("spring 2019") == "spring 2019"
    assert long_date("2022-07-04T09:30:00+06:00") == "4 Jul 2022, 09:30 (UTC+06:00)"
    assert long_date("2022-07-04") == "4 Jul 2022"


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """CliRunner's stdout says it is a terminal (invoke with color=True to keep ANSI)."""
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)


@pytest.mark.usefixtures("on_a_terminal")
def test_no_color_is_honoured(index_dir: Path) -> None:
    args = ["query", "Aral", "--limit", "1", "--index", str(index_dir)]
    coloured = CliRunner(env={"COLUMNS": "200"}).invoke(main, args, color=True).stdout
    plain = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "200"}).invoke(main, args, color=True)
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain.stdout
    assert plain.stdout == click.unstyle(coloured)


def test_stats_in_human_units(index_dir: Path) -> None:
    lines = run(index_dir, "stats").stdout.splitlines()
    assert lines[:4] == ["articles: 10", "languages: de 4, fr 6", "tags: 24", "authors: 5"]
    assert re.fullmatch(r"size: \d+\.\d kB", lines[4])
    assert re.fullmatch(r"last update: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", lines[5])
    assert lines[6] == f"index dir: {index_dir}"


def test_stats_lists_tags_and_authors(index_dir: Path) -> None:
    assert run(index_dir, "stats", "--authors").stdout == (
        "3  Roxane Poulain\n2  Anna Schmidt\n2  Camille Delorme\n2  Tobias Neumann\n"
        "1  Élodie Durand\n"
    )
    both = run(index_dir, "stats", "--tags", "--authors").stdout.splitlines()
    assert both[0] == "tags (24):" and both[1] == "2  Kazakhstan"
    assert both[25:28] == ["", "authors (5):", "3  Roxane Poulain"]
    data = json.loads(run(index_dir, "stats", "--tags", "--json").stdout)
    assert list(data) == ["tags"] and len(data["tags"]) == 24 and data["tags"]["Russie"] == 2


def test_export_jsonl_gives_every_hit(index_dir: Path) -> None:
    out = run(index_dir, "query", "Russie", "Russland", "--limit", "1", "--format", "jsonl").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["rank"], r["id"]) for r in rows] == [
        (1, "de-gastarbeiter"),
        (2, "de-militaerbasis"),
        (3, "fr-base-kant"),
        (4, "fr-migrants-tadjiks"),
        (5, "fr-securite-alimentaire"),
    ]
    assert rows[0]["date"] == "2022-03-03" and rows[0]["tags"][0] == "Tadschikistan"


def test_export_csv(index_dir: Path) -> None:
    out = run(index_dir, "query", "Aral", "--format", "csv", "--sort", "date").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "rank", "id", "title", "lang", "date", "author", "tags", "url", "path", "score",
        "via_translation", "translations", "snippet",
    ]  # fmt: skip
    assert [row[:7] for row in rows[1:]] == [
        ["1", "de-aralsee", "Der Aralsee trocknet weiter aus", "de", "2020-02-01",
         "Anna Schmidt", "Kasachstan; Umwelt; Aralsee"],
        ["2", "fr-mer-aral", "La mer d'Aral continue de s'assécher", "fr", "2019-12-01",
         "Roxane Poulain", "Kazakhstan; Environnement; Mer d'Aral"],
    ]  # fmt: skip


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_bytes_and_says_it_is_writing(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": f"a{i}", "lang": "fr", "body": f"Article {i} sur le barrage."} for i in range(5)]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    calls: list[tuple[int, int]] = []
    assert build_index([feed], tmp_path / "ix", progress=lambda d, t: calls.append((d, t))).ok
    size = feed.stat().st_size
    assert len(calls) == 6 and all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[0][0] < size and calls[-1] == (size, size)
    screen = Terminal()
    with ProgressBar(screen) as progress:
        progress(0, 3 * 2**20)
        progress(3 * 2**20, 3 * 2**20)
        progress(3 * 2**20, 3 * 2**20)  # once writing, the bar stays quiet
    shown = screen.getvalue()
    assert "indexing" in shown and "3.0 MB of 3.0 MB" in shown
    assert shown.endswith("writing the index (commit)...\n")
    assert shown.count("writing the index") == 1
