"""The OpenSearch index of paragraph documents: analysers, mapping, index template, and the document
of one paragraph. It mirrors the Whoosh schema field for field, so the same query finds the same
paragraphs on either engine.

Analysis is chosen to tokenise as the Whoosh engine does: the same word pattern (Whoosh's
``RegexTokenizer``), lower case, Porter stems, accents folded; names kept whole and also by their last
word (Whoosh's ``SurnameFilter``: ``speaker:Polyakova`` finds "Alina Polyakova"). Facet values are
``keyword`` fields in their original case; what a hit shows but no query searches is in ``meta``
(kept in ``_source``, not indexed).
"""

from __future__ import annotations

from datetime import datetime

from ...model import Article, ArticleInfo, Paragraph

#: Bumped when the mapping or the document changes: an index of another version is rebuilt, never read.
MAPPING_VERSION = 1
#: Fields holding names: each value is a keyword (for facets) with a ``.match`` sub-field (for queries).
NAME_FIELDS = ("speaker", "person", "org", "place", "entity", "author")
#: Whoosh's default word pattern (``\w+(\.?\w+)*``) with Unicode word characters, as Python's ``re`` has.
WORD_PATTERN = r"(?U)\w+(\.?\w+)*"

ANALYSIS = {
    "tokenizer": {"sk_words": {"type": "pattern", "pattern": WORD_PATTERN, "group": 0}},
    "filter": {
        "sk_surname": {"type": "pattern_capture", "preserve_original": True, "patterns": [r"\s(\S+)$"]},
    },
    "analyzer": {
        "sk_text": {"type": "custom", "tokenizer": "sk_words", "filter": ["lowercase", "porter_stem", "asciifolding"]},
        "sk_name": {
            "type": "custom",
            "tokenizer": "keyword",
            "filter": ["trim", "lowercase", "asciifolding", "sk_surname"],
        },
        "sk_name_query": {"type": "custom", "tokenizer": "keyword", "filter": ["trim", "lowercase", "asciifolding"]},
        "sk_words": {"type": "custom", "tokenizer": "sk_words", "filter": ["lowercase", "asciifolding"]},
        "sk_keyword": {"type": "custom", "tokenizer": "keyword", "filter": ["trim", "lowercase"]},
    },
}


def _text(**extra: object) -> dict:
    return {"type": "text", "analyzer": "sk_text", **extra}


def _name() -> dict:
    return {
        "type": "keyword",
        "fields": {"match": {"type": "text", "analyzer": "sk_name", "search_analyzer": "sk_name_query"}},
    }


MAPPINGS = {
    "dynamic": "strict",
    "_meta": {"searchkit_mapping_version": MAPPING_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "article": {"type": "keyword"},
        "path": {"type": "keyword"},
        "n": {"type": "integer"},
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
        **{name: _name() for name in NAME_FIELDS},
    },
}


def index_settings(shards: int = 1, replicas: int = 0) -> dict:
    """Settings of a new index: the analysers, and ``shards`` and ``replicas`` as ``init`` was told."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        # bulk loads refresh explicitly at the end; a query never sees a half-loaded rebuild
        "refresh_interval": "1s",
        "analysis": ANALYSIS,
    }


def index_template(prefix: str, shards: int = 1, replicas: int = 0) -> dict:
    """A composable index template for every index of one collection (``prefix-*``): an index created
    by hand or by another tool under that name gets the same analysers and mapping."""
    return {
        "index_patterns": [f"{prefix}-*"],
        "template": {"settings": index_settings(shards, replicas), "mappings": MAPPINGS},
        "_meta": {"searchkit_mapping_version": MAPPING_VERSION},
    }


def document(article: Article, info: ArticleInfo, paragraph: Paragraph) -> dict:
    """A paragraph as an OpenSearch document (its ``_id`` is the paragraph id)."""
    speakers = [s.name for s in paragraph.speakers]
    by_type = {t: [e.name for e in paragraph.entities if e.type == t] for t in ("person", "org", "place")}
    named = [e.name for e in paragraph.entities if e.type != "group"]
    when = _parse_iso(article.date)
    doc: dict[str, object] = {
        "id": paragraph.id,
        "article": paragraph.article_id,
        "path": article.path,
        "n": paragraph.n,
        "title": article.title or "",
        "section": paragraph.section or "",
        "text": paragraph.text,
        "source": _names([article.source] if article.source else []),
        "url": article.url or "",
        "added": int(info.added),
        "group": info.copy_of or info.id,
        "is_copy": bool(info.copy_of),
        "speaker": _names(speakers),
        "person": _names(by_type["person"]),
        "org": _names(by_type["org"]),
        "place": _names(by_type["place"]),
        "entity": _names(named),
        "author": _names(article.authors),
        "meta": {
            "date": article.date,
            "speakers": [[s.name, s.how, s.type] for s in paragraph.speakers],
            "entities": [[e.name, e.type] for e in paragraph.entities],
            "quotes": [[q.text, q.speaker, q.start, q.end] for q in paragraph.quotes],
        },
    }
    if when is not None:
        doc["date"] = when.isoformat()
        doc["day"] = when.date().isoformat()
    if paragraph.quotes:
        doc["quote"] = " … ".join(q.text for q in paragraph.quotes)
        doc["has"] = "quote"
    return doc


def _names(values: list[str]) -> list[str]:
    """Unique non-blank names, as the Whoosh engine keeps them (a comma inside a name becomes a space)."""
    return list(dict.fromkeys(v.replace(",", " ").strip() for v in values if v and v.strip()))


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=None)
