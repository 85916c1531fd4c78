"""One score per article for ``--by article`` on OpenSearch: the Whoosh engine's article score
(``engine/whoosh/ranking.py``), BM25 over the article as one document, for the best articles by their
best paragraph.

OpenSearch's ``collapse`` ranks an article by its best paragraph only; words spread over several
paragraphs never add up (SciFact's tune split, ``benchmarks/relevance.py`` on a collection moved to
OpenSearch: nDCG@10 0.701 by best paragraph, 0.724 with this score, as on Whoosh). ``collapse`` cannot
be combined with ``rescore``, so the articles of the first ``window`` places are re-scored here, as a
rescore window would be, from what the cluster reports:

- each clause of the query (``clauses``) is scored by BM25 of its frequency in the article's matching
  paragraphs (term vectors; the title and section words once per article, weighted by
  ``base.FIELD_BOOSTS``; an acronym's names at ``query.NAMES_WEIGHT``), a clause that is
  not one word (a phrase, a wildcard, a named field, a group) as 1 per matching paragraph;
- the article's length is the sum of its paragraphs' ``length`` (the mapping stores each paragraph's
  share), the average over every article of the index;
- the idf counts the articles the clause matches anywhere (Lucene's formula, over articles).

Places after the window keep the best-paragraph order, as after a rescore window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import query as ql
from ..base import FIELD_BOOSTS, bm25, lucene_idf
from .dsl import article_count
from .translate import FIELDS, translate

if TYPE_CHECKING:
    from .reads import ReadClient

#: Articles re-scored (at least; a page is never split by the window's end). Whoosh re-scores every
#: matching article; on the tune split, pages of 10, nDCG@10 with a window of 10 / 20 / 30 / 50 / 100:
#: 0.717 / 0.715 / 0.716 / 0.716 / 0.724.
WINDOW = 100
#: Matching paragraphs of the window's articles read for their words (OpenSearch's default result window).
PARAGRAPHS_READ = 10000

#: Fields counted once per article (stored on every paragraph, or on every paragraph under a heading).
_ONCE = ("title", "section")
#: The field holding the names an acronym also matches.
_NAMES = FIELDS[ql.NAMES_FIELD]


@dataclass(frozen=True)
class Clause:
    """A part of the query an article scores on its own: its DSL, the word whose frequency counts (a
    plain word over the default fields; None counts matching paragraphs) and its boost."""

    query: dict
    word: str | None
    boost: float = 1.0
    names: str | None = None  # what an acronym is searched for among names and aliases (``query.text_in``)


def clauses(root: ql.Node) -> list[Clause]:
    """The clauses of a parsed query, as Whoosh's ``word_clauses`` splits its translation (none for a
    query that scores nothing: every paragraph): each word of a best-match group, each item of an AND
    or of an OR (nested ORs too), else the whole query."""
    if isinstance(root, ql.MatchAll):
        return []
    if isinstance(root, ql.Match):
        items: list[ql.Node] = list(root.words)
    elif isinstance(root, ql.And):
        items = [item for item in root.items if not isinstance(item, ql.Not)]
    elif isinstance(root, ql.Or):
        items = _alternatives(root)
    elif isinstance(root, ql.Not):
        return []
    else:
        items = [root]
    return [
        Clause(
            translate(item),
            item.text,
            item.boost,
            ql.text_in(item, ql.NAMES_FIELD) if ql.finds_names(item) else None,
        )
        if isinstance(item, ql.Word) and item.field is None
        else Clause(translate(item), None, getattr(item, "boost", 1.0))
        for item in items
    ]


def _alternatives(node: ql.Or) -> list[ql.Node]:
    return [leaf for item in node.items for leaf in (_alternatives(item) if isinstance(item, ql.Or) else [item])]


def window(limit: int) -> int:
    """The places re-scored: ``WINDOW`` rounded up to whole pages of ``limit``."""
    return -(-WINDOW // limit) * limit


def article_scores(
    client: ReadClient, index: str, matched: dict, found: list[str], parts: list[Clause]
) -> dict[str, float]:
    """The score of each article of ``found`` (article ids) for the query ``matched`` (the query with
    its filters: the paragraphs that count)."""
    named = [{"bool": {"should": [c.query], "_name": str(i)}} for i, c in enumerate(parts)]
    every = {
        "length": {"sum": {"field": "length"}},
        "articles": article_count(),
        "found": {
            "filter": {"terms": {"article": found}},
            "aggs": {
                "per": {
                    "terms": {"field": "article", "size": len(found)},
                    "aggs": {"length": {"sum": {"field": "length"}}},
                }
            },
        },
        **{
            f"c{i}": {
                "filter": c.query,
                "aggs": {"n": article_count()},
            }
            for i, c in enumerate(parts)
        },
    }
    body = {
        "query": {"bool": {"must": [matched], "should": named, "filter": [{"terms": {"article": found}}]}},
        "size": PARAGRAPHS_READ,
        "_source": False,
        "docvalue_fields": ["article"],
        "sort": [{"article": "asc"}, {"n": "asc"}],
        "aggs": {"every": {"global": {}, "aggs": every}},
    }
    response = client.search(index=index, body=body)
    stats = response["aggregations"]["every"]
    articles = stats["articles"]["value"] or 1
    average = (stats["length"]["value"] / articles) or 1.0
    length = {b["key"]: b["length"]["value"] for b in stats["found"]["per"]["buckets"]}
    paragraphs = [
        (h["_id"], h["fields"]["article"][0], set(h.get("matched_queries") or ())) for h in response["hits"]["hits"]
    ]
    texts = [("text", c.word) for c in parts if c.word is not None]
    texts += [(_NAMES, c.names) for c in parts if c.names is not None]
    # the title is every paragraph's: read it from each article's first
    first = {article: p for p, article, _ in reversed(paragraphs)}
    names = [_NAMES] if any(c.names is not None for c in parts) else []
    wanted = [(p, ["text", "section", *names, *(["title"] if first[a] == p else [])]) for p, a, _ in paragraphs]
    vectors, analysed = client.term_vectors(index, wanted, texts)
    term_of = {pair: _one_term(found, pair[0]) for pair, found in zip(texts, analysed, strict=True)}
    total: dict[str, float] = {}
    for i, clause in enumerate(parts):
        terms: dict[str, tuple[str, float]] = {}
        term = term_of[("text", clause.word)] if clause.word is not None else None
        if term is not None:
            terms = {field: (term, weight) for field, weight in FIELD_BOOSTS.items()}
            name = term_of.get((_NAMES, clause.names)) if clause.names is not None else None
            if name is not None:
                terms[_NAMES] = (name, ql.NAMES_WEIGHT)
        idf = lucene_idf(stats[f"c{i}"]["n"]["value"], articles)
        for article, summed in _frequencies(paragraphs, vectors, str(i), terms).items():
            value = idf * bm25(clause.boost * summed, length.get(article, average), average)
            total[article] = total.get(article, 0.0) + value
    return total


def _frequencies(
    paragraphs: list[tuple[str, str, set[str]]], vectors: list[dict[str, dict[str, int]]], name: str, terms: dict
) -> dict[str, float]:
    """Article -> a clause's frequency over its matching ``paragraphs`` (id, article, names of the clauses
    each matches): each field's frequency of the clause's term (``terms``: field -> (term, weight)) times
    the field's weight, the title and section once per article; for a clause that is not one word (no
    ``terms``), 1 for each paragraph the clause ``name`` matches."""
    frequency: dict[str, float] = {}
    once: set[tuple[str, str]] = set()
    for (_, article, matched), fields in zip(paragraphs, vectors, strict=True):
        counted = 0.0 if terms or name not in matched else 1.0
        for field, (term, weight) in terms.items():
            tf = fields.get(field, {}).get(term, 0)
            if tf and (field not in _ONCE or (field, article) not in once):
                counted += weight * tf
                if field in _ONCE:
                    once.add((field, article))
        if counted:
            frequency[article] = frequency.get(article, 0.0) + counted
    return frequency


def _one_term(analysed: dict[str, dict[str, int]], field: str) -> str | None:
    """The term a word analyses to in ``field``, when it is one term (several are a phrase, counted by
    paragraph)."""
    found = analysed.get(field, {})
    return next(iter(found)) if len(found) == 1 and sum(found.values()) == 1 else None
