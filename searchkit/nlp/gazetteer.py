"""A generic gazetteer of well-known organisations the small model rarely tags (or tags as people).

Curated from general knowledge of English-language news, not from any evaluation set: international
organisations and agencies, news agencies, broadcasters and papers, the largest companies and platforms,
banks, carmakers, airlines, drug makers, central banks, sports bodies and leagues, political parties,
government agencies, universities, famous bands and religious bodies. The list is
``data/organisations.txt``, one organisation a line: ``Canonical name | other written form | ...``;
every form is matched case-sensitively on word boundaries, so "Apple" matches but "apple" does not.
Pure Python, no spaCy.

Ambiguous single words are left out ("Target", "Gap", "Virgin", "Mars", "Visa", "Fed"), and the
matcher in :func:`hits` skips forms written inside an all-capitals run (headlines: "WHO SAID").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .data import data_lines
from .patterns import name_boundary, word_before

_WORD = re.compile(r"[A-Za-z0-9ÀÉÈÖÜ][\w.&'’/!-]*")
_CAPS_WORD = re.compile(r"[A-Z]{2,}")


@lru_cache(maxsize=1)
def forms() -> dict[str, str]:
    """Written form → canonical name."""
    out: dict[str, str] = {}
    for line in data_lines("organisations.txt"):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for name in names:
            out.setdefault(name, names[0].removeprefix("The "))
    return out


@lru_cache(maxsize=1)
def _by_first_word() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for form in forms():
        index.setdefault(form.split()[0], []).append(form)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    return index


def canonical(name: str) -> str | None:
    """The gazetteer's name for a written form ("WHO" → "World Health Organization"), or None."""
    return forms().get(name)


def hits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, form) of every gazetteer form in ``text``, longest first at each place, on word
    boundaries (a possessive may follow), not inside an all-capitals run."""
    index = _by_first_word()
    out: list[tuple[int, int, str]] = []
    last = 0
    for word in _WORD.finditer(text):
        start = word.start()
        if start < last:
            continue
        token = word.group(0)
        for key in {token, token.rstrip(".,'’!"), re.sub(r"['’]s$", "", token)}:
            for form in index.get(key, ()):
                end = start + len(form)
                if text.startswith(form, start) and name_boundary(text, start, end) and not _in_caps(text, start, end):
                    out.append((start, end, form))
                    last = end
                    break
            else:
                continue
            break
    return out


def _in_caps(text: str, start: int, end: int) -> bool:
    """A form inside a headline in capitals ("WHO WON"): the words either side are capitals too."""
    right = text[end:].split(None, 1)[:1]
    return any(_CAPS_WORD.fullmatch(w.strip(".,:;!?\"'“”")) for w in [word_before(text, start), *right])
