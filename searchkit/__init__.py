"""searchkit: full-text search for a folder of news articles — who said what, where, about whom.

The Python API: everything the ``searchkit`` command does is a call here first. Start with
``Collection`` (``Collection.init(path)``, ``Collection(path)`` or ``Collection.find()``); its results
are the dataclasses below, each with ``to_dict()``. ``Collection.session()`` runs many queries on one
opened index (``searchkit.batch.run_batch`` is ``query --batch``); ``Collection.watches`` keeps saved
searches.

Names are re-exported lazily (PEP 562), so importing a pure-Python part of the package (``searchkit.nlp``
rules, readers, dates) loads no search engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "Check": "doctor",
    "Collection": "collection",
    **dict.fromkeys(
        (
            "CollectionNotFound",
            "EmptyCollection",
            "IndexLocked",
            "IndexOutdated",
            "InputError",
            "NotFound",
            "QueryError",
            "SearchkitError",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "Article",
            "ArticleInfo",
            "ChangeReport",
            "Entity",
            "Facet",
            "FacetValue",
            "Hit",
            "Match",
            "NameCount",
            "Outcome",
            "Paragraph",
            "Quote",
            "QuoteHit",
            "QuoteResult",
            "SearchResult",
            "Speaker",
        ),
        "model",
    ),
    "Session": "session",
    **dict.fromkeys(("Watch", "Watches", "WatchRun"), "watch"),
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .collection import Collection
    from .doctor import Check
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
    from .model import (
        Article,
        ArticleInfo,
        ChangeReport,
        Entity,
        Facet,
        FacetValue,
        Hit,
        Match,
        NameCount,
        Outcome,
        Paragraph,
        Quote,
        QuoteHit,
        QuoteResult,
        SearchResult,
        Speaker,
    )
    from .session import Session
    from .watch import Watch, Watches, WatchRun
