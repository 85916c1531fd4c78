"""A paragraph as every engine stores and indexes it, and read back: the engine-neutral part of each
engine's document. An engine lays these values out in its own fields (Whoosh: a schema and a facet
column; OpenSearch: a mapping of keyword and text fields) but takes them from here, so both index the
same names, aliases, facet values and dates, and both read a stored paragraph back into the same hit.

Speakers, entities and quotes are stored as lists of named records (``{"name": …, "how": …}``), written
by ``records`` and read back only by ``stored_*``, so the stored layout has one writer and one reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..model import Entity, Hit, Match, Paragraph, Quote, QuoteHit, Speaker
from .base import ParagraphDoc
from .shown import Shown

#: Multi-valued name fields a query can name; each value is searched whole and by its last word.
NAME_FIELDS = ("speaker", "person", "org", "place", "entity", "author")
#: Joins a paragraph's quotations into the one searchable ``quote`` field.
QUOTE_JOINER = " … "


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or time as a naive datetime (its offset dropped), or None when it is not one."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=None)


def facet_values(doc: ParagraphDoc) -> dict[str, list[str]]:
    """Each facet's values for one paragraph, as a facet shows them: original case, each once, blanks
    left out; entity names without their aliases; the date as its day."""
    when = parse_iso(doc.date)
    values = {
        "speaker": [s.name for s in doc.speakers],
        **{kind: doc.names(kind) for kind in ("person", "org", "place", "entity")},
        "author": list(doc.authors),
        "section": [doc.section],
        "source": [doc.source],
        "date": [when.date().isoformat()] if when else [],
        "article": [doc.article],
    }
    return {name: list(dict.fromkeys(v.strip() for v in found if v and v.strip())) for name, found in values.items()}


def searched_names(doc: ParagraphDoc, kind: str) -> list[str]:
    """The names a query on field ``kind`` (a ``NAME_FIELDS`` name or "source") finds this paragraph
    by: its names and the aliases they answer to ("EU"), each once; a comma inside a name becomes a
    space (Whoosh separates names by commas)."""
    if kind == "speaker":
        found = [s.name for s in doc.speakers]
    elif kind == "author":
        found = list(doc.authors)
    elif kind == "source":
        found = [doc.source]
    else:
        found = doc.names(kind) + doc.aliases(kind)
    return list(dict.fromkeys(v.replace(",", " ").strip() for v in found if v and v.strip()))


def quote_field(doc: ParagraphDoc) -> str:
    """The paragraph's quotations as one searchable text ("" when it quotes nobody)."""
    return QUOTE_JOINER.join(q.text for q in doc.quotes)


def records(doc: ParagraphDoc) -> dict[str, list[dict[str, Any]]]:
    """Speakers, entities and quotes as the stored records ``stored_*`` read back."""
    return {
        "speakers": [{"name": s.name, "how": s.how, "type": s.type} for s in doc.speakers],
        "entities": [
            {"name": e.name, "type": e.type, **({"aliases": list(e.aliases)} if e.aliases else {})}
            for e in doc.entities
        ],
        "quotes": [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end} for q in doc.quotes],
    }


def stored_speakers(fields: dict[str, Any]) -> list[Speaker]:
    return [Speaker(**s) for s in fields.get("speakers") or ()]


def stored_entities(fields: dict[str, Any]) -> list[Entity]:
    """The entities with their aliases (kept so that ``migrate`` carries them to the other engine; an
    index written before they were stored has none)."""
    return [Entity(e["name"], e["type"], tuple(e.get("aliases") or ())) for e in fields.get("entities") or ()]


def stored_quotes(fields: dict[str, Any]) -> list[Quote]:
    return [Quote(**q) for q in fields.get("quotes") or ()]


def to_hit(fields: dict[str, Any], score: object, shown: Shown, *, source: str | None, date: str | None) -> Hit:
    """A hit from a stored paragraph (``records`` and the ``ParagraphDoc`` fields by their names) and
    what it shows; ``source`` and ``date`` as given, each engine storing them its own way."""
    return Hit(
        id=fields["id"],
        article_id=fields["article"],
        group=fields.get("group"),
        title=fields.get("title") or None,
        section=fields.get("section") or None,
        n=fields["n"],
        score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
        text=fields.get("text", ""),
        snippet=shown.snippet,
        snippet_matches=shown.snippet_matches,
        matches=shown.matches,
        matched_in=shown.matched_in,
        source=source or None,
        date=date,
        url=fields.get("url") or None,
        path=fields.get("path"),
        speakers=_unique(s.name for s in stored_speakers(fields)),
        entities=stored_entities(fields),
    )


def to_quote_hit(
    fields: dict[str, Any], quote: Quote, matches: list[Match], *, source: str | None, date: str | None
) -> QuoteHit:
    """One quotation of a stored paragraph as a ``quotes`` hit, with the spans of its matched words."""
    return QuoteHit(
        text=quote.text,
        speaker=quote.speaker,
        paragraph_id=fields["id"],
        article_id=fields["article"],
        n=fields["n"],
        start=quote.start,
        end=quote.end,
        title=fields.get("title") or None,
        date=date,
        source=source or None,
        matches=matches,
    )


def to_paragraph(fields: dict[str, Any]) -> Paragraph:
    """A stored paragraph with its speakers, entities and quotes (``show``)."""
    return Paragraph(
        article_id=fields["article"],
        n=fields["n"],
        text=fields.get("text", ""),
        section=fields.get("section") or None,
        speakers=stored_speakers(fields),
        entities=stored_entities(fields),
        quotes=stored_quotes(fields),
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
