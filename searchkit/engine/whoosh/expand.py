"""Wildcard words that match as one list of documents, not as an ``Or`` of every word they stand for.

Whoosh matches ``*na*`` (up to ``limits.MAX_EXPANSION`` indexed words in each field searched) as a tree
of union matchers over every word's postings, advanced document by document in Python: on SciFact
(5,183 abstracts) that took 2-3 s of CPU and ran into the query time budget. So the documents are
gathered here once per segment, straight from the postings, and matched as a sorted list in which every
document scores the boost. Whoosh's union summed each word's BM25 score (its ``constantscore`` only
drops the weighting it is given, and its searcher puts BM25 back): the documents and counts are the
same, the order of the hits among themselves is not (scoring each posting was the cost).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN

from ..limits import MAX_EXPANSION, check_expansion

#: Below this many words Whoosh's own matcher is as quick, and keeps its per-word matchers.
_FEW = 8
#: Patterns whose words a reader keeps (a session's reader serves many queries).
_KEPT = 64


class KeptWords:
    """A ``MultiTerm`` whose indexed words are listed once per reader and kept with it: a query lists
    them to check the expansion limit, to match and to highlight (and the article score once more), and
    for ``*om*`` each listing reads the whole lexicon of the field (0.1 s for the text of 98,000
    paragraphs; ``aimed~2`` walks it with an edit-distance automaton). Only the first
    ``MAX_EXPANSION + 1`` are kept: a word that stands for more is refused before it is matched.
    """

    def _btexts(self, reader: Any) -> Iterator[Any]:
        kept = getattr(reader, "_searchkit_expansions", None)
        if kept is None:
            kept = reader._searchkit_expansions = {}
        # the class, field, word and (fuzzy) distance and prefix: what the listed words depend on
        me: Any = self
        key = (type(me).__name__, me.field(), me.text, getattr(me, "maxdist", 0), getattr(me, "prefixlength", 0))
        if key not in kept:
            if len(kept) >= _KEPT:
                del kept[next(iter(kept))]
            kept[key] = list(islice(super()._btexts(reader), MAX_EXPANSION + 1))  # type: ignore[misc]
        return iter(kept[key])

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = sum(1 for w in self._btexts(searcher.reader()) if w)
        check_expansion(self.text, words)  # type: ignore[attr-defined]  # never match a cut list
        return super().matcher(searcher, context)  # type: ignore[misc]


class _ListOfDocuments(KeptWords):
    """A ``MultiTerm`` whose many-word scoreless matcher is a sorted list of its documents."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [w for w in self._btexts(searcher.reader()) if w]
        check_expansion(self.text, len(words))  # type: ignore[attr-defined]  # never match a cut list
        if not lists_documents(self, len(words)):
            return super().matcher(searcher, context)  # KeptWords checks again: cheap, kept
        reader, field = searcher.reader(), self.field()  # type: ignore[attr-defined]
        found: set[int] = set()
        for word in words:
            found.update(reader.postings(field, word).all_ids())  # deleted documents are left out
        if not found:
            return matching.NullMatcher()
        return _Documents(sorted(found), all_weights=self.boost)  # type: ignore[attr-defined]


def lists_documents(q: Any, words: int) -> bool:
    """Whether ``q``, standing for ``words`` indexed words, is matched as one list of documents that all
    score its boost (else as Whoosh matches it)."""
    return isinstance(q, _ListOfDocuments) and q.constantscore and words >= _FEW  # type: ignore[attr-defined]


class _Documents(matching.ListMatcher):
    """A constant-score list of documents that never lets a collector skip it for its low score: Whoosh
    prunes a ``ListMatcher`` by its weight (its own Or of scoreless words is never pruned), and so did
    count fewer matches (442 of 3,006 for ``*tion`` over three fields)."""

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def max_quality(self) -> float:
        return float("inf")


class Prefix(_ListOfDocuments, wq.Prefix):
    """``word*``."""


class Wildcard(_ListOfDocuments, wq.Wildcard):
    """``*word*``, ``w?rd``."""


class AnyValue(wq.Every):
    """``field:*``: the documents with any word in ``field``.

    Whoosh's ``Every(field)`` reads the postings of every word of the field (2 s of CPU for ``title:*``
    at 98,000 paragraphs, over the time budget for ``text:*``); a document has a word in a scored
    field exactly when its length there is not 0, so the length column answers it in one read.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        field = self.fieldname
        lengths = None
        if field in reader.schema and reader.schema[field].scorable and hasattr(reader, "_perdoc"):
            lengths = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if lengths is None:  # not scored (no lengths kept), or not one segment: Whoosh's own way
            return super().matcher(searcher, context)
        deleted = reader.is_deleted if reader.has_deletions() else None
        docs = [doc for doc, length in enumerate(lengths) if length and not (deleted and deleted(doc))]
        return _Documents(docs, all_weights=self.boost) if docs else matching.NullMatcher()
