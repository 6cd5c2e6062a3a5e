"""The commands for readers beyond the listing: ``show`` (one whole article) and
``serve`` (the search page and the JSON API, :mod:`searchkit.web`)."""

from __future__ import annotations

from pathlib import Path

import click

import searchkit
from searchkit.cli import render as output
from searchkit.cli import text as text_out
from searchkit.cli.commands import main
from searchkit.cli.options import index_option, reports_errors

#: Addresses that only this machine can reach.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@main.command("show")
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@reports_errors
def show_cmd(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Show the whole article ARTICLE_ID: title, metadata, lead, body, related links, and
    its story in the other language.

    \b
    Example:
      searchkit show fr/russie-seconde-base-militaire-kirghizstan
    """
    with searchkit.open_index(index_dir) as searcher:
        article = searcher.article(article_id)
    if as_json:
        click.echo(text_out.dumps(article.to_dict()))
    else:
        color, width = text_out.use_color(), text_out.terminal_width()
        click.echo(output.render_article(article, color=color, width=width))


@main.command("serve")
@index_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@reports_errors
def serve_cmd(index_dir: Path, host: str, port: int) -> None:
    """Serve a search page and a JSON API over the index, read-only, until Ctrl-C.

    The page is at http://HOST:PORT/, the API at /api/search?q=... and /api/articles/ID.
    An update by searchkit index is seen without a restart. Needs the web extra.

    \b
    Example:
      searchkit serve --index index/ --port 8000
    """
    try:
        from searchkit import web
    except ModuleNotFoundError as exc:
        raise click.ClickException(
            f"searchkit serve needs {exc.name}: install it with pip install 'searchkit[web]'"
        ) from None
    if host not in LOCAL_HOSTS:
        click.echo(
            f"warning: serving on {host}: whoever can reach this machine can read the "
            "archive (--host 127.0.0.1 keeps it to this machine)",
            err=True,
        )
    web.serve(index_dir, host=host, port=port)
