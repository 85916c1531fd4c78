"""Fitting text to the terminal: its width, wrapping on word boundaries, truncating with an ellipsis.

Text is laid out as *pieces* (plain text with an optional SGR style code) so that colour codes never
count towards a line's width and a match stays highlighted when it is wrapped across lines. Widths are
terminal cells: wide (East Asian) characters take two, combining marks none.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence

#: A run of text and its SGR style ("1;33"), or None for plain text.
Piece = tuple[str, "str | None"]
#: Words too long for a line that are left whole rather than cut: addresses and file paths.
_UNBREAKABLE = re.compile(r"^(?:\S*://|/|~/)\S+$")
ELLIPSIS = "…"


def terminal_width() -> int:
    """``COLUMNS``, else the terminal's width; 80 when output is piped (or read by a pager from a pipe)."""
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes."""
    if text.isascii():
        return len(text)
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def style(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code and text else text


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" when it was cut."""
    if cells(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    out, used = [], 0
    for char in text:
        used += cells(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out).rstrip() + ELLIPSIS


def truncate_left(text: str, width: int) -> str:
    """``text`` cut from the left ("…/sport/001.txt"): the end of a path says most."""
    if cells(text) <= width:
        return text
    return ELLIPSIS + truncate(text[::-1], width)[-2::-1] if width > 1 else ELLIPSIS[:width]


def words(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """Split styled text into words at whitespace; a word may be made of several styled pieces."""
    found: list[list[Piece]] = []
    current: list[Piece] = []
    for text, code in pieces:
        for i, part in enumerate(re.split(r"(\s+)", text)):
            if i % 2:  # whitespace
                if current:
                    found.append(current)
                    current = []
            elif part:
                current.append((part, code))
    if current:
        found.append(current)
    return found


def wrap(
    atoms: Sequence[Sequence[Piece]],
    width: int,
    color: bool,
    indent: str = "",
    hanging: str | None = None,
    sep: str = " ",
) -> list[str]:
    """Lay ``atoms`` (words, or units such as "Bank of Japan 12" that must not be split) out in lines of
    at most ``width`` columns, ``sep`` between atoms on a line (a comma in it stays at the end of a
    line it breaks). ``indent`` starts the first line and ``hanging`` (default: as many spaces) the
    others. An atom longer than a whole line is cut at the edge, except an address or path, which is
    left whole on its own line."""
    hanging = " " * cells(indent) if hanging is None else hanging
    comma = sep.strip() if sep.strip() == "," else ""
    lines: list[str] = []
    line: list[str] = [indent]
    used = cells(indent)
    fresh = True
    for i, atom in enumerate(atoms):
        size = sum(cells(text) for text, _ in atom) + (len(comma) if i < len(atoms) - 1 else 0)
        gap = 0 if fresh else cells(sep)
        if not fresh and used + gap + size > width:
            line.append(comma)
            lines.append("".join(line))
            line, used, fresh, gap = [hanging], cells(hanging), True, 0
        room = width - used - gap
        if size > room and not _UNBREAKABLE.match("".join(text for text, _ in atom)):
            for chunk in _cut(atom, room, max(1, width - cells(hanging))):
                if not fresh:
                    lines.append("".join(line))
                    line, used = [hanging], cells(hanging)
                line.append(_render(chunk, color))
                used += sum(cells(text) for text, _ in chunk)
                fresh = False
            continue
        if not fresh:
            line.append(sep)
        line.append(_render(atom, color))
        used += gap + size - (len(comma) if i < len(atoms) - 1 else 0)
        fresh = False
    if not fresh or not lines:
        lines.append("".join(line))
    return [text.rstrip() for text in lines]


def _cut(atom: Sequence[Piece], first: int, rest: int) -> list[list[Piece]]:
    """An over-long word in chunks: ``first`` columns, then ``rest`` columns each."""
    chunks: list[list[Piece]] = [[]]
    room = max(1, first)
    for text, code in atom:
        for char in text:
            size = cells(char)
            if size > room and chunks[-1]:
                chunks.append([])
                room = rest
            if chunks[-1] and chunks[-1][-1][1] == code:
                chunks[-1][-1] = (chunks[-1][-1][0] + char, code)
            else:
                chunks[-1].append((char, code))
            room -= size
    return chunks


def _render(atom: Sequence[Piece], color: bool) -> str:
    return "".join(style(text, code, color) for text, code in atom)


def fill(pieces: Iterable[Piece], width: int, color: bool, indent: str = "", hanging: str | None = None) -> list[str]:
    """Styled running text wrapped on word boundaries."""
    return wrap(words(pieces), width, color, indent, hanging)
