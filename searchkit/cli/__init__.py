"""The command line: a thin client of the API (commands, rendering, progress)."""

import os

# searchkit multiplies no matrices: the BLAS thread pool numpy starts when it is imported
# only costs each command ~70-100 ms of CPU and ~25 ms of wall time (measured on
# `searchkit query`, 2 cores). The command owns its process, so it says so before numpy
# is first imported; a library user's process keeps its own setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from searchkit.cli import browse  # noqa: F401  (registers show and serve)
from searchkit.cli.commands import main

__all__ = ["main"]
