"""Search options as OpenSearch query DSL: one filter per option, the sort order, and the pieces of a
search request (facet aggregations under every filter but their own, highlights).

Each filter means what it means on the Whoosh engine: a name filter matches a canonical name whole or
by its last word, case- and accent-insensitively; several values of one filter are ORed, filters ANDed;
``since``/``until`` include the whole year, month or day they name.
"""

from __future__ import annotations

from ...errors import QueryError
from ...options import FILTERS, NAME_FILTERS, SearchOptions
from ..query import day_range

#: Facet name -> the keyword field its values are counted from.
FACET_FIELDS = {
    "speaker": "speaker",
    "person": "person",
    "org": "org",
    "place": "place",
    "entity": "entity",
    "author": "author",
    "section": "section.keyword",
    "source": "source",
    "date": "day",
    "article": "article",
}
#: Values fetched for a facet beyond its limit (a blank value is dropped after counting). Ties at the cut
#: need no margin: OpenSearch orders them by byte order of the value, as ``shown.facet`` does.
FACET_MARGIN = 20
#: A date facet is grouped by year, month or day after counting: every day is fetched.
DAYS = 100_000
#: Matches nothing (a filter whose values are all blank).
NOTHING: dict = {"bool": {"must_not": {"match_all": {}}}}
#: Private-use characters around highlighted words: they cannot occur in indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"

#: Cardinality counts are exact below this many distinct values (OpenSearch's largest threshold).
EXACT_BELOW = 40000


def article_count() -> dict:
    """The aggregation counting distinct articles (exact below ``EXACT_BELOW`` of them)."""
    return {"cardinality": {"field": "article", "precision_threshold": EXACT_BELOW}}


def filters(opts: SearchOptions) -> dict[str, dict]:
    """One query per active filter, keyed by the facet it restricts ("date" for since/until)."""
    found: dict[str, dict] = {}
    for name in FILTERS:
        values = [v.strip() for v in getattr(opts, name) if v and v.strip()]
        if getattr(opts, name):
            alternatives = [_value_query(name, v) for v in values]
            found[name] = {"bool": {"should": alternatives, "minimum_should_match": 1}} if alternatives else NOTHING
    if opts.since or opts.until:
        start = day_range(opts.since, "--since")[0] if opts.since else None
        end = day_range(opts.until, "--until")[1] if opts.until else None
        if start and end and start > end:
            raise QueryError(f"--since {opts.since} is after --until {opts.until}")
        bounds = {}
        if start:
            bounds["gte"] = start.isoformat(timespec="milliseconds")
        if end:
            bounds["lte"] = end.isoformat(timespec="milliseconds")
        found["date"] = {"range": {"date": bounds}}
    return found


def _value_query(name: str, value: str) -> dict:
    if name == "article":
        return {"term": {"article": value}}
    if name in NAME_FILTERS:
        return {"match": {f"{name}_names": value}}
    if name == "source":
        return {"match": {"source.match": value}}
    return {"match_phrase": {"section": value}}


def sort_order(opts: SearchOptions, scored: bool) -> list:
    """By score for relevance on a scored query (ties in paragraph order, as Whoosh breaks them by
    document number); else by date (undated last either way), article, paragraph."""
    if opts.sort == "relevance" and scored:
        return ["_score", {"article": "asc"}, {"n": "asc"}]
    direction = "asc" if opts.sort == "date" else "desc"
    return [{"date": {"order": direction, "missing": "_last"}}, {"article": "asc"}, {"n": "asc"}]


def all_of(queries: list[dict]) -> dict:
    return {"bool": {"filter": queries}} if queries else {"match_all": {}}


def facet_aggregations(names: list[str], active: dict[str, dict], by_article: bool, limit: int) -> dict:
    """Aggregations counting each facet under every active filter but its own (multi-select facets).

    Facets whose "other filters" are the same share one filter aggregation.
    """
    aggs: dict[str, dict] = {}
    for name in names:
        field = FACET_FIELDS[name]
        size = DAYS if name == "date" else limit + FACET_MARGIN
        terms: dict = {"terms": {"field": field, "size": size, "shard_size": max(size * 2, size + 100)}}
        if by_article:
            terms["aggs"] = {"articles": article_count()}
        others = [query for f, query in active.items() if f != name]
        aggs[f"facet_{name}"] = {"filter": all_of(others), "aggs": {"values": terms}}
    return aggs


def highlight(*fields: str) -> dict:
    """The whole of each field back with every matched word marked, so spans come out as character
    offsets (a field nothing matched in is left out of the answer)."""
    return {
        "type": "unified",
        "fields": {field: {"number_of_fragments": 0} for field in fields},
        "pre_tags": [MARK_START],
        "post_tags": [MARK_END],
        "require_field_match": True,
    }
