"""Wildcard words that match as one list of documents, not as an ``Or`` of every word they stand for.

Whoosh matches ``*na*`` (up to ``limits.MAX_EXPANSION`` indexed words in each field searched) as a tree
of union matchers over every word's postings, advanced document by document in Python: on SciFact
(5,183 abstracts) that took 2-3 s of CPU and ran into the query time budget. Its score is constant
anyway (``constantscore``: every document matching the pattern scores the boost), so the documents
are gathered here once per segment, straight from the postings, and matched as a sorted list.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh import query as wq

#: Below this many words Whoosh's own matcher is as quick, and keeps its per-word matchers.
_FEW = 8


class _ListOfDocuments:
    """A ``MultiTerm`` whose many-word constant-score matcher is a sorted list of its documents."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [w for w in self._btexts(searcher.reader()) if w]  # type: ignore[attr-defined]
        if not self.constantscore or len(words) < _FEW:  # type: ignore[attr-defined]
            return super().matcher(searcher, context)  # type: ignore[misc]
        reader, field = searcher.reader(), self.field()  # type: ignore[attr-defined]
        found: set[int] = set()
        for word in words:
            found.update(reader.postings(field, word).all_ids())  # deleted documents are left out
        if not found:
            return matching.NullMatcher()
        return _Documents(sorted(found), all_weights=self.boost)  # type: ignore[attr-defined]


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
