"""A real server for the web and browser tests (see web_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the web extra is missing: pip install 'searchkit[web]'")

from web_server import start_server, stop_server


@pytest.fixture(scope="session")
def live_url(corpus_index: Path) -> Iterator[str]:
    """The base URL of a server over the session's index of corpus/."""
    url, server, thread = start_server(corpus_index)
    yield url
    stop_server(server, thread)
