"""Canonical entity names within one article, from raw model mentions and the article's own evidence.

Pure Python (no spaCy), so the rules can be tested on hand-made mentions. The steps, in order:
type from the model label (demonyms are groups, never places); surface cleaning (``the``, possessives,
titles and roles, country variants); person evidence from titles and appositions; short forms →
the full person name used in the article; one type per name by vote (a person once is a person
throughout); acronyms → the spelled-out organisation. User aliases come after, in the pipeline.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .lexicon import (
    DEMONYM_SUFFIXES,
    FACILITY_WORDS,
    DEMONYMS,
    FEMALE_TITLES,
    MALE_TITLES,
    NAV_SEPARATORS,
    PERSON_TITLES,
    ROLE_WORDS,
    TITLE_WORDS,
    VARIANTS,
)

LABEL_TYPES = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
_POSSESSIVE = re.compile(r"\s*(?:['’]s|['’])$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_WORD_BEFORE = re.compile(r"([\w.]+)\s*$")
_APPOSITION = re.compile(
    r"^\s*,\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w.'’-]+\s+){0,2}?(?P<role>[\w]+)\b", re.I
)
_ACRONYM_SKIP = frozenset("of for the and on in de".split())


@dataclass
class Mention:
    """One entity mention: ``para`` indexes the article's paragraphs, offsets are into that text.

    ``type`` and ``name`` are filled by :func:`resolve`; an empty name means "not an entity".
    """

    para: int
    start: int
    end: int
    text: str
    label: str
    type: str = ""
    name: str = ""
    gender: str | None = None

    @property
    def position(self) -> tuple[int, int]:
        return (self.para, self.start)


def resolve(mentions: list[Mention], texts: list[str]) -> None:
    """Fill ``type`` and ``name`` of every mention of one article (``texts`` are its paragraphs)."""
    for m in mentions:
        _first_pass(m, texts[m.para])
    live = [m for m in mentions if m.name]
    _expand_short_person_names(live)
    _vote_types(live)
    _expand_acronyms(live)


def is_demonym(text: str) -> bool:
    word = text.strip().lower()
    return " " not in word and (word in DEMONYMS or word.endswith(DEMONYM_SUFFIXES))


def clean(text: str) -> str:
    """Surface form → name: one space, no leading article, no possessive."""
    text = _POSSESSIVE.sub("", " ".join(text.split()))
    if text.count("(") > text.count(")"):  # "World Health Organisation (WHO" cut mid-bracket
        text = text[: text.rindex("(")]
    return _LEADING_ARTICLE.sub("", text).strip(" ,;:")


def strip_titles(name: str) -> tuple[str, list[str]]:
    """Drop leading titles, roles and qualifiers ("U.S. Secretary of State Marco Rubio" → "Marco Rubio")."""
    words = name.split()
    stripped: list[str] = []
    while len(words) > 1 and _is_title_token(words[0], words[1:]):
        stripped.append(words.pop(0))
    return " ".join(words), stripped


def _is_title_token(word: str, rest: list[str]) -> bool:
    key = word.lower().rstrip(".")
    if key in TITLE_WORDS or word.lower() in VARIANTS or is_demonym(word) or word.islower():
        return True
    return key == "of" and bool(rest)


def _first_pass(m: Mention, text: str) -> None:
    """Type, cleaned name and person evidence from the mention and its immediate context."""
    kind = LABEL_TYPES.get(m.label)
    if kind is None or _in_navigation(text, m.start, m.end):
        return
    name, titles = clean(m.text), []
    if kind == "place" and is_demonym(name):
        kind = "group"
    if kind == "person" or (kind == "org" and (name.split() or [""])[0].lower().rstrip(".") in PERSON_TITLES):
        name, titles = strip_titles(name)
    elif kind == "org":
        name = _strip_country_qualifier(name)
        if _is_facility(name):
            kind = "place"
    if _only_titles(name):
        return
    before = _WORD_BEFORE.search(text[: m.start])
    titles = [t.lower().rstrip(".") for t in titles] + ([before.group(1).lower().rstrip(".")] if before else [])
    evidence = bool(PERSON_TITLES & set(titles)) or _has_role_apposition(text, m.end)
    if kind in ("org", "place") and evidence and _looks_like_name(name):
        kind = "person"
    if kind == "person":
        m.gender = "f" if FEMALE_TITLES & set(titles) else "m" if MALE_TITLES & set(titles) else None
    else:
        name = VARIANTS.get(name.lower(), name)
    m.type, m.name = kind, name


def _only_titles(name: str) -> bool:
    return all(w.lower().rstrip(".") in TITLE_WORDS or w == "of" for w in name.split())


def _is_facility(name: str) -> bool:
    words = name.split()
    head = words[: words.index("of")] if "of" in words[1:] else words
    return len(words) > 1 and head[-1].lower() in FACILITY_WORDS


def _strip_country_qualifier(name: str) -> str:
    words = name.split()
    if len(words) >= 3 and words[0].lower() in VARIANTS:
        return " ".join(words[1:])
    return name


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and name.lower() not in VARIANTS


def _has_role_apposition(text: str, end: int) -> bool:
    match = _APPOSITION.match(text[end:])
    return bool(match) and match.group("role").lower() in ROLE_WORDS


def _in_navigation(text: str, start: int, end: int) -> bool:
    """Publisher navigation ("Facebook | Instagram | Youtube") is furniture, not content."""
    left, right = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    return bool(left and left in NAV_SEPARATORS) or bool(right and right in NAV_SEPARATORS)


def _expand_short_person_names(mentions: list[Mention]) -> None:
    """A surname or shorter form (or a first name only one person has) → the fullest person name."""
    full = [m for m in mentions if m.type == "person" and len(m.name.split()) > 1]
    for m in mentions:
        if m.type == "group":
            continue
        words = m.name.split()
        candidates = [f for f in full if len(f.name.split()) > len(words) and f.name.split()[-len(words):] == words]
        if not candidates and len(words) == 1:  # a first name alone, when only one person bears it
            bearers = {f.name for f in full if f.name.split()[0] == words[0]}
            candidates = [f for f in full if f.name in bearers] if len(bearers) == 1 else []
        if not candidates:
            continue
        before = [f for f in candidates if f.position < m.position]
        chosen = max(before, key=lambda f: f.position) if before else min(candidates, key=lambda f: f.position)
        longest = max((f.name for f in candidates if f.name.endswith(chosen.name)), key=len, default=chosen.name)
        m.type, m.name = "person", longest
        m.gender = m.gender or chosen.gender


def _vote_types(mentions: list[Mention]) -> None:
    """One type per name: a person once is a person throughout; otherwise the most frequent type."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[m.name][m.type] += 1
    for m in mentions:
        counts = votes[m.name]
        if "person" in counts and _looks_like_name(m.name):
            m.type = "person"
        else:
            m.type = counts.most_common(1)[0][0]
    genders = {m.name: m.gender for m in mentions if m.gender}
    for m in mentions:
        m.gender = m.gender or genders.get(m.name)


def _expand_acronyms(mentions: list[Mention]) -> None:
    """"CEPA" → "Center for European Policy Analysis" when the article spells it out."""
    spelled = {}
    for m in mentions:
        if m.type == "org" and len(m.name.split()) > 1:
            initials = "".join(w[0] for w in m.name.split() if w.lower() not in _ACRONYM_SKIP)
            if initials.isupper() and len(initials) > 1:
                spelled.setdefault(initials, m.name)
    for m in mentions:
        key = m.name.replace(".", "")
        if m.type == "org" and key.isupper() and key in spelled:
            m.name = spelled[key]
