"""Meaning vectors of hits, read from the documents' ``vector`` (base64 in ``_source``), for
``rerank.reorder``."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import store

if TYPE_CHECKING:
    import numpy as np

    from .reads import ReadClient


def paragraph_vectors(client: ReadClient, index: str, ids: list[str]) -> dict[str, np.ndarray]:
    """Each paragraph's vector (one row), by paragraph id; a paragraph without one is left out."""
    found = store.scan(client, index, {"ids": {"values": ids}}, [], source=["id", "vector"])
    return _rows((hit["_source"]["id"], hit["_source"].get("vector")) for hit in found)


def article_vectors(client: ReadClient, index: str, article_ids: list[str]) -> dict[str, np.ndarray]:
    """Each article's paragraphs' vectors (one row each), by article id."""
    found = store.scan(client, index, {"terms": {"article": article_ids}}, [], source=["article", "vector"])
    return _rows((hit["_source"]["article"], hit["_source"].get("vector")) for hit in found)


def _rows(pairs: Iterable[tuple[str, str | None]]) -> dict[str, np.ndarray]:
    from ...meaning import from_bytes

    blobs: dict[str, list[bytes]] = {}
    for key, encoded in pairs:
        if encoded:
            blobs.setdefault(key, []).append(base64.b64decode(encoded))
    return {key: from_bytes(found) for key, found in blobs.items()}


def stored_vectors(client: ReadClient, index: str, article_id: str) -> list[bytes]:
    """``Reader.article_vectors``: each paragraph's vector in order, as stored (empty when it has none)."""
    found = store.scan(client, index, {"term": {"article": article_id}}, [{"n": "asc"}], source=["vector"])
    return [base64.b64decode(hit["_source"].get("vector") or "") for hit in found]
