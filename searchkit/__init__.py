"""searchkit: full-text search for a folder of news articles — who said what, where, about whom.

The Python API: everything the ``searchkit`` command does is a call here first.
"""
from ._light import import_whoosh

import_whoosh()  # before any module of the package imports Whoosh: see _light

from .collection import Collection  # noqa: E402
from .errors import (  # noqa: E402
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
