"""Closed word lists the NLP rules rely on, read from ``data/lexicon.txt`` (one section per list).

Generic English/news vocabulary only; nothing there names a particular person or article. Each list's
purpose is written above its section in the data file.
"""

from __future__ import annotations

from .data import data_lines, mapping, sections, words

TITLE_WORDS = words("title_words")
ABSTRACT_SUFFIXES = ("ism", "phobia", "pathy")  # "Islamophobia", "Homeopathy": abstract nouns, not orgs
NOT_NAMES = words("not_names")
ROLE_ENDINGS = words("role_endings")
ARMED_FORCES = frozenset(sections("lexicon.txt")["armed_forces"])
OCCUPATIONS = words("occupations")
KIN_WORDS = words("kin_words")
POLITICAL_WORDS = words("political_words")
COMBINING_SUFFIXES = words("combining_suffixes")
PARTY_WORDS = words("party_words")
PERSON_TITLES = words("person_titles")
FEMALE_TITLES = words("female_titles")
MALE_TITLES = words("male_titles")
#: Roles that, in an apposition after a name ("X, president of Y"), show the name is a person.
ROLE_WORDS = (TITLE_WORDS - words("not_roles")) | words("extra_roles")


def inflections(base: str) -> set[str]:
    """A regular verb's forms: "cite" → cite, cites, cited, citing; "testify" → testifies, testified."""
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    plural = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
    double = base + base[-1] if base in _DOUBLING else base
    return {base, plural, double + "ed", double + "ing"}


_DOUBLING = frozenset("quip slam dub".split())
SPEECH_VERBS = words("speech_verbs") | frozenset(f for b in words("speech_verb_bases") for f in inflections(b))
PHRASAL_SPEECH = mapping("phrasal_speech")
VARIANTS = mapping("variants")
ORG_HEAD_WORDS = words("org_head_words")
ORG_HEADS_SEEN = words("org_heads_seen")
PRESS_WORDS = words("press_words")
ORG_FIRST_WORDS = words("org_first_words")
CAPTION_WORDS = words("caption_words")
PLACE_PREPOSITIONS = words("place_prepositions")
FEMALE_NAMES = words("female_first_names")
MALE_NAMES = words("male_first_names")
FIRST_NAMES = FEMALE_NAMES | MALE_NAMES | words("other_first_names")
DEMONYM_SUFFIXES = ("ian", "ians", "ean", "eans", "ican", "icans", "ese", "ish")
DEMONYMS = words("demonyms")
PRONOUNS = mapping("pronouns")
#: Heads of a subject that stands for a named person: "the senator said", "the former secretary of state said".
DESCRIPTION_HEADS = (TITLE_WORDS | ROLE_WORDS | OCCUPATIONS) - words("not_roles")
NAV_SEPARATORS = "|•·"  # publisher navigation ("Facebook | Instagram"), never entities there
FACILITY_WORDS = words("facility_words")
#: Countries and world regions (``data/places.txt``), and towns, cities and first-level regions
#: (``data/towns.txt``): a name written exactly so is a place unless the article shows otherwise.
#: One set: every rule asks "a known place?", never which list it came from.
PLACES = frozenset(data_lines("places.txt")) | frozenset(data_lines("towns.txt"))
