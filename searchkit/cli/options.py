"""What every command shares: the --index option, and errors turned into one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from searchkit.cli import text as text_out
from searchkit.errors import EXIT_INTERRUPTED, SearchkitError

F = TypeVar("F", bound=Callable[..., Any])
INDEX_HELP = "Index folder (default: index/, or $SEARCHKIT_INDEX)."


def index_option(func: F) -> F:
    """The --index option shared by every command."""
    return click.option(
        "--index",
        "index_dir",
        default="index",
        envvar="SEARCHKIT_INDEX",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=INDEX_HELP,
    )(func)


def reports_errors(func: F) -> F:
    """Turn SearchkitError into ``Error: ...`` and its exit code; Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SearchkitError as exc:
            click.echo(f"Error: {text_out.safe(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(
                "Error: interrupted; the index is as the last completed run left it "
                "(run the same command again to finish an interrupted update)",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]
