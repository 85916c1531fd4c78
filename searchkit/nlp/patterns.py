"""Patterns on surface text shared by the rules, defined once."""

from __future__ import annotations

import re

from .lexicon import ATTRIBUTION_VERBS, FACILITY_WORDS, NAV_SEPARATORS, ORG_HEAD_WORDS, TITLE_WORDS

#: "'s" or a bare apostrophe ending a name ("Clinton's", "the Jones'").
POSSESSIVE = re.compile(r"\s*(?:['’]s|['’])$")
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: The word (letters, digits, dots) right before a position: a title or preposition ("Mr.", "in").
WORD_BEFORE = re.compile(r"([\w.]+)\s*$")


def word_before(text: str, end: int) -> str:
    """The word (run of non-spaces) ending before ``end``, "" at the start of ``text``. Read from the
    right: callers ask per mention or per candidate word, and splitting all the text before the position
    each time costs the paragraph's length."""
    words = text[:end].rsplit(None, 1)
    return words[-1] if words else ""


_ATTRIBUTION = "|".join(sorted(ATTRIBUTION_VERBS))
#: A verb of attribution right after a name ("Chikhi said", "Chikhi, said …").
SAID_AFTER = re.compile(rf",?\s+(?:{_ATTRIBUTION})\b")
#: A verb of attribution right before a name, after a quote or a comma ('…," said Chikhi'): match the
#: text before the name.
SAID_BEFORE = re.compile(rf"[,”\"] (?:{_ATTRIBUTION}) $")
#: A capitalised word of a name, accented letters too ("Ana", "Çelebi", "Jean-Pierre").
CAP_NAME = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þa-zß-ÿ][a-zß-ÿ]+)?")
_NOT_IN_NAMES = ORG_HEAD_WORDS | FACILITY_WORDS | TITLE_WORDS


def plain_name(text: str) -> bool:
    """One to three capitalised name words, none an organisation, site or title word: the shape of a
    person's name ("Musa Kiprono"), not a list's tail ("Land, Water and Planning"), a company form
    ("Co., Ltd."), a site ("Central Hospital") or an office ("Prime Minister")."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(CAP_NAME.fullmatch(w) and w.lower() not in _NOT_IN_NAMES for w in words)


#: A capitalised word right before a position, after a space, bracket or quote: a possible given name.
CAPITALISED_BEFORE = re.compile(r"(?:^|(?<=[\s(“\"]))(" + CAP_NAME.pattern + ") $")
#: "Lam Cheuk-ting", "Wong Mei-ling": a short family name and a hyphenated given name.
EAST_ASIAN_NAME = re.compile(r"[A-Z][a-z]{1,4} [A-Z][a-z]+-[a-z]+")
#: Words that an acronym's letters skip ("Center for European Policy Analysis" → CEPA).
ACRONYM_SKIP = frozenset("of for the and on in de".split())


def trimmed(surface: str) -> str:
    """A surface form without a possessive or a leading "the"/"The"."""
    return re.sub(r"^(?:the|The)\s+", "", POSSESSIVE.sub("", surface))


def in_navigation(text: str, start: int, end: int) -> bool:
    """Publisher navigation ("Facebook | Instagram | Youtube") is furniture, not content."""
    left, right = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    return bool(left and left in NAV_SEPARATORS) or bool(right and right in NAV_SEPARATORS)


_NAME_THEN_HYPHEN = re.compile(r"[A-Z][\w'’]*-$")


def name_boundary(text: str, start: int, end: int, hyphened: bool = False) -> bool:
    """Word boundaries on both sides, a possessive after; with ``hyphened``, a hyphen between two names
    too ("Russia-Ukraine", but not "ex-Barcelona" or "Singapore-born")."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if hyphened and before == "-":
        if not _NAME_THEN_HYPHEN.search(text[:start]):
            return False
    elif before and (before.isalnum() or before in "-_@#/&."):
        return False
    if hyphened and after == "-":
        return text[end + 1 : end + 2].isupper()
    if after and (after.isalnum() or after in "-_@&"):
        return False
    return not (after in "." and text[end + 1 : end + 2].isalnum())  # "Amazon.com" vs "Amazon."
