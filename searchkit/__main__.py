"""The ``searchkit`` command and ``python -m searchkit``.

The command's modules are imported inside the guard: a Ctrl-C that lands while they
load (a tenth of a second, more on a busy machine) ends as one during the command does,
with one ``Error:`` line and exit 130, not a traceback. Once the command runs, its own
handler (:func:`searchkit.cli.options.reports_errors`) says what the interruption left.
"""

from __future__ import annotations

import sys

from searchkit.errors import EXIT_INTERRUPTED


def main() -> None:
    """Run the command line; a Ctrl-C before the command begins changes nothing."""
    try:
        from searchkit.cli import main as command_line
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted before the command began; nothing was changed\n")
        sys.exit(EXIT_INTERRUPTED)
    command_line()


if __name__ == "__main__":
    main()
