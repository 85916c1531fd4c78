"""HTML pages: one article per page, its body text as blocks and its metadata with provenance.

The page is decoded once (BOM, then the declared charset, then UTF-8, then detection) and parsed once
with lxml through BeautifulSoup; metadata is read before the body extractor prunes the tree.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from ...errors import InputError
from ...model import Article, Reading
from .htmlbody import extract_blocks
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


def read(data: bytes, name: str, **_options: object) -> Reading:
    """One article from one page; ``InputError`` when the page has no article text to find."""
    text = decode(data, name, declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml can fail on pathological input; the file is then unusable
        raise InputError(f"{name}: cannot be parsed as HTML ({exc}); check it is a web page") from None
    meta = extract_metadata(soup)
    blocks = extract_blocks(soup)
    if not any(block.heading is not True for block in blocks):
        raise InputError(
            f"{name}: no article text found in this HTML page; save the article page itself, "
            "or copy its text into a .txt file"
        )
    article = Article(
        blocks=blocks,
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
