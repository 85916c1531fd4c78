"""The last gate between a reader and the collection: every article is checked field by field, cleaned of
terminal control sequences, and refused with a reason when it cannot be indexed.

Whatever a reader produced (a feed record can hold any JSON), an article that passes here has the types
``model.Article`` promises, so nothing later (segmenting, NLP, the index) can fail on it: one bad record is
reported and left out, instead of poisoning every command that reads the corpus.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..model import Article, Block
from .dates import parse_date

#: ANSI sequences (CSI with ESC or the 8-bit U+009B, OSC up to BEL or ST, two-character escapes) are
#: dropped whole, so no "[31m" residue becomes a word, an entity or a speaker.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-_]?"
)
#: Other C0/C1 controls (tab and newline are text) and the bidi embeddings, overrides and isolates that
#: reorder what a terminal shows (U+202E makes "txt.exe" read "exe.txt").
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Halves of a UTF-16 pair on their own (JSON's "\ud800"): no UTF-8 file or index term can hold one.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEXT_FIELDS = ("title", "source", "url", "language", "dateline", "origin", "record")
#: Longest paragraph kept whole; a longer one is cut at sentence or word ends (the NLP model refuses
#: texts over 1,000,000 characters, and one huge paragraph makes a useless hit anyway).
MAX_PARAGRAPH_CHARS = 20_000
_SENTENCE_END = re.compile(r"[.!?;][\"'”’)]*\s")


def strip_controls(text: str) -> str:
    """``text`` without escape sequences, control characters (but tab and newline) and bidi overrides, and
    with U+FFFD for a lone surrogate."""
    if text.isprintable():
        return text
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", _SEQUENCE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def check_article(article: Article, where: str) -> Article:
    """``article`` with every field of its promised type and cleaned; InputError naming the field otherwise."""
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(article, name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: {_field(name)} must be text, not {_kind(value)}")
        values[name] = strip_controls(value).strip() or None if isinstance(value, str) else None
    if article.date is not None:
        if not isinstance(article.date, str):
            raise InputError(
                f"{where}: {_field('date')} must be a date as text (YYYY-MM-DD), not {_kind(article.date)}"
            )
        values["date"] = parse_date(article.date)
    if not isinstance(article.authors, list) or not all(isinstance(a, str) for a in article.authors):
        raise InputError(f"{where}: {_field('authors')} must be a list of names (text)")
    values["authors"] = [name for name in (strip_controls(a).strip() for a in article.authors) if name]
    if not isinstance(article.provenance, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in article.provenance.items()
    ):
        raise InputError(f"{where}: {_field('provenance')} must be an object of text values")
    values["provenance"] = {strip_controls(k): strip_controls(v) for k, v in article.provenance.items()}
    values["blocks"] = _blocks(article.blocks, where)
    if not values["blocks"]:
        raise InputError(f"{where}: the article has no paragraphs of text; nothing to index")
    return replace(article, **values)


def _blocks(blocks: Any, where: str) -> list[Block]:
    if not isinstance(blocks, list):
        raise InputError(f"{where}: {_field('blocks')} must be a list of paragraphs")
    kept: list[Block] = []
    for i, block in enumerate(blocks, 1):
        if not isinstance(block, Block):
            raise InputError(f"{where}: paragraph {i} must be an object with a text field")
        if not isinstance(block.text, str):
            raise InputError(f"{where}: the text of paragraph {i} must be text, not {_kind(block.text)}")
        if block.heading is not None and not isinstance(block.heading, bool):
            raise InputError(f"{where}: 'heading' of paragraph {i} must be true, false or null")
        text = strip_controls(block.text).strip()
        kept += [Block(part, block.heading) for part in split_long(text)] if text else []
    return kept


def split_long(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after a sentence where one ends near the
    limit, else between words, else (one endless word) anywhere. Linear in the length."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
        cut = ends[-1] if ends else window.rfind(" ", limit // 2) + 1 or limit
        pieces.append(text[:cut].strip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return [p for p in pieces if p]


def _field(name: str) -> str:
    return f"field {name!r}"


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
