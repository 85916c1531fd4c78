"""Meaning vectors of hits, read from the ``vector`` column, for ``rerank.reorder``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..base import VECTOR_BYTES
from .ranking import article_list

if TYPE_CHECKING:
    import numpy as np

_PARAGRAPHS: WeakKeyDictionary[IndexReader, dict[str, list[int]]] = WeakKeyDictionary()


def article_docs(reader: IndexReader) -> dict[str, list[int]]:
    """Each article's live paragraph documents, computed once per reader."""
    found = _PARAGRAPHS.get(reader)
    if found is None:
        found = {}
        for doc, article in enumerate(article_list(reader)):
            if not reader.is_deleted(doc):
                found.setdefault(article, []).append(doc)
        _PARAGRAPHS[reader] = found
    return found


def hit_vectors(searcher: Searcher, docs: list[int], by_article: bool) -> list[np.ndarray]:
    """Per hit, its vectors: a paragraph's own, or every paragraph's of the hit's article (``by_article``).
    A paragraph indexed without one (all zero bytes) has none."""
    import numpy as np

    from ...meaning import from_bytes

    reader = searcher.reader()
    column = reader.column_reader("vector", translate=False)
    if by_article:
        of_article, articles = article_docs(reader), article_list(reader)
        groups = [of_article.get(articles[doc], [doc]) for doc in docs]
    else:
        groups = [[doc] for doc in docs]
    out = []
    for group in groups:
        blobs = [blob for blob in (_stored(column, doc) for doc in group) if blob]
        out.append(from_bytes(blobs) if blobs else np.zeros((0, VECTOR_BYTES // 2), dtype=np.float32))
    return out


def article_vectors(ix: Index, article_id: str) -> list[bytes]:
    """``Reader.article_vectors``: an index of an older schema has no ``vector`` column."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        if "vector" not in reader.schema:
            return []
        column = reader.column_reader("vector", translate=False)
        docs = sorted((searcher.stored_fields(doc)["n"], doc) for doc in searcher.document_numbers(article=article_id))
        return [_stored(column, doc) for _, doc in docs]


_EMPTY = bytes(VECTOR_BYTES)


def _stored(column: Any, doc: int) -> bytes:
    """A document's vector as the column holds it, or b"" for one indexed without (all zero bytes)."""
    blob = column[doc]
    return b"" if blob == _EMPTY else blob
