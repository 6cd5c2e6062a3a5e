"""What the CLI needs from the terminal: a progress bar, and stop signals turned into one
clean ``KeyboardInterrupt`` wherever they land."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

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
    """A progress bar on a terminal (silent when ``stream`` is piped) in megabytes read,
    which says when the commit starts writing; its callback also re-raises a stop signal
    whose KeyboardInterrupt was swallowed (see _raise_interrupt)."""

    #: Seconds between two redraws: the callback comes after every article.
    REDRAW = 0.1

    def __init__(self, stream: TextIO | None = None) -> None:
        self.bar: Any = None
        self.stream = stream if stream is not None else sys.stderr
        self._drawn = 0.0
        self._writing = False

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        if _signals_received:
            raise KeyboardInterrupt
        if not self.stream.isatty() or self._writing:
            return
        now = time.monotonic()
        if done < total and now - self._drawn < self.REDRAW:
            return
        self._drawn = now
        if self.bar is None:
            self.bar = click.progressbar(
                length=max(total, 1),
                label="indexing",
                show_eta=True,
                show_percent=True,
                item_show_func=lambda item: item,
                file=self.stream,
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos, f"{megabytes(done)} of {megabytes(total)}")
        if done >= total:  # everything read: the commit writes the index now
            self.bar.__exit__(None, None, None)
            self.bar = None
            self._writing = True
            click.echo("writing the index (commit)...", file=self.stream)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def megabytes(size: int) -> str:
    """Bytes as ``12.3 MB`` (of 1,024 kB, as the indexer's messages count them)."""
    return f"{size / 2**20:.1f} MB"
