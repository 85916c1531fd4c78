"""Facet counts from one compact column per document (``schema`` field ``facets``), read for the matched
document numbers only.

A multi-valued ``FieldFacet`` (``allow_overlap=True``) costs ~500 ms a query at 118,000 paragraphs, and term
vectors need a placeholder token in every document; reading the column of the matched documents does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ...model import Facet
from ..shown import facet
from .schema import FACET_CODES, FACET_SEPARATOR


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
    its matching paragraphs has); ``limit`` values a facet.
    """
    column = facet_column(searcher)
    by_docs: dict[frozenset, dict[str, Counter]] = {}
    facets = []
    for name in names:
        others = intersect(s for f, s in docsets.items() if f != name)
        docs = matched & others if others is not None else matched
        key = frozenset(f for f in docsets if f != name)
        if key not in by_docs:
            by_docs[key] = _by_code(_count(column, docs, by_article))
        counts = by_docs[key].get(FACET_CODES[name], Counter())
        facets.append(facet(name, counts, limit, "articles" if by_article else "paragraphs"))
    return facets


def _by_code(counts: Counter) -> dict[str, Counter]:
    """Counts of coded entries ("s" + a speaker…) split by code, in one pass (entries are distinct)."""
    grouped: dict[str, Counter] = {}
    for entry, n in counts.items():
        code = entry[:1]
        if code not in grouped:
            grouped[code] = Counter()
        grouped[code][entry[1:]] = n
    return grouped


def _count(column: FacetColumn, docs: set[int], by_article: bool) -> Counter:
    sep = FACET_SEPARATOR
    values = column.values(docs)
    if not by_article:
        # One join, one decode, one split and one C-level count for the whole set (a document's
        # values are unique within it, so this counts as a per-document update would).
        return Counter(sep.encode("utf-8").join(values).decode("utf-8").split(sep))
    seen: set[tuple[str, str]] = set()
    for value in values:
        entries = value.decode("utf-8").split(sep)
        article = next((e for e in entries if e[:1] == "a"), "")
        seen.update((article, e) for e in entries)
    return Counter(e for _, e in seen)


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


def column_values(column: FacetColumn, docs: set[int] | None, code: str) -> list[str]:
    found = []
    for value in column.values(docs or ()):
        for entry in value.decode("utf-8").split(FACET_SEPARATOR):
            if entry[:1] == code:
                found.append(entry[1:])
    return found
