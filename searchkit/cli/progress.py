"""What the CLI needs from the terminal: a progress bar, and stop signals turned into one
clean ``KeyboardInterrupt`` wherever they land."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any

import click

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_signals_received: list[int] = []


def _raise_interrupt(signum: int, frame: Any) -> None:
    # Remembered as well as raised: an exception raised inside fork()'s at-fork hooks is
    # swallowed, so the progress callback raises it again at the next file.
    _signals_received.append(signum)
    raise KeyboardInterrupt


def catch_stop_signals() -> Callable[[], None]:
    """Make SIGINT and SIGTERM raise KeyboardInterrupt; return what restores the old ones."""
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in _STOP_SIGNALS}
    _signals_received.clear()

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


class ProgressBar:
    """A progress bar on a terminal (silent when stderr is piped), whose callback also
    re-raises a stop signal whose KeyboardInterrupt was swallowed (see _raise_interrupt)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        if _signals_received:
            raise KeyboardInterrupt
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="indexing", show_eta=True, show_pos=True, file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
