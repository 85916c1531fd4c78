"""The article body of a parsed page, extracted by trafilatura and turned into searchkit ``Block``s.

trafilatura (maintained, measured on many sites and languages) finds the main text and drops page
furniture. Its XML-like output tree marks the structure searchkit keeps: ``head`` elements (``rend`` h2-h4
become section headings), ``quote``, ``list``/``item`` and ``table``/``row``/``cell``; each paragraph,
quote, list item and table row becomes one block, in reading order.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.settings import Document

from ...model import Block

#: No date guessed from the visible page's text: htmldate's extensive search takes "Copyright 2024" in a
#: footer for the publication date; a missing date is better than a wrong one.
DATE_PARAMS = {"original_date": True, "extensive_search": False}
_SECTION_LEVELS = {"h2", "h3", "h4"}
#: Elements whose text is one block; anything else is a container whose children are walked.
_LEAVES = {"p", "head", "item", "row", "code", "quote"}
_SPACE = re.compile(r"\s+")
#: trafilatura logs every page it gives up on as a warning; searchkit reports that page itself.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass
class Extraction:
    """The body as blocks, and the metadata trafilatura found (field → value, empty fields left out)."""

    blocks: list[Block]
    metadata: dict[str, object] = field(default_factory=dict)


def extract(tree: HtmlElement) -> Extraction | None:
    """The main text of the page, or None when trafilatura finds no article in it.

    Options chosen on the Zyte tuning split (benchmarks/zyte_extraction.py, mean token F1 over 121
    pages): balanced 0.965, favor_precision 0.970, favor_recall 0.967; with ``fast`` (no second-opinion
    extractors) recall 0.968 at ~1.3x the pages per second, precision 0.955 with a page lost. So recall
    and fast first, then trafilatura's full default run for a page where that finds nothing, so that no
    page its defaults extract is refused.
    """
    document = _run(tree, first_try=True)
    if document is None or document.body is None or not len(document.body):
        document = _run(tree, first_try=False)
    if document is None or document.body is None:
        return None
    blocks = [b for b in _blocks(document.body) if b.text]
    wanted = ("title", "author", "date", "sitename", "url")
    metadata = {key: getattr(document, key, None) for key in wanted}
    return Extraction(blocks, {k: v for k, v in metadata.items() if v})


def _run(tree: HtmlElement, first_try: bool) -> Document | None:
    """One trafilatura run: XML-like output (its structure marks headings, lists, tables), without
    comments (not the article), formatting, links or images (markup to strip again); tables kept."""
    document = trafilatura.bare_extraction(
        tree,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        include_links=False,
        include_images=False,
        with_metadata=True,
        favor_recall=first_try,
        fast=first_try,
        date_extraction_params={**DATE_PARAMS, "max_date": date.today().isoformat()},
    )
    return document if isinstance(document, Document) else None


def _blocks(element: _Element) -> list[Block]:
    """Blocks of a container in order; its loose text (before and between children) is paragraphs too."""
    found = [Block(_SPACE.sub(" ", element.text or "").strip(), False)]
    for child in element:
        found.extend(_child_blocks(child))
        found.append(Block(_SPACE.sub(" ", child.tail or "").strip(), False))
    return found


def _child_blocks(child: _Element) -> list[Block]:
    tag = child.tag
    if not isinstance(tag, str) or tag in ("graphic", "lb"):
        return []
    if tag == "quote" and any(c.tag in _LEAVES or c.tag == "list" for c in child):
        return _blocks(child)
    if tag == "head":
        level = child.get("rend", "h2")
        return [] if level == "h1" else [Block(_text(child), True if level in _SECTION_LEVELS else None)]
    if tag == "row":
        cells = [_text(cell) for cell in child if cell.tag == "cell"]
        return [Block(" | ".join(c for c in cells if c), False)]
    if tag == "item":
        nested = [c for c in child if c.tag in ("list", "table")]
        return [Block(_text(child, skip=nested), False), *(b for sub in nested for b in _blocks(sub))]
    if tag in _LEAVES:
        return [Block(_text(child), False)]
    return _blocks(child)


def _text(element: _Element, skip: list[_Element] | None = None) -> str:
    """The element's text with line breaks as spaces, whitespace folded (``skip`` subtrees left out)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if skip and child in skip:
            parts.append(" ")
        elif child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return _SPACE.sub(" ", "".join(parts)).strip()
