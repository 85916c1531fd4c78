"""The seam between searchkit and a search engine: what the collection asks of one, and what it hands it.

The collection keeps the catalogue (``catalogue.py``: which corpus files and articles are indexed, the
write lock, the generation folders of ``index/``) for every engine alike. An engine keeps only the
searchable index of a generation, and answers searches over it. Each engine lives in its own package
under ``engine/`` and is imported only when a collection first uses it (``engine.load``).

An engine is handed paragraphs as ``ParagraphDoc`` (engine-neutral, built once per paragraph) and maps
them to its own format; it answers with the plain result records of ``model``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from math import log
from pathlib import Path
from typing import Any, Protocol

from ..errors import InputError
from ..model import Article, ArticleInfo, Entity, Paragraph, Quote, QuoteResult, SearchResult, Speaker
from ..options import SearchOptions


@dataclass
class ParagraphDoc:
    """One paragraph as every engine indexes it: the paragraph with what its article and catalogue say.

    ``date`` is the article's ISO 8601 date as given (an engine parses it for ranges and sorting);
    ``added`` is when the article entered the collection (Unix seconds); ``group`` is the id of the first
    article of its near-duplicate group (its own id when it is no copy).
    """

    id: str
    article: str
    n: int
    text: str
    path: str
    title: str = ""
    section: str = ""
    source: str = ""
    url: str = ""
    date: str | None = None
    added: int = 0
    group: str = ""
    authors: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    #: The paragraph's meaning vector (``meaning.to_bytes``: ``VECTOR_BYTES`` bytes), empty until computed.
    vector: bytes = b""

    @classmethod
    def of(cls, article: Article, info: ArticleInfo, paragraph: Paragraph) -> ParagraphDoc:
        return cls(
            id=paragraph.id,
            article=paragraph.article_id,
            n=paragraph.n,
            text=paragraph.text,
            path=article.path,
            title=article.title or "",
            section=paragraph.section or "",
            source=article.source or "",
            url=article.url or "",
            date=article.date,
            added=int(info.added),
            group=info.copy_of or info.id,
            authors=list(article.authors),
            speakers=list(paragraph.speakers),
            entities=list(paragraph.entities),
            quotes=list(paragraph.quotes),
        )

    def names(self, kind: str) -> list[str]:
        """Entity names of one type ("person", "org", "place"), or of all but groups ("entity")."""
        if kind == "entity":
            return [e.name for e in self.entities if e.type != "group"]
        return [e.name for e in self.entities if e.type == kind]

    def aliases(self, kind: str) -> list[str]:
        """The other names those entities answer to ("EU", "ICC"): searched in the name fields, never
        shown as facet values."""
        return [
            a for e in self.entities if (e.type != "group" if kind == "entity" else e.type == kind) for a in e.aliases
        ]


#: Told of an article an engine cannot index: (article id, why). None: the write fails instead.
Reject = Callable[[str, str], None]


class Reader(Protocol):
    """An opened generation of the searchable index: every read of one query, or of a whole session,
    sees the same snapshot. ``options`` are validated ``SearchOptions``."""

    def count(self) -> int:
        """Paragraphs in the index."""
        ...

    def search(self, query: str, options: SearchOptions) -> SearchResult:
        """One page of hits for ``query`` (blank: every paragraph) under the filters, with facets."""
        ...

    def similar(self, paragraph_id: str, options: SearchOptions) -> SearchResult:
        """Paragraphs most like ``paragraph_id``; NotFound when the index has no such paragraph."""
        ...

    def quotes(self, query: str, options: SearchOptions) -> QuoteResult:
        """Quotations under the filters; ``query`` searches the quoted text."""
        ...

    def article_paragraphs(self, article_id: str) -> list[Paragraph]:
        """Every paragraph of one article, in order, with speakers, entities and quotes."""
        ...

    def article_vectors(self, article_id: str) -> list[bytes]:
        """The stored meaning vector of every paragraph of one article, in order (empty bytes for a
        paragraph without one; an empty list when the index stores none)."""
        ...

    def close(self) -> None: ...


class Engine(Protocol):
    """A search engine behind the catalogue. ``gen`` is a generation folder the catalogue made (an engine
    may keep its files there, or only a name derived from it); a generation is live once the catalogue
    has swapped it in, and is dropped when it is replaced."""

    #: The name a collection's config uses (``searchkit.json``: ``{"engine": "whoosh"}``).
    name: str
    #: Version of this engine's index format; an index of another version is rebuilt, never read.
    schema_version: int
    #: Older versions whose stored paragraphs this engine still reads, because only their analysis
    #: changed since: such an index is converted from its stored paragraphs (no NLP run again).
    converts_from: frozenset[int]

    def write(
        self,
        gen: Path,
        base: Path | None,
        remove_ids: Iterable[str],
        documents: Iterable[ParagraphDoc],
        reject: Reject | None = None,
    ) -> int:
        """Fill the new generation ``gen``: a copy of generation ``base`` less the articles ``remove_ids``,
        plus ``documents`` (``base`` None: from nothing; one article's paragraphs come together). An
        article whose paragraphs cannot all be indexed is left out whole and passed to ``reject``.
        Returns the documents written. ``base`` must stay readable until ``gen`` is swapped in: a crash
        at any point leaves it live and whole."""
        ...

    def open(self, gen: Path) -> Reader:
        """A reader of generation ``gen``; any exception means it cannot be read."""
        ...

    def problem(self, gen: Path, expected: int) -> str | None:
        """Why generation ``gen`` cannot be used (damaged, or not holding ``expected`` paragraphs), or None."""
        ...

    def size_bytes(self, gen: Path) -> int: ...

    def drop(self, gen: Path) -> None:
        """Release what generation ``gen`` holds outside its folder (the catalogue removes the folder)."""
        ...


#: BM25's k1 and b, for every engine alike: Anserini's for SciFact. On the relevance benchmark's tune split,
#: nDCG@10 0.704 against 0.703 for Lucene's defaults (1.2, 0.75), 0.700 for (1.2, 0.4), 0.701 for (0.9, 0.75).
BM25_K1, BM25_B = 0.9, 0.4

#: A word's weight by field when it is indexed, for every engine alike: the Whoosh schema's field boosts
#: (its postings scale a title word's frequency by 2), and the weights OpenSearch's article score gives
#: a word's frequency and an article's length, so both engines score an article as the same one document.
FIELD_BOOSTS = {"text": 1.0, "title": 2.0, "section": 1.5}

#: Fields searched when a query word names no field, with a query-time weight in each, on top of the
#: field's ``FIELD_BOOSTS``. Chosen on the tune split of the relevance benchmark: a title is short and has
#: its own idf, so at full weight a common word in a title outscored the rare word the query is about
#: (title 1.0: nDCG@10 0.680, 0.25: 0.704, 0.5: 0.670). SciFact has no sections, so their weight is not
#: measured and stays 1.
QUERY_WEIGHTS = {"text": 1.0, "title": 0.25, "section": 1.0}


def lucene_idf(df: int, n: int) -> float:
    """Lucene's BM25 idf: a word found in almost every document weighs almost 0 (Whoosh's own idf,
    ``ln(N / (df + 1)) + 1``, gives it about 1)."""
    return log(1 + (n - df + 0.5) / (df + 0.5))


def bm25(tf: float, length: float, average: float) -> float:
    """BM25's saturated, length-normalised term frequency (without idf), as Whoosh's BM25F computes it."""
    return tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))


#: What a word of text is, for every engine alike: runs of letters and digits, joined by single dots
#: ("3.5", "U.S"). Whoosh's own default also counts "*" as a letter ("HLA-A*02" one word), which
#: OpenSearch's tokenizer did not.
WORD_PATTERN = r"\w+(\.?\w+)*"

#: A dot between single letters of a lower-cased word ("u.s", "u.k", "e.u", "u.s.a"): every engine's
#: text analyser drops it (as Lucene's classic filter does), so "U.S." is the word "US" and "UK" finds
#: "U.K.". Letters only: "3.5" keeps its dot; "e.coli" too (not single letters). On BBC + Reuters, 13,836
#: paragraphs write "U.S." and 1,456 "US" (583 have the pronoun "us", which "US" already found).
ACRONYM_DOT = r"(?:(?<=^[a-z])|(?<=\.[a-z]))\.(?=[a-z](?:\.|$))"

#: A meaning vector as every engine stores it: 384 float16 numbers (``meaning.to_bytes``).
VECTOR_BYTES = 768

#: Engines by config name: the module and class, imported on first use.
ENGINES = {
    "whoosh": ("searchkit.engine.whoosh.engine", "WhooshEngine"),
    "opensearch": ("searchkit.engine.opensearch.engine", "OpenSearchEngine"),
}
DEFAULT_ENGINE = "whoosh"


def load(name: str, settings: dict[str, Any] | None = None) -> Engine:
    """The engine ``name`` (importing its package now), configured with the collection's ``settings``."""
    import importlib

    if name not in ENGINES:
        raise InputError(f"unknown search engine {name!r}; engines: {', '.join(ENGINES)}")
    module, cls = ENGINES[name]
    engine: Engine = getattr(importlib.import_module(module), cls)(settings or {})
    return engine
