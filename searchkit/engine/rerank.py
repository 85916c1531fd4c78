"""A sentence query's first hits re-ordered by meaning, the same way on every engine.

Words alone miss a paraphrase: a claim and the abstract that supports it often share few words. So when
a query is a sentence (a best-match group: more than ``query.MATCH_ALL_UP_TO`` content words) and hits are
ranked by relevance, the first ``WINDOW`` hits of the word ranking are re-ordered by

    their BM25 score, scaled to 0-1 over the window, + ``MEANING_WEIGHT`` x cosine(query, hit)

where a vector is the sentence embedding of a paragraph (``meaning.paragraph_text``: its article's title
and its text), and an article counts by its paragraph closest to the query. Hits keep their BM25 score;
later hits, the count and the facets are unchanged. A keyword query (one or two words) is ranked by its
words alone: it names what it wants.

Chosen on the tune split of the relevance benchmark (``benchmarks/relevance.py``, seventh round): weights
0.25 / 0.5 / 1 / 2 / 4 gave nDCG@10 +0.007 / +0.012 / +0.019 / +0.034 / +0.039 over the word ranking
(0.724), chosen on one half and confirmed on the other; reciprocal-rank fusion +0.017; the cosine alone
-0.031.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..options import SearchOptions
from . import query as ql

if TYPE_CHECKING:
    import numpy as np

#: How many of the word ranking's first hits are re-ordered.
WINDOW = 100
#: The cosine's weight against the window's BM25 scaled to 0-1.
MEANING_WEIGHT = 4.0

#: The ``--explain`` line of a re-ordered query.
EXPLAINED = f"meaning: the first {WINDOW} re-ordered by BM25 (scaled 0-1 over them) + {MEANING_WEIGHT:g} x cosine"

Key = TypeVar("Key")


def wants_meaning(parsed: ql.Parsed, opts: SearchOptions) -> bool:
    """Whether the query's hits are re-ordered by meaning: ranked by relevance, ``rank`` "meaning", and
    the query holds a best-match group (a sentence, not keywords)."""
    if opts.sort != "relevance" or opts.rank != "meaning" or isinstance(parsed.root, ql.MatchAll):
        return False
    return any(group.minimum < len(group.words) for group in ql.matches(parsed.root))


def meaning_text(parsed: ql.Parsed) -> str:
    """What the model reads of the query: the sentence as typed when it is all the query is, else its
    words without the syntax (fields, operators)."""
    if isinstance(parsed.root, ql.Match):
        return parsed.text
    return ql.plain_words(parsed.text)


def query_vector(parsed: ql.Parsed) -> np.ndarray:
    """The query's meaning vector (loads the model on first use)."""
    from ..meaning import encode

    return encode([meaning_text(parsed)])[0]


def reorder(
    ranked: Sequence[tuple[float, Key]], query: np.ndarray, vectors: Callable[[list[Key]], list[np.ndarray]]
) -> list[tuple[float, Key]]:
    """``ranked`` (score, hit key) best first, its first ``WINDOW`` re-ordered by meaning (module
    docstring). ``vectors`` gives each key's vectors, one row per paragraph (an article's: its
    paragraphs'); its best row counts. Ties keep the word ranking's order."""
    import numpy as np

    window = list(ranked[:WINDOW])
    if len(window) < 2:
        return list(ranked)
    scores = np.array([score for score, _ in window], dtype=np.float64)
    low, high = scores.min(), scores.max()
    scaled = (scores - low) / (high - low) if high > low else np.ones_like(scores)
    cosines = np.array([float((rows @ query).max()) if len(rows) else 0.0 for rows in vectors([k for _, k in window])])
    order = np.argsort(-(scaled + MEANING_WEIGHT * cosines), kind="stable")
    return [window[i] for i in order.tolist()] + list(ranked[WINDOW:])
