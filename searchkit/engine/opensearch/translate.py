"""The query language's tree (``engine/query.py``) as OpenSearch query DSL, node by node, with the
meaning the Whoosh translation gives it: words analysed by each field's own analyser (one token a
term, several a phrase), default fields summed with their weights, a best-match group as
``minimum_should_match``, exclusions as ``must_not``."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import query as ql
from ..base import FIELD_BOOSTS, QUERY_WEIGHTS
from ..folding import lower, pattern_as_indexed
from ..stored import NAME_FIELDS

#: Fields searched when a query word names no field, with the weight of a match in each: OpenSearch has
#: no index-time boost, so the field's ``base.FIELD_BOOSTS`` times its query-time ``base.QUERY_WEIGHTS``
#: (title 2 x 0.25, section 1.5 x 1), and both engines weigh a field alike.
FIELD_WEIGHTS = {field: weight * FIELD_BOOSTS[field] for field, weight in QUERY_WEIGHTS.items()}
#: The query field a user names -> the indexed field that answers it.
FIELDS = {
    "text": "text",
    "title": "title",
    "section": "section",
    "quote": "quote",
    "source": "source.match",
    **{name: f"{name}_names" for name in NAME_FIELDS},
}
#: Fields whose values are matched as written (ids, URLs), never analysed.
VERBATIM = ("article", "id", "url")
#: Fields whose words are lower-cased, not folded (``mapping``'s ``sk_keyword``): a wildcard pattern is
#: written as the field writes its words, a text or name field's lower-cased and folded
#: (``folding.pattern_as_indexed``: ``café*`` finds "cafe").
LOWER_CASED = ("source",)
#: Words a wildcard expands to that are scored (the rest still match, with a tiny constant score).
SCORED_EXPANSIONS = 64
_WORDY = re.compile(r"\w")


def translate(node: ql.Node) -> dict:
    """One tree node as a query (a query matching nothing when its words analyse to nothing)."""
    built = _build(node)
    return built if built is not None else {"match_none": {}}


def _build(node: ql.Node) -> dict | None:
    if isinstance(node, ql.MatchAll):
        return {"match_all": {}}
    if isinstance(node, ql.Word):
        weights = ql.searched_fields(node, FIELD_WEIGHTS)
        return _fields(node.field, lambda f, b: _text(f, ql.text_in(node, f), 0, b), node.boost, weights)
    if isinstance(node, ql.Phrase):
        return _fields(node.field, lambda f, b: _text(f, node.text, node.slop, b), node.boost)
    if isinstance(node, ql.Match):
        return _match(node)
    if isinstance(node, ql.Wildcard):
        return _fields(node.field, lambda f, b: _wildcard(f, node, b))
    if isinstance(node, ql.Fuzzy):
        return _fields(node.field, lambda f, b: _fuzzy(f, node, b))
    if isinstance(node, ql.DateRange):
        bounds = {}
        if node.start is not None:
            bounds["gte"] = node.start.isoformat(timespec="milliseconds")
        if node.end is not None:
            bounds["lte"] = node.end.isoformat(timespec="milliseconds")
        return {"range": {"date": bounds}}
    if isinstance(node, ql.TermRange):
        field = node.field if node.field in VERBATIM else FIELDS.get(node.field, node.field)
        bounds = {}
        if node.start is not None:
            bounds["gte" if node.include_start else "gt"] = _term_value(node.field, node.start)
        if node.end is not None:
            bounds["lte" if node.include_end else "lt"] = _term_value(node.field, node.end)
        return {"range": {field: bounds}}
    if isinstance(node, ql.Not):
        inner = _build(node.item)
        return {"bool": {"must": [{"match_all": {}}], "must_not": [inner]}} if inner is not None else None
    if isinstance(node, ql.Or):
        items = [q for q in (_build(i) for i in node.items) if q is not None]
        return {"bool": {"should": items, "minimum_should_match": 1}} if items else None
    if isinstance(node, ql.And):
        return _conjunction(node)
    raise TypeError(f"not a query node: {node!r}")


def _conjunction(node: ql.And) -> dict | None:
    required = [q for q in (_build(i) for i in node.items if not isinstance(i, ql.Not)) if q is not None]
    excluded = [q for q in (_build(i.item) for i in node.items if isinstance(i, ql.Not)) if q is not None]
    if not required and not excluded:
        return None
    if not required:
        return {"bool": {"must": [{"match_all": {}}], "must_not": excluded}}
    if not excluded and len(required) == 1:
        return required[0]
    return {"bool": {"must": required, "must_not": excluded}}


def _match(node: ql.Match) -> dict | None:
    words = [q for q in (_build(w) for w in node.words) if q is not None]
    if not words:
        return None
    minimum = min(node.minimum, len(words))
    if minimum == len(words):
        return {"bool": {"must": words}}
    return {"bool": {"should": words, "minimum_should_match": minimum}}


def _fields(
    field: str | None, make: Callable[[str, float], dict | None], boost: float = 1.0, weights: dict = FIELD_WEIGHTS
) -> dict | None:
    """``make(field, boost)`` for the named field, or the sum over the default fields with their
    ``weights`` (a word's: ``query.searched_fields``)."""
    if field is not None:
        return make(field, boost)
    alternatives = [q for name, weight in weights.items() if (q := make(name, weight * boost)) is not None]
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else {"bool": {"should": alternatives, "minimum_should_match": 1}}


def _text(field: str, text: str, slop: int, boost: float) -> dict | None:
    """Words as the field indexes them: ``match_phrase`` is a term query for one token, a phrase for more.

    Whoosh's phrase slop counts positions from 1 (1 = adjacent); OpenSearch's from 0.
    """
    if field in VERBATIM:
        value = text.strip()
        return {"term": {field: {"value": value, "boost": boost}}} if value else None
    if not _WORDY.search(text):
        return None
    return {"match_phrase": {FIELDS[field]: {"query": text, "slop": max(0, slop - 1), "boost": boost}}}


def _wildcard(field: str, node: ql.Wildcard, boost: float) -> dict:
    """Every paragraph with a matching word, scored by the best-weighted matching words (BM25, as Whoosh
    scores the words a pattern expands to): OpenSearch alone would give each the same constant score,
    and scoring every expansion can exceed the clause limit on a short prefix."""
    if field in VERBATIM:
        return {"wildcard": {field: {"value": node.pattern, "boost": boost}}}
    kind, value = ("prefix", node.prefix) if node.prefix else ("wildcard", node.pattern)
    value = lower(value) if field in LOWER_CASED else pattern_as_indexed(value)
    target = FIELDS[field]
    every = {kind: {target: {"value": value, "boost": boost * 0.001}}}
    scored = {kind: {target: {"value": value, "boost": boost, "rewrite": f"top_terms_{SCORED_EXPANSIONS}"}}}
    return {"bool": {"should": [every, scored], "minimum_should_match": 1}}


def _fuzzy(field: str, node: ql.Fuzzy, boost: float) -> dict | None:
    if field in VERBATIM:
        return {"fuzzy": {field: {"value": node.text.strip(), "fuzziness": node.distance, "prefix_length": 1}}}
    if not _WORDY.search(node.text):
        return None
    query = {"query": node.text, "fuzziness": node.distance, "prefix_length": 1, "boost": boost}
    return {"match": {FIELDS[field]: query}}


def _term_value(field: str, value: str) -> str:
    return value if field in VERBATIM else value.lower()
