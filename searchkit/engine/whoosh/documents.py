"""A ``ParagraphDoc`` as a Whoosh document of ``schema.build_schema()``: the engine-neutral values of
``..stored`` laid out in Whoosh's fields (names comma-separated, facet values in one column)."""

from __future__ import annotations

from typing import Any

from ..base import ParagraphDoc
from ..stored import NAME_FIELDS, facet_values, parse_iso, quote_field, records, searched_names
from .schema import facet_column


def to_whoosh(doc: ParagraphDoc) -> dict[str, Any]:
    """The fields Whoosh indexes and stores for one paragraph."""
    when = parse_iso(doc.date)
    fields: dict[str, Any] = {
        "id": doc.id,
        "article": doc.article,
        "path": doc.path,
        "n": doc.n,
        "title": doc.title,
        "section": doc.section,
        "text": doc.text,
        "source": ",".join(searched_names(doc, "source")),
        "added": doc.added,
        "group": doc.group,
        **{kind: ",".join(searched_names(doc, kind)) for kind in NAME_FIELDS},
        "facets": facet_column(facet_values(doc)),
        "published": doc.date,
        **records(doc),
    }
    if when is not None:
        fields["date"] = when
    if doc.vector:
        fields["vector"] = doc.vector
    if doc.url:  # an empty string would be a term: url:* would match articles without one
        fields["url"] = doc.url
    if doc.quotes:
        fields["quote"] = quote_field(doc)
        fields["has"] = "quote"
    return fields
