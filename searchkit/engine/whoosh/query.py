"""The query language's tree (``engine/query.py``) as Whoosh queries: words analyzed by each field's
own analyzer, default fields with their weights, and a best-match group as "at least m of n" (which
Whoosh lacks: ``Or(minmatch=…)`` is declared but not implemented)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh import matching
from whoosh import query as wq
from whoosh.fields import KEYWORD, TEXT, Schema
from whoosh.reading import IndexReader

from .. import query as ql
from ..base import QUERY_WEIGHTS
from ..folding import pattern_as_indexed
from .expand import AnyValue, KeptWords, Prefix, Wildcard

#: Fields searched when a query word names no field, with the weight of a match in each: the query-time
#: ``base.QUERY_WEIGHTS`` (the schema's postings carry the index-time field boosts already).
FIELD_WEIGHTS = QUERY_WEIGHTS
DEFAULT_FIELDS = tuple(FIELD_WEIGHTS)
#: Fields whose values are matched as written (ids, URLs), never analyzed.
_VERBATIM = ("article", "id", "url")


def parse(
    schema: Schema, text: str, mode: str = "best", default_field: str | None = None, lenient: bool = False
) -> tuple[wq.Query, ql.Parsed]:
    """The Whoosh query for ``text`` and its engine-neutral tree; QueryError for a real mistake, unless
    ``lenient`` (``query.parse``)."""
    parsed = ql.parse(text, mode, default_field, lenient)
    return translate(schema, parsed.root), parsed


def translate(schema: Schema, node: ql.Node) -> wq.Query:
    """One tree node as a Whoosh query (NullQuery when its words analyze to nothing)."""
    built = _Builder(schema).build(node)
    return built.normalize() if built is not None else wq.NullQuery


def is_held(schema: Schema, reader: IndexReader, word: ql.Word) -> bool:
    """Whether the index holds ``word`` in a field it is searched in (``query.searched_fields``: an
    acronym's names too), as that field analyses it: a did-you-mean leaves such a word alone."""
    builder = _Builder(schema)
    for field in ql.searched_fields(word, FIELD_WEIGHTS):
        tokens = builder.tokens(field, ql.text_in(word, field)) if field in schema else []
        if tokens and reader.doc_frequency(field, tokens[0]):
            return True
    return False


class _Builder:
    def __init__(self, schema: Schema):
        self.schema = schema

    def build(self, node: ql.Node) -> wq.Query | None:
        if isinstance(node, ql.MatchAll):
            return wq.Every()
        if isinstance(node, ql.Word):
            weights = ql.searched_fields(node, FIELD_WEIGHTS)
            return self.fields(node.field, lambda f: self.text(f, ql.text_in(node, f), 0), node.boost, weights)
        if isinstance(node, ql.Phrase):
            return self.fields(node.field, lambda f: self.text(f, node.text, node.slop), node.boost)
        if isinstance(node, ql.Match):
            return self.match(node)
        if isinstance(node, ql.Wildcard) and node.pattern == "*":
            # any value, not the empty string an older index holds for a missing one (url:* matched all)
            return self.fields(node.field, lambda f: wq.AndNot(AnyValue(f), wq.Term(f, "")))
        if isinstance(node, ql.Wildcard):
            return self.fields(node.field, lambda f: self.wildcard(f, node))
        if isinstance(node, ql.Fuzzy):
            return self.fields(node.field, lambda f: self.fuzzy(f, node))
        if isinstance(node, ql.DateRange):
            return wq.DateRange(node.field, node.start, node.end)
        if isinstance(node, ql.TermRange):
            return wq.TermRange(
                node.field,
                node.start and node.start.lower(),
                node.end and node.end.lower(),
                startexcl=not node.include_start,
                endexcl=not node.include_end,
            )
        if isinstance(node, ql.Not):
            inner = self.build(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, ql.Or):
            items = [q for q in (self.build(i) for i in node.items) if q is not None]
            return AnyOf(items) if items else None
        if isinstance(node, ql.And):
            return self.conjunction(node)
        raise TypeError(f"not a query node: {node!r}")

    def conjunction(self, node: ql.And) -> wq.Query | None:
        """Required items ANDed; excluded ones (``Not``) subtracted with AndNot, as Whoosh's parser does."""
        required = [q for q in (self.build(i) for i in node.items if not isinstance(i, ql.Not)) if q is not None]
        excluded = [q for q in (self.build(i.item) for i in node.items if isinstance(i, ql.Not)) if q is not None]
        if not required:
            return wq.Not(wq.Or(excluded)) if excluded else None
        positive = required[0] if len(required) == 1 else wq.And(required)
        return wq.AndNot(positive, wq.Or(excluded)) if excluded else positive

    def match(self, node: ql.Match) -> wq.Query | None:
        words = [q for q in (self.build(w) for w in node.words) if q is not None]
        if not words:
            return None
        minimum = min(node.minimum, len(words))
        return wq.And(words) if minimum == len(words) else AtLeast(words, minimum)

    def fields(
        self,
        fieldname: str | None,
        make: Callable[[str], wq.Query | None],
        boost: float = 1.0,
        weights: dict[str, float] = FIELD_WEIGHTS,
    ) -> wq.Query | None:
        """``make(field)`` for the named field, or an OR over the default fields with their ``weights``
        (a word's: ``query.searched_fields``)."""
        if fieldname is not None:
            q = make(fieldname)
            return q.with_boost(boost) if q is not None and boost != 1.0 else q
        alternatives = []
        for name, weight in weights.items():
            q = make(name) if name in self.schema else None
            if q is not None:
                alternatives.append(q.with_boost(weight * boost) if weight * boost != 1.0 else q)
        return AnyField(alternatives) if alternatives else None

    def tokens(self, fieldname: str, text: str) -> list[str]:
        if fieldname in _VERBATIM:
            return [text.strip()] if text.strip() else []
        return list(self.schema[fieldname].process_text(text, mode="query"))

    def text(self, fieldname: str, text: str, slop: int) -> wq.Query | None:
        """Words as the field indexes them: one token a term, several a phrase (``COVID-19``)."""
        tokens = self.tokens(fieldname, text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return wq.Term(fieldname, tokens[0])
        if self.schema[fieldname].format.supports("positions"):
            return wq.Phrase(fieldname, tokens, slop=max(1, slop))
        return wq.And([wq.Term(fieldname, t) for t in tokens])

    def wildcard(self, fieldname: str, node: ql.Wildcard) -> wq.Query:
        """``secur*`` as a prefix, else a wildcard, written as the field writes its words (``pattern``)."""
        if node.prefix:
            return Prefix(fieldname, self.pattern(fieldname, node.prefix))
        return Wildcard(fieldname, self.pattern(fieldname, node.pattern))

    def pattern(self, fieldname: str, pattern: str) -> str:
        """A pattern's letters as ``fieldname`` indexes a word's: a text or name field's lower-cased and
        folded (``folding.pattern_as_indexed``: ``café*`` finds "cafe"), a keyword field's lower-cased
        as Whoosh's ``LowercaseFilter`` does (``source``: ``str.lower``), an id's or URL's as typed."""
        field = self.schema[fieldname]
        if isinstance(field, TEXT):
            return pattern_as_indexed(pattern)
        return pattern.lower() if isinstance(field, KEYWORD) else pattern

    def fuzzy(self, fieldname: str, node: ql.Fuzzy) -> wq.Query | None:
        tokens = self.tokens(fieldname, node.text)
        return StemFuzzyTerm(fieldname, tokens[0], maxdist=node.distance, prefixlength=1) if tokens else None


class _StemFuzzy(wq.FuzzyTerm):
    """A fuzzy word matched against the field's indexed (stemmed) words.

    Whoosh looks a fuzzy word up in the field's spelling list when the field keeps one (``text`` does:
    the words as written), then searches those unstemmed words in the stemmed postings, so
    ``guarantees~`` found nothing although "guarantees" is indexed (as ``guarante``).
    """

    def _btexts(self, ixreader: IndexReader) -> Iterator[Any]:
        return IndexReader.terms_within(ixreader, self.fieldname, self.text, self.maxdist, prefix=self.prefixlength)


class StemFuzzyTerm(KeptWords, _StemFuzzy):
    """``word~``, ``word~2``, its words listed once per reader (``expand.KeptWords``)."""


class AnyField(wq.Or):
    """One query word over the default fields (its own class, so an ``AnyOf`` of words does not flatten
    it into a bag of field terms: the article ranking scores each word on its own)."""


class AnyOf(wq.Or):
    """A typed ``OR``. Whoosh's ``Or`` merges every nested ``Or`` (an ``AnyField`` too) into one bag of
    field terms when normalised, which left the article ranking one clause for ``CEPA OR Blair``: 1 per
    matching paragraph, whichever word matched. This one merges only nested ``AnyOf``."""


class AtLeast(wq.Or):
    """Documents matching at least ``minmatch`` of the subqueries, scored by the sum of those matched.

    With ``minmatch`` 1 it is Whoosh's own union (a plain OR with its skipping); it stays an ``AtLeast``
    so that ``word_clauses`` sees one clause per word.
    """

    JOINT = " OR "

    def __init__(self, subqueries: list[wq.Query], minmatch: int = 1, boost: float = 1.0):
        super().__init__(subqueries, boost=boost, minmatch=minmatch)

    def __unicode__(self) -> str:
        return f"AT LEAST {self.minmatch} OF ({self.JOINT.join(str(s) for s in self.subqueries)})"

    __str__ = __unicode__

    def apply(self, fn: Callable[[wq.Query], wq.Query]) -> AtLeast:
        return self.__class__([fn(q) for q in self.subqueries], self.minmatch, boost=self.boost)

    def normalize(self) -> wq.Query:
        subs = [s.normalize() for s in self.subqueries]
        subs = [s for s in subs if s is not wq.NullQuery]
        if len(subs) < self.minmatch:
            return wq.NullQuery
        if len(subs) == self.minmatch:
            return wq.And(subs, boost=self.boost)
        return self.__class__(subs, self.minmatch, boost=self.boost)

    def _matcher(self, subs: list[wq.Query], searcher: object, context: object) -> matching.Matcher:
        if self.minmatch <= 1:
            return super()._matcher(subs, searcher, context)
        return AtLeastMatcher([q.matcher(searcher, context) for q in subs], self.minmatch, self.boost)


def word_clauses(q: wq.Query) -> list[wq.Query]:
    """The parts of ``q`` an article scores one by one: each word of a best-match group, each item of an
    AND or of an OR; anything else is one clause."""
    if isinstance(q, wq.AndNot):
        return word_clauses(q.a)
    if isinstance(q, (wq.And, AtLeast, AnyOf)):
        return list(q.subqueries)
    return [q]


class AtLeastMatcher(matching.Matcher):
    """Walks its sub-matchers together and stops only on documents that at least ``minimum`` of them
    match (Lucene's minimum-should-match disjunction, without its skipping)."""

    def __init__(self, children: list[matching.Matcher], minimum: int, boost: float = 1.0):
        self.children = children
        self.minimum = minimum
        self.boost = boost
        self._id: int | None = None
        self._settle()

    def _active(self) -> list[matching.Matcher]:
        return [c for c in self.children if c.is_active()]

    def _settle(self) -> None:
        """Move forward to the first document at or after the current one that enough children match."""
        while True:
            active = self._active()
            if len(active) < self.minimum:
                self._id = None
                return
            current = min(c.id() for c in active)
            if sum(1 for c in active if c.id() == current) >= self.minimum:
                self._id = current
                return
            for c in active:
                if c.id() == current:
                    c.next()

    def is_active(self) -> bool:
        return self._id is not None

    def id(self) -> int:
        assert self._id is not None
        return self._id

    def next(self) -> None:
        if self._id is None:
            raise matching.ReadTooFar
        for c in self._active():
            if c.id() == self._id:
                c.next()
        self._settle()

    def skip_to(self, id: int) -> None:
        if self._id is None or id <= self._id:
            return
        for c in self._active():
            if c.id() < id:
                c.skip_to(id)
        self._settle()

    def _here(self) -> list[matching.Matcher]:
        return [c for c in self._active() if c.id() == self._id]

    def score(self) -> float:
        return sum(c.score() for c in self._here()) * self.boost

    def weight(self) -> float:
        return sum(c.weight() for c in self._here())

    def supports(self, astype: str) -> bool:
        return all(c.supports(astype) for c in self.children)

    def spans(self) -> list:
        return sorted({s for c in self._here() for s in c.spans()})

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        """An upper bound of the score (a parent matcher may ask, to skip what cannot rank)."""
        try:
            return sum(c.max_quality() for c in self._active()) * self.boost
        except matching.NoQualityAvailable:
            return float("inf")

    def copy(self) -> AtLeastMatcher:
        copied = AtLeastMatcher.__new__(AtLeastMatcher)
        copied.children = [c.copy() for c in self.children]
        copied.minimum, copied.boost, copied._id = self.minimum, self.boost, self._id
        return copied

    def replace(self, minquality: float = 0) -> matching.Matcher:
        return self if self._id is not None else matching.NullMatcher()

    def term_matchers(self) -> Iterator[matching.Matcher]:
        for c in self.children:
            yield from c.term_matchers()

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)
