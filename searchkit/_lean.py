"""Whoosh's import graph without two parts searchkit never uses: ~50 ms per process.

Opening an index and answering a first query should take well under 200 ms, and a
quarter of that went to modules Whoosh imports but never calls here:

- ``whoosh.compat`` re-exports ``urllib.request.urlretrieve`` (used nowhere in Whoosh),
  which pulls in http.client, email and friends (~30 ms);
- ``cached_property`` (for one property of ``whoosh.reading``) imports asyncio (~20 ms)
  only to tell coroutine functions apart;
- ``whoosh.query`` imports ``whoosh.lang.morph_en`` (English word variations, ~15 ms of
  regular expressions compiled at import) for a query type searchkit never builds.

:func:`prepare` imports both with stand-ins in ``sys.modules`` for the duration of the
import only: a later ``import urllib.request`` or ``import asyncio`` anywhere in the
process gets the real modules, and the stand-ins forward to them when called.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _ensure_future(*args: Any, **kwargs: Any) -> Any:
    import asyncio

    return asyncio.ensure_future(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name, f"searchkit's stand-in for {name} (see searchkit._lean)")
    module.__dict__.update(attributes)
    return module


# (asyncio.iscoroutinefunction is inspect's since Python 3.11 dropped @asyncio.coroutine)
_STAND_INS = {
    "urllib.request": {"urlretrieve": _urlretrieve},
    "asyncio": {
        "iscoroutinefunction": inspect.iscoroutinefunction,
        "ensure_future": _ensure_future,
    },
    "whoosh.lang.morph_en": {"variations": _variations},
}
_USERS = ("whoosh.compat", "cached_property", "whoosh.query")


@contextmanager
def _standing_in() -> Iterator[None]:
    placed = {}
    for name, attributes in _STAND_INS.items():
        if name not in sys.modules:
            placed[name] = sys.modules[name] = _stand_in(name, **attributes)
    try:
        yield
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def prepare() -> None:
    """Import the modules that would pull in urllib.request and asyncio, without them.

    Does nothing for a module already imported (its real dependencies then are too).
    """
    if all(name in sys.modules for name in _USERS):
        return
    with _standing_in():
        for name in _USERS:
            importlib.import_module(name)
