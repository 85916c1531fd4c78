"""Word lists and the gazetteer as data files beside the code (shipped as package data).

Format of every file: UTF-8 text, ``#`` starts a comment line, blank lines are ignored. ``lexicon.txt``
holds sections: ``[name]`` then whitespace-separated words, or ``key = value`` lines for a mapping.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def data_lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of a data file, stripped."""
    text = (FOLDER / name).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


@cache
def sections(name: str) -> dict[str, list[str]]:
    """``[section]`` → its lines, in order."""
    out: dict[str, list[str]] = {}
    current = None
    for line in data_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{FOLDER / name}: {line!r} comes before any [section]")
        else:
            current.append(line)
    return out


def words(section: str, name: str = "lexicon.txt") -> frozenset[str]:
    return frozenset(w for line in sections(name)[section] for w in line.split())


def mapping(section: str, name: str = "lexicon.txt") -> dict[str, str]:
    pairs = (line.partition("=") for line in sections(name)[section])
    return {k.strip(): v.strip() for k, sep, v in pairs if sep}
