"""Queries: parse and validate, filter, rank with BM25F, and copy each hit out of Whoosh into plain
data (facet counts: ``facets``; highlights and snippets: ``highlight``)."""

from __future__ import annotations

import heapq
from itertools import islice
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.index import Index
from whoosh.searching import Searcher

from ...errors import NotFound, QueryError
from ...model import Hit, Paragraph, QuoteHit, QuoteResult, SearchResult
from ...options import DEFAULT_FACETS, FILTERS, SearchOptions, options
from ..limits import MAX_EXPANSION, check_expansion, time_budget
from ..query import Parsed, Word, correctable_words, day_range, respell
from ..rerank import EXPLAINED, WINDOW, query_vector, reorder, wants_meaning
from ..shown import same_name
from ..stored import stored_quotes, to_hit, to_paragraph, to_quote_hit
from ..suggest import offer
from .facets import article_counts, count_facets, intersect, live_docs
from .highlight import Terms, field_terms, highlight_terms, match_spans, show_hit
from .meaning import hit_vectors
from .order import date_order
from .query import is_held, parse
from .ranking import article_scores
from .vectors import matching_docs, scored_docs, top

if TYPE_CHECKING:
    import numpy as np

# -- filters -----------------------------------------------------------------------------------------


def filter_queries(schema: Schema, opts: SearchOptions) -> dict[str, wq.Query]:
    """One query per active filter, keyed by the facet it restricts ("date" for since/until)."""
    found: dict[str, wq.Query] = {}
    for name in FILTERS:
        values = getattr(opts, name)
        if not values:
            continue
        alternatives = [_value_query(schema, name, v) for v in values]
        alternatives = [q for q in alternatives if q is not None]
        found[name] = wq.Or(alternatives) if alternatives else wq.NullQuery
    if opts.since or opts.until:
        start = day_range(opts.since, "since")[0] if opts.since else None
        end = day_range(opts.until, "until")[1] if opts.until else None
        if start and end and start > end:
            raise QueryError(f"since {opts.since} is after until {opts.until}")
        found["date"] = wq.DateRange("date", start, end)
    return found


def _value_query(schema: Schema, name: str, value: str) -> wq.Query | None:
    if name == "article":
        return wq.Term("article", value.strip())
    tokens = [t.text for t in schema[name].analyzer(value, mode="query")]
    if not tokens:
        return None
    if name == "section" and len(tokens) > 1:
        return wq.Phrase("section", tokens)
    return wq.Or([wq.Term(name, t) for t in tokens]) if name != "section" else wq.Term("section", tokens[0])


# -- searching ---------------------------------------------------------------------------------------


def search(ix: Index, query: str = "", given: SearchOptions | None = None, **changes: object) -> SearchResult:
    """Run ``query`` (blank: every paragraph) under the filters and return one page of hits, with facets.

    Options are a ``SearchOptions`` and/or its fields as keywords: ``search(ix, "nato", speaker="Rubio")``.
    A malformed query raises QueryError, unless ``lenient``, which searches its plain words and warns.
    """
    opts = options(given, **changes)
    with time_budget(), ix.searcher() as searcher:
        result, tree = _run(searcher, query, opts, opts.lenient)
        if query.strip() and result.total <= 2 and not tree.warnings:
            offer(result, query, correct_words(searcher, query), opts, lambda text: _run(searcher, text, opts)[0])
        result.parsed = "\n".join([*tree.notes, result.parsed or ""])
        return result


def _run(searcher: Searcher, text: str, opts: SearchOptions, lenient: bool = False) -> tuple[SearchResult, Parsed]:
    """``text`` parsed, checked and run: its result, and the parse (its warnings and notes)."""
    parsed, tree = parse(searcher.schema, text, opts.match, lenient=lenient)
    check_expansions(parsed, searcher.reader())
    meaning = query_vector(tree) if wants_meaning(tree, opts) else None
    return _execute(searcher, parsed, text, opts, list(tree.warnings), meaning=meaning), tree


def check_expansions(q: wq.Query, reader: Any) -> None:
    """QueryError when a wildcard or fuzzy word stands for more indexed words than ``limits`` allows
    (each is counted only up to one past the limit: counting must not be the runaway)."""
    stack = [q]
    while stack:
        node = stack.pop()
        stack.extend(node.children())
        if isinstance(node, wq.MultiTerm) and not isinstance(node, wq.Every):
            count = sum(1 for _ in islice(node._btexts(reader), MAX_EXPANSION + 1))
            typed = f"{node.text}~{node.maxdist}" if isinstance(node, wq.FuzzyTerm) else node.text
            check_expansion(typed + ("*" if isinstance(node, wq.Prefix) else ""), count)


def similar(ix: Index, paragraph_id: str, given: SearchOptions | None = None, **changes: object) -> SearchResult:
    """Paragraphs most like ``paragraph_id`` (more-like-this over the text's key terms), under the filters."""
    opts = options(given, **changes)
    with time_budget(), ix.searcher() as searcher:
        docnum = searcher.document_number(id=paragraph_id)
        if docnum is None:
            raise NotFound(
                f"no paragraph {paragraph_id!r} in the index; ids look like <article>#<n> (see query --json)"
            )
        text = searcher.stored_fields(docnum).get("text", "")
        # Key terms that only this paragraph has cannot find a like one (in a small collection those
        # are most of them): keep the best 12 that other paragraphs share.
        candidates = searcher.key_terms_from_text("text", text, numterms=60)
        terms = [(word, weight) for word, weight in candidates if searcher.doc_frequency("text", word) > 1][:12]
        like = wq.Or([wq.Term("text", word, boost=weight) for word, weight in terms])
        return _execute(searcher, like, f"like:{paragraph_id}", opts, [], mask={docnum})


def _execute(
    searcher: Searcher,
    q: wq.Query,
    text: str,
    opts: SearchOptions,
    warnings: list[str],
    mask: set[int] | None = None,
    meaning: np.ndarray | None = None,
) -> SearchResult:
    """Filters, facets, ranking and one page of highlighted hits for the parsed query ``q``; with the
    query's ``meaning`` vector, the first hits ranked by relevance are re-ordered by meaning (``rerank``).

    Every count is exact: the query's matches are all collected in one pass (``_ranked``), the filters
    are document sets computed once, and the total and each facet count are sizes of set intersections.
    """
    if opts.dedupe:
        mask = (mask or set()) | copy_docs(searcher)
    filters = filter_queries(searcher.schema, opts)
    docsets = {name: _docs(searcher, fq) for name, fq in filters.items()}
    allowed = intersect(docsets.values())
    wanted = DEFAULT_FACETS if opts.facets is None else opts.facets
    by_article = opts.by == "article"
    wanted_n = opts.page * opts.limit
    newest_first = _newest_first(q, opts)
    if newest_first is None:
        window = max(wanted_n, WINDOW) if meaning is not None else wanted_n
        matched, ranked = _ranked(searcher, q, allowed, mask, window, by_article)
        if meaning is not None:
            ranked = reorder(ranked, meaning, lambda docs: hit_vectors(searcher, docs, by_article))[:wanted_n]
    else:
        matched = _docs(searcher, q)
        if mask:
            matched -= mask
    final = matched & allowed if allowed is not None else matched
    if newest_first is not None:
        ranked = [(0.0, doc) for doc in date_order(searcher).first(final, newest_first, wanted_n, by_article)]
    start = (opts.page - 1) * opts.limit
    terms = field_terms(q, searcher.reader()) if ranked[start:] else {}
    hits = [_copy_hit(searcher, doc, score, terms, opts) for score, doc in ranked[start : start + opts.limit]]
    total = len(final)
    if opts.dedupe:
        for hit in hits:
            hit.copies = len(_group_articles(searcher, hit.group or hit.article_id)) - 1
    if by_article:
        per_article = article_counts(searcher, final)
        total = len(per_article)
        for hit in hits:
            hit.matching_paragraphs = per_article.get(hit.article_id, 0)
    facets = count_facets(searcher, matched, docsets, wanted, by_article, opts.facet_limit) if wanted else []
    explained = str(q) + "".join(f"\nfilter {name}: {fq}" for name, fq in filters.items())
    if opts.by == "article" and newest_first is None:
        explained += "\narticle score: BM25 of each query word over the whole article (its title once)"
    if meaning is not None and newest_first is None:
        explained += "\n" + EXPLAINED
    return SearchResult(
        query=text,
        total=total,
        hits=hits,
        facets=facets,
        warnings=warnings,
        unit=opts.unit,
        parsed=explained,
    )


def _ranked(
    searcher: Searcher, q: wq.Query, allowed: set[int] | None, mask: set[int] | None, n: int, by_article: bool
) -> tuple[set[int], list[tuple[float, int]]]:
    """(Every document ``q`` matches but ``mask``, the best ``n`` of them under ``allowed`` by score;
    ties: the lower document number first, as Whoosh orders them).

    Every match is scored, in one pass: a query of words at once over whole posting lists
    (``scored_docs``), anything else by stepping Whoosh's matcher. Whoosh's own top-N collector
    swaps in a pruned matcher once its heap is full, so it never sees the rest of the matches: its
    count and matched set are wrong (for "director" on BBC, 58 of 431). With ``by_article`` the best
    ``n`` articles by ``article_scores`` (each given as its best paragraph).
    """
    found = scored_docs(searcher, q)
    if found is None:
        matched, scored = _walk(searcher, q, allowed, mask)
    else:
        matched, (ids, scores) = top(found, allowed, mask)
        if not by_article:
            return matched, list(zip(scores[:n].tolist(), ids[:n].tolist(), strict=True))
        scored = list(zip(scores.tolist(), ids.tolist(), strict=True))
    if not by_article:
        return matched, heapq.nsmallest(n, scored, key=_rank)
    return matched, article_scores(searcher, q, scored)[:n]


def _rank(pair: tuple[float, int]) -> tuple[float, int]:
    return -pair[0], pair[1]


def _walk(
    searcher: Searcher, q: wq.Query, allowed: set[int] | None, mask: set[int] | None
) -> tuple[set[int], list[tuple[float, int]]]:
    """(Every document ``q`` matches but ``mask``, (score, document) of those under ``allowed``), by
    stepping Whoosh's matcher through every match."""
    matched: list[int] = []
    scored: list[tuple[float, int]] = []
    final_fn = searcher.weighting.final if searcher.weighting.use_final else None
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub, context)
        add, keep = matched.append, scored.append
        while matcher.is_active():
            doc = matcher.id() + offset
            if not mask or doc not in mask:
                add(doc)
                if allowed is None or doc in allowed:
                    score = matcher.score()
                    if final_fn is not None:
                        score = final_fn(searcher, doc, score)
                    keep((score, doc))
            matcher.next()
    return set(matched), scored


def _docs(searcher: Searcher, q: wq.Query) -> set[int]:
    if isinstance(q, wq.Every) and not q.fieldname:
        return set(live_docs(searcher.reader()))
    return matching_docs(searcher, q)


def _newest_first(q: wq.Query, opts: SearchOptions) -> bool | None:
    """The direction of the date order the hits are in, or None when they are ranked by relevance
    (a blank query has no relevance: newest first)."""
    if opts.sort == "relevance" and not isinstance(q, wq.Every):
        return None
    return opts.sort != "date"


#: Unknown words of one query given a spelling (each costs a walk of the lexicon, ~10-90 ms; 300 of
#: them ran a query into its time budget), and the longest word given one (no real word is longer).
_MAX_CORRECTED = 6
_MAX_CORRECTED_CHARS = 40


def correct_words(searcher: Searcher, text: str) -> str:
    """``text`` with each plain word (``query.correctable_words``) that the index does not hold replaced
    by its closest indexed word (the first ``_MAX_CORRECTED`` such words; a query of more unknown words
    is garbage, not a typo)."""
    reader = searcher.reader()
    fixes: dict[str, str] = {}
    for word in correctable_words(text):
        if len(word) > _MAX_CORRECTED_CHARS or is_held(searcher.schema, reader, Word(word)):
            continue
        if len(fixes) >= _MAX_CORRECTED:
            break
        found = searcher.suggest("text", word.lower(), limit=1, maxdist=2, prefix=1)
        fixes[word] = found[0] if found else word
    return respell(text, fixes)


# -- quotations --------------------------------------------------------------------------------------


def quotes(ix: Index, text: str = "", given: SearchOptions | None = None, **changes: object) -> QuoteResult:
    """Quotations (who said what, where) in paragraphs under the filters; ``text`` searches quote text.

    A speaker filter keeps the quotations that speaker is credited with, not every quote in their paragraphs.
    """
    opts = options(given, **changes)
    with time_budget(), ix.searcher() as searcher:
        q = parse(ix.schema, text, "all", "quote")[0]
        check_expansions(q, searcher.reader())
        filters = filter_queries(ix.schema, opts)
        allowed = intersect([_docs(searcher, wq.Term("has", "quote")), *(_docs(searcher, f) for f in filters.values())])
        matched = _docs(searcher, q) & allowed if allowed else set()
        in_order = date_order(searcher).first(matched, opts.sort != "date", len(matched), False)
        terms = highlight_terms(q, searcher.reader(), "quote")
        found: list[QuoteHit] = []
        docs = set()
        for doc in in_order:
            fields_ = searcher.stored_fields(doc)
            for quote in stored_quotes(fields_):
                if opts.speaker and not any(same_name(quote.speaker, s) for s in opts.speaker):
                    continue
                spans = match_spans(quote.text, terms) if terms else []
                if text.strip() and not spans:
                    continue
                docs.add(doc)
                when = fields_.get("published")
                found.append(to_quote_hit(fields_, quote, spans, source=fields_.get("source"), date=when))
        wanted = DEFAULT_FACETS if opts.facets is None else opts.facets
        facets = count_facets(searcher, docs, {}, wanted, opts.by == "article", opts.facet_limit) if wanted else []
        first = (opts.page - 1) * opts.limit
        return QuoteResult(
            query=text, total=len(found), quotes=found[first : first + opts.limit], facets=facets, parsed=str(q)
        )


# -- highlighting ------------------------------------------------------------------------------------


def _copy_hit(searcher: Searcher, doc: int, score: float, terms: dict[str, Terms], opts: SearchOptions) -> Hit:
    """Everything a hit shows, read from its stored fields while the searcher is open."""
    fields_ = searcher.stored_fields(doc)
    shown = show_hit(fields_, terms, opts.fragment_chars, opts.fragments)
    return to_hit(fields_, score, shown, source=fields_.get("source"), date=fields_.get("published"))


def article_paragraphs(ix: Index, article_id: str) -> list[Paragraph]:
    """Every stored paragraph of one article, in order, with its speakers, entities and quotes."""
    with ix.searcher() as searcher:
        stored = sorted(searcher.documents(article=article_id), key=lambda d: d["n"])
    return [to_paragraph(fields_) for fields_ in stored]


def copy_docs(searcher: Searcher) -> set[int]:
    """Paragraphs of near-copies: articles whose duplicate group is another article's id.

    Every article's group is its own id or that of the first copy, so the copies are the article ids
    that are not group ids.
    """
    reader = searcher.reader()
    copies = set(reader.field_terms("article")) - set(reader.field_terms("group"))
    return _docs(searcher, wq.Or([wq.Term("article", a) for a in copies])) if copies else set()


def _group_articles(searcher: Searcher, group: str) -> set[str]:
    column = searcher.reader().column_reader("article")
    return {column[doc] for doc in searcher.docs_for_query(wq.Term("group", group))}
