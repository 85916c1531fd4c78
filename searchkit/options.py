"""What a search can be told: the options, their defaults and their validation, engine-independent."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
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
        problems = [
            "--limit and --page must be 1 or more" if self.limit < 1 or self.page < 1 else "",
            f"--sort must be one of {', '.join(SORTS)}" if self.sort not in SORTS else "",
            f"--by must be one of {', '.join(UNITS)}" if self.by not in UNITS else "",
            f"--match must be one of {', '.join(MATCHES)}" if self.match not in MATCHES else "",
            "--facet-limit must be 1 or more" if self.facet_limit < 1 else "",
            "--fragment-chars must be 20 or more" if self.fragment_chars < 20 else "",
        ]
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
