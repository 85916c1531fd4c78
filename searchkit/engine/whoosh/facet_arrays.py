"""Facet counts of many documents at once: the ``facets`` column of every document turned, once per
reader, into numpy arrays of entry numbers, then counted with ``np.bincount`` over the matched ones.

A pasted sentence matches 20,000-50,000 of BBC + Reuters' 98,000 paragraphs; splitting each one's column
value and counting its entries in Python took about half of such a query (~60 ms). Here a query gathers
the entry numbers of its documents from one array (``starts``/``entries``, one run per document) and
counts them in C; by article, each (article, entry) pair is counted once. Reading and numbering the
whole column costs ~0.2 s, so ``facets`` builds this only once a reader has counted as many documents
as it holds (a one-shot query of a few words never pays for it, nor imports numpy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from .schema import FACET_CODES

if TYPE_CHECKING:
    import numpy as np


class FacetArrays:
    """Every document's facet entries as numbers, entries numbered code by code (so a facet's values
    are one range of numbers), and each document's article as the number of its "a" entry."""

    def __init__(self, values: Sequence[bytes], separator: bytes) -> None:
        """``values``: the column value of every document, in document order (b"" for none)."""
        import numpy as np

        sizes = np.fromiter((v.count(separator) + 1 if v else 0 for v in values), dtype=np.int64, count=len(values))
        found = separator.join([v for v in values if v]).split(separator) if sizes.any() else []
        # by code, then by value: UTF-8 bytes sort as their code points, the order that breaks a facet's ties
        by_code = sorted(set(found))
        number = dict(zip(by_code, range(len(by_code)), strict=True))
        self.entries = np.fromiter(map(number.__getitem__, found), dtype=np.int32, count=len(found))
        self.starts = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.starts[1:])
        self.values = [entry[1:].decode("utf-8") for entry in by_code]
        self.ranges: dict[str, tuple[int, int]] = {}
        for i, entry in enumerate(by_code):
            code = entry[:1].decode("utf-8")
            self.ranges[code] = (self.ranges.get(code, (i, i))[0], i + 1)
        self.blank = np.array([i for i, value in enumerate(self.values) if not value], dtype=np.int64)
        # each document's article entry (the last "a" entry of its value, as the Python count reads it)
        article = np.full(len(values) + 1, -1, dtype=np.int64)  # the extra slot: where others land
        low, high = self.ranges.get("a", (0, 0))
        where = np.flatnonzero((self.entries >= low) & (self.entries < high))
        docs = np.searchsorted(self.starts, where, side="right") - 1
        article[docs] = self.entries[where]
        self.article = article[:-1]

    def _gather(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the entries of ``docs``, how many each document has)."""
        import numpy as np

        first = self.starts[docs]
        sizes = self.starts[docs + 1] - first
        ends = np.cumsum(sizes)
        at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        return self.entries[at + np.repeat(first - (ends - sizes), sizes)], sizes

    def counts(self, docs: Collection[int], by_article: bool, limit: int | None = None) -> dict[str, Counter]:
        """Each code's values counted over ``docs`` (each article once for a value with ``by_article``);
        with ``limit``, only the ``limit`` values ``shown.facet`` shows (most frequent first, ties by code
        point), except dates, which it groups first."""
        import numpy as np

        which = np.fromiter(docs, dtype=np.int64, count=len(docs))
        if by_article:
            # one key per (article, entry): an article counts once for a value any of its documents has.
            # Documents in article order make the keys runs of one article each, which a stable (merge)
            # sort orders several times as fast as numpy's ``unique`` does a shuffled array.
            articles = self.article[which]
            order = np.argsort(articles, kind="stable")
            entries, sizes = self._gather(which[order])
            keys = np.repeat(articles[order] + 1, sizes) * len(self.values) + entries  # +1: no article is one
            keys.sort(kind="stable")
            entries = keys[np.r_[True, keys[1:] != keys[:-1]]] % len(self.values) if len(keys) else keys
        else:
            entries = self._gather(which)[0]
        tally = np.bincount(entries, minlength=len(self.values))
        tally[self.blank] = 0  # a value of no characters is no value (``shown.facet`` drops it)
        out = {}
        for code, (low, high) in self.ranges.items():
            counted = tally[low:high]
            keep = np.flatnonzero(counted)
            if limit is not None and code != FACET_CODES["date"] and len(keep) > limit:
                # most frequent first, ties by value: by number, as the entries are numbered
                keep = keep[np.lexsort((keep, -counted[keep]))[:limit]]
            values = self.values
            out[code] = Counter(
                dict(zip([values[low + i] for i in keep.tolist()], counted[keep].tolist(), strict=True))
            )
        return out

    def article_counts(self, docs: Collection[int]) -> Counter:
        """How many of ``docs`` each article has."""
        import numpy as np

        which = np.fromiter(docs, dtype=np.int64, count=len(docs))
        articles = self.article[which]
        tally = np.bincount(articles[articles >= 0], minlength=len(self.values))
        keep = np.flatnonzero(tally)
        return Counter(dict(zip([self.values[i] for i in keep.tolist()], tally[keep].tolist(), strict=True)))
