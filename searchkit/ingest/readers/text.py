"""Plain-text articles: decoding, and splitting into raw blocks for the three layouts seen in real files.

- one paragraph per line (the seed article);
- paragraphs separated by blank lines, their lines hard-wrapped (BBC);
- hard-wrapped lines whose paragraphs start with an indent (Reuters bodies).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from pathlib import PurePath

from ...errors import InputError
from ...model import Article, Block, Reading

_TERMINAL = tuple(".!?:;,\"'”’)…")
_WRAP_WIDTH = 100
_INDENT = re.compile(r"^(?:\t| {2,})\S")


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Bytes → text: a declared charset or BOM first, then UTF-8, then cp1252 (legacy news files).

    Refuses binary and empty input with an ``InputError`` that names the file.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to add")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file, not text; searchkit reads text, HTML and JSON")
    for encoding in _candidate_encodings(data, declared):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        break
    else:  # pragma: no cover - latin-1 decodes any byte string
        raise InputError(f"{name}: unknown text encoding; save it as UTF-8")
    text = text.lstrip("\ufeff")
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(f"{name}: looks like a binary file, not text; searchkit reads text, HTML and JSON")
    if not text.strip():
        raise InputError(f"{name}: the file is empty; nothing to add")
    return text


def _candidate_encodings(data: bytes, declared: str | None) -> list[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    return [enc for enc in (declared, "utf-8", "cp1252", "latin-1") if enc]


def split_blocks(text: str) -> list[Block]:
    """Text → raw paragraph blocks, whichever of the three layouts it uses."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            groups[-1].append(line.rstrip())
        elif groups[-1]:
            groups.append([])
    blocks: list[Block] = []
    for group in groups:
        for lines in _split_group(group):
            joined = " ".join(part.strip() for part in lines)
            if joined:
                blocks.append(Block(re.sub(r"\s+", " ", joined)))
    return blocks


def _split_group(lines: list[str]) -> list[list[str]]:
    """Split one run of non-blank lines into paragraphs: at indents, or one per line, or not at all."""
    if len(lines) <= 1:
        return [lines]
    if any(_INDENT.match(line) for line in lines[1:]):
        paragraphs: list[list[str]] = [[]]
        for line in lines:
            if _INDENT.match(line) and paragraphs[-1]:
                paragraphs.append([])
            paragraphs[-1].append(line)
        return paragraphs
    if _looks_hard_wrapped(lines):
        return [lines]
    return [[line] for line in lines]


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Wrapped lines are of similar, moderate width and mostly stop mid-sentence."""
    body = lines[:-1]
    if statistics.median(len(line) for line in body) > _WRAP_WIDTH:
        return False
    open_ended = sum(1 for line in body if not line.rstrip().endswith(_TERMINAL))
    return open_ended >= len(body) / 2


def headline_of(text: str) -> str | None:
    """The first line, when it stands alone as a headline (short, no closing full stop, text follows)."""
    stripped = text.lstrip("\ufeff").replace("\r\n", "\n").strip("\n")
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if not rest.strip() or not first or len(first) > 150 or len(first.split()) > 20:
        return None
    if first.endswith((".", ",", ";", ":")) and not first.endswith("..."):
        return None
    return first


def title_from_name(name: str) -> str | None:
    """A title from a descriptive file name ('2025-paris-ukraine-talks.txt'), None for '001.txt'."""
    stem = PurePath(name).name.split(".")[0]
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    if sum(1 for w in words if re.search(r"[^\W\d_]{2,}", w)) < 2:
        return None
    title = " ".join(words)
    return title[0].upper() + title[1:]


_BY = re.compile(r"^\s*(?:by|written by|posted by)\s+", re.I)
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*", re.I)


def split_authors(text: str | None) -> list[str]:
    """'By Ann Lee and Bo Chan' → ['Ann Lee', 'Bo Chan']; a URL or www. address is not a person."""
    if not text or re.match(r"\s*(?:https?://|www\.)", text):
        return []
    text = _BY.sub("", re.sub(r"\s+", " ", text).strip())
    names: dict[str, str] = {}
    for part in _AUTHOR_SEPARATORS.split(text):
        part = part.strip(" .")
        if len(part) > 1:
            names.setdefault(part.lower(), part)
    return list(names.values())


def first_sentence(text: str, limit: int = 120) -> str:
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text.strip(), maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def read(data: bytes, name: str, **_options: object) -> Reading:
    """A plain-text file is one article; a standalone first line is its headline."""
    text = decode(data, name)
    headline = headline_of(text)
    body = text.replace("\r\n", "\n").strip("\n\ufeff").partition("\n")[2] if headline else text
    blocks = split_blocks(body)
    if not blocks:
        raise InputError(f"{name}: has a headline but no article text")
    article = Article(blocks=blocks, origin=name)
    if headline:
        article.title, article.provenance["title"] = headline, "first line"
    elif (from_name := title_from_name(name)) is not None:
        article.title, article.provenance["title"] = from_name, "file name"
    else:
        article.title, article.provenance["title"] = first_sentence(blocks[0].text), "first sentence"
    return Reading([article])
