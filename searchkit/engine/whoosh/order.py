"""Date order (``--sort date``/``-date``, and every blank query) from the index's columns.

The order is: dated paragraphs first (in either direction), by date, then by article id and paragraph
number. Whoosh's sorted search builds that key per document through four facet categorizers: a blank
query at 98,000 paragraphs took 2 s of CPU to put in order. Here the date column is read once per
searcher as one array, the documents are ordered by date, and only those that tie on a date with the
last one wanted are read for their article and number.
"""

from __future__ import annotations

import heapq
import sys
from array import array
from collections.abc import Collection, Iterable
from itertools import groupby
from typing import Any

from whoosh.searching import Searcher

#: Above every date: the place of an undated paragraph in either direction.
_UNDATED = 1 << 70


class DateOrder:
    """Date keys of one searcher's documents (made on first use, then kept with the searcher)."""

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        dates: list[int] = []
        for leaf, _ in reader.leaf_readers():
            dates += _numbers(leaf.column_reader("date", translate=False), leaf.doc_count_all())
        # an undated paragraph holds the column's default, a value no date takes (the year 9999 is 2**62)
        missing = next(
            (leaf.column_reader("date", translate=False)._default for leaf, _ in reader.leaf_readers()), None
        )
        self.newest = [_UNDATED if d == missing else -d for d in dates]
        self.oldest = [_UNDATED if d == missing else d for d in dates]
        self.articles = reader.column_reader("article", translate=False)
        self.numbers = reader.column_reader("n", translate=False)

    def first(self, docs: Collection[int], newest_first: bool, n: int, by_article: bool) -> list[int]:
        """The first ``n`` of ``docs`` in date order; with ``by_article``, the first paragraph of each of
        the first ``n`` articles."""
        day = self.newest if newest_first else self.oldest
        if not by_article:
            if n <= 0 or not docs:
                return []
            last = day[heapq.nsmallest(n, docs, key=day.__getitem__)[-1]]
            return self._in_order(day, (d for d in docs if day[d] <= last))[:n]
        first: dict[bytes, int] = {}
        for _, same_day in groupby(sorted(docs, key=day.__getitem__), key=day.__getitem__):
            for doc in self._in_order(day, same_day):
                first.setdefault(self.articles[doc], doc)
            if len(first) >= n:
                break
        return list(first.values())[:n]

    def _in_order(self, day: list[int], docs: Iterable[int]) -> list[int]:
        """``docs`` in the full order: by ``day``, then article id and paragraph number (read per document)."""
        articles, numbers = self.articles, self.numbers
        return sorted(docs, key=lambda d: (day[d], articles[d], numbers[d]))


def _numbers(column: Any, count: int) -> list[int]:
    """A numeric column's values as one read (Whoosh's reader unpacks them one by one: 0.2 s at 98,000)."""
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = array(column._typecode)
        values.frombytes(raw)
        default = column._default
    except (AttributeError, ValueError):  # another kind of column reader: one by one
        return list(column)[:count]
    if sys.byteorder == "little":  # stored big-endian
        values.byteswap()
    return values.tolist()[:count] + [default] * (count - len(values))


def date_order(searcher: Searcher) -> DateOrder:
    """The searcher's ``DateOrder``, made once per searcher."""
    order = getattr(searcher, "_searchkit_order", None)
    if order is None:
        order = DateOrder(searcher)
        searcher._searchkit_order = order
    return order
