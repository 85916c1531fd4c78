"""A ``ParagraphDoc`` as a Whoosh document of ``schema.build_schema()``, and its stored fields read back.

Speakers, entities and quotes are stored as lists of named records (``{"name": …, "how": …}``), read back
only by ``stored_*`` here, so the stored layout has one writer and one reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ...model import Entity, Quote, Speaker
from ..base import ParagraphDoc
from .schema import facet_column


def to_whoosh(doc: ParagraphDoc) -> dict[str, Any]:
    """The fields Whoosh indexes and stores for one paragraph."""
    speakers = [s.name for s in doc.speakers]
    by_type = {t: doc.names(t) for t in ("person", "org", "place")}
    named = doc.names("entity")
    when = parse_iso(doc.date)
    fields: dict[str, Any] = {
        "id": doc.id,
        "article": doc.article,
        "path": doc.path,
        "n": doc.n,
        "title": doc.title,
        "section": doc.section,
        "text": doc.text,
        "source": _names([doc.source] if doc.source else []),
        "added": doc.added,
        "group": doc.group,
        "speaker": _names(speakers),
        "person": _names(by_type["person"] + doc.aliases("person")),
        "org": _names(by_type["org"] + doc.aliases("org")),
        "place": _names(by_type["place"] + doc.aliases("place")),
        "entity": _names(named + doc.aliases("entity")),
        "author": _names(doc.authors),
        "facets": facet_column(
            {
                "speaker": speakers,
                **by_type,
                "entity": named,
                "author": list(doc.authors),
                "section": [doc.section],
                "source": [doc.source],
                "date": [when.date().isoformat()] if when else [],
                "article": [doc.article],
            }
        ),
        "published": doc.date,
        "speakers": [{"name": s.name, "how": s.how, "type": s.type} for s in doc.speakers],
        "entities": [{"name": e.name, "type": e.type} for e in doc.entities],
        "quotes": [{"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end} for q in doc.quotes],
    }
    if when is not None:
        fields["date"] = when
    if doc.url:  # an empty string would be a term: url:* would match articles without one
        fields["url"] = doc.url
    if doc.quotes:
        fields["quote"] = " … ".join(q.text for q in doc.quotes)
        fields["has"] = "quote"
    return fields


def stored_speakers(fields: dict[str, Any]) -> list[Speaker]:
    return [Speaker(**s) for s in fields.get("speakers") or ()]


def stored_entities(fields: dict[str, Any]) -> list[Entity]:
    return [Entity(**e) for e in fields.get("entities") or ()]


def stored_quotes(fields: dict[str, Any]) -> list[Quote]:
    return [Quote(**q) for q in fields.get("quotes") or ()]


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=None)


def _names(values: Iterable[str]) -> str:
    return ",".join(dict.fromkeys(v.replace(",", " ").strip() for v in values if v.strip()))
