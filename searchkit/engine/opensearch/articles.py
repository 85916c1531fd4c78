"""One score per article for ``--by article`` on OpenSearch: the Whoosh engine's article score
(``engine/whoosh/ranking.py``), BM25 over the article as one document, for the best articles by their
best paragraph.

OpenSearch's ``collapse`` ranks an article by its best paragraph only; words spread over several
paragraphs never add up (on SciFact's tune split that scored nDCG@10 0.680 on Whoosh, the article as one
document 0.724). ``collapse`` cannot be combined with ``rescore``, so the articles of the first
``window`` places are re-scored here, as a rescore window would be, from what the cluster reports:

- each clause of the query (each word of a best-match group, each item of an AND: as Whoosh's
  ``word_clauses``) is scored by BM25 of its frequency in the article's matching paragraphs (term
  vectors; the title and section words once per article, weighted by ``mapping.ARTICLE_FIELD_WEIGHTS``),
  a clause that is not one word (a phrase, a wildcard, a named field) as 1 per matching paragraph;
- the article's length is the sum of its paragraphs' ``length`` (the mapping stores each paragraph's
  share), the average over every article of the index;
- the idf counts the articles the clause matches anywhere (Lucene's formula, over articles).

Places after the window keep the best-paragraph order, as after a rescore window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import query as ql
from ..base import bm25, lucene_idf
from .dsl import EXACT_BELOW
from .mapping import ARTICLE_FIELD_WEIGHTS
from .translate import translate

if TYPE_CHECKING:
    from .reads import ReadClient

#: Articles re-scored (at least; a page is never split by the window's end): Whoosh re-scores every
#: matching article, but a window this size holds the relevance benchmark's top 100.
WINDOW = 100
#: Matching paragraphs of the window's articles read for their words (OpenSearch's default result window).
PARAGRAPHS_READ = 10000


@dataclass(frozen=True)
class Clause:
    """A part of the query an article scores on its own: its DSL, the word whose frequency counts (a
    plain word over the default fields; None counts matching paragraphs) and its boost."""

    query: dict
    word: str | None
    boost: float = 1.0


def clauses(root: ql.Node) -> list[Clause]:
    """The clauses of a parsed query (none for a query that scores nothing: every paragraph)."""
    if isinstance(root, ql.MatchAll):
        return []
    if isinstance(root, ql.Match):
        items: list[ql.Node] = list(root.words)
    elif isinstance(root, ql.And):
        items = [item for item in root.items if not isinstance(item, ql.Not)]
    elif isinstance(root, ql.Not):
        return []
    else:
        items = [root]
    found = []
    for item in items:
        word = item.text if isinstance(item, ql.Word) and item.field is None else None
        found.append(Clause(translate(item), word, getattr(item, "boost", 1.0)))
    return found


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
        "articles": {"cardinality": {"field": "article", "precision_threshold": EXACT_BELOW}},
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
                "aggs": {"n": {"cardinality": {"field": "article", "precision_threshold": EXACT_BELOW}}},
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
    words = [c.word for c in parts if c.word is not None]
    # the title is every paragraph's: read it from each article's first
    first = {article: p for p, article, _ in reversed(paragraphs)}
    wanted = [(p, ["text", "section", *(["title"] if first[a] == p else [])]) for p, a, _ in paragraphs]
    vectors, analysed = client.term_vectors(index, wanted, words)
    tokens = dict(zip(words, analysed, strict=True))
    total: dict[str, float] = {}
    for i, clause in enumerate(parts):
        idf = lucene_idf(stats[f"c{i}"]["n"]["value"], articles)
        term = _one_term(tokens[clause.word]) if clause.word is not None else None
        frequency: dict[str, float] = {}
        once: set[tuple[str, str]] = set()
        for (_, article, names), fields in zip(paragraphs, vectors, strict=True):
            counted = 1.0 if term is None and str(i) in names else 0.0
            if term is not None:
                for field, weight in ARTICLE_FIELD_WEIGHTS.items():
                    tf = fields.get(field, {}).get(term, 0)
                    if tf and (field == "text" or (field, article) not in once):
                        counted += weight * tf
                        if field != "text":
                            once.add((field, article))
            if counted:
                frequency[article] = frequency.get(article, 0.0) + clause.boost * counted
        for article, summed in frequency.items():
            total[article] = total.get(article, 0.0) + idf * bm25(summed, length.get(article, average), average)
    return total


def _one_term(analysed: dict[str, dict[str, int]]) -> str | None:
    """The term a word analyses to, when it is one term (several are a phrase, counted by paragraph)."""
    terms = list(analysed.get("text", {}))
    return terms[0] if len(terms) == 1 and sum(analysed["text"].values()) == 1 else None
