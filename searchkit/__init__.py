"""searchkit: full-text search for a folder of news articles — who said what, where, about whom.

The Python API: everything the ``searchkit`` command does is a call here first.
"""
from .collection import Collection
from .errors import (
    CollectionNotFound,
    EmptyCollection,
    IndexLocked,
    IndexOutdated,
    InputError,
    NotFound,
    QueryError,
    SearchkitError,
)
from .model import Article, ArticleInfo, ChangeReport, Entity, Facet, Hit, Paragraph, Quote, SearchResult, Speaker

__version__ = "0.1.0"

__all__ = [
    "Article", "ArticleInfo", "ChangeReport", "Collection", "CollectionNotFound", "EmptyCollection", "Entity",
    "Facet", "Hit", "IndexLocked", "IndexOutdated", "InputError", "NotFound", "Paragraph", "QueryError", "Quote",
    "SearchResult", "SearchkitError", "Speaker", "__version__",
]
