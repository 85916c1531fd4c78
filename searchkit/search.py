"""Queries: parse, run with BM25F, and copy each hit (with highlights) out of Whoosh into plain data."""
from __future__ import annotations

import re
from collections.abc import Iterable

from whoosh import qparser
from whoosh.index import Index
from whoosh.query import Query
from whoosh.searching import Hit as WhooshHit

from .errors import QueryError
from .model import Entity, Hit, Match, SearchResult
from .schema import text_analyzer

#: Fields searched when a query word names no field, with the schema's boosts for title and section.
DEFAULT_FIELDS = ("text", "title", "section")
_GAP_IN_PHRASE = re.compile(r"^[\s\-–—'’]{1,3}$")


def parse(ix: Index, text: str) -> Query:
    """Whoosh query syntax: words are ANDed; OR, NOT, "phrases", wildcards, field:value."""
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), ix.schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    try:
        return parser.parse(text)
    except Exception as exc:  # the parser raises assorted types on odd input
        raise QueryError(f"cannot parse the query {text!r}: {exc}") from None


def search(
    ix: Index,
    query: str,
    limit: int = 10,
    page: int = 1,
    fragment_chars: int = 180,
    fragments: int = 2,
) -> SearchResult:
    """Run ``query`` and return page ``page`` of ``limit`` hits, best first, with highlighted snippets."""
    if limit < 1 or page < 1:
        raise QueryError("--limit and --page must be 1 or more")
    parsed = parse(ix, query)
    with ix.searcher() as searcher:
        results = searcher.search_page(parsed, page, pagelen=limit)
        terms = highlight_terms(parsed, searcher.reader())
        hits = [_copy_hit(hit, terms, fragment_chars, fragments) for hit in results]
        return SearchResult(query=query, total=results.total, hits=hits)


def highlight_terms(parsed: Query, reader) -> set[str]:
    """The indexed forms in the text field that the query matches (wildcards and fuzzy terms expanded)."""
    found = set()
    for fieldname, term in parsed.existing_terms(reader, phrases=True, expand=True):
        if fieldname == "text":
            found.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return found


def match_spans(text: str, terms: set[str]) -> list[Match]:
    """Character spans of the words whose indexed form is a query term; adjacent words join (phrases)."""
    if not terms:
        return []
    spans: list[Match] = []
    for token in text_analyzer()(text, chars=True, mode="index"):
        if token.text not in terms:
            continue
        if spans and _GAP_IN_PHRASE.match(text[spans[-1].end : token.startchar]):
            last = spans[-1]
            spans[-1] = Match(last.start, token.endchar, text[last.start : token.endchar])
        else:
            spans.append(Match(token.startchar, token.endchar, text[token.startchar : token.endchar]))
    return spans


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
        moved += [Match(m.start - start + offset, m.end - start + offset, m.term) for m in spans if start <= m.start and m.end <= end]
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


def _copy_hit(hit: WhooshHit, terms: set[str], fragment_chars: int, fragments: int) -> Hit:
    """Everything a hit shows, read while its searcher is open (a Whoosh Hit dies with it)."""
    fields = hit.fields()
    meta = fields.get("meta") or {}
    text = fields.get("text", "")
    spans = match_spans(text, terms)
    shown, shown_spans = snippet(text, spans, fragment_chars, fragments)
    return Hit(
        id=fields["id"],
        article_id=fields["article"],
        title=fields.get("title") or None,
        section=fields.get("section") or None,
        n=fields["n"],
        score=round(float(hit.score or 0.0), 4),
        text=text,
        snippet=shown,
        snippet_matches=shown_spans,
        matches=spans,
        source=fields.get("source") or None,
        date=meta.get("date"),
        url=fields.get("url") or None,
        path=fields.get("path"),
        speakers=_unique(name for name, *_ in meta.get("speakers", [])),
        entities=[Entity(name, kind) for name, kind in meta.get("entities", [])],
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
