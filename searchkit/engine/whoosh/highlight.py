"""Highlights: which words of a paragraph a query matched (the surface word of a stemmed match, a
phrase as one span and only where the whole phrase is), and the densest fragments around them. A
paragraph that matched only through its article's title or its section says so in its snippet."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.reading import IndexReader

from ...model import Match
from .schema import text_analyzer

_GAP_IN_PHRASE = re.compile(r"^[\s\-–—'’]{1,3}$")
#: Fields whose matches a hit shows: the paragraph's text first, then where the paragraph sits.
SHOWN_FIELDS = ("text", "title", "section")


@dataclass(frozen=True)
class Terms:
    """What a query matches in one field: single words (indexed forms, wildcards and fuzzy terms
    expanded) and phrases (indexed forms in order, with the slop allowed between them)."""

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


@dataclass
class Shown:
    """What a hit shows of why it matched: the snippet, its spans, the spans in the whole text, and the
    fields that matched ("text", "title", "section")."""

    snippet: str
    snippet_matches: list[Match]
    matches: list[Match]
    matched_in: list[str] = field(default_factory=list)


def highlight_terms(parsed: wq.Query, reader: IndexReader, fieldname: str = "text") -> Terms:
    """The words and phrases in ``fieldname`` that the query matches; words under NOT are left out."""
    positive = _without_not(parsed)
    if positive is None:
        return Terms()
    words: set[str] = set()
    # Leaf by leaf: Whoosh's existing_terms on a compound query reuses its ``fieldname`` argument as a
    # loop variable, so after the first leaf it skips every leaf of another field (title, section).
    for leaf in positive.leaves():
        if leaf.field() != fieldname:
            continue
        for _, term in leaf.existing_terms(reader, phrases=False, expand=True):
            words.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    phrases = tuple(
        dict.fromkeys(
            (tuple(node.words), max(1, node.slop))
            for node in positive.leaves()
            if isinstance(node, wq.Phrase) and node.fieldname == fieldname and node.words
        )
    )
    return Terms(frozenset(words), phrases)


def field_terms(parsed: wq.Query, reader: IndexReader) -> dict[str, Terms]:
    """``highlight_terms`` for each field a hit shows."""
    return {name: highlight_terms(parsed, reader, name) for name in SHOWN_FIELDS}


def _without_not(q: wq.Query) -> wq.Query | None:
    if isinstance(q, wq.Not):
        return None
    if isinstance(q, wq.AndNot):
        return _without_not(q.a)
    if isinstance(q, wq.compound.CompoundQuery):
        kept = [c for c in (_without_not(sub) for sub in q.subqueries) if c is not None]
        return wq.Or(kept) if kept else None  # only its terms are read: the kind of compound does not matter
    return q


def match_spans(text: str, terms: Terms) -> list[Match]:
    """Character spans of the matched words and of each whole occurrence of a matched phrase (a lone
    word of a phrase is not a match); touching spans join ("security guarantees")."""
    if not terms or not text:
        return []
    analyzed = _analyzer()(text, chars=True, positions=True, mode="index")
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzed]
    found = [(start, end) for word, _, start, end in tokens if word in terms.words]
    for words, slop in terms.phrases:
        found += _phrase_spans(tokens, words, slop)
    spans: list[Match] = []
    for start, end in sorted(found):
        if spans and (start <= spans[-1].end or _GAP_IN_PHRASE.match(text[spans[-1].end : start])):
            last = spans[-1]
            end = max(end, last.end)
            spans[-1] = Match(last.start, end, text[last.start : end])
        else:
            spans.append(Match(start, end, text[start:end]))
    return spans


def _phrase_spans(tokens: list[tuple[str, int, int, int]], words: tuple[str, ...], slop: int) -> list[tuple[int, int]]:
    """Where ``words`` occur in order, each within ``slop`` positions of the one before (Whoosh's
    phrase rule): one span from the first word to the last."""
    at: dict[str, list[tuple[int, int, int]]] = {}
    for word, pos, start, end in tokens:
        at.setdefault(word, []).append((pos, start, end))
    spans = []
    for pos, start, end in at.get(words[0], []):
        last_pos, last_end = pos, end
        for word in words[1:]:
            nxt = next((p for p in at.get(word, []) if last_pos < p[0] <= last_pos + slop), None)
            if nxt is None:
                break
            last_pos, last_end = nxt[0], nxt[2]
        else:
            spans.append((start, last_end))
    return spans


@functools.lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return text_analyzer()


def show_hit(fields: dict, terms: dict[str, Terms], fragment_chars: int, fragments: int) -> Shown:
    """Why a stored paragraph matched: the snippet of its text around its own matches; when only its
    article's title or its section matched, a snippet that says so, the title (or section) highlighted,
    then the start of the paragraph."""
    text = fields.get("text", "")
    spans = match_spans(text, terms.get("text", Terms()))
    matched_in = ["text"] if spans else []
    where = {}
    for name, label in (("title", "the title"), ("section", "the section")):
        value = fields.get(name) or ""
        found = match_spans(value, terms.get(name, Terms()))
        if found:
            matched_in.append(name)
            where[name] = (label, value, found)
    if spans or not where:
        shown, shown_spans = snippet(text, spans, fragment_chars, fragments)
        return Shown(shown, shown_spans, spans, matched_in)
    label, value, found = where.get("title") or where["section"]
    lead = f"matched in {label}: "
    moved = [Match(m.start + len(lead), m.end + len(lead), m.term) for m in found]
    opening, _ = snippet(text, [], fragment_chars, 1) if fragments else (text, [])
    return Shown(f"{lead}{value} — {opening}", moved, [], matched_in)


def snippet(text: str, spans: list[Match], fragment_chars: int, fragments: int) -> tuple[str, list[Match]]:
    """The densest fragments of ``text`` around ``spans`` (never overlapping: fragments that would
    overlap are joined), in text order and joined by "…", and the spans' offsets in it."""
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
    """Up to ``count`` windows of about ``size`` characters, each the densest left: most distinct
    matched words, then most matches, then earliest. Overlapping windows are joined into one."""
    if not spans:
        return [(0, _word_end(text, size))]
    left = list(spans)
    chosen: list[tuple[int, int]] = []
    while left and len(chosen) < count:
        best: tuple[tuple[int, int, int], list[Match]] | None = None
        for i, first in enumerate(left):
            inside = [first] + [m for m in left[i + 1 :] if m.end - first.start <= size]
            score = (len({m.term.casefold() for m in inside}), len(inside), -first.start)
            if best is None or score > best[0]:
                best = (score, inside)
        assert best is not None
        inside = best[1]
        middle = (inside[0].start + inside[-1].end) // 2
        start = _word_start(text, max(0, min(middle - size // 2, len(text) - size)))
        start = min(start, inside[0].start)
        end = max(_word_end(text, start + size), inside[-1].end)
        chosen.append((start, end))
        left = [m for m in left if not (start <= m.start and m.end <= end)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(chosen):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
