"""Article-level repairs of the model's spans and recall from the article's own text.

Pure Python (no spaCy), on the :class:`~searchkit.nlp.records.Mention` records of one article:

* span repairs before typing: a name run into the next one across "the"/"for" ("Rathbun the
  Scientology", "Lydia Buchtmann for Food Standards Australia") is cut in two; a person span that
  lost its given name ("singer-songwriter Carly [Simon]", "Minister Somchai [Wongsawat]", "Wong
  [Mei-ling]") takes back the capitalised word before it; a span opening with a known place or an
  acronym in the possessive ("Ghana’s Kwame Asante") or holding an apposition ("the Water Board, Musa
  Kiprono") is two names; a given name, a nickname in quotes and a family name are one person;
* a spelled-out name followed by its acronym in brackets ("Movimento 5 Stelle (M5S)") is an
  organisation even when the model missed it, and the acronym is that name;
* an ORG span and a GPE span divided by one space are one organisation ("Environment Canada"); an
  untagged capitalised run ending in a strong org word ("Toronto Star") and an untagged capitalised
  subject of a speech verb are new mentions, as is an untagged name before a lower-case noun of
  places ("Lwankole area");
* a well-known organisation from the gazetteer (:mod:`.gazetteer`) is an organisation: a new mention
  where the model found nothing, the model's span relabelled where it covers exactly that name (the
  model often takes "Twitter" for a person), a nested mention at the head of a product or title span
  ("Google Chrome"); not where the article shows a person of that surname ("Harrison Ford", "Mr Ford"),
  nor for a one-word form the model calls a place after "the" or a place preposition ("the Amazon");
  a multi-word form replaces pieces the model cut out of it ("Duran" of "Duran Duran"); an event or
  title span ending in a press word is a publication ("the Sydney Morning Herald");
* members of a list ("A, B, and C") whose other members are people are people ("Walker Evans");
* propagation: a name found anywhere in the article is that entity at its other exact, capitalised
  occurrences the model missed, and "Given Surname" before a known surname is that person's full name.
"""

from __future__ import annotations

import re
from collections import Counter

from . import gazetteer
from .lexicon import (
    DIRECTIONS,
    FACILITY_WORDS,
    FIRST_NAMES,
    GIVEN_NAMES,
    NOT_NAMES,
    OCCUPATIONS,
    ORG_FIRST_WORDS,
    ORG_HEAD_WORDS,
    ORG_HEADS_SEEN,
    PERSON_TITLES,
    PLACE_NOUNS,
    PLACES,
    PRESS_WORDS,
    TITLE_WORDS,
    VARIANTS,
    is_demonym,
)
from .patterns import (
    ACRONYM_SKIP,
    CAP_NAME,
    CAPITALISED_BEFORE,
    EAST_ASIAN_NAME,
    SAID_AFTER,
    in_navigation,
    name_boundary,
    plain_name,
    trimmed,
    word_before,
)
from .records import Claim, Mention

_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&]{1,7})\)")
_NAME_WORD = re.compile(r"[A-Z][\w'’.&-]*|\d+|of|for|and|the|de|on|in")
_LIST_GAP = re.compile(r"^\s*(?:,|;|,?\s+and|,?\s+or)\s+$")
_PLACE_LINKS = frozenset("of in at from near".split())  # "Governor of Washington Chris Gregoire"
_ROLE_SUFFIXES = ("or", "er", "ist", "ant", "ent", "ary", "ess")


def _ending_in(heads: frozenset[str]) -> re.Pattern:
    """One to four capitalised words, then one of ``heads`` capitalised ("Toronto Star", "Aswan Dam")."""
    return re.compile(
        r"(?<![\w'’-])(?:[A-Z][\w&'’-]*\s){1,4}(?:" + "|".join(sorted(w.capitalize() for w in heads)) + r")(?![\w'’-])"
    )


_HEADED = _ending_in(ORG_HEADS_SEEN)
_HEADED_PLACE = _ending_in(FACILITY_WORDS)
_LEADERS = frozenset("the a an this that these those in on at for from by with and or but if when as".split())
_HYPHENATED_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")  # "Lee Cheuk-yan": the family name comes first
_FRAGMENT_BEFORE = re.compile(r"(?:[)&]|\band|\bof|\bde)\s$")
_CUTS = (" the ", " for ")
#: A newswire dateline opening the first paragraph: "AMMAN —", "Cape Town -", "KLANG:", "Doha: ",
#: "BANDAR SERI BEGAWAN, July 25 (…)", "Ulaanbaatar /MONTSAME/.", "CAIRO – 26 July 2022:".
_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})"
    r"(?:,\s*(?:[A-Z][a-z]{2,}\.?\s+\d|\d)|:\s|\s*[—–-]\s|\s+/|\s+\()"
)
_MIN_PROPAGATE = 3  # characters: shorter names ("EU" aside) are too ambiguous to search for


def repair_spans(mentions: list[Mention], texts: list[str]) -> list[Mention]:
    """Mentions with run-together names cut and lost given names restored (before typing)."""
    out = []
    for m in _merge_org_place(sorted(mentions, key=lambda m: (m.para, m.start)), texts):
        out.extend(_cut(m))
    for m in out:
        if m.label in ("PERSON", "ORG", "GPE"):
            _take_given_name(m, texts[m.para], [o for o in out if o.para == m.para and o is not m])
    return out


def _merge_org_place(mentions: list, texts: list[str]) -> list:
    """ "Food Standards Australia" + "New Zealand" → one organisation when only a space divides them
    (the model's country is part of the name: "Environment Canada", "Microsoft Ireland"); "University of
    North Carolina" + " at " + "Chapel Hill" → one university (a campus), the town kept as a place too."""
    out: list = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.para == m.para
            and prev.label == "ORG"
            and m.label == "GPE"
            and texts[m.para][prev.end : m.start] == " "
            and not prev.text.endswith(("'s", "’s", " of", ">"))
        ):
            out[-1] = Mention(m.para, prev.start, m.end, texts[m.para][prev.start : m.end], "ORG")
        elif (
            prev is not None
            and prev.para == m.para
            and prev.label == "ORG"
            and m.label in ("GPE", "LOC")
            and texts[m.para][prev.end : m.start] == " at "
            and trimmed(prev.text).startswith("University of ")
        ):
            out[-1] = Mention(m.para, prev.start, m.end, texts[m.para][prev.start : m.end], "ORG")  # a campus
            out.append(m)  # whose town is still a place of the article
        else:
            out.append(m)
    return out


_NESTING_LABELS = frozenset("PRODUCT WORK_OF_ART EVENT LAW".split())
_NO_NAME_LABELS = _NESTING_LABELS | frozenset("CARDINAL ORDINAL QUANTITY MONEY PERCENT DATE TIME LANGUAGE".split())


def gazetteer_mentions(mentions: list, texts: list[str]) -> None:
    """Well-known organisations from the gazetteer (see the module docstring for when it wins)."""
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PERSON" and len(m.text.split()) > 1}
    joined = "\n".join(texts)
    for m in mentions:
        if (
            m.label in _NESTING_LABELS
            and trimmed(m.text.strip()).split()[-1:]
            and trimmed(m.text.strip()).split()[-1].lower() in PRESS_WORDS
        ):
            m.label = "ORG"  # "the Sydney Morning Herald" (EVENT), "The Wall Street Journal" (WORK_OF_ART)
    for i, text in enumerate(texts):
        for s, e, form in gazetteer.hits(text):
            if " " not in form and (form in surnames or _PERSON_BEFORE.search(joined, form)):
                continue  # "Harrison Ford" … "Ford", "James Ford", "Mr Ford"
            overlapping = [m for m in mentions if m.para == i and m.start < e and s < m.end]
            if not overlapping:
                if _inside_longer_name(text, s, e):
                    continue
                mentions.append(Mention(i, s, e, form, "ORG", gazetteer=True))
            elif len(overlapping) == 1 and trimmed(overlapping[0].text.strip()) == form:
                m = overlapping[0]
                if m.label in ("GPE", "LOC") and " " not in form and _place_context(text, m.start):
                    continue  # "the Amazon", "in Amazon": the model's place stands
                m.label, m.gazetteer = "ORG", True
            elif " " in form and all(s <= m.start and m.end <= e for m in overlapping):
                for m in overlapping:  # the model took a piece ("Duran" of "Duran Duran")
                    mentions.remove(m)
                mentions.append(Mention(i, s, e, form, "ORG", gazetteer=True))
            elif all(m.label in _NO_NAME_LABELS for m in overlapping) and any(
                m.label in _NESTING_LABELS and trimmed(m.text).startswith(form + " ") for m in overlapping
            ):
                mentions.append(Mention(i, s, e, form, "ORG", gazetteer=True))  # "Google Chrome" names Google


def dateline_mentions(mentions: list[Mention], texts: list[str]) -> None:
    """The place of a dateline opening the article ("AMMAN —", "Doha: "), which the model misses in
    capitals and before a colon. Only a name of the place lists counts ("TODAY NICARAGUA –" is a
    paper), written in the lists' case ("Amman"); a model span there is relabelled a place."""
    found = _DATELINE.match(texts[0]) if texts else None
    if not found:
        return
    written = found.group("place")
    name = written.title() if written.isupper() else written
    if name not in PLACES:
        return
    s, e = found.span("place")
    for m in [m for m in mentions if m.para == 0 and m.start < found.end()]:
        mentions.remove(m)  # the model's span of the place, or of the date after it ("Mar" of "Mar 03")
    mentions.append(Mention(0, s, e, name, "GPE"))


class _PersonBefore:
    """Whether an article writes a one-word form as a surname: after a common given name or a title."""

    _cache: dict[str, re.Pattern] = {}
    _lead = "|".join(sorted({w.capitalize() for w in FIRST_NAMES | PERSON_TITLES}))

    def search(self, text: str, form: str) -> bool:
        pattern = self._cache.get(form)
        if pattern is None:
            pattern = self._cache[form] = re.compile(rf"\b(?:{self._lead})\.? {re.escape(form)}\b")
        return pattern.search(text) is not None


_PERSON_BEFORE = _PersonBefore()


def _place_context(text: str, start: int) -> bool:
    return word_before(text, start).lower() in ("the", "in", "near", "across", "along", "to", "from")


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """A form joined by a space to a capitalised word on either side ("National Security Agency" holds
    no "Security Agency"; "Google Science Fair" is not Google), titles after it aside ("Twitter CEO")."""
    before = text[:start]
    prev = word_before(text, start) if before.endswith(" ") and not before.endswith("  ") else ""
    if prev and prev[:1].isupper() and prev.lower() not in VARIANTS and _mid_sentence(text, start - len(prev) - 1):
        return True
    nxt = re.match(r" ([A-Z][\w'’-]*)", text[end:])
    return nxt is not None and nxt.group(1).lower() not in TITLE_WORDS and not nxt.group(1).isupper()


def headed_orgs(mentions: list, texts: list[str]) -> None:
    """Capitalised names ending in an organisation word the model missed ("Toronto Star", "Deseret News"),
    then those ending in a word of a site the model missed ("Offinso Road", "Aswan Dam"): places."""
    _headed(mentions, texts, _HEADED, "ORG")
    _headed(mentions, texts, _HEADED_PLACE, "FAC")


def _headed(mentions: list, texts: list[str], pattern: re.Pattern, label: str) -> None:
    for i, text in enumerate(texts):
        for match in pattern.finditer(text):
            end = match.end()
            words = [w for w in re.finditer(r"\S+", match.group(0))]
            while len(words) > 2 and words[0].group(0).lower() in _LEADERS:
                words.pop(0)
            start = match.start() + words[0].start()
            if words[0].group(0).lower() in _LEADERS or _FRAGMENT_BEFORE.search(text[:start]):
                continue  # "… (United Kingdom) Holding Co Ltd": only the tail of a longer name
            if any(m.para == i and m.start < end and start < m.end for m in mentions):
                continue
            mentions.append(Mention(i, start, end, text[start:end], label))


def _cut(m: Mention) -> list:
    if m.label not in ("ORG", "PERSON", "GPE", "FAC", "LOC"):
        return [m]
    places = _listed_places(m)
    if places:
        return places
    owned = _owner_cut(m)
    if owned:
        return [owned[0], *_cut(owned[1])]
    comma = m.text.find(", ")
    if m.label == "ORG" and comma > 0 and plain_name(m.text[comma + 2 :]):
        start2 = m.start + comma + 2  # "the Water Board, Musa Kiprono": an apposition in one span
        return [
            Mention(m.para, m.start, m.start + comma, m.text[:comma], m.label),
            Mention(m.para, start2, m.end, m.text[comma + 2 :], m.label),
        ]
    at = m.text.find(" at ")
    if m.label in ("ORG", "FAC") and at > 0 and _org_like(m.text[at + 4 :]) and m.text[:at].split()[-1][:1].isupper():
        start2 = m.start + at + 4  # "Block Museum of Art at Northwestern University": two institutions
        return [
            Mention(m.para, m.start, m.start + at, m.text[:at], m.label),
            Mention(m.para, start2, m.end, m.text[at + 4 :], "ORG"),
        ]
    for sep in _CUTS:
        at = m.text.find(sep)
        if at <= 0:
            continue
        left, right = m.text[:at], m.text[at + len(sep) :]
        if not right[:1].isupper() or not left.split()[-1][:1].isupper() or " of" in left.lower() + " ":
            continue
        left_words = left.split()
        if sep == " the " and (len(left_words) == 1 and left.lower() in FIRST_NAMES or right.lower() in VARIANTS):
            continue  # "Alexander the Great"
        if sep == " for " and not (m.label == "PERSON" or _given_name_first(left)):
            continue  # "Center for European Policy Analysis" stays whole
        start2 = m.start + at + len(sep)
        return [
            Mention(m.para, m.start, m.start + at, left, "PERSON" if _given_name_first(left) else m.label),
            Mention(m.para, start2, m.end, right, "ORG" if sep == " for " else m.label),
        ]
    return [m]


_OWNER = re.compile(r"(?:[Tt]he )?(?P<owner>[A-Z][\w.-]*)['’]s (?=[A-Z])")


def _owner_cut(m: Mention) -> tuple[Mention, Mention] | None:
    """ "Ghana’s Kwame Asante", "Kenya’s Railway Board", "FIFA’s Appeal Committee": a span opening
    with a known place or an acronym in the possessive is two names, the owner and what it owns. Other
    possessives belong to the name ("King’s College", "the Prosecutor’s Office")."""
    found = _OWNER.match(m.text)
    if not found:
        return None
    owner = found.group("owner")
    if owner in PLACES or owner.lower() in VARIANTS:
        label = "GPE"
    elif owner.replace(".", "").isupper() and len(owner.replace(".", "")) > 1:
        label = "ORG"
    else:
        return None
    s, e = found.span("owner")
    rest = found.end()
    return (
        Mention(m.para, m.start + s, m.start + e, owner, label),
        Mention(m.para, m.start + rest, m.end, m.text[rest:], m.label),
    )


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def _listed_places(m: Mention) -> list[Mention]:
    """ "Angola, Mozambique" taken as one organisation: a span that is a list of known places is those
    places (none when a part is not one: "Bosnia and Herzegovina" is a place of its own)."""
    if m.text in PLACES:
        return []
    cuts = list(_LIST_SEPARATOR.finditer(m.text))
    bounds = [0, *(b for c in cuts for b in c.span()), len(m.text)]
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if not cuts or not all(m.text[s:e] in PLACES for s, e in parts):
        return []
    return [Mention(m.para, m.start + s, m.start + e, m.text[s:e], "GPE") for s, e in parts]


def _org_like(name: str) -> bool:
    words = name.split()
    return (
        len(words) >= 2
        and all(w[:1].isupper() or w in ("of", "and", "for", "&") for w in words)
        and (words[0].lower() in ORG_FIRST_WORDS or words[-1].lower() in ORG_HEAD_WORDS)
    )


def _given_name_first(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 3 and words[0].lower() in FIRST_NAMES and all(w[:1].isupper() for w in words)


def _take_given_name(m: Mention, text: str, others: list) -> None:
    """Extend a person span left by one capitalised word that is not a title, not sentence-initial
    and not in another mention."""
    before = CAPITALISED_BEFORE.search(text[: m.start])
    if not before or not _could_be_given(before.group(1)):
        return
    start = before.start(1)
    if any(o.start < m.start and start < o.end for o in others):
        return
    if m.label != "PERSON":  # an ORG/GPE word takes a given name only after an occupation ("athletes Vitas X")
        if word_before(text, start) not in OCCUPATIONS or len(m.text.split()) != 1:
            return
        m.label = "PERSON"
    if not (
        _mid_sentence(text, start)
        or before.group(1).lower() in GIVEN_NAMES
        or (" " not in m.text.strip() and _title_or_owner_before(text, start))
        or EAST_ASIAN_NAME.fullmatch(text[start : m.end])
    ):
        return
    m.start, m.text = start, text[start : m.end]


def _title_or_owner_before(text: str, start: int) -> bool:
    """A title or a possessive right before a capitalised word ("Minister Somchai", "the party’s
    Tendai"): the word opens a name, so it is the given name of the person span after it."""
    prev = word_before(text, start)
    return prev.lower().rstrip(".") in TITLE_WORDS or bool(re.search(r"\w['’]s$", prev))


def _could_be_given(word: str) -> bool:
    """Not a title, a country, a role-shaped word ("Administrator", "Commissioner") or a gerund."""
    low = word.lower()
    if low in GIVEN_NAMES:
        return True
    gerund = len(low) > 5 and low.endswith("ing")  # "Banking Bill"
    return low not in TITLE_WORDS and low not in VARIANTS and not low.endswith(_ROLE_SUFFIXES) and not gerund


def _mid_sentence(text: str, start: int) -> bool:
    """The word at ``start`` follows a lowercase word or a comma in the same sentence."""
    prev = word_before(text, start)
    return prev.endswith(",") or (prev[:1].islower() and prev.replace("-", "").isalpha() and prev not in _PLACE_LINKS)


def acronym_mentions(mentions: list, texts: list[str]) -> dict[str, tuple[int, int, int]]:
    """New org mentions for "Spelled Out Name (SON)" the model missed; returns acronym → span of its name."""
    found: dict[str, tuple[int, int, int]] = {}
    for i, text in enumerate(texts):
        for match in _ACRONYM.finditer(text):
            acronym = match.group(1)
            span = _spelled_before(text, match.start(), acronym)
            if span is None:
                continue
            start, end = span
            found.setdefault(acronym, (i, start, end))
            covering = [m for m in mentions if m.para == i and m.start < end and start < m.end]
            if covering and any(m.start <= start and m.end >= end for m in covering):
                continue
            for m in covering:  # a piece of the name the model labelled ("Stelle" as a person)
                mentions.remove(m)
            mentions.append(Mention(i, start, end, text[start:end], "ORG"))
    return found


def _spelled_before(text: str, at: int, acronym: str) -> tuple[int, int] | None:
    """The words before ``at`` whose initials spell ``acronym`` ("Movimento 5 Stelle" for M5S)."""
    letters = acronym.replace("&", "")
    words = list(_NAME_WORD.finditer(text[:at].rstrip()))
    end = len(text[:at].rstrip())
    if not words or words[-1].end() != end:
        return None
    initials = ""
    for k in range(len(words) - 1, max(-1, len(words) - 12), -1):
        w = words[k]
        if k < len(words) - 1 and text[w.end() : words[k + 1].start()] != " ":
            return None
        if w.group(0).lower() in ACRONYM_SKIP:
            continue
        initials = w.group(0)[0].upper() + initials
        if initials == letters and w.group(0)[:1].isupper():
            return w.start(), end
        if not letters.endswith(initials):
            return None
    return None


_BEFORE_PLACE_NOUN = re.compile(
    r"(?<![\w'’&.-])(?P<name>[A-Z][a-z][\w'’-]*(?: [A-Z][a-z][\w'’-]*){0,2}) (?:"
    + "|".join(sorted(PLACE_NOUNS))
    + r")\b"
)


def place_noun_mentions(mentions: list, texts: list[str]) -> None:
    """An untagged capitalised name right before a lower-case noun of places ("flooded Lwankole area",
    "hit Kiruhura district") is a place, where a lower-case word or a comma other than a place link
    ("in", "at": left to the model) comes before it; titles, nationalities and compass words ("Western
    region") are not names."""
    for i, text in enumerate(texts):
        for match in _BEFORE_PLACE_NOUN.finditer(text):
            s, e = match.span("name")
            words = match.group("name").split()
            if (
                any(w.lower() in TITLE_WORDS or w.lower() in DIRECTIONS or w in NOT_NAMES for w in words)
                or words[-1].endswith(("’s", "'s"))
                or any(is_demonym(w) for w in words)
                or not _mid_sentence(text, s)
                or any(m.para == i and m.start < e and s < m.end for m in mentions)
            ):
                continue
            mentions.append(Mention(i, s, e, match.group("name"), "GPE"))


_NICKNAMED = re.compile(
    r"(?<![\w'’-])(?P<given>[A-Z][\w'’-]+) [“\"‘](?P<nick>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)[”\"’] "
    r"(?P<family>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})"
)


def nickname_mentions(mentions: list, texts: list[str]) -> None:
    """ "Ernesto “Neto” Balbuena", "Ana “La Flaca” Ruiz Soto": a given name, a nickname in quotes and a
    family name are one person, named without the nickname; the model cuts such names apart."""
    for i, text in enumerate(texts):
        for match in _NICKNAMED.finditer(text):
            words = [match.group("given"), *match.group("family").split()]
            if any(w.lower() in TITLE_WORDS or w.lower() in ORG_HEAD_WORDS for w in words):
                continue  # "States “OAS” Secretary General Luis"
            s, e = match.span()
            inside = [m for m in mentions if m.para == i and m.start < e and s < m.end]
            if any(m.start < s or m.end > e for m in inside):
                continue  # part of a longer span: leave the model's reading
            mentions[:] = [m for m in mentions if not (m.para == i and m.start < e and s < m.end)]
            mentions.append(Mention(i, s, e, match.group(0), "", type="person", name=" ".join(words)))


def list_votes(mentions: list, texts: list[str]) -> None:
    """An org/place in a list whose other members are all people, at least two, is a person."""
    by_para: dict[int, list] = {}
    for m in mentions:
        if m.name:
            by_para.setdefault(m.para, []).append(m)
    for para, ms in by_para.items():
        ms.sort(key=lambda m: m.start)
        chain = [ms[0]] if ms else []
        for prev, cur in zip(ms, ms[1:], strict=False):
            if _LIST_GAP.match(texts[para][prev.end : cur.start]):
                chain.append(cur)
            else:
                _vote_chain(chain)
                chain = [cur]
        _vote_chain(chain)


def _vote_chain(chain: list) -> None:
    if len(chain) < 3:
        return
    kinds = Counter(m.type for m in chain)
    for m in chain:
        others = kinds.copy()
        others[m.type] -= 1
        if (
            m.type in ("org", "place")
            and others["person"] >= 2
            and others["person"] == sum(others.values())
            and _person_shaped(m.name)
        ):
            m.type = "person"


def _person_shaped(name: str) -> bool:
    words = name.split()
    return (
        1 <= len(words) <= 3
        and all(CAP_NAME.fullmatch(w) for w in words)
        and words[-1].lower() not in ORG_HEAD_WORDS | FACILITY_WORDS
        and name.lower() not in VARIANTS
    )


def _known(mentions: list) -> dict[str, tuple[str, str]]:
    """Surface form → (type, name) of the article's resolved mentions."""
    known: dict[str, tuple[str, str]] = {}
    for m in mentions:
        surface = m.text.strip()
        if m.name and m.type != "group":
            for form in {m.name, trimmed(surface)}:
                if len(form) >= _MIN_PROPAGATE and form[:1].isupper() and form.lower() not in TITLE_WORDS:
                    known.setdefault(form, (m.type, m.name))
    return known


def propagate(mentions: list, texts: list[str]) -> None:
    """Add mentions for exact occurrences of the article's names the model missed (after resolution)."""
    known = _known(mentions)
    surnames = _surnames(mentions, known)
    known.update(surnames)
    if not known:
        return
    pattern = re.compile(
        r"(?<![\w.'’-])(?:" + "|".join(map(re.escape, sorted(known, key=len, reverse=True))) + r")(?![\w'’-]|\.\w)"
    )
    taken: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        taken.setdefault(m.para, []).append((m.start, m.end))
    for i, text in enumerate(texts):
        spans = taken.get(i, [])
        for match in pattern.finditer(text):
            s, e = match.span()
            if any(a < e and s < b for a, b in spans) or in_navigation(text, s, e):
                continue
            if match.group(0) in surnames and not (_mid_sentence(text, s) or SAID_AFTER.match(text[e:])):
                continue  # a bare surname at a sentence start may be an ordinary word ("Close")
            kind, name = known[match.group(0)]
            mentions.append(Mention(i, s, e, match.group(0), "", type=kind, name=name))
            spans.append((s, e))


def _surnames(mentions: list, known: dict) -> dict[str, tuple[str, str]]:
    """Last word → full name for the article's people with a unique surname ("Mertens" → "Dries Mertens")."""
    by_surname: dict[str, set[str]] = {}
    for m in mentions:
        words = m.name.split()
        if m.type == "person" and len(words) > 1 and not _HYPHENATED_GIVEN.fullmatch(words[-1]):
            by_surname.setdefault(words[-1], set()).add(m.name)
    return {
        s: ("person", names.pop())
        for s, names in by_surname.items()
        if len(names) == 1 and len(s) >= 4 and s[:1].isupper() and s not in known and s.lower() not in TITLE_WORDS
    }


def given_names(mentions: list, texts: list[str]) -> None:
    """ "Dries Mertens" where only "Mertens" was found: a capitalised word mid-sentence before a
    one-word person name is its given name (not a title, not another known name)."""
    known = _known(mentions)
    surnames = {
        n
        for n, (t, full) in known.items()
        if t == "person" and " " not in full and n == full and n.lower() not in FIRST_NAMES
    }
    if not surnames:
        return
    pattern = re.compile(r"(?<![\w'’-])([A-Z][a-z]+) (" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w'’-])")
    for i, text in enumerate(texts):
        for match in pattern.finditer(text):
            given = match.group(1)
            if (
                not _could_be_given(given)
                or known.get(given, ("person",))[0] != "person"
                or not _mid_sentence(text, match.start())
            ):
                continue
            full = match.group(0)
            s, e = match.span()
            overlapping = [m for m in mentions if m.para == i and m.start < e and s < m.end]
            if any(m.end > e or (m.name and m.type != "person") for m in overlapping):
                continue  # part of a longer or non-person name ("Pizza Inn Inc")
            for m in overlapping:
                mentions.remove(m)
            mentions.append(Mention(i, s, e, full, "PERSON", type="person", name=full))
            known[full] = ("person", full)


def speaker_mentions(mentions: list, texts: list[str], claims: list[list[Claim]]) -> None:
    """The subject of a speech verb ("Cres Eastman said") the model did not tag: a run of two to four
    capitalised words around the subject's head is an organisation with an org head word, else a person."""
    for i, para_claims in enumerate(claims):
        text = texts[i]
        for claim in para_claims:
            if claim.pronoun or not claim.subjects:
                continue
            start, end = claim.subjects[0]
            if any(m.para == i and m.start < end and start < m.end for m in mentions):
                continue
            run = _capitalised_run(text, start, end)
            if run is None:
                continue
            s, e = run
            words = text[s:e].split()
            if words[0].lower() in _LEADERS or any(w.lower() in TITLE_WORDS for w in words[:1]) and len(words) < 3:
                continue
            label = "ORG" if words[-1].lower() in ORG_HEAD_WORDS else "PERSON"
            if label == "PERSON" and not all(CAP_NAME.fullmatch(w) for w in words):
                continue
            mentions.append(Mention(i, s, e, text[s:e], label))


def _capitalised_run(text: str, start: int, end: int) -> tuple[int, int] | None:
    if not text[start:end][:1].isupper():
        return None
    words = [w for w in re.finditer(r"[\w.'’&-]+", text)]
    at = next((k for k, w in enumerate(words) if w.start() == start), None)
    if at is None:
        return None
    lo = hi = at
    while lo > 0 and words[lo - 1].group(0)[:1].isupper() and text[words[lo - 1].end() : words[lo].start()] == " ":
        lo -= 1
    while (
        hi + 1 < len(words)
        and words[hi + 1].group(0)[:1].isupper()
        and text[words[hi].end() : words[hi + 1].start()] == " "
    ):
        hi += 1
    if (
        not 2 <= hi - lo + 1 <= 4
        or not _mid_sentence(text, words[lo].start())
        and lo > 0
        and text[: words[lo].start()].rstrip()[-1:] not in '.!?"“”'
    ):
        return None
    return words[lo].start(), words[hi].end()


_PLACE_WORD = re.compile(r"[A-Z][^\s\-,;:()\"“”]*")
_FIRST_PART = re.compile(r"[^\s-]+")


def _place_index() -> dict[str, list[str]]:
    """First word → the known place names (countries, regions, towns) starting with it, longest first."""
    index: dict[str, list[str]] = {}
    for name in PLACES:
        if name[:1].isupper() and "[" not in name:
            index.setdefault(_FIRST_PART.match(name).group(0), []).append(name)  # type: ignore[union-attr]
    for names in index.values():
        names.sort(key=len, reverse=True)
    return index


_PLACE_INDEX = _place_index()


def place_mentions(mentions: list, texts: list[str]) -> None:
    """A country, region or town written exactly as the place lists have it that the model left
    untagged ("ending the trip in Guinea-Bissau", "the Russia-Ukraine war"): a new place mention, not
    inside a longer capitalised name, not after a given name or a title (a surname), not in capitals."""
    joined = "\n".join(texts)
    for i, text in enumerate(texts):
        for word in _PLACE_WORD.finditer(text):
            s = word.start()
            for name in _PLACE_INDEX.get(re.sub(r"(?:['’]s|[.'’!?])$", "", word.group(0)), ()):
                e = s + len(name)
                if not text.startswith(name, s) or not name_boundary(text, s, e, hyphened=True):
                    continue
                inside = [m for m in mentions if m.para == i and m.start < e and s < m.end]
                if any(m.start < s or m.end > e or m.end - m.start == e - s for m in inside):
                    break  # part of a longer name, or the model's own span
                if _beside_name(text, s, e) or gazetteer._in_caps(text, s, e) or _PERSON_BEFORE.search(joined, name):
                    break
                for m in inside:  # the model cut the name ("Guinea" of "Guinea-Bissau")
                    mentions.remove(m)
                mentions.append(Mention(i, s, e, name, "GPE"))
                break


_CAP_RUN_WORD = re.compile(r"[A-Z][\w'’-]*")
_AFTER_NAME = re.compile(r"(?:['’]s\b|[,.;:)]|\s*$|\s+(?:is|was|has|had|will|and)\b)")
_NAME_LINKS = frozenset("de del do da dos das la las los el".split())


def _beside_name(text: str, start: int, end: int) -> bool:
    """A capitalised word joined by a space on either side ("Information Centre", "Central Secretary",
    "Magdalena del Mar"), a sentence's first word or a preposition before it aside ("In Christchurch")."""
    prev = word_before(text, start) if text.endswith(" ", 0, start) else ""
    if prev and (_CAP_RUN_WORD.fullmatch(prev) and prev.lower() not in _LEADERS or prev in _NAME_LINKS):
        return True
    opening = not text[:start].strip() or (text[:start][-1:].isspace() and text[:start].rstrip()[-1] in '.!?:;"“–—-•|')
    if " " not in text[start:end] and opening and not _AFTER_NAME.match(text[end:]):
        return True  # "Reading the phrase", "Tours to the Cayos": a sentence's first word, not a place
    nxt = re.match(r" (?:(?:de|del|do|da|dos|das|de la|of) )?([A-Z][\w'’-]*)", text[end:])
    return nxt is not None and not nxt.group(1).isupper()
