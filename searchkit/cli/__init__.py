"""The command line: a thin client of the API (commands, rendering, progress)."""

from searchkit.cli.commands import main

__all__ = ["main"]
