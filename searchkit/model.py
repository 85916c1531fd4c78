"""Plain dataclasses that carry data between the stages (file → article → paragraphs → index → hits).

No Whoosh, lxml or spaCy object ever crosses a module boundary: only these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


#: Version of the JSON documents the CLI prints (``output_version``), apart from the index's schema version:
#: raised when a key is removed or renamed or its meaning changes; adding a key does not raise it.
OUTPUT_VERSION = 2  # 2: stats --json is one object (was a one-element list)


class Record:
    """Every result type converts to plain dicts and lists, for JSON."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(cast("DataclassInstance", self))  # every subclass is a dataclass


#: Entity types searchkit indexes as their own facets. Others (nationalities, groups) are kept as "group".
ENTITY_TYPES = ("person", "org", "place", "group")
#: How a speaker was attributed to a paragraph.
ATTRIBUTIONS = ("explicit", "pronoun", "inherited")


@dataclass
class Block(Record):
    """A raw block of text as a reader found it.

    ``heading`` is True/False when the format says so (HTML ``h2``), None when the segmenter must decide
    (plain text, where a heading is only a short line of its own).
    """

    text: str
    heading: bool | None = None


@dataclass
class Article(Record):
    """One article as read from a file or record, before segmentation.

    ``path`` is the article's file relative to the collection's ``corpus/`` folder; ``id`` is derived from it.
    ``origin`` is the file (and record) it was added from; ``record`` is a record's own key inside a
    multi-article file (JSON Lines), used to name its corpus file.
    ``provenance`` says where each metadata value came from (``{"title": "og:title"}``).
    """

    blocks: list[Block]
    id: str = ""
    path: str = ""
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    dateline: str | None = None
    origin: str | None = None
    record: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadProblem(Record):
    """A record a reader could not use: ``where`` names it ("feed.jsonl line 17").

    ``skipped`` marks a record with nothing to add (no body), which is counted, not failed.
    """

    where: str
    reason: str
    skipped: bool = False


@dataclass
class Reading(Record):
    """What a reader got out of one file: its articles, and the records it could not use."""

    articles: list[Article]
    problems: list[ReadProblem] = field(default_factory=list)


@dataclass(frozen=True)
class FileState(Record):
    """What tells that a corpus file changed: its size and mtime, and those of its metadata sidecar."""

    size: int
    mtime_ns: int
    sidecar_mtime_ns: int = 0


@dataclass
class ArticleInfo(Record):
    """The catalogue entry of an indexed article: what ``list`` shows without opening the index.

    ``copy_of`` is the id of the first article this one nearly duplicates (a republished wire story).
    ``authors``, ``language``, ``dateline`` and ``provenance`` (which source gave each value) are the
    article's own metadata, so that ``list`` and ``show`` can print all of it.
    """

    id: str
    path: str
    hash: str
    paragraphs: int
    added: float
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    origin: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    dateline: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    simhash: int = 0
    copy_of: str | None = None


@dataclass(frozen=True)
class Entity(Record):
    """A named entity under its canonical name.

    ``aliases`` are the other names it answers to in its article: the forms written there ("EU",
    "Xi") and its acronym ("ICC" for "International Criminal Court"). The index searches them in the
    name fields (``org:ICC``); facets and listings use the canonical name only.
    """

    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speaker(Record):
    """A person (or organisation) whose words a paragraph carries, and how that was found."""

    name: str
    how: str = "explicit"
    type: str = "person"


@dataclass(frozen=True)
class Quote(Record):
    """A quoted span: ``start``/``end`` are character offsets into the paragraph text."""

    text: str
    speaker: str | None
    start: int
    end: int


@dataclass
class Paragraph(Record):
    """A paragraph document: the unit searchkit indexes and returns."""

    article_id: str
    n: int
    text: str
    section: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def id(self) -> str:
        return paragraph_id(self.article_id, self.n)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **asdict(self)}


def paragraph_id(article_id: str, n: int) -> str:
    return f"{article_id}#{n}"


@dataclass
class Match(Record):
    """A highlighted match: character offsets into the paragraph text."""

    start: int
    end: int
    term: str


@dataclass
class Hit(Record):
    """One search result, copied out of Whoosh while its searcher was open."""

    id: str
    article_id: str
    title: str | None
    section: str | None
    n: int
    score: float
    text: str
    snippet: str
    snippet_matches: list[Match] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    source: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    speakers: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    #: With results by article: how many of the article's paragraphs match (this hit is the best one).
    matching_paragraphs: int | None = None
    group: str | None = None
    copies: int | None = None
    #: The fields the query matched in: "text", and "title" or "section" when they did.
    matched_in: list[str] = field(default_factory=list)


@dataclass
class QuoteHit(Record):
    """One quotation found by ``quotes``: who said it, where, and the quoted text."""

    text: str
    speaker: str | None
    paragraph_id: str
    article_id: str
    n: int
    start: int
    end: int
    title: str | None = None
    date: str | None = None
    source: str | None = None
    matches: list[Match] = field(default_factory=list)


@dataclass
class FacetValue(Record):
    value: str
    count: int


@dataclass
class Facet(Record):
    """Counts of one facet over the matching documents; ``unit`` says what is counted."""

    name: str
    values: list[FacetValue]
    unit: str = "paragraphs"


@dataclass
class SearchResult(Record):
    """A page of hits; ``total`` counts ``unit`` ("paragraphs" or "articles"); ``parsed`` is the query run."""

    query: str
    total: int
    hits: list[Hit]
    facets: list[Facet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unit: str = "paragraphs"
    parsed: str | None = None
    suggestion: str | None = None


@dataclass
class QuoteResult(Record):
    """A page of quotations; ``total`` counts quotations, facets count the paragraphs that hold them."""

    query: str
    total: int
    quotes: list[QuoteHit]
    facets: list[Facet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parsed: str | None = None


@dataclass
class Outcome(Record):
    """What happened to one file or record in an add, sync or rebuild."""

    where: str
    status: str  # "added", "replaced", "removed", "skipped", "failed"
    reason: str | None = None
    article_id: str | None = None


@dataclass
class ChangeReport(Record):
    """The outcome of every file and record a change touched."""

    outcomes: list[Outcome] = field(default_factory=list)
    paragraphs: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def changed(self) -> bool:
        return any(o.status in ("added", "replaced", "removed") for o in self.outcomes)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("added", "replaced", "removed", "skipped", "failed") if self.count(s)]
        return ", ".join(parts) or "nothing changed"


@dataclass
class NameCount(Record):
    """A canonical name with the paragraphs and articles it appears in (as entity or speaker)."""

    name: str
    type: str
    paragraphs: int
    articles: int
