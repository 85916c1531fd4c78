"""What a search can be told: the options, their defaults and their validation, engine-independent.

``OPTIONS`` is the one definition of every search option (name, kind, default, choices, bounds, help,
whether a watch saves it and a batch file may set it). ``SearchOptions`` holds their values and checks
them by it; the CLI's options, ``batch.OPTION_COLUMNS`` and ``watch.SAVED_OPTIONS`` are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from .errors import QueryError

#: Facets counted when none are asked for.
DEFAULT_FACETS = ("speaker", "person", "org", "place", "section", "source", "date", "article")
#: Every facet a search can count.
FACETS = ("speaker", "person", "org", "place", "section", "source", "date", "article", "entity", "author")
#: Filter options that name an indexed field (each also a facet: its own filter is left out of its counts).
NAME_FILTERS = ("speaker", "person", "org", "place", "entity", "author")
FILTERS = (*NAME_FILTERS, "section", "source", "article")
SORTS = ("relevance", "date", "-date")
UNITS = ("paragraph", "article")
#: How a query's plain words combine: "best" (all of a short query's words, a share of a long one's; stop
#: words optional) or "all" (every word, stop words too).
MATCHES = ("best", "all")
#: How a sentence query's first hits are ordered (``engine/rerank.py``).
RANKS = ("meaning", "words")


@dataclass(frozen=True)
class Option:
    """One search option. ``kind``: "names" (repeatable text, ORed), "date", "choice", "int", "flag",
    "facets". ``saved``: a watch keeps it; ``column``: a batch file's column may set it."""

    name: str
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    short: str = ""  # a one-letter CLI flag besides the long one
    example: str = ""
    saved: bool = False
    column: bool = False
    #: The commands that take it (``watch`` takes the ``saved`` ones).
    commands: tuple[str, ...] = field(default=("query", "similar", "quotes"))

    def check(self, value: Any) -> str:
        """What is wrong with ``value`` for this option, or ""."""
        if self.choices and self.kind == "choice" and value not in self.choices:
            return f"{self.name} must be one of {', '.join(self.choices)}"
        if self.minimum is not None and value < self.minimum:
            return f"{self.name} must be {self.minimum} or more"
        return ""


_NAME_HELP = {
    "speaker": "Only paragraphs carrying this speaker's words; whole name or surname, any case (repeat for OR).",
    "person": "Only paragraphs naming this person.",
    "org": "Only paragraphs naming this organisation.",
    "place": "Only paragraphs naming this place.",
    "entity": "Only paragraphs naming this person, organisation or place.",
    "author": "Only articles by this author.",
    "section": "Only paragraphs under this heading.",
    "source": "Only articles from this publisher or agency.",
    "article": "Only this article (its id).",
}
_NAME_EXAMPLE = {
    "speaker": "--speaker Polyakova",
    "person": "--person 'Marco Rubio'",
    "org": "--org NATO",
    "place": "--place Paris",
    "section": "--section 'A Coalition for Peace'",
    "source": "--source Reuters",
    "article": "--article db1cae1d500b",
}

#: Every search option, in the order the CLI lists them.
OPTIONS: tuple[Option, ...] = (
    *(
        Option(name, "names", (), _NAME_HELP[name], example=_NAME_EXAMPLE.get(name, ""), saved=True, column=True)
        for name in FILTERS
    ),
    Option(
        "since",
        "date",
        None,
        "Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).",
        example="--since 2025-03",
        saved=True,
        column=True,
    ),
    Option(
        "until",
        "date",
        None,
        "Published on or before (the whole period).",
        example="--until 2025",
        saved=True,
        column=True,
    ),
    Option(
        "facets",
        "facets",
        None,
        f"Count this facet (repeatable; 'none' for no facets). Default: {', '.join(DEFAULT_FACETS)}; "
        "also: entity, author.",
        choices=FACETS,
        example="--facet speaker --facet date",
    ),
    Option("facet_limit", "int", 10, "Values shown per facet.", minimum=1, example="--facet-limit 20"),
    Option(
        "sort",
        "choice",
        "relevance",
        "Order of hits: relevance, date (oldest first) or -date (newest first).",
        choices=SORTS,
        saved=True,
        column=True,
    ),
    Option(
        "by",
        "choice",
        "paragraph",
        "Unit of results and facet counts: paragraph, or article (its best paragraph).",
        choices=UNITS,
        saved=True,
        column=True,
    ),
    Option(
        "dedupe",
        "flag",
        False,
        "Hide near-copies of an article (republished wire stories); hits say how many were hidden.",
    ),
    Option("limit", "int", 10, "Hits per page.", minimum=1, short="-n", example="--limit 5", column=True),
    Option("page", "int", 1, "Page of hits to show.", minimum=1, example="--page 2", column=True),
    Option(
        "fragment_chars", "int", 180, "Length of each snippet fragment.", minimum=20, example="--fragment-chars 300"
    ),
    Option("fragments", "int", 2, "Fragments per snippet (0: whole paragraph).", minimum=0, example="--fragments 0"),
    Option(
        "match",
        "choice",
        "best",
        "How plain words combine: best (all words of a short query, half of a longer one's, stop words "
        "optional; more matched words rank higher) or all (every word, stop words too).",
        choices=MATCHES,
        commands=("query",),
    ),
    Option(
        "rank",
        "choice",
        "meaning",
        "How a sentence query (3 or more words) is ranked: meaning (by its words, then the first 100 "
        "re-ordered by what they mean) or words (by its words only).",
        choices=RANKS,
        commands=("query",),
    ),
    Option("lenient", "flag", False, "On a malformed query, warn and search its plain words.", commands=("query",)),
    Option(
        "correct",
        "flag",
        False,
        "When the query finds (almost) nothing, search its closest spelling.",
        commands=("query",),
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}


@dataclass
class SearchOptions:
    """Everything a search can be told (each CLI option of ``query`` is one of these).

    Name filters (``speaker`` … ``author``) match a canonical name case-insensitively, whole or by its
    last word; several values of one filter are ORed, different filters ANDed. ``since``/``until`` take
    YYYY, YYYY-MM or YYYY-MM-DD and include the whole period. ``facets=None`` counts ``DEFAULT_FACETS``.
    """

    limit: int = 10
    page: int = 1
    sort: str = "relevance"
    by: str = "paragraph"
    facets: tuple[str, ...] | None = None
    facet_limit: int = 10
    fragment_chars: int = 180
    fragments: int = 2
    lenient: bool = False
    correct: bool = False
    dedupe: bool = False
    match: str = "best"
    rank: str = "meaning"
    speaker: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    org: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    article: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in FILTERS:
            value = getattr(self, name)
            setattr(self, name, (value,) if isinstance(value, str) else tuple(value or ()))
        if self.facets is not None:
            self.facets = (self.facets,) if isinstance(self.facets, str) else tuple(self.facets)
        problems = [option.check(getattr(self, option.name)) for option in OPTIONS]
        unknown = [f for f in self.facets or () if f not in FACETS]
        if unknown:
            problems.append(f"unknown facet {unknown[0]!r}; facets: {', '.join(FACETS)}")
        if any(problems):
            raise QueryError("; ".join(p for p in problems if p))

    @property
    def unit(self) -> str:
        return "articles" if self.by == "article" else "paragraphs"


def options(given: SearchOptions | None = None, **changes: Any) -> SearchOptions:
    """``given`` (or the defaults) with ``changes``; an unknown option name is a TypeError, as in a call."""
    names = {f.name for f in fields(SearchOptions)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise TypeError(f"unknown search option(s): {', '.join(unknown)}")
    return replace(given or SearchOptions(), **changes)
