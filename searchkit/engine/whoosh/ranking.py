"""Ranking: BM25 with Lucene's idf (the weighting of every searcher the engine opens), and one score per
article made of its best paragraph plus a share of its other matching paragraphs."""

from __future__ import annotations

from math import log
from typing import Any

from whoosh import scoring
from whoosh.searching import Searcher

#: BM25 parameters (Whoosh's defaults; Lucene's are 1.2 and 0.75 too).
K1, B = 1.2, 0.75
#: An article scores its best paragraph plus this share of the sum of its other matching paragraphs'
#: scores, so words spread over several paragraphs add up without long articles winning on bulk.
OTHER_PARAGRAPHS_SHARE = 0.5


class LuceneBM25(scoring.BM25F):
    """Whoosh's BM25F with Lucene's idf, ``ln(1 + (N - df + 0.5) / (df + 0.5))``.

    Whoosh's own idf, ``ln(N / (df + 1)) + 1``, gives a word found in every paragraph a weight near 1,
    as much as a rare word gets from a few matches; Lucene's gives it almost 0, so common words cannot
    outrank the rare word a query is about.
    """

    def __init__(self) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher: Searcher, fieldname: str, text: Any) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return log(1 + (n - df + 0.5) / (df + 0.5))


def article_scores(scored: list[tuple[float, int]], article_of: Any) -> list[tuple[float, int]]:
    """(combined score, best paragraph) per article, best first, from (score, paragraph) pairs.

    ``article_of`` maps a paragraph number to its article id (a column reader).
    """
    best: dict[str, tuple[float, int]] = {}
    total: dict[str, float] = {}
    for value, docnum in scored:
        article = article_of[docnum]
        total[article] = total.get(article, 0.0) + value
        if article not in best or value > best[article][0]:
            best[article] = (value, docnum)
    combined = [
        (top + OTHER_PARAGRAPHS_SHARE * (total[article] - top), docnum) for article, (top, docnum) in best.items()
    ]
    combined.sort(key=lambda pair: (-pair[0], pair[1]))
    return combined
