"""The ``searchkit`` command (Click) and its rendering; nothing in the library imports this package."""

import os

# numpy's BLAS starts a thread per core when numpy is imported, and idle threads spin: ~60 ms of CPU on a
# query that scores with numpy, for element-wise arithmetic that never calls BLAS. One command is one
# process doing one thing, so one thread; set before anything imports numpy, and a user's setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from .main import cli, main  # noqa: E402

__all__ = ["cli", "main"]
