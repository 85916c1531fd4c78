"""Highlights: which words of a paragraph a query matched (the surface word of a stemmed match, a
phrase as one span and only where the whole phrase is), found by analysing the stored text as the
index did. What a hit shows from those spans (snippet, matched_in) is engine-neutral: ``..shown``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.analysis import Analyzer, CharsetFilter, RegexTokenizer, StemFilter
from whoosh.reading import IndexReader

from ...model import Match
from ..folding import lower
from ..shown import SHOWN_FIELDS, Shown, join_phrases
from ..shown import show_hit as show_spans
from ..spellings import american_spellings
from .schema import LuceneLowercaseFilter, WrittenFormFilter, american_form, text_analyzer


@dataclass(frozen=True)
class Terms:
    """What a query matches in one field: single words (indexed forms, wildcards and fuzzy terms
    expanded) and phrases (indexed forms in order, with the slop allowed between them)."""

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


def highlight_terms(parsed: wq.Query, reader: IndexReader, fieldname: str = "text") -> Terms:
    """The words and phrases in ``fieldname`` that the query matches; words under NOT are left out."""
    positive = _without_not(parsed)
    if positive is None:
        return Terms()
    words: set[str] = set()
    # Leaf by leaf: Whoosh's existing_terms on a compound query reuses its ``fieldname`` argument as a
    # loop variable, so after the first leaf it skips every leaf of another field (title, section).
    for leaf in positive.leaves():
        if leaf.field() != fieldname:
            continue
        for _, term in leaf.existing_terms(reader, phrases=False, expand=True):
            words.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    phrases = tuple(
        dict.fromkeys(
            (tuple(node.words), max(1, node.slop))
            for node in positive.leaves()
            if isinstance(node, wq.Phrase) and node.fieldname == fieldname and node.words
        )
    )
    return Terms(frozenset(words), phrases)


def field_terms(parsed: wq.Query, reader: IndexReader) -> dict[str, Terms]:
    """``highlight_terms`` for each field a hit shows."""
    return {name: highlight_terms(parsed, reader, name) for name in SHOWN_FIELDS}


def _without_not(q: wq.Query) -> wq.Query | None:
    if isinstance(q, wq.Not):
        return None
    if isinstance(q, wq.AndNot):
        return _without_not(q.a)
    if isinstance(q, wq.compound.CompoundQuery):
        kept = [c for c in (_without_not(sub) for sub in q.subqueries) if c is not None]
        return wq.Or(kept) if kept else None  # only its terms are read: the kind of compound does not matter
    return q


def match_spans(text: str, terms: Terms) -> list[Match]:
    """Character spans of the matched words and of each whole occurrence of a matched phrase (a lone
    word of a phrase is not a match); touching spans join ("security guarantees")."""
    if not terms or not text:
        return []
    tokens = _tokens(text)
    found = [(start, end) for word, _, start, end in tokens if word in terms.words]
    for words, slop in terms.phrases:
        found += _phrase_spans(tokens, words, slop)
    return join_phrases(text, [Match(start, end, text[start:end]) for start, end in found])


def _phrase_spans(tokens: list[tuple[str, int, int, int]], words: tuple[str, ...], slop: int) -> list[tuple[int, int]]:
    """Where ``words`` occur in order, each within ``slop`` positions of the one before (Whoosh's
    phrase rule): one span from the first word to the last."""
    at: dict[str, list[tuple[int, int, int]]] = {}
    for word, pos, start, end in tokens:
        at.setdefault(word, []).append((pos, start, end))
    spans = []
    for pos, start, end in at.get(words[0], []):
        last_pos, last_end = pos, end
        for word in words[1:]:
            nxt = next((p for p in at.get(word, []) if last_pos < p[0] <= last_pos + slop), None)
            if nxt is None:
                break
            last_pos, last_end = nxt[0], nxt[2]
        else:
            spans.append((start, last_end))
    return spans


def _tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(indexed form, position, start, end) of each word of ``text``, as the text analyzer makes them.

    The analyzer is a chain of generators passing one Token object along: for 10 hits that was ~40% of
    a two-word query. When the chain is the usual one (``_steps``), the same steps run on each word
    directly, 2-3x as fast; any other chain runs as it is."""
    steps = _steps()
    if steps is None:
        analyzed = _analyzer()(text, chars=True, positions=True, mode="index")
        return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzed]
    expression, american, stem, ignore, charmap = steps
    found = []
    for pos, match in enumerate(expression.finditer(text)):
        word = american_form(lower(match.group()), american)
        if word not in ignore:
            word = stem(word)
        found.append((word.translate(charmap), pos, match.start(), match.end()))
    return found


@functools.lru_cache(maxsize=1)
def _steps() -> tuple[Any, Any, Any, Any, Any] | None:
    """(word pattern, American spellings, stem function, words not stemmed, character map) when the text
    analyzer is a regex tokenizer (matches as words), lower-casing, the written-form filter, a stemmer and a
    character map, in that order; None for any other chain."""
    items: Any = getattr(_analyzer(), "items", ())
    kinds = [type(item) for item in items]
    if kinds != [RegexTokenizer, LuceneLowercaseFilter, WrittenFormFilter, StemFilter, CharsetFilter] or items[0].gaps:
        return None
    # the filter's stem function under a C-level cache (Whoosh's own cache counts each use in Python)
    stem = functools.lru_cache(maxsize=1 << 16)(getattr(items[3]._stem, "__wrapped__", items[3]._stem))
    return items[0].expression, american_spellings(), stem, items[3].ignore, items[4].charmap


@functools.lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    return text_analyzer()


def show_hit(fields: dict, terms: dict[str, Terms], fragment_chars: int, fragments: int) -> Shown:
    """What a stored paragraph shows (``shown.show_hit``), its spans found by ``match_spans``."""
    spans = {name: match_spans(fields.get(name) or "", terms.get(name, Terms())) for name in SHOWN_FIELDS}
    return show_spans(fields, spans, fragment_chars, fragments)
