"""A reading session: one opened index generation, reused across many queries.

``Collection.search`` opens the index for every call, which is right for a one-shot command. A script or
``query --batch`` running hundreds of queries opens it once here instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import EmptyCollection
from .model import ArticleInfo, Paragraph, QuoteResult, SearchResult
from .options import options as search_options

if TYPE_CHECKING:
    from .collection import Collection
    from .engine.base import Reader


class Session:
    """Queries against the index as it was when the session opened (a later swap is not seen).

    Use as a context manager: ``with coll.session() as s: s.search("nato")``. Not thread-safe.
    """

    def __init__(self, collection: Collection):
        self.collection = collection
        empty = f"the collection in {collection.home} has no articles yet; add some with 'searchkit add PATH'"
        if collection.index.generation() is None:
            raise EmptyCollection(empty)
        self._reader: Reader | None = collection.index.open()
        if self._open().count() == 0:
            self.close()
            raise EmptyCollection(empty)

    def _open(self) -> Reader:
        if self._reader is None:
            raise ValueError("the session is closed")
        return self._reader

    def search(self, query: str = "", **options: Any) -> SearchResult:
        """As ``Collection.search``: the same options (``options.SearchOptions``), the same result."""
        return self._open().search(query, search_options(None, **options))

    def similar(self, paragraph_id: str, **options: Any) -> SearchResult:
        """As ``Collection.similar``."""
        return self._open().similar(paragraph_id, search_options(None, **options))

    def quotes(self, query: str = "", **options: Any) -> QuoteResult:
        """As ``Collection.quotes``."""
        return self._open().quotes(query, search_options(None, **options))

    def article(self, ref: str) -> tuple[ArticleInfo, list[Paragraph]]:
        """As ``Collection.article``."""
        info = self.collection.resolve(ref)
        return info, self._open().article_paragraphs(info.id)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
