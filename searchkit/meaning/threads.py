"""One BLAS thread per worker: the encoder's own threads share the cores, OpenBLAS's stay out.

OpenBLAS splits each matrix product over every core, and its threads spin while they wait for one
another; on a machine whose cores are busy with other work, that made the encoder 5-8 times slower than
with one BLAS thread (measured on 2 shared cores: 266 against 2,127 tokens per second). So each thread
that runs the model asks OpenBLAS for one thread of its own (``openblas_set_num_threads_local``, OpenBLAS
0.3.27 and later, as numpy's wheels bundle it), and the encoder runs batches in parallel itself. With
another BLAS (MKL, Accelerate) or an older OpenBLAS nothing changes: the vectors are the same either way.
"""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Within the block, BLAS calls of this thread use one thread (where OpenBLAS allows it)."""
    setter = _setter()
    if setter is None:
        yield
        return
    previous = setter(1)
    try:
        yield
    finally:
        setter(previous)


def workers() -> int:
    """How many threads the encoder runs: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@functools.cache
def _setter() -> Callable[[int], int] | None:
    for path in _libraries():
        if "openblas" not in path.name.lower():
            continue
        try:
            setter = ctypes.CDLL(str(path)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter
    return None


def _libraries() -> list[Path]:
    """Shared libraries this process has loaded (Linux), else those bundled in numpy's wheel."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        here = Path(np.__file__).parent
        return [*here.parent.glob("numpy.libs/*"), *here.glob(".dylibs/*")]
    return sorted(
        {Path(line.split(None, 5)[5]) for line in maps.splitlines() if line.count(" ") >= 5 and ".so" in line}
    )
