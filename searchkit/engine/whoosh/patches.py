"""Patches to Whoosh 2.7, applied once when the Whoosh engine is first imported: import Whoosh without
the two heavy modules it pulls in and never uses on searchkit's paths, and mend one hot spot of its
segment writer.

``whoosh.compat`` imports ``urllib.request`` (with ``http.client``, ``ssl`` and ``email``: ~18 ms) only to
re-export ``urlretrieve``, which nothing in Whoosh calls; ``whoosh.reading`` imports the
``cached_property`` package, which imports ``asyncio`` (~17 ms), for one plain cached property. A
``searchkit query`` process is one-shot, so that is ~35 ms of every query (of a 300 ms budget).

While those two Whoosh modules are imported, ``sys.modules`` holds small stand-ins; they are removed
right after, so any other code in the process that imports ``urllib.request`` or ``cached_property``
gets the real modules. ``whoosh.compat.urlretrieve`` stays usable (it imports the real one when called).

Whoosh's per-document reader looks up a field's length column for every posting it writes (and for
every length a query's scorer asks for) and caches the column reader, but not its absence: a field
without lengths (ID, NUMERIC, DATETIME, KEYWORD: ~90 postings of each paragraph) costs a ``stat``
call per posting. ``_cached_reader`` is replaced by one that remembers the absence too (a finished
segment never gains a column file).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


class _cached_property:  # noqa: N801 - the name Whoosh imports
    """What ``cached_property.cached_property`` does for a plain (non-async) method."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.__doc__ = func.__doc__
        self.func = func

    def __get__(self, obj: Any, cls: type) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.func.__name__] = self.func(obj)
        return value


def apply() -> None:
    """Import ``whoosh.compat`` and ``whoosh.reading`` with the stand-ins and mend ``_cached_reader`` (once)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        setattr(request, "urlretrieve", _urlretrieve)  # noqa: B010 - a stand-in module has no declared names
        stand_ins["urllib.request"] = request
    if "cached_property" not in sys.modules:
        cached = types.ModuleType("cached_property")
        setattr(cached, "cached_property", _cached_property)  # noqa: B010
        stand_ins["cached_property"] = cached
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    from whoosh.codec import whoosh3

    if hasattr(whoosh3.W3PerDocReader, "_cached_reader"):  # a fork without it is used as it is
        whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """``W3PerDocReader._cached_reader`` that also remembers a column the segment does not have."""
    readers = self._readers
    if fieldname in readers:
        return readers[fieldname]
    reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    readers[fieldname] = reader
    return reader
