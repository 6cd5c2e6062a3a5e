"""The command line: a thin client of the API (commands, rendering, progress)."""

from searchkit.cli import browse  # noqa: F401  (registers show and serve)
from searchkit.cli.commands import main

__all__ = ["main"]
