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

from . import gazetteer
from .lexicon import (
    ABSTRACT_SUFFIXES,
    ARMED_FORCES,
    CAPTION_WORDS,
    COMBINING_SUFFIXES,
    DEMONYMS,
    FACILITY_WORDS,
    FEMALE_NAMES,
    FEMALE_TITLES,
    FIRST_NAMES,
    GIVEN_NAMES,
    HOLDING_NOUNS,
    KIN_WORDS,
    LANGUAGES,
    MALE_NAMES,
    MALE_TITLES,
    NOT_NAMES,
    OCCUPATIONS,
    ORG_FIRST_WORDS,
    ORG_HEAD_WORDS,
    ORG_NOUNS,
    PARTY_WORDS,
    PERSON_TITLES,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLACES,
    POLITICAL_WORDS,
    ROLE_ENDINGS,
    ROLE_WORDS,
    TITLE_WORDS,
    VARIANTS,
    is_demonym,
)
from .patterns import (
    ACRONYM_SKIP,
    CAP_NAME,
    EAST_ASIAN_NAME,
    LEADING_ARTICLE,
    POSSESSIVE,
    SAID_AFTER,
    SAID_BEFORE,
    WORD_BEFORE,
    in_navigation,
    plain_name,
)
from .recall import (
    acronym_mentions,
    dateline_mentions,
    gazetteer_mentions,
    given_names,
    headed_orgs,
    list_votes,
    nickname_mentions,
    place_mentions,
    place_noun_mentions,
    propagate,
    repair_spans,
)
from .records import Mention

LABEL_TYPES = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
_APPOSITION = re.compile(r"^\s*,\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w.'’-]+\s+){0,2}?(?P<role>[\w]+)\b", re.I)
_HYPHEN_TAIL = re.compile(r"-[a-z]+\b")
_INSTITUTION_HEADS = FACILITY_WORDS | ORG_HEAD_WORDS
_POSSESSIVES = frozenset("His Her Their His Its".split())
_FOREIGN_FIRST = frozenset("instituto universidad".split())
_SCORE_AFTER = re.compile(r"\s+\d{1,2}\s*[–-]\s*\d{1,2}(?![\d%.,]?\d)")
_SCORE_BEFORE = re.compile(r"(?<![\d.,])\d{1,2}\s*[–-]\s*\d{1,2}\s+(?:(?:to|against|over|with|at)\s+)?$")
_SCORE = re.compile(r"(?<![\d.,])\d{1,2}\s*[–-]\s*\d{1,2}(?![\d%.,]?\d)")
_SPORT_WORDS = re.compile(
    r"\b(?:match|matches|goal|goals|scored|cup|league|tournament|championship|coach|striker|goalkeeper|"
    r"innings|wickets|try|tries|penalty|half-time|halftime|kick-off|fixture|final whistle)\b",
    re.I,
)
_RESULT_VERBS = (
    r"beat|beats|beaten|defeated|defeat|defeats|lost|lose|loses|drew|draw|draws|won|win|wins|faced|"
    r"face|faces|edged|thrashed|routed|tied|eliminated|knocked out|play|plays|played"
)
_RESULT_AFTER = re.compile(r"\s+(?:" + _RESULT_VERBS + r")\b")
_RESULT_BEFORE = re.compile(
    r"\b(?:"
    + _RESULT_VERBS
    + r"|against|versus|vs\.?|v\.?|(?:lost|lose|loses|losing) to)\s+(?:debutants\s+|hosts\s+|holders\s+)?$"
)
_TEAM_ROLE = re.compile(
    r"\s*(?:['’]s\s+)?(?:national\s+(?:football\s+|soccer\s+|rugby\s+|cricket\s+|basketball\s+|hockey\s+)?team|"
    r"(?:head\s+)?coach|manager|goalkeeper|striker|squad)\b"
)
_LEADER_OF = re.compile(r"\s+(?:government|administration|cabinet|regime|presidency)\b")
_AFTER_PLACE = re.compile(r"\b(?:in|at|near|from) [A-Z][\w-]+(?: [A-Z][\w-]+)?, $")
_CLAUSE_END = re.compile(r"\s*(?:[,.;:)]|$)")
_TRAILING_JUNK = re.compile(r"(?:\s+[-–—]\s+[a-z]+|[/*])$")
_TRAILING_LINK = re.compile(r"\s+(?:of|in|at|for|and)$")
_STANCE = re.compile(r"(?:pro|anti|pan|non|ex)-", re.I)
_TRAILING_NUMBER = re.compile(r"\s+\d+$")
_HYPHENED_BEFORE = re.compile(r"([\w.-]+)\s+$")
_PERSON_CLAUSE = re.compile(r",\s+(?:who\b|(?:aged\s+)?\d{1,3},\s)")


def resolve(mentions: list[Mention], texts: list[str]) -> None:
    """Fill ``type`` and ``name`` of every mention of one article (``texts`` are its paragraphs).

    The list is changed in place: repaired spans replace the model's, and mentions found from the
    article's own evidence (acronyms in brackets, given names, repeated names) are added.
    """
    mentions[:] = repair_spans(mentions, texts)
    spelled = acronym_mentions(mentions, texts)
    gazetteer_mentions(mentions, texts)
    dateline_mentions(mentions, texts)
    place_mentions(mentions, texts)
    headed_orgs(mentions, texts)
    nickname_mentions(mentions, texts)
    place_noun_mentions(mentions, texts)
    for m in mentions:
        _first_pass(m, texts[m.para])
    list_votes(mentions, texts)
    given_names(mentions, texts)
    live = [m for m in mentions if m.name]
    _scores_to_names(live)
    _surnames_alone(live, texts)
    _expand_short_person_names(live)
    _vote_types(live)
    _known_places(live)
    _teams(live, texts)
    _expand_short_institutions(live)
    _expand_acronyms(live, spelled)
    _lone_words(live, texts)
    propagate(mentions, texts)


def aliases(mentions: list[Mention]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(name, type) → the other names it answers to: its written forms in the article that differ
    from the canonical name (after cleaning, titles dropped), the country variants and gazetteer
    acronyms of that name, and an organisation's initials ("International Criminal Court" → ICC)."""
    found: dict[tuple[str, str], dict[str, None]] = {}
    for m in mentions:
        if not m.name or m.type == "group":
            continue
        forms = found.setdefault((m.name, m.type), {})
        surface = clean(m.text)
        if m.type == "person":
            surface = strip_titles(surface)[0]
        forms[surface] = None
        forms.update(dict.fromkeys(_ACRONYMS_OF.get(m.name, ())))
        words = m.name.split()
        if m.type == "org" and len(words) > 1 and all(w[:1].isupper() or w in ACRONYM_SKIP for w in words):
            initials = "".join(w[0] for w in words if w not in ACRONYM_SKIP)
            if len(initials) > 2:  # two letters ("SD", "CC") name too many things
                forms[initials] = None
    return {
        key: tuple(f for f in forms if f and f.lower() != key[0].lower() and any(c.isupper() for c in f))
        for key, forms in found.items()
    }


def _acronyms_of() -> dict[str, list[str]]:
    """Canonical name → its short forms in capitals from the variants and the gazetteer ("EU", "U.S.")."""
    out: dict[str, list[str]] = {}
    for form, name in VARIANTS.items():
        if len(form.replace(".", "")) <= 5:
            out.setdefault(name, []).append(form.upper())
    for form, name in gazetteer.forms().items():
        if form.replace(".", "").isupper() and form != name:
            out.setdefault(name, []).append(form)
    return out


_ACRONYMS_OF = _acronyms_of()


def clean(text: str) -> str:
    """Surface form → name: one space, no leading article, no possessive."""
    text = POSSESSIVE.sub("", " ".join(text.split()))
    if text.count("(") > text.count(")"):  # "World Health Organisation (WHO" cut mid-bracket
        text = text[: text.rindex("(")]
    text = LEADING_ARTICLE.sub("", text.replace("<", "").replace(">", "")).strip(" ,;:")
    text = _TRAILING_JUNK.sub("", text)  # "Nabila Kram/", "Uhuru Kenyatta - the", "Simón*"
    return _TRAILING_LINK.sub("", text)  # "Brierley Investments Ltd of" (before "New Zealand")


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
    if kind is None or in_navigation(text, m.start, m.end):
        return
    name, titles = _trim(clean(m.text), text, m.end), list[str]()
    if not name or not any(c.isupper() or c.isdigit() for c in name):
        return
    if m.gazetteer and kind == "org" and not _titled(text, m.start):
        m.type, m.name = "org", gazetteer.canonical(name) or name  # a well-known organisation
        return
    if (kind == "place" and is_demonym(name)) or (kind == "org" and name.lower() in DEMONYMS):
        kind = "group"  # "Kenyan", "Indigenous": people; but "Guardian" (an -ian word) stays an organisation
    if kind == "person" and " " not in name and is_demonym(name):
        kind = "group"  # "Africans", "Tajik": a people, not a person
    if kind in ("place", "org") and name in LANGUAGES and not is_demonym(name):
        return  # "written in Hindi", "the Yoruba word": a language, no place or organisation
    if kind == "person" and m.text.lower().startswith("the "):
        return  # "the Bat Cave": a person's name takes no article
    if (
        kind in ("group", "org")
        and " " not in name
        and not is_demonym(name)
        and not _adjective(name)
        and _LEADER_OF.match(text[m.end :])
    ):
        kind = "person"  # "the Monti government"
    leader = kind == "person" and bool(_LEADER_OF.match(text[m.end :]))  # as good evidence as a title
    if (
        kind == "person"
        and " " not in name
        and _AFTER_PLACE.search(text[: m.start])
        and _CLAUSE_END.match(text[m.end :])
    ):
        kind = "place"  # "in Livorno, Tuscany,": a region after a town; "from Peru, Rosa Quispe," a person
    if kind == "person" or (
        kind == "org"
        and (name.split() or [""])[0].lower().rstrip(".") in PERSON_TITLES
        and not _institution(name)
        and " of " not in name
    ):  # "Prof Adaeze Obi", but not "Justice Department", "Minister of Agriculture" (an office)
        name, titles = strip_titles(name)
    elif kind == "org":
        name = _strip_country_qualifier(name)
    if kind == "org" and (holder := _titled_holder(name)):
        name, kind, titles = holder, "person", [*titles, "title"]  # "Office of President Ana Quiroga"
    if _is_facility(name):
        kind = "place"
    elif kind != "group" and _is_org_name(name):
        kind = "org"
    if kind == "person" and (name.split()[-1].lower().rstrip(".") in ROLE_ENDINGS or name.split()[0] in _POSSESSIVES):
        return  # "West Australian Premier", "His Majesty": a role, not a name
    if len(name.split()) == 1 and (name.lower().endswith(ABSTRACT_SUFFIXES) or name in NOT_NAMES):
        return  # "Islamophobia", "Homeopathy", "GMT": not organisations
    if _only_titles(name) and not (kind == "org" and (_is_org_name(name) or name.lower() in PARTY_WORDS)):
        return  # "Minister" alone, but "Labour Party" and "Labour" are organisations
    before = WORD_BEFORE.search(text[: m.start])
    titles = [t.lower().rstrip(".") for t in titles] + ([before.group(1).lower().rstrip(".")] if before else [])
    evidence = (
        bool(PERSON_TITLES & set(titles))
        or _has_role_apposition(text, m.end)
        or _kin_or_occupation_before(text, m.start)
    )
    if kind == "org" and evidence and _looks_like_name(name) and not _institution(name):
        kind = "person"  # but "the Lake Basin Planners Association, a member of …" stays an organisation
    elif kind == "place" and bool(PERSON_TITLES & set(titles)) and _looks_like_name(name) and not _institution(name):
        kind = "person"  # "Mr Paris"; a role after a comma does not make a country a person
    elif kind in ("org", "place") and _described_as_person(name, text, m.end):
        kind = "person"  # "Chinwe Okeke, who then ran the fund", "Sipho Ndlovu, 62, a farmer"
    elif kind == "org" and _has_first_name(name):
        kind = "person"
    elif kind in ("org", "place") and EAST_ASIAN_NAME.fullmatch(name):
        kind = "person"
    elif (
        kind in ("org", "person")
        and not evidence
        and _after_place_preposition(text, before)
        and _bare_place(name)
        and not (POSSESSIVE.search(m.text) or text[m.end : m.end + 1] in ("'", "’"))
    ):  # "talks in Mbalawe", "grew up in Mbalawe Kubwa"; but "a stake in Fichtel", "trust in Odinga’s team"
        kind = "place"
    elif (
        kind in ("org", "person")
        and not m.gazetteer
        and _bare_place(name)
        and (_place_noun_after(text, m.end) or (not evidence and _place_noun_of(text, m.start)))
    ):
        kind = "place"  # "Kiruhura district", "the Tamba area", "the town of Mbalawe"
    elif kind in ("person", "place") and before and before.group(1).lower() in ORG_NOUNS and name not in PLACES:
        kind = "org"  # "the NGO Sauti Yetu", "the video app Zoomba", "the club Bantu Rovers"
    m.evidence = (evidence or leader) and kind == "person"
    if kind == "person":
        m.gender = _gender(titles, name)
    else:
        name = VARIANTS.get(name.lower(), name)
        if kind == "org" and (" " in name or name.isupper()):  # not a one-word "Ford": maybe a surname
            name = gazetteer.canonical(name) or name
    m.type, m.name = kind, name


def _kin_or_occupation_before(text: str, start: int) -> bool:
    """ "his son Ernesto", "team-mate Okonkwo", "singer-songwriter Carly Simon": a family, team or job word
    right before the name (hyphenated ones whole)."""
    before = _HYPHENED_BEFORE.search(text, max(0, start - 60), start)
    return before is not None and (before.group(1) in OCCUPATIONS or before.group(1) in KIN_WORDS)


def _gender(titles: list[str], name: str) -> str | None:
    """From a title ("Mrs", "spokesman"), else from a common given name ("Hillary Clinton" → f)."""
    if FEMALE_TITLES & set(titles):
        return "f"
    if MALE_TITLES & set(titles):
        return "m"
    first = name.split()[0].lower() if " " in name else ""
    return "f" if first in FEMALE_NAMES else "m" if first in MALE_NAMES else None


def _titled(text: str, start: int) -> bool:
    before = WORD_BEFORE.search(text[:start])
    return before is not None and before.group(1).lower().rstrip(".") in PERSON_TITLES


def _adjective(word: str) -> bool:
    """ "Nicaraguan", "Philippine", "Conservative": adjectives before "government", not a leader's name."""
    low = word.lower()
    return low in POLITICAL_WORDS or low.endswith(("an", "ine", "ic", "ive", "ist", "ista", "ite"))


def _trim(name: str, text: str, end: int) -> str:
    """Span repairs: a caption word run in ("… Image: NASA"), a cut hyphenated name ("Wong Kwok|-hing"),
    a lowercase political prefix ("pro-Beijing New People Party")."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in CAPTION_WORDS and text[end:].lstrip().startswith(":"):
        words.pop()
    tail = _HYPHEN_TAIL.match(text[end:])
    if tail and tail.group(0)[1:] not in COMBINING_SUFFIXES and words and not name.endswith(("'s", "’s")):
        words[-1] += tail.group(0)
    while len(words) > 1 and "-" in words[0] and (words[0][:1].islower() or _STANCE.match(words[0])):
        words.pop(0)
    if len(words) == 1 and _STANCE.match(words[0]):
        return ""  # "pro-Beijing", "Pan-democrat": a stance, not a name
    return " ".join(words)


def _institution(name: str) -> bool:
    """A name headed by an organisation or site word ("Lake Basin Planners Association", "Central Hospital")."""
    return _is_org_name(name) or _is_facility(name)


def _is_org_name(name: str) -> bool:
    words = name.split()
    if len(words) < 2:
        return False
    first, last = words[0].lower(), words[-1].lower()
    return last in ORG_HEAD_WORDS or (first in ORG_FIRST_WORDS and ("of" in words or first in _FOREIGN_FIRST))


def _titled_holder(name: str) -> str | None:
    """The person closing an "organisation" span after a person's title: "Office of President Ana
    Quiroga", "the Cabinet of Prime Minister Sipho Ndlovu" → the name after the last title, when it is
    one to three plain capitalised words with no organisation or site word and is no known place."""
    words = name.split()
    at = max((i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in PERSON_TITLES), default=None)
    if at is None:
        return None
    holder = " ".join(words[at + 1 :])
    if not _plain_person_name(holder):
        return None
    return holder


def _described_as_person(name: str, text: str, end: int) -> bool:
    """A name of two or three plain capitalised words, no organisation or site word and no known place,
    followed by ", who" or by an age (", 80,"): only people are described so."""
    words = name.split()
    return (
        len(words) >= 2
        and _plain_person_name(name)
        and not any(w in PLACES for w in words)
        and bool(_PERSON_CLAUSE.match(text, end))
    )


def _plain_person_name(name: str) -> bool:
    """A person's name by its shape (:func:`~.patterns.plain_name`) that is no known place together
    ("Ana Quiroga", not "Costa Rica")."""
    return plain_name(name) and name not in PLACES


def _place_noun_after(text: str, end: int) -> bool:
    """A lower-case noun of places right after the name ("Kiruhura district", "Tamba village")."""
    after = re.match(r"\s([a-z]+)\b", text[end:])
    return after is not None and after.group(1) in PLACE_NOUNS


_PLACE_NOUN_OF = re.compile(r"\b(?:" + "|".join(sorted(PLACE_NOUNS)) + r")\s+of\s+$")


def _place_noun_of(text: str, start: int) -> bool:
    """A lower-case noun of places and "of" right before the name ("the town of Mbalawe", "the districts
    of Kibera")."""
    return _PLACE_NOUN_OF.search(text[max(0, start - 30) : start]) is not None


def _has_first_name(name: str) -> bool:
    """ "Dean Kamen": two or three capitalised words led by a common given name, no organisation word."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and words[0].lower() in GIVEN_NAMES
        and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words)
        and not any(w.isupper() and len(w) > 1 for w in words)
        and name not in PLACES
        and not _is_org_name(name)
    )


def _after_place_preposition(text: str, before: re.Match[str] | None) -> bool:
    """Whether ``before`` (the word before a name, :data:`WORD_BEFORE`) is a place preposition ("in
    Tuscany"), not after a noun of owning ("a stake in …", "shares in …": a company's name follows)."""
    if not before or before.group(1).lower() not in PLACE_PREPOSITIONS:
        return False
    owning = WORD_BEFORE.search(text[: before.start()])
    return not owning or owning.group(1).lower() not in HOLDING_NOUNS


def _bare_place(name: str) -> bool:
    """A name that could be a place: capitalised words, not an acronym, no organisation word, nor one
    alone ("in Parliament", "to Congress": the institution)."""
    return (
        not name.isupper()
        and not _is_org_name(name)
        and name.lower() not in ORG_HEAD_WORDS
        and all(w[:1].isupper() for w in name.split())
    )


def _scores_to_names(mentions: list[Mention]) -> None:
    """ "Sweden 1" (a score line) is the article's "Sweden" when that name is used too."""
    by_name = {m.name: m for m in mentions}
    for m in mentions:
        base = _TRAILING_NUMBER.sub("", m.name)
        if base != m.name and base in by_name:
            m.name, m.type = base, by_name[base].type


def _only_titles(name: str) -> bool:
    return all(w.lower().rstrip(".") in TITLE_WORDS or w == "of" for w in name.split())


def _is_facility(name: str) -> bool:
    words = name.split()
    head = words[: words.index("of")] if "of" in words[1:] else words
    return len(words) > 1 and head[-1].lower() in FACILITY_WORDS


def _generic_institution(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    return (len(low) > 2 and low[0] in ("department", "ministry") and low[1] == "of") or " ".join(low) in ARMED_FORCES


def _strip_country_qualifier(name: str) -> str:
    """ "U.S. State Department" → "State Department", "US National Science Foundation" → "National
    Science Foundation"; but a generic institution name keeps its country, spelled out: "United States
    Department of Agriculture", "United States Air Force" (every country has a Department of
    Agriculture and an air force)."""
    words = name.split()
    for n in (2, 1):
        head = " ".join(words[:n]).lower()
        if len(words) >= n + 1 and head in VARIANTS:
            rest = words[n:]
            if VARIANTS[head] == "United States" and _generic_institution(rest):
                return " ".join(["United", "States", *rest])
            return " ".join(rest) if len(rest) >= 2 else name
    return name


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and name.lower() not in VARIANTS


def _has_role_apposition(text: str, end: int) -> bool:
    """ "X, president of Y": a role after a comma, not a title before the next name ("Bolivia, President
    Evo Morales")."""
    match = _APPOSITION.match(text[end:])
    if not match or match.group("role").lower() not in ROLE_WORDS:
        return False
    return not re.match(r"\s+[A-Z]", text[end + match.end() :])


def _expand_short_person_names(mentions: list[Mention]) -> None:
    """A surname or shorter form (or a first name only one person has) → the fullest person name."""
    full = [m for m in mentions if m.type == "person" and len(m.name.split()) > 1]
    for m in mentions:
        if m.type == "group" or (m.type == "place" and m.name in PLACES):
            continue  # "Singapore" is not short for "Permata Singapore"
        words = m.name.split()
        candidates = [f for f in full if len(f.name.split()) > len(words) and f.name.split()[-len(words) :] == words]
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


def _surnames_alone(mentions: list[Mention], texts: list[str]) -> None:
    """An "organisation" of two or three plain capitalised words ("Abdelmadjid Chikhi") whose last word
    the article also writes alone as a speaker or after a title ("Chikhi said", '…," said Chikhi', "Ms
    Chikhi") is a person: news calls people by their surname later, but not organisations by their
    last word. The small model says ORG of many names it does not know."""
    joined = "\n".join(texts)
    alone: dict[str, bool] = {}  # name → its surname is written alone so: one scan of the article per name
    for m in mentions:
        words = m.name.split()
        if (
            m.type != "org"
            or not 2 <= len(words) <= 3
            or m.gazetteer
            or not all(CAP_NAME.fullmatch(w) for w in words)
            or _is_org_name(m.name)
            or any(w.lower() in ORG_HEAD_WORDS or w.lower() in ORG_FIRST_WORDS or w in PLACES for w in words)
        ):
            continue
        if m.name not in alone:
            alone[m.name] = _surname_said_alone(words, joined)
        if alone[m.name]:
            m.type = "person"


def _surname_said_alone(words: list[str], joined: str) -> bool:
    """Whether ``joined`` writes the last of ``words`` without the word before it, as a speaker or after
    a title."""
    return any(
        not joined.endswith(words[-2] + " ", 0, a.start())
        and (SAID_AFTER.match(joined, a.end()) or _said_or_titled_before(joined[max(0, a.start() - 60) : a.start()]))
        for a in re.finditer(rf"(?<![\w'’-]){re.escape(words[-1])}(?![\w'’-])", joined)
    )


def _said_or_titled_before(before: str) -> bool:
    """'…," said Khumalo', "Ms Khumalo": the words right before a surname written alone (``before`` is
    a short window, so the patterns anchored at its end do not scan the whole article)."""
    return bool(SAID_BEFORE.search(before)) or _titled(before, len(before))


def _vote_types(mentions: list[Mention]) -> None:
    """One type per name: a person where the article shows it (a title, a role) or the model mostly says
    so; otherwise the most frequent type, a person losing a tie ("Central Java" once PERSON, once GPE)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[m.name][m.type] += 1
    proven = {m.name for m in mentions if m.evidence}
    for m in mentions:
        counts = votes[m.name]
        if "person" in counts and _looks_like_name(m.name) and (m.name in proven or _person_majority(counts)):
            m.type = "person"
        elif "person" in counts and _looks_like_name(m.name) and len(counts) > 1:
            m.type = (counts - Counter(person=counts["person"])).most_common(1)[0][0]  # a person loses ties
        else:
            m.type = counts.most_common(1)[0][0]
    genders = {m.name: m.gender for m in mentions if m.gender}
    for m in mentions:
        m.gender = m.gender or genders.get(m.name)


def _known_places(mentions: list[Mention]) -> None:
    """A country, world region, region or city keeps its type: a place, unless the article shows it is
    a person (a title) or a team (decided next). The small model calls "Gabon" a person, "Cameroon"
    and "Muscat" organisations often enough to outvote the article."""
    for m in mentions:
        if m.type in ("person", "org", "group") and m.name in PLACES and not m.evidence:
            m.type = "place"


def _lone_words(mentions: list[Mention], texts: list[str]) -> None:
    """A one-word "person" the article writes once, with no title or role, no fuller name of the same
    person and not a given name, is no name: on news the small model says PERSON of an unknown
    capitalised word ("Serengeti", "Zoom", "Africans") more often than of a surname used alone (tune
    part of the newswire harness: 331 such names wrong, 197 right)."""
    people = [m for m in mentions if m.type == "person"]
    vouched = {w for m in people if " " in m.name or m.evidence for w in m.name.split()}
    joined = "\n".join(texts)
    dropped = {
        name
        for name in {m.name for m in people if " " not in m.name} - vouched
        if name.lower() not in FIRST_NAMES and len(re.findall(rf"\b{re.escape(name)}\b", joined)) == 1
    }
    for m in people:
        if m.name in dropped:
            m.name, m.type = "", ""


def _person_majority(counts: Counter[str]) -> bool:
    """More person labels than place and organisation labels together: a tie is not a person ("Gabon"
    once tagged PERSON stays a place)."""
    return counts["person"] > counts["place"] + counts["org"]


def _teams(mentions: list[Mention], texts: list[str]) -> None:
    """A place playing a match is a team, an organisation, throughout the article: next to a score
    ("Belgium 3 – 0 Panama", "lost 1 – 2 to England"), with a team role ("Panama coach", "Italy's
    national team"), or, in a match report (a score and a sports word somewhere), as either side of a
    result verb or "v"/"against" ("Tunisia lost", "Belgium faced Panama"). Every written occurrence
    counts, also those the model left untagged ("Group G — Belgium 3 – 0 Panama")."""
    forms: dict[str, str] = {}
    for m in mentions:
        if m.type == "place" and not m.name.isupper():
            forms.setdefault(m.name, m.name)
            forms.setdefault(POSSESSIVE.sub("", LEADING_ARTICLE.sub("", m.text.strip())), m.name)
    if not forms:
        return
    sport = any(_SCORE.search(t) for t in texts) and any(_SPORT_WORDS.search(t) for t in texts)
    pattern = re.compile(
        r"(?<![\w'’-])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")(?![\w-])"
    )
    teams = set()
    for text in texts:
        for match in pattern.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if (
                _SCORE_AFTER.match(after)
                or _SCORE_BEFORE.search(before)
                or _TEAM_ROLE.match(after)
                or (sport and (_RESULT_AFTER.match(after) or _RESULT_BEFORE.search(before)))
            ):
                teams.add(forms[match.group(1)])
    for m in mentions:  # the model's "Sweden 1" of "Sweden 1 – 0 Korea Republic"
        tail = _TRAILING_NUMBER.search(m.text)
        if m.type == "place" and tail and _SCORE_AFTER.match(tail.group(0) + texts[m.para][m.end :]):
            teams.add(m.name)
    for m in mentions:
        if m.name in teams and m.type == "place":
            m.type = "org"


def _expand_short_institutions(mentions: list[Mention]) -> None:
    """ "Udvar-Hazy Center" → "Steven F. Udvar-Hazy Center": a name of two or more words with an
    institution head word that ends exactly one longer name of the same type in the article."""
    for kind in ("org", "place"):
        names = {m.name for m in mentions if m.type == kind}
        for m in mentions:
            words = m.name.split()
            if m.type != kind or len(words) < 2 or words[-1].lower() not in _INSTITUTION_HEADS:
                continue
            longer = {n for n in names if len(n.split()) > len(words) and n.split()[-len(words) :] == words}
            if len(longer) == 1:
                m.name = longer.pop()


def _expand_acronyms(mentions: list[Mention], bracketed: dict[str, tuple[int, int, int]]) -> None:
    """ "CEPA" → "Center for European Policy Analysis" when the article spells it out (its initials,
    or the name just before "(CEPA)")."""
    spelled = {}
    for acronym, (para, start, end) in bracketed.items():
        at = next(
            (m for m in mentions if m.para == para and m.start == start and m.end == end and m.type == "org"), None
        )
        if at is not None:
            spelled[acronym] = at.name
    for m in mentions:
        if m.type == "org" and len(m.name.split()) > 1:
            initials = "".join(w[0] for w in m.name.split() if w.lower() not in ACRONYM_SKIP)
            if initials.isupper() and len(initials) > 1:
                spelled.setdefault(initials, m.name)
    for m in mentions:
        key = m.name.replace(".", "")
        if m.type == "org" and key.isupper() and key in spelled:
            m.name = spelled[key]
