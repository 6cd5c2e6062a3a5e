"""Serving in the tests: uvicorn on 127.0.0.1, on a free port, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from searchkit.web import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(index_dir: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    """uvicorn serving ``index_dir`` in a thread; returns its base URL, server, thread."""
    port = free_port()
    config = uvicorn.Config(create_app(index_dir), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def stop_server(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(timeout=20)
