"""What a hit shows, the same on every engine: matched words joined into phrases, the densest
fragments around them (the snippet), which fields matched (a paragraph that matched only through its
article's title or its section says so in its snippet), and facet values ranked and dates grouped.

Each engine finds the matched spans its own way (Whoosh re-analyses the stored text, OpenSearch reads
its highlighter's answer); everything from the spans on is here, once."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..model import Facet, FacetValue, Match

_GAP_IN_PHRASE = re.compile(r"^[\s\-–—'’]{1,3}$")


def join_phrases(text: str, spans: list[Match]) -> list[Match]:
    """Spans in text order, overlapping ones merged and words separated only by a space, dash or
    apostrophe joined into one span (a phrase: "security guarantees")."""
    joined: list[Match] = []
    for span in sorted(spans, key=lambda m: (m.start, m.end)):
        last = joined[-1] if joined else None
        if last and (span.start <= last.end or _GAP_IN_PHRASE.match(text[last.end : span.start])):
            end = max(span.end, last.end)
            joined[-1] = Match(last.start, end, text[last.start : end])
        else:
            joined.append(span)
    return joined


#: Fields whose matches a hit shows: the paragraph's text first, then where the paragraph sits.
SHOWN_FIELDS = ("text", "title", "section")


@dataclass
class Shown:
    """What a hit shows of why it matched: the snippet, its spans, the spans in the whole text, and the
    fields that matched ("text", "title", "section")."""

    snippet: str
    snippet_matches: list[Match]
    matches: list[Match]
    matched_in: list[str] = field(default_factory=list)


def show_hit(fields: dict, spans: dict[str, list[Match]], fragment_chars: int, fragments: int) -> Shown:
    """Why a stored paragraph matched, from the matched spans of each shown field: the snippet of its
    text around its own matches; when only its article's title or its section matched, a snippet that
    says so, the title (or section) highlighted, then the start of the paragraph."""
    text = fields.get("text") or ""
    found_in_text = spans.get("text") or []
    matched_in = ["text"] if found_in_text else []
    where = {}
    for name, label in (("title", "the title"), ("section", "the section")):
        found = spans.get(name) or []
        if found:
            matched_in.append(name)
            where[name] = (label, fields.get(name) or "", found)
    if found_in_text or not where:
        shown, shown_spans = snippet(text, found_in_text, fragment_chars, fragments)
        return Shown(shown, shown_spans, found_in_text, matched_in)
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


def facet(name: str, counts: Counter, limit: int, unit: str) -> Facet:
    """The ``limit`` most frequent values; dates grouped by year, month or day, whichever the span of the
    counted dates calls for, and in date order. Ties go by the value's code points, the order OpenSearch
    picks tied values in (UTF-8 bytes), so both engines cut a facet at the same values: with ties by
    lower-cased value, BBC + Reuters facets of 200 values differed at the cut on 5 of 21 queries."""
    counts.pop("", None)
    if name == "date" and counts:
        days = sorted(counts)
        span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days
        width = 4 if span > 730 else 7 if span > 62 else 10
        grouped: Counter = Counter()
        for day, n in counts.items():
            grouped[day[:width]] += n
        values = sorted(grouped.items())[:limit]
    else:
        # only values counted at least as often as the limit-th most frequent can be shown (the article
        # facet holds a value per matched article): find that count in C, order only those
        least = min(heapq.nlargest(limit, counts.values()), default=0)
        frequent = [kv for kv in counts.items() if kv[1] >= least]
        values = sorted(frequent, key=lambda kv: (-kv[1], kv[0]))[:limit]
    return Facet(name, [FacetValue(v, n) for v, n in values], unit)


def same_name(name: str | None, wanted: str) -> bool:
    """Case-insensitively the same canonical name, or its last word (how a speaker filter picks quotations)."""
    if not name:
        return False
    name, wanted = name.casefold().strip(), wanted.casefold().strip()
    return name == wanted or name.split()[-1] == wanted
