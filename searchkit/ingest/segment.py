"""Article → paragraph documents: decide headings, recognise the dateline, drop publisher boilerplate.

Headings become the ``section`` of the paragraphs under them and are not paragraphs themselves. A
footer such as "SOURCE : AGENCIES | Follow Us: Facebook | …" is dropped, and the source it names is
kept as the article's source.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Article, Block, Paragraph

_HEADING_MAX_WORDS = 12
_HEADING_MAX_CHARS = 90
_CLOSING = tuple(".!?,;:\"'”’)…")
#: Words a heading does not end on: a line that does is a sentence cut short ("… in Sheffield as").
_TRAILING_FUNCTION_WORDS = frozenset(
    """a an the of as at by for from in into on onto to with without and or but nor so than that which who
    whom whose if because while when where whether is are was were be been being has have had will would
    can could should may might must do does did not its their his her our your my this these those there
    very also about after before over under between against during""".split()
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*)*(?:,[ ][A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*)*){0,2})"
    r"(?:[ ]\((?P<agency>[A-Z][\w .&-]{1,30})\))?"
    r"[ ]*(?:—|–|--|[ ]-)[ ]+(?=\S)"
)
_SOURCE = re.compile(r"^\s*(?:source|sources|via)\s*:\s*(?P<source>[^|•·\n]+?)\s*(?:[|•·]|$)", re.I)
_SOCIAL = re.compile(
    r"\b(facebook|instagram|twitter|youtube|linkedin|whatsapp|telegram|tiktok|pinterest|reddit)\b", re.I
)
_BOILERPLATE = re.compile(
    r"^(?:follow us\b|share (?:this|on)\b|subscribe\b|sign up\b|©|\(c\)\s|copyright\b|all rights reserved\b"
    r"|read more\b|related:|advertisement$)",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def segment(article: Article) -> tuple[Article, list[Paragraph]]:
    """Split an article into numbered paragraphs (1-based) with their sections.

    Returns the article with what segmentation learnt (dateline, footer source) and its paragraphs.
    """
    blocks = [Block(b.text.strip(), b.heading) for b in article.blocks if b.text.strip()]
    source = article.source
    provenance = dict(article.provenance)
    while blocks and is_boilerplate(blocks[-1].text):
        named = footer_source(blocks.pop().text)
        if named and not source:
            source, provenance["source"] = named, "footer"
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for i, block in enumerate(blocks):
        if _is_heading(block, blocks[i + 1] if i + 1 < len(blocks) else None):
            section = block.text
            continue
        text = strip_boilerplate(block.text)
        if text:
            paragraphs.append(Paragraph(article.id, len(paragraphs) + 1, text, section))
    dateline = article.dateline
    if not dateline and paragraphs:
        dateline = find_dateline(paragraphs[0].text)
        if dateline:
            provenance["dateline"] = "first paragraph"
    return replace(article, source=source, dateline=dateline, provenance=provenance), paragraphs


def _is_heading(block: Block, following: Block | None) -> bool:
    if block.heading is not None:
        return block.heading and following is not None
    if following is None or following.heading:
        return False
    # a block going on in lower case continues the line before: that line was cut, not a heading
    return looks_like_heading(block.text) and not following.text[:1].islower()


def looks_like_heading(text: str) -> bool:
    """A short line of its own that starts like a title and ends like one: no closing punctuation, and
    not on a function word ("The men's 800m went to form in Sheffield as" is a sentence cut short)."""
    words = text.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(text) <= _HEADING_MAX_CHARS
        and not text.endswith(_CLOSING)
        and (text[0].isupper() or text[0].isdigit())
        and words[-1].casefold() not in _TRAILING_FUNCTION_WORDS
        and not _SOURCE.match(text)
    )


def is_boilerplate(text: str) -> bool:
    """Publisher furniture and nothing else: source/follow-us footers, social link lists, copyright lines."""
    return not strip_boilerplate(text)


def strip_boilerplate(text: str) -> str:
    """``text`` without its leading furniture sentences; "" when it is all furniture.

    "© Jane Doe 2013. All rights reserved. A reappraisal of …" keeps "A reappraisal of …": a copyright
    line glued to the text must not take the text with it.
    """
    if _SOURCE.match(text) or (len(_SOCIAL.findall(text)) >= 2 and len(text.split()) <= 40):
        return ""
    rest = text
    while _BOILERPLATE.match(rest):
        end = _SENTENCE_END.search(rest)
        if end is None:
            return ""
        rest = rest[end.end() :]
    return rest


def footer_source(text: str) -> str | None:
    """The source a footer names ("SOURCE : AGENCIES | …" → "AGENCIES")."""
    match = _SOURCE.match(text)
    return match.group("source").strip() if match else None


def find_dateline(text: str) -> str | None:
    """The dateline that opens a paragraph ("Paris, France — …" → "Paris, France")."""
    match = _DATELINE.match(text)
    if not match or len(match.group("place")) > 40:
        return None
    return match.group("place")
