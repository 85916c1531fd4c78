"""Facet counts from one compact column per document (``schema`` field ``facets``), read for the matched
document numbers only.

A multi-valued ``FieldFacet`` (``allow_overlap=True``) costs ~500 ms a query at 118,000 paragraphs, and term
vectors need a placeholder token in every document; reading the column of the matched documents does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from itertools import chain

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ...model import Facet
from ..shown import facet
from .facet_arrays import FacetArrays
from .schema import FACET_CODES, FACET_SEPARATOR

#: How many times its own size in documents a reader counts in Python before it builds ``FacetArrays``.
ARRAYS_AFTER = 1.0


def intersect(sets: Iterable[set[int]]) -> set[int] | None:
    result = None
    for s in sets:
        result = set(s) if result is None else result & s
    return result


def count_facets(
    searcher: Searcher,
    matched: set[int],
    docsets: dict[str, set[int]],
    names: Iterable[str],
    by_article: bool,
    limit: int,
) -> list[Facet]:
    """Counts of each facet's values over the matched documents under every filter but its own.

    Counted in paragraphs, or in articles with ``by_article`` (an article counts once for a value any of
    its matching paragraphs has); ``limit`` values a facet. The counts over every document (a blank
    query, ``*``, the names listing) are made once per searcher and kept: they are the same for every
    such query, and at 98,000 paragraphs they cost ~0.5 s of CPU to count (the article ones ~1 s).
    """
    column = facet_column(searcher)
    everything = searcher.doc_count()
    by_docs: dict[frozenset, dict[str, Counter]] = {}
    facets = []
    for name in names:
        others = intersect(s for f, s in docsets.items() if f != name)
        docs = matched & others if others is not None else matched
        key = frozenset(f for f in docsets if f != name)
        if key not in by_docs:
            # ``docs`` holds live documents only, so one as large as the index is every document
            whole = len(docs) == everything
            by_docs[key] = column.all_counts(by_article) if whole else column.counts(docs, by_article, limit)
        counts = Counter(by_docs[key].get(FACET_CODES[name], ()))
        facets.append(facet(name, counts, limit, "articles" if by_article else "paragraphs"))
    return facets


def _by_code(counts: Counter) -> dict[str, Counter]:
    """``counts`` of coded entries ("sAlina Polyakova") split by code, each value without it: one pass
    over every distinct entry, not one per facet asked for."""
    grouped: dict[str, Counter] = {}
    for entry, n in counts.items():
        code = entry[:1]
        found = grouped.get(code)
        if found is None:
            found = grouped[code] = Counter()
        found[entry[1:]] = n  # entries are unique, so no two land on one value
    return grouped


def _count(column: FacetColumn, docs: Iterable[int], by_article: bool) -> Counter:
    sep = FACET_SEPARATOR
    values = column.values(docs)
    if not by_article:
        # One join, one decode, one split and one C-level count for the whole set (a document's
        # values are unique within it, so this counts as a per-document update would).
        return Counter(sep.encode("utf-8").join(values).decode("utf-8").split(sep))
    # Bytes until the end: each distinct entry is decoded once, not once per paragraph. The article's
    # entry is the one after a separator and the code "a" (no value holds a separator).
    bsep = sep.encode("utf-8")
    marker = bsep + b"a"
    per_article: dict[bytes, set[bytes]] = {}
    for value in values:
        at = value.rfind(marker)
        article = value[at + 2 :] if at >= 0 else value[1:] if value[:1] == b"a" else b""
        seen = per_article.get(article)
        if seen is None:
            per_article[article] = set(value.split(bsep))
        else:
            seen.update(value.split(bsep))
    counted = Counter(chain.from_iterable(per_article.values()))
    return Counter({entry.decode("utf-8"): n for entry, n in counted.items()})


class FacetColumn:
    """The per-document ``facets`` column, read fast for many documents at once.

    Whoosh reads a column value with a seek and a read of the segment file per document (segments
    are separate files); for a large match set this reads each segment's column data once and slices
    it in memory instead.
    """

    #: Documents of one segment from which its whole column data is read at once (~100 bytes a document).
    WHOLE_FROM = 2000

    def __init__(self, reader: IndexReader) -> None:
        self.parts = []  # (first docnum, end docnum, Whoosh column reader, whole data or None)
        for leaf, base in reader.leaf_readers():
            self.parts.append([base, base + leaf.doc_count_all(), leaf.column_reader("facets", translate=False), None])
        self._all_live = lambda: live_docs(reader)
        self._all_counts: dict[bool, dict[str, Counter]] = {}
        self._size = reader.doc_count_all()
        self._counted = 0  # documents counted so far in Python (``arrays``)
        self._arrays: FacetArrays | None = None

    def all_counts(self, by_article: bool) -> dict[str, Counter]:
        """The counts over every live document, by code (made on first use, then kept)."""
        found = self._all_counts.get(by_article)
        if found is None:
            found = self._all_counts[by_article] = self.counts(list(self._all_live()), by_article)
        return found

    def counts(self, docs: Collection[int], by_article: bool, limit: int | None = None) -> dict[str, Counter]:
        """The values of ``docs`` counted by code (each article once with ``by_article``); with ``limit``,
        perhaps only those a facet of ``limit`` values can show (``FacetArrays.counts``)."""
        arrays = self.arrays(len(docs))
        if arrays is not None:
            return arrays.counts(docs, by_article, limit)
        return _by_code(_count(self, docs, by_article))

    def arrays(self, more: int) -> FacetArrays | None:
        """The column as ``FacetArrays``, once this reader has counted (with the ``more`` documents about
        to be) at least ``ARRAYS_AFTER`` times as many documents as it holds: building them reads every
        value, so they pay once a reader's counts would have read as many; until then, None."""
        if self._arrays is None:
            self._counted += more
            if self._counted < ARRAYS_AFTER * self._size or not self._size:
                return None
            self._arrays = FacetArrays(self.values(range(self._size)), FACET_SEPARATOR.encode("utf-8"))
        return self._arrays

    def __getitem__(self, doc: int) -> bytes:
        for base, end, column, _ in self.parts:
            if base <= doc < end:
                return column[doc - base]
        raise IndexError(doc)

    def values(self, docs: Iterable[int]) -> list[bytes]:
        """The column values of ``docs`` (in no particular order)."""
        docs = sorted(docs)
        if len(self.parts) == 1 and self.parts[0][0] == 0:
            return self._part_values(self.parts[0], docs)
        out: list[bytes] = []
        i = 0
        for part in self.parts:
            base, end = part[0], part[1]
            j = i
            while j < len(docs) and docs[j] < end:
                j += 1
            if j > i:
                out += self._part_values(part, [d - base for d in docs[i:j]])
            i = j
        return out

    def _part_values(self, part: list, docs: list[int]) -> list[bytes]:
        column = part[2]
        if len(docs) >= self.WHOLE_FROM:
            whole = part[3] if part[3] is not None else self._whole(part)
            if whole:
                data, offsets, lengths = whole
                return [data[offsets[d] : offsets[d] + lengths[d]] for d in docs]
        return [column[d] for d in docs]

    @staticmethod
    def _whole(part: list) -> tuple:
        """(data, offsets, lengths) of a VarBytesColumn reader, or () for another kind of reader."""
        column = part[2]
        try:
            lengths, offsets = column._lengths, column._offsets
            size = (offsets[-1] + lengths[-1]) if len(lengths) else 0
            data = column._dbfile.get(column._basepos, size)
        except AttributeError:  # not a VarBytesColumn reader (another Whoosh version): per document
            data = None
        part[3] = (data, offsets, lengths) if data is not None else ()
        return part[3]


def facet_column(searcher: Searcher) -> FacetColumn:
    """The ``facets`` column, opened once per searcher (each opening reads the column's offsets)."""
    column = getattr(searcher, "_searchkit_facets", None)
    if column is None:
        column = FacetColumn(searcher.reader())
        searcher._searchkit_facets = column
    return column


def live_docs(reader: IndexReader) -> Iterable[int]:
    """Every document not deleted (Whoosh's ``all_doc_ids`` asks each one whether it is, even in an
    index without deletions: 0.1 s at 98,000)."""
    return range(reader.doc_count_all()) if not reader.has_deletions() else reader.all_doc_ids()


def article_counts(searcher: Searcher, docs: set[int]) -> Counter:
    """How many of ``docs`` each article has."""
    column = facet_column(searcher)
    if len(docs) == searcher.doc_count():
        return column.all_counts(False).get("a", Counter())
    arrays = column.arrays(len(docs))
    if arrays is not None:
        return arrays.article_counts(docs)
    found: Counter[str] = Counter()
    for value in column.values(docs):
        for entry in value.decode("utf-8").split(FACET_SEPARATOR):
            if entry[:1] == "a":
                found[entry[1:]] += 1
    return found
