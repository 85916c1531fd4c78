"""Ranking: BM25 with Lucene's idf (the weighting of every searcher the engine opens), and one score per
article: BM25 over the article as one document (its title and the text of its paragraphs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh import scoring
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..base import BM25_B, BM25_K1, bm25, lucene_idf
from .query import FIELD_WEIGHTS, AnyField, word_clauses
from .vectors import matching_docs, term_weights

#: Fields stored on every paragraph of an article (the title; a section heading on each paragraph under
#: it): an article counts their words and length once, not once per paragraph.
_REPEATED = ("title", "section")


class LuceneBM25(scoring.BM25F):
    """Whoosh's BM25F with Lucene's idf, ``ln(1 + (N - df + 0.5) / (df + 0.5))``.

    Whoosh's own idf, ``ln(N / (df + 1)) + 1``, gives a word found in every paragraph a weight near 1,
    as much as a rare word gets from a few matches; Lucene's gives it almost 0, so common words cannot
    outrank the rare word a query is about.
    """

    def __init__(self) -> None:
        super().__init__(B=BM25_B, K1=BM25_K1)

    def idf(self, searcher: Searcher, fieldname: str, text: Any) -> float:
        parent = searcher.get_parent()
        return lucene_idf(parent.doc_frequency(fieldname, text), parent.doc_count_all())


@dataclass
class ArticleLengths:
    """Each article's length (its paragraphs' text plus its title and section words once, each field's
    words weighted by the schema's field boost, as the postings weight them) and their mean."""

    length: dict[str, float]
    average: float


_LENGTHS: WeakKeyDictionary[IndexReader, ArticleLengths] = WeakKeyDictionary()
_ARTICLES: WeakKeyDictionary[IndexReader, list[str]] = WeakKeyDictionary()


def article_list(reader: IndexReader) -> list[str]:
    """Each document's article id, read from the column once per reader (a column lookup reads the
    segment file, and an article score looks up every posting of every query word)."""
    found = _ARTICLES.get(reader)
    if found is None:
        article_of = reader.column_reader("article")
        found = _ARTICLES[reader] = [article_of[doc] for doc in range(reader.doc_count_all())]
    return found


def article_lengths(reader: IndexReader) -> ArticleLengths:
    """``ArticleLengths`` of an open reader, computed once per reader (a session's queries share it)."""
    found = _LENGTHS.get(reader)
    if found is not None:
        return found
    article_of = article_list(reader)
    fields = [f for f in FIELD_WEIGHTS if f in reader.schema]
    text_like = [(f, reader.schema[f].format.field_boost) for f in fields if f not in _REPEATED]
    repeated = [(f, reader.schema[f].format.field_boost) for f in fields if f in _REPEATED]
    length: dict[str, float] = {}
    for doc in reader.all_doc_ids():
        article = article_of[doc]
        summed = sum(boost * (reader.doc_field_length(doc, f, 0) or 0) for f, boost in text_like)
        if article not in length:
            summed += sum(boost * (reader.doc_field_length(doc, f, 0) or 0) for f, boost in repeated)
        length[article] = length.get(article, 0.0) + summed
    found = ArticleLengths(length, (sum(length.values()) / len(length) if length else 0.0) or 1.0)
    _LENGTHS[reader] = found
    return found


def article_scores(searcher: Searcher, q: wq.Query, scored: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """(score, shown paragraph) per article, best first, from the (score, paragraph) pairs of every
    paragraph ``q`` matched under the filters.

    An article is scored as one document: for each clause of ``q`` (each word of a best-match group:
    ``word_clauses``), BM25 of the clause's frequency in the article's matching paragraphs, with the
    article's length (``article_lengths``) and an idf over articles. The title, stored on every paragraph,
    counts once. Measured on the tune split (nDCG@10, benchmarks/relevance.py, same scoring copy): 0.724;
    each word's best paragraph, summed (the previous rule), 0.710; best paragraph alone 0.680.
    The paragraph shown is the one ``q`` scores best.
    """
    shown: dict[str, tuple[float, int]] = {}
    article_of = article_list(searcher.reader())
    for value, docnum in scored:
        article = article_of[docnum]
        if article not in shown or value > shown[article][0]:
            shown[article] = (value, docnum)
    lengths = article_lengths(searcher.reader())
    matched = {docnum for _, docnum in scored}
    total: dict[str, float] = {}
    for clause in word_clauses(q):
        frequency, articles = clause_frequencies(searcher, clause, matched, article_of)
        idf = lucene_idf(articles, len(lengths.length))
        for article, tf in frequency.items():
            value = idf * bm25(tf, lengths.length.get(article, lengths.average), lengths.average)
            total[article] = total.get(article, 0.0) + value
    combined = [(total.get(article, 0.0), docnum) for article, (_, docnum) in shown.items()]
    combined.sort(key=lambda pair: (-pair[0], pair[1]))
    return combined


def clause_frequencies(
    searcher: Searcher, clause: wq.Query, docs: set[int], article_of: list[str]
) -> tuple[dict[str, float], int]:
    """(article -> the clause's frequency in the article's paragraphs among ``docs``, the number of
    articles the clause matches anywhere); ``article_of``: ``article_list``.

    A word over the default fields adds up its fields' weights (the postings weight, with the schema's
    field boost, times the query's boost, as Whoosh's matcher gives it) over the field's usual query
    weight: a title word counts twice (its field boost), a typed ``word^2`` doubles. A title or section
    counts once per article. An acronym's match in the name field (``query.finds_names``) is not one of
    those fields and keeps its query weight (``NAMES_WEIGHT``).
    """
    frequency: dict[str, float] = {}
    everywhere: set[str] = set()
    parts = clause.subqueries if isinstance(clause, AnyField) else [clause]
    for part in parts:
        field = part.field()
        scale = 1 / FIELD_WEIGHTS.get(field, 1.0) if isinstance(clause, AnyField) else 1.0
        once = field in _REPEATED
        counted: set[str] = set()
        for doc, weight in _weights(searcher, part):
            article = article_of[doc]
            everywhere.add(article)
            if doc not in docs or (once and article in counted):
                continue
            counted.add(article)
            frequency[article] = frequency.get(article, 0.0) + scale * weight
    return frequency, len(everywhere)


def _weights(searcher: Searcher, q: wq.Query) -> Iterator[tuple[int, float]]:
    """(document, weight) of every document ``q`` matches: a word's frequency times the field's boost and
    the query's; 1 for anything else (a phrase, a wildcard, a group), as for a word found once."""
    if not isinstance(q, wq.Term):  # its documents, as the matcher would step through them
        for doc in sorted(matching_docs(searcher, q)):
            yield doc, q.boost
        return
    read = term_weights(searcher, q)
    if read is not None:
        yield from read
        return
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub, context)
        while matcher.is_active():
            yield matcher.id() + offset, matcher.weight()
            matcher.next()
