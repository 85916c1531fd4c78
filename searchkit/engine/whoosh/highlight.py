"""Highlights: which words of a paragraph a query matched (the surface word of a stemmed match, a
phrase as one span), and the best fragments around them."""

from __future__ import annotations

import functools
import re

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

from ...model import Match
from .schema import text_analyzer

_GAP_IN_PHRASE = re.compile(r"^[\s\-–—'’]{1,3}$")


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
        if spans and _GAP_IN_PHRASE.match(text[spans[-1].end : token.startchar]):
            last = spans[-1]
            spans[-1] = Match(last.start, token.endchar, text[last.start : token.endchar])
        else:
            spans.append(Match(token.startchar, token.endchar, text[token.startchar : token.endchar]))
    return spans


@functools.lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return text_analyzer()


def snippet(text: str, spans: list[Match], fragment_chars: int, fragments: int) -> tuple[str, list[Match]]:
    """The best fragments of ``text`` around ``spans``, joined by "…", and the spans' offsets in it."""
    if len(text) <= fragment_chars * 1.3 or fragments < 1:
        return text, list(spans)
    windows = _windows(text, spans, fragment_chars, fragments)
    pieces: list[str] = []
    moved: list[Match] = []
    offset = 0
    for start, end in windows:
        lead = "…" if start > 0 and not pieces else (" … " if pieces else "")
        offset += len(lead)
        pieces.append(lead + text[start:end])
        moved += [
            Match(m.start - start + offset, m.end - start + offset, m.term)
            for m in spans
            if start <= m.start and m.end <= end
        ]
        offset += end - start
    tail = "…" if windows[-1][1] < len(text) else ""
    return "".join(pieces) + tail, moved


def _windows(text: str, spans: list[Match], size: int, count: int) -> list[tuple[int, int]]:
    if not spans:
        return [(0, _word_end(text, size))]
    clusters: list[list[Match]] = []
    for span in spans:
        if clusters and span.end - clusters[-1][0].start <= size:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    best = sorted(sorted(clusters, key=len, reverse=True)[:count], key=lambda c: c[0].start)
    windows = []
    for cluster in best:
        middle = (cluster[0].start + cluster[-1].end) // 2
        start = max(0, min(middle - size // 2, len(text) - size))
        start = _word_start(text, start)
        windows.append((start, _word_end(text, start + size)))
    return windows


def _word_start(text: str, i: int) -> int:
    if i <= 0:
        return 0
    space = text.find(" ", i)
    return space + 1 if 0 <= space < i + 20 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    space = text.rfind(" ", 0, i)
    return space if space > i - 20 else i
