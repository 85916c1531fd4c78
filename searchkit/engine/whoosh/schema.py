"""The Whoosh schema of paragraph documents, and the analyzers it uses.

``SCHEMA_VERSION`` is stored with every index; an index of another version is never read, only rebuilt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    RegexTokenizer,
    StemFilter,
    StripFilter,
    Token,
)
from whoosh.columns import FixedBytesColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..base import ACRONYM_DOT, FIELD_BOOSTS, VECTOR_BYTES, WORD_PATTERN
from ..folding import ascii_folding, lower
from ..spellings import american_spellings
from ..stored import NAME_FIELDS
from .porter import stem

#: 8: each paragraph's meaning vector (``vector``: ``meaning.to_bytes``), for re-ranking sentence queries.
#: 7: British spellings indexed as their American forms (``spellings``: "programme" -> "program"),
#: acronyms without their dots (``base.ACRONYM_DOT``: "U.S." -> "us"), lower case as Lucene's ("İ" -> "i"),
#: characters folded as Lucene's asciifolding (``folding``: "ß" -> "ss").
#: 6: words stemmed by ``porter.stem`` (Whoosh's Porter port split word forms: "cutting" -> "cutt"), and
#: split at "*" as OpenSearch splits them (``base.WORD_PATTERN``).
#: 5: the text postings keep positions but no character offsets (highlights re-tokenize the shown
#: text; phrases need positions only): 10.7% fewer index bytes. 4: speakers, entities and quotes stored
#: as named records (3: one positional ``meta`` field).
SCHEMA_VERSION = 8
#: Versions whose stored fields schema 8 reads as they are (they differ in the analyser and the vectors,
#: which a conversion computes again).
CONVERTS_FROM = frozenset({6, 7})

#: Facets counted from the per-document ``facets`` column, each with the one-letter code its values carry.
FACET_CODES = {
    "speaker": "s",
    "person": "p",
    "org": "o",
    "place": "l",
    "section": "h",
    "source": "r",
    "date": "d",
    "article": "a",
    "entity": "e",
    "author": "w",
}
#: Separates the coded values in a document's ``facets`` column ("sAlina Polyakova\x1fdate2025-04-17 …").
FACET_SEPARATOR = "\x1f"


def text_analyzer() -> Analyzer:
    """Words (``WORD_PATTERN``), lower-cased, as written in the American way (``WrittenFormFilter``),
    Porter stems, characters folded to ASCII as OpenSearch folds them (``folding``); with character
    offsets when highlighting re-tokenizes a hit's text (the index keeps positions only)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LuceneLowercaseFilter()
        | WrittenFormFilter()
        | StemFilter(stemfn=stem)
        | CharsetFilter(ascii_folding())
    )


class LuceneLowercaseFilter(Filter):
    """Lower case as OpenSearch's ``lowercase`` filter gives it (``lower``)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = lower(token.text)
            yield token


class WrittenFormFilter(Filter):
    """An acronym without its dots (``base.ACRONYM_DOT``: "u.s" -> "us") and a British word form as its
    American one (``spellings.american_spellings``). A morphological filter, as stemming is: Whoosh skips
    it where it wants words as written (did-you-mean's). The list is looked up, not kept, so the schema
    pickled into every index stays small."""

    is_morph = True

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        american = american_spellings()
        for token in tokens:
            token.text = american_form(token.text, american)
            yield token


_ACRONYM_DOT = re.compile(ACRONYM_DOT)


def american_form(word: str, american: dict[str, str]) -> str:
    """A lower-cased word as ``WrittenFormFilter`` indexes it (``american``: ``american_spellings()``)."""
    if "." in word:
        return _ACRONYM_DOT.sub("", word)
    return american.get(word, word)


def name_analyzer() -> Analyzer:
    """Comma-separated names, each kept whole and lower-cased, plus its last word ("rubio")."""
    return (
        RegexTokenizer(r"[^,]+")
        | StripFilter()
        | LuceneLowercaseFilter()
        | CharsetFilter(ascii_folding())
        | SurnameFilter()
    )


class SurnameFilter(Filter):
    """After each multi-word name, also yield its last word, so ``speaker:Polyakova`` finds "Alina Polyakova"."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.text:
                continue
            yield token
            words = token.text.split()
            if len(words) > 1 and token.mode == "index":
                token.text = words[-1]
                yield token


def facet_column(values: dict[str, list[str]]) -> bytes:
    """A document's facet values (original case) as one compact column value, read back by ``search``."""
    return FACET_SEPARATOR.join(
        FACET_CODES[name] + value.replace(FACET_SEPARATOR, " ")
        for name, found in values.items()
        for value in dict.fromkeys(v.strip() for v in found if v and v.strip())
    ).encode("utf-8")


def build_schema() -> Schema:
    text = text_analyzer()
    names = name_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        article=ID(stored=True, sortable=True),
        path=ID(stored=True),
        n=NUMERIC(int, stored=True, sortable=True),
        title=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["title"]),
        section=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["section"]),
        text=TEXT(analyzer=text, stored=True, phrase=True, spelling=True),
        quote=TEXT(analyzer=text, stored=False, phrase=True),
        has=ID(),
        source=KEYWORD(stored=True, lowercase=True, commas=True),
        date=DATETIME(stored=True, sortable=True),
        url=ID(stored=True),
        added=NUMERIC(int, bits=64, stored=True, sortable=True),
        group=ID(stored=True, sortable=True),
        published=STORED(),  # the date as the article gave it
        speakers=STORED(),
        entities=STORED(),
        quotes=STORED(),
        facets=COLUMN(VarBytesColumn()),
        vector=COLUMN(FixedBytesColumn(VECTOR_BYTES)),
        **{name: TEXT(analyzer=names, stored=False, phrase=False) for name in NAME_FIELDS},
    )
