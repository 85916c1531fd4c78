"""searchkit: full-text search for a folder of news articles — who said what, where, about whom.

The Python API: everything the ``searchkit`` command does is a call here first. Start with
``Collection`` (``Collection.init(path)``, ``Collection(path)`` or ``Collection.find()``); its results
are the dataclasses below, each with ``to_dict()``. ``Collection.session()`` runs many queries on one
opened index (``searchkit.batch.run_batch`` is ``query --batch``); ``Collection.watches`` keeps saved
searches.
"""
from ._light import import_whoosh

import_whoosh()  # before any module of the package imports Whoosh: see _light

from .collection import Check, Collection  # noqa: E402
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
from .model import (
    Article, ArticleInfo, ChangeReport, Entity, Facet, FacetValue, Hit, Match, NameCount, Outcome, Paragraph, Quote,
    QuoteHit, QuoteResult, SearchResult, Speaker,
)
from .session import Session
from .watch import Watch, Watches, WatchRun

__version__ = "0.1.0"

__all__ = [
    "Article", "ArticleInfo", "ChangeReport", "Check", "Collection", "CollectionNotFound", "EmptyCollection",
    "Entity", "Facet", "FacetValue", "Hit", "IndexLocked", "IndexOutdated", "InputError", "Match", "NameCount",
    "NotFound", "Outcome", "Paragraph", "QueryError", "Quote", "QuoteHit", "QuoteResult", "SearchResult",
    "SearchkitError", "Session", "Speaker", "Watch", "WatchRun", "Watches", "__version__",
]
