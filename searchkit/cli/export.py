"""``searchkit export``: the index's articles out, as JSONL or for OpenSearch."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searchkit.cli import reports
from searchkit.cli.options import index_option, reports_errors


@click.group("export")
def export_group() -> None:
    """Write the index out: its articles as JSONL, or OpenSearch settings and bulk files.

    \b
    Examples:
      searchkit export jsonl backup/
      searchkit export opensearch os-export/ --url http://localhost:9200
    """


@export_group.command("jsonl")
@click.argument("dest")
@index_option
@reports_errors
def export_jsonl_cmd(dest: str, index_dir: Path) -> None:
    """Write every article as JSON Lines into DEST/articles.jsonl (DEST "-": stdout).

    The format searchkit index reads: indexing the export gives the same articles.

    \b
    Example:
      searchkit export jsonl - --index index/ > articles.jsonl
    """
    from searchkit.export import export_jsonl

    if dest == "-":
        export_jsonl(index_dir, sys.stdout)
        return
    count = export_jsonl(index_dir, dest)
    click.echo(reports.render_export_jsonl(count, dest))


@export_group.command("opensearch")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@index_option
@click.option("--name", default="searchkit", show_default=True, help="OpenSearch index name.")
@click.option("--url", help="Also send the export to this server (needs searchkit[opensearch]).")
@click.option(
    "--chunk",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Articles per bulk file (and request).",
)
@reports_errors
def export_opensearch_cmd(
    dest: Path, index_dir: Path, name: str, url: str | None, chunk: int
) -> None:
    """Write OpenSearch/Elasticsearch settings, mappings and bulk files into DEST.

    index.json reproduces searchkit's analysis per language; bulk-NNNNN.ndjson hold the
    articles. With --url, they are sent (chunked, retried); failures are reported and
    the exit code is 1.

    \b
    Example:
      searchkit export opensearch os-export/ --url http://localhost:9200
    """
    from searchkit.export import export_opensearch, upload_opensearch

    written = export_opensearch(index_dir, dest, index=name, chunk=chunk)
    click.echo(reports.render_export_opensearch(written))
    if url is None:
        return
    report = upload_opensearch(dest, url, index=name)
    for error in report.errors:
        click.echo(f"failed: {error}", err=True)
    click.echo(reports.render_upload(report, url))
    sys.exit(0 if report.ok else 1)
