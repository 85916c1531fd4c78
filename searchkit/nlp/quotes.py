"""Quoted spans in a paragraph, including a quotation left open to continue in the next paragraph.

News style opens every paragraph of a long quotation with a quote mark and closes only the last one,
so an unclosed quote runs to the end of its paragraph and marks the next paragraph as a continuation.
"""

from __future__ import annotations

import re

_CURLY = re.compile(r"“([^“”]*)(”|$)")
_OPENERS = ("“", '"')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted text (without the marks), in order; an open quote runs to the end."""
    spans = [(m.start(1), m.end(1)) for m in _CURLY.finditer(text)]
    marks = [i for i, ch in enumerate(text) if ch == '"']
    for open_at, close_at in zip(marks[::2], marks[1::2] + [len(text)], strict=False):
        spans.append((open_at + 1, close_at))
    return sorted((s, e) for s, e in spans if text[s:e].strip())


def leaves_quote_open(text: str) -> bool:
    """True when the paragraph ends inside a quotation that the next paragraph continues."""
    last_curly = max(text.rfind("“"), text.rfind("”"))
    if last_curly >= 0 and text[last_curly] == "“":
        return True
    return text.count('"') % 2 == 1


def starts_with_quote(text: str) -> bool:
    return text.lstrip().startswith(_OPENERS)
