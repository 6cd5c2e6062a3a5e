"""The ``searchkit`` command and ``python -m searchkit``.

The command's modules are imported inside the guard: a Ctrl-C that lands while they
load (a tenth of a second, more on a busy machine) ends as one during the command does,
with one ``Error:`` line and exit 130, not a traceback. Once the command runs, its own
handler (:func:`searchkit.cli.options.reports_errors`) says what the interruption left.

A one-shot command (:data:`ONE_SHOT`: it writes nothing but its output) owns a process
that lives for one answer, so two of the interpreter's chores are skipped there: the
cyclic garbage collector, which runs again and again while ~400 modules load, and the
teardown at exit, which frees each of them. On ``searchkit query`` over a 33,684-article
index they cost ~10 and ~25 ms of ~170 (tests/benchmarks/bench.py, "process ms").
"""

from __future__ import annotations

import gc
import os
import sys

from searchkit.errors import EXIT_INTERRUPTED

#: Commands that read the index and write only to stdout and stderr.
ONE_SHOT = frozenset({"query", "show", "similar", "stats"})
#: What Python itself exits with when flushing stdout fails at exit (a closed pipe).
EXIT_FLUSH_FAILED = 120


def main() -> None:
    """Run the command line; a Ctrl-C before the command begins changes nothing."""
    one_shot = sys.argv[1:2] and sys.argv[1] in ONE_SHOT
    if one_shot:
        gc.disable()  # (reference counting still frees all but cycles)
    try:
        from searchkit.cli import main as command_line
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted before the command began; nothing was changed\n")
        sys.exit(EXIT_INTERRUPTED)
    try:
        command_line()
    except SystemExit as ended:
        if one_shot:
            _end_now(ended.code)
        raise


def _end_now(code: object) -> None:
    """Exit at once with ``code`` (as SystemExit would), once stdout and stderr are out."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = EXIT_FLUSH_FAILED
    os._exit(code or 0)


if __name__ == "__main__":
    main()
