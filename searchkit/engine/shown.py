"""What a hit shows, the same on every engine: matched words joined into phrases, the best fragments
around them (the snippet), and facet values ranked and dates grouped."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ..model import Facet, FacetValue, Match

_GAP_IN_PHRASE = re.compile(r"^[\s\-–—'’]{1,3}$")


def join_phrases(text: str, spans: list[Match]) -> list[Match]:
    """Spans in text order, with words separated only by a space, dash or apostrophe joined (a phrase)."""
    joined: list[Match] = []
    for span in sorted(spans, key=lambda m: m.start):
        if joined and _GAP_IN_PHRASE.match(text[joined[-1].end : span.start]):
            last = joined[-1]
            joined[-1] = Match(last.start, span.end, text[last.start : span.end])
        else:
            joined.append(span)
    return joined


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


def facet(name: str, counts: Counter, limit: int, unit: str) -> Facet:
    """The ``limit`` most frequent values (ties by lower-cased value); dates grouped by year, month or day,
    whichever the span of the counted dates calls for, and in date order."""
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
        values = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))[:limit]
    return Facet(name, [FacetValue(v, n) for v, n in values], unit)


def same_name(name: str | None, wanted: str) -> bool:
    """Case-insensitively the same canonical name, or its last word (how a speaker filter picks quotations)."""
    if not name:
        return False
    name, wanted = name.casefold().strip(), wanted.casefold().strip()
    return name == wanted or name.split()[-1] == wanted
