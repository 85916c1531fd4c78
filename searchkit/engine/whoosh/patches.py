"""Patches to Whoosh 2.7, applied once when the Whoosh engine is first imported: import Whoosh without
the three heavy modules it pulls in and never uses on searchkit's paths, and mend one hot spot of its
segment writer and its scorer.

``whoosh.compat`` imports ``urllib.request`` (with ``http.client``, ``ssl`` and ``email``: ~18 ms) only to
re-export ``urlretrieve``, which nothing in Whoosh calls; ``whoosh.reading`` imports the
``cached_property`` package, which imports ``asyncio`` (~17 ms), for one plain cached property.
``whoosh.query.terms`` imports ``whoosh.lang.morph_en`` for ``Variations`` queries (English word forms),
which searchkit never builds: its import compiles its large tables of regular expressions (~6 ms). A
``searchkit query`` process is one-shot, so the three are ~40 ms of every query (of a 250 ms one).

While those three Whoosh modules are imported, ``sys.modules`` holds small stand-ins; they are removed
right after, so any other code in the process that imports ``urllib.request`` or ``cached_property``
gets the real modules. ``whoosh.compat.urlretrieve`` and ``variations`` stay usable (each imports the
real one when called).

Whoosh's per-document reader looks up a field's length column for every posting it writes (and for
every length a query's scorer asks for) and caches the column reader, but not its absence: a field
without lengths (ID, NUMERIC, DATETIME, KEYWORD: ~90 postings of each paragraph) costs a ``stat``
call per posting. ``_cached_reader`` is replaced by one that remembers the absence too (a finished
segment never gains a column file), and that reads a length column (one byte a document) into memory
at once rather than with a seek and a read per scored document.

``a NOT b`` has two bugs in Whoosh's ``AndNotMatcher``, both replaced by ``_and_not_next``. Its
``_find_first`` keeps a segment's first match of ``a`` unless ``b``'s first match is that same
document: it does not move ``b`` forward to it first, so ``minister NOT government`` kept a paragraph
whose title and text both say "government" (95 paragraphs where 94 match). And its ``skip_to`` (called
when the NOT is inside an AND, which skips it to the other side's next match) calls ``_find_next``
after skipping ``a``, and ``_find_next`` reads ``a.id()`` without asking whether that skip used ``a``
up: ``minister AND ("council film" NOT minister)`` raised IndexError from the phrase's exhausted
posting list when no "council film" came after the last "minister" of a segment.

``Or`` always matches with Whoosh's binary tree of union matchers: in a segment of up to 5,000
documents Whoosh picks its array matcher, which clears and scans a 2,048-slot array in Python for every
block of documents, however few match (BBC, 10,000 paragraphs: p50 9.8 -> 6.6 ms, p95 21 -> 14 ms).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(word: str) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(word)


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
    """Import ``whoosh.compat``, ``whoosh.query`` and ``whoosh.reading`` with the stand-ins and mend
    ``_cached_reader`` (once)."""
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
    if "whoosh.lang.morph_en" not in sys.modules:
        morph = types.ModuleType("whoosh.lang.morph_en")
        setattr(morph, "variations", _variations)  # noqa: B010
        stand_ins["whoosh.lang.morph_en"] = morph
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    from whoosh.codec import whoosh3

    if hasattr(whoosh3.W3PerDocReader, "_cached_reader"):  # a fork without it is used as it is
        whoosh3.W3PerDocReader._cached_reader = _cached_reader
    from whoosh.matching import binary
    from whoosh.query import compound

    compound.Or.matcher_type = compound.Or.DEFAULT_MATCHER
    binary.AndNotMatcher._find_first = binary.AndNotMatcher._find_next = _and_not_next


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """``W3PerDocReader._cached_reader`` that also remembers a column the segment does not have, and
    holds a field-length column in memory."""
    readers = self._readers
    if fieldname in readers:
        return readers[fieldname]
    reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
    if reader is not None and fieldname.startswith("_") and fieldname.endswith("_len"):
        reader = _in_memory(reader)
    readers[fieldname] = reader
    return reader


def _and_not_next(self: Any) -> bool:
    """``AndNotMatcher._find_next`` (and ``_find_first``): move ``a`` past every document ``b`` also
    matches, having moved ``b`` up to ``a``'s document first; nothing when either is used up.
    Returns whether the matchers' blocks changed (what Whoosh's returns)."""
    pos, neg = self.a, self.b
    if not (pos.is_active() and neg.is_active()):
        return False
    pos_id = pos.id()
    if neg.id() < pos_id:
        neg.skip_to(pos_id)
    changed = False
    while neg.is_active() and pos_id == neg.id():
        changed = bool(pos.next()) or changed
        if not pos.is_active():
            break
        pos_id = pos.id()
        neg.skip_to(pos_id)
    return changed


def _in_memory(reader: Any) -> Any:
    """A one-byte-per-document length column as ``bytes`` (``data[docnum]`` is the length byte).

    BM25F asks a document's field length for every match it scores, and Whoosh's column reader answers
    with a seek and a read of the segment file each time (~30% of scoring "said" over 10,000
    paragraphs); the whole column is one byte a document, read once.
    """
    try:
        if reader._fixedlen != 1 or reader._default not in (0, b"\x00"):
            return reader
        data = reader._dbfile.get(reader._basepos, reader._count)
        return bytes(data) + bytes(max(0, reader._doccount - reader._count))
    except AttributeError:  # another Whoosh version's reader: read as it reads
        return reader
