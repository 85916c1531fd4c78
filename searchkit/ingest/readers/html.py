"""HTML pages: one article per page, its body text as blocks and its metadata with provenance.

The page is decoded once (BOM, then the declared charset, then UTF-8, then detection) and parsed once
with lxml; trafilatura extracts the article from that tree (``htmlbody``) and searchkit's own metadata
rules read the same tree (``htmlmeta``). No lxml object leaves this package.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import repair_faulty_html

from ...errors import InputError
from ...model import Article, Block, Reading
from .htmlbody import extract
from .htmlmeta import extract_metadata
from .text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
#: Labels browsers treat as another encoding (WHATWG Encoding standard).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
#: Deepest element nesting kept. libxml2 drops a whole page nested deeper than 256 elements (and more
#: than ~2,000 with ``huge_tree``); real articles nest a few dozen deep, so deeper tags are unwrapped.
MAX_DEPTH = 200
#: Fewer letters than this in the body is no article (a menu, a login wall), not a short news item.
MIN_LETTERS = 50
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: How far up the open elements a closing tag looks for its match (bounds the work per tag).
_CLOSE_SEARCH = 32


def read(data: bytes, name: str, **_options: object) -> Reading:
    """One article from one page; ``InputError`` when the page has no article text to find."""
    tree = parse(decode(data, name, declared_charset(data)), name)
    meta = extract_metadata(tree)  # before extraction: trafilatura prunes its own copy, not this tree
    body = extract(tree)
    if body is None or not is_article(body.blocks):
        raise InputError(
            f"{name}: no article text found in this HTML page (a front page or a login wall?); save the "
            "article page itself, or copy its text into a .txt file"
        )
    meta.add_extracted(body.metadata)
    article = Article(
        blocks=without_byline(body.blocks, meta.authors),
        title=meta.title,
        source=meta.source,
        date=meta.date,
        url=meta.url,
        authors=meta.authors,
        language=meta.language,
        origin=name,
        provenance=meta.provenance,
    )
    return Reading([article])


def without_byline(blocks: list[Block], authors: list[str]) -> list[Block]:
    """The blocks without a "By Ann Lee" line among the first three: it is metadata, not article text."""
    if not authors:
        return blocks
    return [
        block
        for i, block in enumerate(blocks)
        if not (i < 3 and len(block.text) <= 80 and block.text.startswith("By ") and authors[0] in block.text)
    ]


def is_article(blocks: list[Block]) -> bool:
    """Whether the text found is an article: some text beside headings, and more than a menu's worth.

    trafilatura returns whatever text a page has, so a page of links or a login wall comes back as
    "Home" or "Sign in to continue reading"; fewer than ``MIN_LETTERS`` letters is no article. Letters,
    not words: Chinese, Japanese or Thai text has no spaces between words.
    """
    text = "".join(block.text for block in blocks if block.heading is not True)
    return sum(ch.isalpha() for ch in text) >= MIN_LETTERS


def parse(text: str, name: str) -> lxml_html.HtmlElement:
    """The page as an lxml tree; a page nested deeper than ``MAX_DEPTH`` is flattened first, not lost."""
    try:
        return _parse(text)
    except _TooDeep:
        return _parse(flatten(text, MAX_DEPTH))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: cannot be parsed as HTML ({exc}); check it is a web page") from None


class _TooDeep(Exception):
    pass


def _parse(text: str) -> lxml_html.HtmlElement:
    """Parsed as trafilatura parses (its repairs, no comments or processing instructions), from our text."""
    text = repair_faulty_html(text, text[:50].lower())
    parser = lxml_html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    data = text.encode("utf-8", "surrogatepass")
    try:
        tree = lxml_html.fromstring(data, parser=parser)
    except etree.ParserError:
        if _too_deep(parser):
            raise _TooDeep from None
        raise
    if _too_deep(parser):
        raise _TooDeep
    return tree


def _too_deep(parser: lxml_html.HTMLParser) -> bool:
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def flatten(text: str, max_depth: int) -> str:
    """``text`` without the start and end tags of elements nested deeper than ``max_depth``.

    One pass over the tags, so linear in the page's length whatever its nesting; text is kept, only
    the markup of the too-deep wrappers goes. Unmatched end tags are left for the parser to ignore.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag name, kept)
    last = 0
    for match in _TAG.finditer(text):
        closing, tag = match.group(1), match.group(2).lower()
        drop = False
        if closing:
            for back in range(len(stack) - 1, max(-1, len(stack) - 1 - _CLOSE_SEARCH), -1):
                if stack[back][0] == tag:
                    drop = not stack[back][1]
                    del stack[back:]
                    break
        elif tag not in _VOID and not match.group(0).endswith("/>"):
            drop = len(stack) >= max_depth
            stack.append((tag, not drop))
        if drop:
            out.append(text[last : match.start()])
            out.append(" ")
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, or a detected one when it declares none and is not UTF-8."""
    match = _META_CHARSET.search(data[:4096])
    if match:
        label = match.group(1).decode("ascii").lower()
        return _ALIASES.get(label, label)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _detected(data)
    return None


def _detected(data: bytes) -> str | None:
    """charset-normalizer's guess for an undeclared, non-UTF-8 page (imported only when needed).

    Among the encodings that decode the page cleanly, cp1252 wins as browsers' Western default: on short
    pages the detector cannot tell it from its Central European and Baltic neighbours.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:65536])
    if any(match.encoding == "cp1252" for match in matches):
        return "cp1252"
    best = matches.best()
    return best.encoding if best else None
