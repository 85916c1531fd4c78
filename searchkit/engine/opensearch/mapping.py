"""The OpenSearch index of paragraph documents: analysers, mapping, index template, and the document
of one paragraph. It mirrors the Whoosh schema field for field, so the same query finds the same
paragraphs on either engine.

Analysis is chosen to tokenise as the Whoosh engine does: the same word pattern (``base.WORD_PATTERN``,
with Unicode word characters as Python's ``re`` has), lower case, acronyms without dots and British spellings
as American ones (``..base.ACRONYM_DOT``, ``..spellings``), Porter stems (Lucene's, as Whoosh's
``porter.stem``), accents folded; names kept whole and also by their last word (Whoosh's ``SurnameFilter``:
``speaker:Polyakova`` finds "Alina Polyakova"). Facet values are ``keyword`` fields in their original case;
the names a query finds (aliases too: ``org:EU``) are the text field ``<name>_names``; what a hit shows but
no query searches is in ``meta`` (kept in ``_source``, not indexed). The values come from ``..stored``, as
the Whoosh engine's do.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any

from ..base import ACRONYM_DOT, BM25_B, BM25_K1, FIELD_BOOSTS, WORD_PATTERN, ParagraphDoc
from ..spellings import american_spellings
from ..stored import NAME_FIELDS, facet_values, parse_iso, quote_field, records, searched_names

#: Bumped when the mapping or the document changes: an index of another version is rebuilt, never read.
#: 5: ``vector``, each paragraph's meaning vector (``meaning.to_bytes``, base64; not indexed).
#: 4: British spellings indexed and searched as their American forms (``spellings``), acronyms without
#: their dots (``base.ACRONYM_DOT``).
#: 3: ``length``, each paragraph's share of its article's length (``--by article`` scores the article).
MAPPING_VERSION = 5
#: Versions whose documents mapping 5 reads as they are (they differ in the analysers and the vectors,
#: which a conversion computes again).
CONVERTS_FROM = frozenset({3, 4})

_WORD = re.compile(WORD_PATTERN)


@cache
def analysis() -> dict:
    """The index's analysers. Built when an index is made, not at import: the spelling list is read
    only then, and a query process never needs it."""
    return {
        "tokenizer": {"sk_words": {"type": "pattern", "pattern": "(?U)" + WORD_PATTERN, "group": 0}},
        "filter": {
            "sk_surname": {"type": "pattern_capture", "preserve_original": True, "patterns": [r"\s(\S+)$"]},
            # Whoosh's WrittenFormFilter: an acronym without its dots, a British word form as its American one
            "sk_acronym": {"type": "pattern_replace", "pattern": ACRONYM_DOT, "replacement": "", "all": True},
            "sk_spelling": {
                "type": "synonym",
                "synonyms": [f"{british} => {american}" for british, american in american_spellings().items()],
            },
        },
        "analyzer": {
            "sk_text": {
                "type": "custom",
                "tokenizer": "sk_words",
                "filter": ["lowercase", "sk_acronym", "sk_spelling", "porter_stem", "asciifolding"],
            },
            "sk_name": {
                "type": "custom",
                "tokenizer": "keyword",
                "filter": ["trim", "lowercase", "asciifolding", "sk_surname"],
            },
            "sk_name_query": {
                "type": "custom",
                "tokenizer": "keyword",
                "filter": ["trim", "lowercase", "asciifolding"],
            },
            "sk_words": {"type": "custom", "tokenizer": "sk_words", "filter": ["lowercase", "asciifolding"]},
            "sk_keyword": {"type": "custom", "tokenizer": "keyword", "filter": ["trim", "lowercase"]},
        },
    }


def _text(**extra: object) -> dict:
    return {"type": "text", "analyzer": "sk_text", **extra}


def _names() -> dict:
    return {"type": "text", "analyzer": "sk_name", "search_analyzer": "sk_name_query"}


MAPPINGS = {
    "dynamic": "strict",
    "_meta": {"searchkit_mapping_version": MAPPING_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "article": {"type": "keyword"},
        "path": {"type": "keyword"},
        "n": {"type": "integer"},
        "length": {"type": "float", "index": False},
        "title": _text(),
        "section": _text(fields={"keyword": {"type": "keyword"}}),
        # offsets in the postings: the unified highlighter reads them instead of re-analysing the text;
        # text.words keeps the unstemmed words, which did-you-mean suggests from (as Whoosh's spelling=True)
        "text": _text(
            index_options="offsets",
            fields={"words": {"type": "text", "analyzer": "sk_words", "index_options": "docs", "norms": False}},
        ),
        "quote": _text(),
        "has": {"type": "keyword"},
        "source": {"type": "keyword", "fields": {"match": {"type": "text", "analyzer": "sk_keyword"}}},
        "date": {"type": "date", "format": "strict_date_optional_time"},
        "day": {"type": "keyword"},
        "url": {"type": "keyword"},
        "added": {"type": "long"},
        "group": {"type": "keyword"},
        "is_copy": {"type": "boolean"},
        "meta": {"type": "object", "enabled": False},
        "vector": {"type": "binary"},
        **{name: {"type": "keyword"} for name in NAME_FIELDS},
        **{f"{name}_names": _names() for name in NAME_FIELDS},
    },
}


def index_settings(shards: int = 1, replicas: int = 0) -> dict:
    """Settings of a new index: the analysers, and ``shards`` and ``replicas`` as ``init`` was told."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        # bulk loads refresh explicitly at the end; a query never sees a half-loaded rebuild
        "refresh_interval": "1s",
        "analysis": analysis(),
        "similarity": {"default": {"type": "BM25", "k1": BM25_K1, "b": BM25_B}},  # as the Whoosh engine
    }


def index_template(prefix: str, shards: int = 1, replicas: int = 0) -> dict:
    """A composable index template for every index of one collection (``prefix-*``): an index created
    by hand or by another tool under that name gets the same analysers and mapping."""
    return {
        "index_patterns": [f"{prefix}-*"],
        "template": {"settings": index_settings(shards, replicas), "mappings": MAPPINGS},
        "_meta": {"searchkit_mapping_version": MAPPING_VERSION},
    }


def document(doc: ParagraphDoc) -> dict[str, Any]:
    """A paragraph as an OpenSearch document (its ``_id`` is the paragraph id)."""
    when = parse_iso(doc.date)
    shown = facet_values(doc)
    fields: dict[str, Any] = {
        "id": doc.id,
        "article": doc.article,
        "path": doc.path,
        "n": doc.n,
        "length": article_length_share(doc),
        "title": doc.title,
        "section": doc.section,
        "text": doc.text,
        "source": shown["source"],
        "added": doc.added,
        "group": doc.group,
        "is_copy": doc.group != doc.article,
        **{name: shown[name] for name in NAME_FIELDS},
        **{f"{name}_names": searched_names(doc, name) for name in NAME_FIELDS},
        "meta": {"date": doc.date, **records(doc)},
    }
    if when is not None:
        fields["date"] = when.isoformat()
        fields["day"] = when.date().isoformat()
    if doc.vector:
        fields["vector"] = base64.b64encode(doc.vector).decode("ascii")
    if doc.url:  # as on Whoosh: an empty string would be a term, and url:* would match it
        fields["url"] = doc.url
    if doc.quotes:
        fields["quote"] = quote_field(doc)
        fields["has"] = "quote"
    return fields


def article_length_share(doc: ParagraphDoc) -> float:
    """The paragraph's words in its article's length: its text's, plus the title's and the section's
    (each by ``FIELD_BOOSTS``) on the article's first paragraph only, as the Whoosh engine
    counts an article (the title is stored on every paragraph but counts once)."""
    counted = {"text": doc.text} if doc.n > 1 else {"text": doc.text, "title": doc.title, "section": doc.section}
    return sum(FIELD_BOOSTS[f] * sum(1 for _ in _WORD.finditer(v or "")) for f, v in counted.items())
