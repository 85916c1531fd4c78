"""Highlights: which words of a paragraph a query matched (the surface word of a stemmed match, a
phrase as one span); the snippet around them is made in ``engine.shown``."""

from __future__ import annotations

import functools

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

from ...model import Match
from ..shown import join_phrases
from .schema import text_analyzer


def highlight_terms(parsed: wq.Query, reader: IndexReader, fieldname: str = "text") -> set[str]:
    """The indexed forms in ``fieldname`` that the query matches (wildcards and fuzzy terms expanded);
    words under NOT are left out."""
    found: set[str] = set()
    positive = _without_not(parsed)
    if positive is None:
        return found
    for name, term in positive.existing_terms(reader, phrases=True, expand=True):
        if name == fieldname:
            found.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return found


def _without_not(q: wq.Query) -> wq.Query | None:
    if isinstance(q, wq.Not):
        return None
    if isinstance(q, wq.AndNot):
        return _without_not(q.a)
    if isinstance(q, wq.compound.CompoundQuery):
        kept = [c for c in (_without_not(sub) for sub in q.subqueries) if c is not None]
        return wq.Or(kept) if kept else None  # only its terms are read: the kind of compound does not matter
    return q


def match_spans(text: str, terms: set[str]) -> list[Match]:
    """Character spans of the words whose indexed form is a query term; adjacent words join (phrases)."""
    if not terms:
        return []
    spans: list[Match] = []
    for token in _analyzer()(text, chars=True, mode="index"):
        if token.text not in terms:
            continue
        spans.append(Match(token.startchar, token.endchar, text[token.startchar : token.endchar]))
    return join_phrases(text, spans)


@functools.lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return text_analyzer()
