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
    """Bytes → text: a BOM (UTF-8, UTF-16, UTF-32) or UTF-16/32 recognised by where its NUL bytes fall,
    else a declared charset, else UTF-8; a file that is not all UTF-8 is decoded line by line, each line
    as UTF-8 if it can be, else cp1252 (legacy news files, and files pasted together from both).

    Refuses binary and empty input with an ``InputError`` that names the file.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to add")
    wide = _wide_encoding(data)
    if wide:
        text = data.decode(wide, "replace")
    elif b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text; searchkit reads text, HTML and JSON")
    else:
        text = _decode_narrow(data, declared)
    text = text.lstrip("\ufeff")
    controls = sum(1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(f"{name}: looks like a binary file, not text; searchkit reads text, HTML and JSON")
    if not text.strip():
        raise InputError(f"{name}: the file is empty; nothing to add")
    return text


#: Byte order marks, the four-byte ones before the UTF-16 marks they start with.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """The encoding a BOM names, or UTF-16/32 without one, told by its NUL bytes: in text mostly of
    Latin letters, each character's unused high bytes are NUL, always at the same places in 2 or 4."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    n = min(len(data), 8192) // 4 * 4
    if n < 8:
        return None
    nul = [data[i:n:4].count(0) / (n // 4) for i in range(4)]
    patterns = (
        ("utf-32-le", (False, True, True, True)),
        ("utf-32-be", (True, True, True, False)),
        ("utf-16-le", (False, True, False, True)),
        ("utf-16-be", (True, False, True, False)),
    )
    for encoding, zero in patterns:
        if all(share > 0.6 if z else share < 0.05 for share, z in zip(nul, zero, strict=True)):
            return encoding
    return None


def _decode_narrow(data: bytes, declared: str | None) -> str:
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return "\n".join(_decode_line(line) for line in data.split(b"\n"))


def _decode_line(line: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1")  # cp1252 leaves five bytes undefined; latin-1 decodes any byte


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
