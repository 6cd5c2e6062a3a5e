"""The ``searchkit`` command: each command parses options, calls one library function and
renders the result. Library errors become one ``Error: ...`` line and an exit code."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

import searchkit
from searchkit.cli import progress as terminal
from searchkit.cli import render as output
from searchkit.cli import reports
from searchkit.cli import text as text_out
from searchkit.cli.export import export_group
from searchkit.cli.options import index_option, reports_errors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(searchkit.__version__, prog_name="searchkit")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Full-text search for a French/German news archive.

    \b
    Example:
      searchkit index corpus/
      searchkit query "base militaire"
    """
    # Installed before any command imports Whoosh, so that Ctrl-C or SIGTERM at any
    # moment ends in one error line (see reports_errors), never a traceback.
    ctx.call_on_close(terminal.catch_stop_signals())


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of updating.")
@click.option("--wait", type=click.FloatRange(0), default=0, help="Seconds to wait for a lock.")
@click.option(
    "--procs", type=click.IntRange(1, 64), default=None, help="Worker processes (default: 2)."
)
@click.option(
    "--memory",
    "memory_mb",
    type=click.IntRange(64),
    default=None,
    help="MB of postings buffered before spilling to temporary files  [default: 4096]",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links that lead out of the folders given (not followed by default).",
)
@reports_errors
def index_cmd(
    paths: tuple[Path, ...],
    index_dir: Path,
    rebuild: bool,
    wait: float,
    procs: int | None,
    memory_mb: int | None,
    follow_links: bool,
) -> None:
    """Build or update the index from article files (*.txt, *.jsonl, *.html).

    Folders are read recursively. Only new and changed files are indexed; articles of
    files that vanished are removed. Exit code 1 when any file failed.

    \b
    Example:
      searchkit index corpus/ --index index/
    """
    if not paths:
        if not Path("corpus").is_dir():
            raise click.UsageError("no PATH given and no corpus/ folder here")
        paths = (Path("corpus"),)
    with terminal.ProgressBar() as progress:
        report = searchkit.build_index(
            paths,
            index_dir,
            rebuild=rebuild,
            wait=wait,
            procs=procs,
            memory_mb=memory_mb,
            progress=progress,
            follow_links=follow_links,
        )
    for problem in report.warnings:
        click.echo(f"warning: {text_out.safe(str(problem))}", err=True)
    for problem in report.failed:
        click.echo(f"failed: {text_out.safe(str(problem))}", err=True)
    click.echo(reports.render_summary(report))
    sys.exit(1 if report.failed else 0)


# ignore_unknown_options: a query may start with a dash ("-Rogun +barrage": must not
# contain Rogun), which click would otherwise take for an unknown option.
@main.command("query", context_settings={"ignore_unknown_options": True})
@click.argument("text", nargs=-1, required=True)
@index_option
@click.option("--lang", type=click.Choice(["fr", "de"]), help="Only articles in this language.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--tag", "tags", multiple=True, help="Only articles with this tag (repeatable).")
@click.option("--author", help="Only articles by this author.")
@click.option("--since", help="Only articles dated on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only articles dated on or before this day (YYYY-MM-DD).")
@click.option("--facets", is_flag=True, help="Show counts by language, tag, author, year.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best first, or newest first (articles without a date last).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="Export every hit (not one page) with its metadata, one a line, as it comes.",
)
@click.option(
    "--no-translate",
    "no_translate",
    is_flag=True,
    help="Search the words as typed only: not their translations and other spellings.",
)
@reports_errors
def query_cmd(
    text: tuple[str, ...],
    index_dir: Path,
    lang: str | None,
    limit: int,
    page: int,
    tags: tuple[str, ...],
    author: str | None,
    since: str | None,
    until: str | None,
    facets: bool,
    as_json: bool,
    sort: str,
    fmt: str | None,
    no_translate: bool,
) -> None:
    """Search the index: ranked articles with highlighted snippets.

    Plain words find articles in both languages, also through their translation
    (base militaire finds Militärbasis) and place names in every spelling; "quotes"
    find a phrase; AND, OR, NOT, prefix*, term~, tag:, author:, lang:, title: and date:
    are understood.

    \b
    Examples:
      searchkit query "base militaire"
      searchkit query Militärbasis --lang de --limit 5
      searchkit query 'tag:Kirghizstan date:[2019-01-01 TO 2019-12-31]' --json
      searchkit query Rogun --sort date --format csv > rogun.csv
    """
    typo = next((t for t in text if re.fullmatch(r"--[a-z][a-z-]*", t)), None)
    if typo is not None:  # a mistyped option, not words (words never start with --)
        raise click.UsageError(f"No such option: {typo}")
    query = " ".join(text).strip()
    if not query:
        raise click.UsageError("the query is empty: give some words to search for")
    options: dict[str, Any] = dict(
        lang=lang, tag=list(tags) or None, author=author, since=since, until=until
    )
    options.update(sort=sort, translate=not no_translate)
    with searchkit.open_index(index_dir) as searcher:
        if fmt:  # streamed while the searcher is open
            for line in output.render_export(searcher.export(query, **options), fmt):
                click.echo(line)
            return
        results = searcher.search(
            query, limit=limit, offset=(page - 1) * limit, facets=facets, **options
        )
    if as_json:
        click.echo(output.render_json(results))
    else:
        color, width = text_out.use_color(), text_out.terminal_width()
        click.echo(output.render_text(results, color=color, width=width))


@main.command("similar")
@click.argument("article_id")
@index_option
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@reports_errors
def similar_cmd(article_id: str, index_dir: Path, limit: int, as_json: bool) -> None:
    """List the articles most similar to the article ARTICLE_ID.

    \b
    Example:
      searchkit similar fr/russie-seconde-base-militaire-kirghizstan
    """
    with searchkit.open_index(index_dir) as searcher:
        results = searcher.similar(article_id, limit=limit)
    if as_json:
        click.echo(output.render_json(results))
    else:
        color, width = text_out.use_color(), text_out.terminal_width()
        click.echo(output.render_text(results, color=color, width=width))


@main.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--tags", is_flag=True, help="List every tag with its number of articles.")
@click.option("--authors", is_flag=True, help="List every author with their number of articles.")
@reports_errors
def stats_cmd(index_dir: Path, as_json: bool, tags: bool, authors: bool) -> None:
    """Show what the index holds: articles per language, tags, authors, size, last update.

    \b
    Examples:
      searchkit stats --index index/
      searchkit stats --tags
    """
    wanted = [name for name, asked in (("tag", tags), ("author", authors)) if asked]
    with searchkit.open_index(index_dir) as searcher:
        if wanted:
            counts = {f"{name}s": searcher.counts(name) for name in wanted}
            click.echo(reports.render_counts(counts, as_json=as_json))
            return
        stats = searcher.stats()
    click.echo(reports.render_stats(stats, as_json=as_json))


@main.command("eval")
@click.argument("queries", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@index_option
@click.option("--lang", type=click.Choice(["fr", "de"]), help="Only queries in this language.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--per-query", is_flag=True, help="Show each query's figures too.")
@reports_errors
def eval_cmd(
    queries: Path,
    qrels: Path | None,
    index_dir: Path,
    lang: str | None,
    as_json: bool,
    per_query: bool,
) -> None:
    """Measure ranking quality on judged queries: nDCG@10, MRR@10, Recall@100, MAP.

    QUERIES is JSONL ({"qid", "lang", "text"}); QRELS is qid<TAB>docid<TAB>relevance.
    Without QRELS, each line of QUERIES holds its judgments: {"query", "lang",
    "expected": [ids]} (the relevance gate's format; lang is the language searched).

    \b
    Examples:
      searchkit eval queries.jsonl qrels.tsv --index index/ --per-query
      searchkit eval tests/data/crosslingual.jsonl
    """
    report = searchkit.evaluate(queries, qrels, index_dir, lang=lang)
    if as_json:
        click.echo(text_out.dumps(report.to_dict(per_query)))
    else:
        click.echo(reports.render_eval(report, per_query))


# (registered last: the export commands live in their own module)
main.add_command(export_group)
