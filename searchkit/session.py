"""A reading session: one opened index generation and one searcher, reused across many queries.

``Collection.search`` opens the index and a searcher for every call, which is right for a one-shot
command. A script or ``query --batch`` running hundreds of queries opens them once here instead.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from .errors import EmptyCollection
from .model import ArticleInfo, Paragraph, QuoteResult, SearchResult

if TYPE_CHECKING:
    from .collection import Collection


class _OpenIndex:
    """An opened Whoosh index whose ``searcher()`` hands out one shared searcher and never closes it.

    The functions of ``search`` take an index and open ``with ix.searcher()``; given this, they all
    run on the same searcher, so reader set-up is paid once per session, not once per query.
    """

    def __init__(self, ix: Any):
        self._ix = ix
        self.schema = ix.schema
        self._searcher = ix.searcher()

    def searcher(self, **_kwargs: Any) -> nullcontext:
        return nullcontext(self._searcher)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ix, name)

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


class Session:
    """Queries against the index as it was when the session opened (a later swap is not seen).

    Use as a context manager: ``with coll.session() as s: s.search("nato")``. Not thread-safe.
    """

    def __init__(self, collection: Collection):
        self.collection = collection
        if collection.index.generation() is None:
            raise EmptyCollection(
                f"the collection in {collection.home} has no articles yet; add some with 'searchkit add PATH'"
            )
        self._ix = _OpenIndex(collection.index.open())
        if self._ix.doc_count_all() == 0:
            self.close()
            raise EmptyCollection(
                f"the collection in {collection.home} has no articles yet; add some with 'searchkit add PATH'"
            )

    def search(self, query: str = "", **options: Any) -> SearchResult:
        """As ``Collection.search``: the same options (``search.SearchOptions``), the same result."""
        from .engine.whoosh.search import search

        return search(self._ix, query, **options)

    def similar(self, paragraph_id: str, **options: Any) -> SearchResult:
        """As ``Collection.similar``."""
        from .engine.whoosh.search import similar

        return similar(self._ix, paragraph_id, **options)

    def quotes(self, query: str = "", **options: Any) -> QuoteResult:
        """As ``Collection.quotes``."""
        from .engine.whoosh.search import quotes

        return quotes(self._ix, query, **options)

    def article(self, ref: str) -> tuple[ArticleInfo, list[Paragraph]]:
        """As ``Collection.article``."""
        from .engine.whoosh.search import article_paragraphs

        info = self.collection.resolve(ref)
        return info, article_paragraphs(self._ix, info.id)

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()
            self._ix = None  # type: ignore[assignment]

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
