"""Every match of a query of words scored at once: BM25F over whole posting lists with numpy.

A pasted sentence is an OR of ten words that matches a third of BBC + Reuters' paragraphs; counts and
facets need every match, and Whoosh's matchers score them one posting at a time in Python (about 1 s a
sentence). Its top-N pruning does not help with common words: no branch of the union can be dropped.
Here each word's posting list is read a block at a time into arrays (its ids and weights only, not
the positions: ``block_postings``), scored as Whoosh's ``BM25FScorer``
scores a posting (same idf, average length and formula, the field's stored length byte), and combined
as Whoosh combines matchers: an OR sums the scores of the parts a document matches, an AND sums them
where every part matches, a NOT removes documents, a boost multiplies. Any other kind of query
(phrases, ranges…) returns None and is scored by Whoosh's matchers as before, and so is a
query whose posting lists are short (``NUMPY_COST_NS``, fewer once numpy is loaded): stepping through
them is as fast, and a one-shot ``searchkit query`` of a few words then never loads numpy (~65 ms).
"""

from __future__ import annotations

import pickle
import sys
import zlib
from array import array
from functools import cache
from itertools import accumulate, islice, repeat
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .expand import lists_documents

if TYPE_CHECKING:
    import numpy as np

#: Sorted, distinct document numbers and each one's score.
Scored = tuple["np.ndarray", "np.ndarray"]

#: Before numpy is loaded, a query is scored here once stepping Whoosh's matcher through its postings
#: would cost more CPU than importing numpy (one BLAS thread, as the CLI sets it) and scoring here:
#: ~70 ms. Stepping costs about 2.5 µs a posting where every word is required (the matcher skips:
#: "oil prices", 14,697 postings, 32 ms on BBC + Reuters) and about 8 µs where any may match (each
#: posting is scored: a ten-word sentence, 68,259 postings, 535 ms; "share prices fell", 19,160
#: postings, 128 ms), so a one-shot query of a few words never loads numpy.
NUMPY_COST_NS = 70_000_000
STEP_NS_ALL_WORDS = 2_500
STEP_NS_ANY_WORD = 8_000
#: Postings from which a query is scored here once numpy is loaded (a session's later queries): a
#: ten-word sentence of 4,700 postings took 36 ms stepped and 5 ms here.
VECTORS_LOADED_FROM = 500

_LENGTHS: WeakKeyDictionary[IndexReader, dict[str, np.ndarray]] = WeakKeyDictionary()


def scored_docs(searcher: Searcher, q: wq.Query) -> Scored | None:
    """(documents, scores) of every document ``q`` matches, or None when ``q`` is not made of words or
    its posting lists are short."""
    weighting = searcher.weighting
    if not isinstance(weighting, scoring.BM25F) or weighting.use_final or weighting._field_B:
        return None
    postings = _postings_count(searcher, q)
    if postings is None:
        return None
    if "numpy" in sys.modules:
        if postings < VECTORS_LOADED_FROM:
            return None
    elif postings * (STEP_NS_ALL_WORDS if isinstance(q, wq.And) else STEP_NS_ANY_WORD) < NUMPY_COST_NS:
        return None
    return _scored(searcher, q)


def _postings_count(searcher: Searcher, q: wq.Query) -> int | None:
    """How many postings the words of ``q`` have in all, or None when ``q`` is not made of words."""
    if isinstance(q, wq.Term):
        return searcher.doc_frequency(q.fieldname, q.text) if q.fieldname in searcher.schema else 0
    if q is wq.NullQuery:
        return 0
    if isinstance(q, (wq.Or, wq.And, wq.AndNot)):
        counts = [_postings_count(searcher, s) for s in q.children()]
        return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
    if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.Every):
        return sum(searcher.doc_frequency(q.field(), word) for word in _words(searcher, q))
    return None


def _words(searcher: Searcher, q: wq.MultiTerm) -> list[bytes]:
    """The indexed words a wildcard or fuzzy word stands for (listed once per reader: ``expand``)."""
    return [word for word in q._btexts(searcher.reader()) if word]


def _expanded(searcher: Searcher, q: wq.MultiTerm) -> Scored | None:
    """A wildcard or fuzzy word scored as its matcher scores it, segment by segment (the matcher lists
    the words each segment holds): the word itself where it stands for one (Whoosh drops the boost
    then), an OR of its words with the boost (each word's BM25F, summed: Whoosh's ``constantscore``
    leaves the searcher's weighting on), or, where ``expand`` matches it as a list of documents, the
    boost for every document."""
    import numpy as np

    words, field = _words(searcher, q), q.field()
    found: list[Scored] = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        here = [word for word in words if (field, word) in reader]
        parts = [_term(searcher, wq.Term(field, word), offset) for word in here]
        if any(p is None for p in parts):
            return None
        scored = [p for p in parts if p is not None]
        if len(scored) == 1:
            found.append(scored[0])
        elif scored and lists_documents(q, len(here)):
            ids = np.unique(np.concatenate([p[0] for p in scored]))
            found.append((ids, np.full(len(ids), float(q.boost))))
        elif scored:
            ids, summed = _union(scored)
            found.append((ids, summed * q.boost if q.boost != 1.0 else summed))
    if not found:
        return _empty()
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def top(found: Scored, allowed: set[int] | None, mask: set[int] | None) -> tuple[set[int], Scored]:
    """(every document of ``found`` but ``mask``, those of them under ``allowed`` with their scores,
    best first; ties: the lower document number first, as Whoosh orders them)."""
    import numpy as np

    ids, scores = found
    if mask:
        keep = ~np.isin(ids, np.fromiter(mask, dtype=np.int64, count=len(mask)))
        ids, scores = ids[keep], scores[keep]
    matched = set(ids.tolist())
    if allowed is not None:
        keep = np.isin(ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))
    return matched, (ids[order], scores[order])


def matching_docs(searcher: Searcher, q: wq.Query) -> set[int]:
    """Every document ``q`` matches (a filter's documents): from the posting lists when ``q`` is made
    of words, else from Whoosh's matcher."""
    found = scored_docs(searcher, q)
    return set(found[0].tolist()) if found is not None else set(searcher.docs_for_query(q))


def _scored(searcher: Searcher, q: wq.Query) -> Scored | None:
    import numpy as np

    if isinstance(q, wq.Term):
        found = _term(searcher, q)
    elif isinstance(q, wq.Or) and q.minmatch <= 1 and q.scale is None:
        parts = [_scored(searcher, s) for s in q.subqueries]
        found = None if any(p is None for p in parts) else _union(parts)  # type: ignore[arg-type]
    elif isinstance(q, wq.And):
        parts = [_scored(searcher, s) for s in q.subqueries]
        found = None if any(p is None for p in parts) or not parts else _intersection(parts)  # type: ignore[arg-type]
    elif isinstance(q, wq.AndNot):
        found, excluded = _scored(searcher, q.a), _scored(searcher, q.b)
        if found is not None and excluded is not None:
            keep = ~np.isin(found[0], excluded[0], assume_unique=True)
            found = (found[0][keep], found[1][keep])
        else:
            found = None
    elif q is wq.NullQuery:
        return _empty()
    elif isinstance(q, wq.MultiTerm) and not isinstance(q, wq.Every):
        return _expanded(searcher, q)  # the boost is applied inside, as the matcher applies it
    else:
        return None
    if found is not None and q.boost != 1.0 and not isinstance(q, wq.Term):
        found = (found[0], found[1] * q.boost)
    return found


def _empty() -> Scored:
    import numpy as np

    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)


def _union(parts: list[Scored]) -> Scored:
    import numpy as np

    parts = [p for p in parts if len(p[0])]
    if len(parts) <= 1:
        return parts[0] if parts else _empty()
    ids, scores = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    end = int(ids.max()) + 1
    if len(ids) * 8 < end:  # few: sort them
        ids, where = np.unique(ids, return_inverse=True)
        return ids, np.bincount(where, weights=scores, minlength=len(ids))
    # many: sum over every document number up to the last one (~1 ms at 100,000; 10x a sort)
    matched = np.flatnonzero(np.bincount(ids, minlength=end))
    return matched, np.bincount(ids, weights=scores, minlength=end)[matched]


def _intersection(parts: list[Scored]) -> Scored:
    import numpy as np

    ids, scores = parts[0]
    for other_ids, other_scores in parts[1:]:
        ids, here, there = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
        scores = scores[here] + other_scores[there]
    return ids, scores


def _term(searcher: Searcher, q: wq.Term, only: int | None = None) -> Scored | None:
    """A word's postings in one field, scored as ``BM25FScorer`` scores each, or by their weight in a
    field without lengths (as Whoosh's ``WeightScorer``), times the word's boost; with ``only``, those of
    the segment that starts at that document number."""
    import numpy as np

    field = q.fieldname
    if field not in searcher.schema:
        return _empty()
    scorable = searcher.schema[field].scorable  # else Whoosh scores a posting by its weight
    weighting = searcher.weighting
    idf = searcher.idf(field, q.text)
    average = searcher.avg_field_length(field) or 1
    k1, b = weighting.K1, weighting.B
    all_ids, all_scores = [], []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (field, q.text) not in reader or (only is not None and offset != only):
            continue
        postings = _postings(reader.postings(field, q.text))
        if postings is None:
            return None
        ids, tf = postings
        if scorable:
            length = _lengths(reader, field)[ids]
            score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / average)))
        else:
            score = tf
        all_ids.append(ids + offset)
        all_scores.append(score * q.boost if q.boost != 1.0 else score)
    if not all_ids:
        return _empty()
    return np.concatenate(all_ids), np.concatenate(all_scores)


def _postings(matcher: object) -> tuple[np.ndarray, np.ndarray] | None:
    """(document numbers, weights) of a posting list as arrays; None for a kind of matcher this does
    not read."""
    import numpy as np

    read = _blocks(matcher)
    return None if read is None else (np.array(read[0], dtype=np.int64), np.array(read[1], dtype=np.float64))


def term_weights(searcher: Searcher, q: wq.Term) -> list[tuple[int, float]] | None:
    """(document, weight) of every posting of a word, the weight as its matcher gives it (times the
    word's boost), read a block at a time; None when a segment's postings are of another kind."""
    found: list[tuple[int, float]] = []
    if q.fieldname not in searcher.schema:
        return found
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (q.fieldname, q.text) not in reader:
            continue
        read = _blocks(reader.postings(q.fieldname, q.text))
        if read is None:
            return None
        found.extend((doc + offset, weight * q.boost) for doc, weight in zip(*read, strict=True))
    return found


def _blocks(matcher: object) -> tuple[list[int], list[float]] | None:
    """(document numbers, weights) of a posting list, read a block at a time; None for a kind of
    matcher this does not read.

    Each block is decoded as the matcher's ``_read_ids`` and ``_read_weights`` decode it, from
    ``block_postings`` and with ``accumulate`` for the ids (in C; Whoosh's ``delta_decode`` is a
    generator)."""
    deleted = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:  # a segment with deleted documents
        deleted, matcher = matcher._ids, matcher.child
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return None
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        deltas, weight = block_postings(matcher)
        size, start = matcher._blocklength, matcher._i
        ids.extend(islice(accumulate(deltas), start, None))
        if isinstance(weight, tuple):
            weights.extend(weight[start:])
        else:  # one weight for the whole block, which the matcher keeps as a 32-bit float
            weights.extend(repeat(1.0 if weight is None else array("f", (weight,))[0], size - start))
        matcher._next_block()
    if deleted:
        kept = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted]
        ids, weights = [d for d, _ in kept], [w for _, w in kept]
    return ids, weights


def block_postings(matcher: W3LeafMatcher) -> tuple[tuple[int, ...], Any]:
    """(id deltas, weights: None, one float or a tuple) of the matcher's current block.

    A block is a pickled tuple (id deltas, weights, values). The values, a word's positions, are most
    of it and cost ~90% of unpickling it (each one is rebuilt by a call to ``codecs.encode``), and a
    query needs none of them: this unpickles the ids and weights only, ``_ids_and_weights``."""
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    found = _ids_and_weights(zlib.decompress(raw) if matcher._compression else raw, matcher._blocklength)
    if found is None:
        if matcher._data is None:
            matcher._read_data()
        found = matcher._data[0], matcher._data[1]
    return found


def _ids_and_weights(data: bytes, size: int) -> tuple[tuple[int, ...], Any] | None:
    """The first two items of a block's pickled tuple, or None when ``data`` is not laid out as
    expected (then the whole block is unpickled).

    Pickle protocol 2 writes the ids as MARK, one int opcode each, TUPLE and BINPUT 0 (``tq\x00``:
    that cannot occur inside the ids before a delta of 7.4 million); then the weights as None (one
    byte), one BINFLOAT (9 bytes) or MARK, ``size`` BINFLOATs and TUPLE. Those bytes with TUPLE2 and
    STOP appended are a pickle of (ids, weights); a count that does not match ``size`` means
    something else was cut, and is refused."""
    end = data.find(b"tq\x00", 3) + 3
    if end < 3 or not data.startswith(b"\x80\x02("):
        return None
    kind = data[end : end + 1]
    stop = end + (1 if kind == b"N" else 9 if kind == b"G" else 2 + 9 * size if kind == b"(" else 0)
    if stop == end or (kind == b"(" and data[stop - 1 : stop] != b"t"):
        return None
    try:
        ids, weights = pickle.loads(data[:stop] + b"\x86.")
    except (pickle.UnpicklingError, ValueError, TypeError, EOFError, IndexError):
        return None
    if not isinstance(ids, tuple) or len(ids) != size or (isinstance(weights, tuple) and len(weights) != size):
        return None
    return ids, weights


def _lengths(reader: IndexReader, field: str) -> np.ndarray:
    """Each document's length in ``field`` as BM25F reads it: the length byte the segment stores per
    document (held in memory by ``patches``), decoded; read once per reader."""
    import numpy as np

    cached = _LENGTHS.setdefault(reader, {})
    if field not in cached:
        try:
            column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        except AttributeError:  # not a Whoosh 3 segment reader
            column = None
        if isinstance(column, bytes):
            cached[field] = _length_of_byte()[np.frombuffer(column, dtype=np.uint8)]
        else:
            stored = [reader.doc_field_length(d, field, 0) or 1 for d in range(reader.doc_count_all())]
            cached[field] = np.array(stored, dtype=np.float64)
    return cached[field]


@cache
def _length_of_byte() -> np.ndarray:
    """A field length for each value of Whoosh's length byte (0: no length, read as 1, as BM25F does)."""
    import numpy as np

    return np.array([1] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)
