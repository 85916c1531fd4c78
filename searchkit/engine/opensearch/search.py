"""Searching an OpenSearch index: one request per page of hits with its facets (multi-select: each facet
counted under every filter but its own), highlights as character offsets, one hit per article with
honest counts, more-like-this, did-you-mean, quotations and an article's paragraphs.

Everything is copied out of the response into the plain dataclasses of ``model``, exactly as the
Whoosh engine fills them, so the CLI and the Python API cannot tell the engines apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ...errors import NotFound
from ...model import Facet, Hit, Match, Paragraph, QuoteHit, QuoteResult, SearchResult
from ...options import DEFAULT_FACETS, SearchOptions
from .. import query as ql
from ..rerank import EXPLAINED, WINDOW, query_vector, reorder, wants_meaning
from ..shown import SHOWN_FIELDS, facet, join_phrases, same_name, show_hit
from ..stored import stored_quotes, to_hit, to_paragraph, to_quote_hit
from ..suggest import offer
from . import articles, dsl, store
from .meaning import article_vectors, paragraph_vectors
from .translate import translate

if TYPE_CHECKING:
    import numpy as np

    from .reads import ReadClient


def search(client: ReadClient, index: str, query: str, opts: SearchOptions) -> SearchResult:
    """One page of hits for ``query`` (blank: every paragraph) under the filters, with facets.

    A malformed query raises QueryError, unless ``lenient``, which searches its plain words and warns;
    when (almost) nothing matches, did-you-mean suggests a spelling (``correct`` searches it).
    """
    result, tree = _run(client, index, query, opts, opts.lenient)
    if query.strip() and result.total <= 2 and not tree.warnings:
        respelt = correct_words(client, index, query)
        offer(result, query, respelt, opts, lambda text: _run(client, index, text, opts)[0])
    result.parsed = "\n".join([*tree.notes, result.parsed or ""])
    return result


def _run(
    client: ReadClient, index: str, text: str, opts: SearchOptions, lenient: bool = False
) -> tuple[SearchResult, ql.Parsed]:
    """``text`` parsed, translated and run: its result, and the parse (its warnings and notes)."""
    tree = ql.parse(text, opts.match, lenient=lenient)
    dsl_query = translate(tree.root)
    scored = not isinstance(tree.root, ql.MatchAll)
    parts = articles.clauses(tree.root) if opts.by == "article" else None
    meaning = query_vector(tree) if wants_meaning(tree, opts) else None
    explained = json.dumps(dsl_query)
    warnings = list(tree.warnings)
    result = execute(
        client, index, dsl_query, text, opts, warnings, scored=scored, explained=explained, parts=parts, meaning=meaning
    )
    return result, tree


def similar(client: ReadClient, index: str, paragraph_id: str, opts: SearchOptions) -> SearchResult:
    """Paragraphs most like ``paragraph_id`` (more-like-this over its text's key terms), under the filters."""
    like = like_query(client, index, paragraph_id)
    return execute(client, index, like, f"like:{paragraph_id}", opts, [], exclude=[paragraph_id])


def quotes(client: ReadClient, index: str, text: str, opts: SearchOptions) -> QuoteResult:
    """Quotations in paragraphs under the filters; ``text`` searches the quoted words (every word)."""
    query = translate(ql.parse(text, "all", "quote").root)
    result = quote_hits(client, index, query, text, opts)
    result.parsed = json.dumps(query)
    return result


def execute(
    client: ReadClient,
    index: str,
    query: dict,
    text: str,
    opts: SearchOptions,
    warnings: list[str],
    scored: bool = True,
    exclude: Iterable[str] = (),
    explained: str = "",
    parts: list[articles.Clause] | None = None,
    meaning: np.ndarray | None = None,
) -> SearchResult:
    """One page of hits for the DSL ``query`` under the options' filters, with facets and highlights.

    In relevance order, the first ``articles.window`` places are re-ranked before the page is cut: with
    ``parts`` (the query's clauses) and one hit per article, by ``articles.article_scores``; with the
    query's ``meaning`` vector, then by meaning (``rerank``).
    """
    active = dsl.filters(opts)
    wanted = list(DEFAULT_FACETS if opts.facets is None else opts.facets)
    by_article = opts.by == "article"
    must_not: list[dict] = []
    if exclude:
        must_not.append({"ids": {"values": list(exclude)}})
    if opts.dedupe:
        must_not.append({"term": {"is_copy": True}})
    body: dict = {
        "query": {"bool": {"must": [query], "must_not": must_not}},
        "from": (opts.page - 1) * opts.limit,
        "size": opts.limit,
        "track_total_hits": True,
        "highlight": dsl.highlight(*SHOWN_FIELDS),
        "_source": {"excludes": ["quote", "vector"]},
    }
    if active:
        body["post_filter"] = dsl.all_of(list(active.values()))
    body["sort"] = dsl.sort_order(opts, scored)
    body["track_scores"] = True
    aggs = dsl.facet_aggregations(wanted, active, by_article, opts.facet_limit) if wanted else {}
    if by_article:
        body["collapse"] = {"field": "article"}
        aggs["matched_articles"] = {
            "filter": dsl.all_of(list(active.values())),
            "aggs": {"n": dsl.article_count()},
        }
    if aggs:
        body["aggs"] = aggs
    relevance = opts.sort == "relevance" and scored
    rescored = by_article and bool(parts) and relevance
    meaning = meaning if relevance else None
    places = articles.window(opts.limit)
    if (rescored or meaning is not None) and body["from"] < places:
        response = client.search(
            index=index,
            body={**body, "from": 0, "size": places, "_source": False, "highlight": {}, "fields": ["article"]},
        )
        window = Window(response["hits"]["hits"], by_article, parts if rescored else None, meaning)
        hits = _window_page(client, index, body, window, opts)
        if rescored:
            explained += (
                f"\narticle score: BM25 of each query word over the whole article (its title once), best {places}"
            )
        if meaning is not None:
            explained += "\n" + EXPLAINED
    else:
        response = client.search(index=index, body=body)
        hits = [_copy_hit(found, opts) for found in response["hits"]["hits"]]
    total = response["hits"]["total"]["value"]
    results = response.get("aggregations", {})
    if by_article:
        total = results["matched_articles"]["n"]["value"]
        counts = _paragraphs_per_article(client, index, body, [h.article_id for h in hits])
        for hit in hits:
            hit.matching_paragraphs = counts.get(hit.article_id, 0)
    if opts.dedupe and hits:
        copies = _articles_per_group(client, index, [h.group or h.article_id for h in hits])
        for hit in hits:
            hit.copies = copies.get(hit.group or hit.article_id, 1) - 1
    unit = "articles" if by_article else "paragraphs"
    facets = [_facet(name, results[f"facet_{name}"]["values"], by_article, opts.facet_limit, unit) for name in wanted]
    parsed = explained + "".join(f"\nfilter {name}: {q}" for name, q in active.items())
    return SearchResult(
        query=text, total=total, hits=hits, facets=facets, warnings=warnings, unit=opts.unit, parsed=parsed
    )


@dataclass
class Window:
    """The first places of a page's ranking (``articles.window``), to be re-ranked before the page is cut:
    each article's best paragraph (``by_article``) or each paragraph, best first; ``parts``: score
    articles by ``articles.article_scores``; ``meaning``: re-order by meaning (``rerank``)."""

    found: list[dict]
    by_article: bool
    parts: list[articles.Clause] | None
    meaning: np.ndarray | None


def _window_page(client: ReadClient, index: str, body: dict, window: Window, opts: SearchOptions) -> list[Hit]:
    """The page of ``opts`` from the re-ranked ``window`` (ties in window order), each hit with its
    highlights and its score (an article's: its article score)."""
    key = (lambda found: found["fields"]["article"][0]) if window.by_article else (lambda found: found["_id"])
    shown = {key(found): found for found in window.found}
    if not shown:
        return []
    if window.parts is not None:
        scores = articles.article_scores(client, index, _matched(body), list(shown), window.parts)
    else:
        scores = {k: found["_score"] for k, found in shown.items()}
    ranked = sorted(((scores.get(k, 0.0), k) for k in shown), key=lambda pair: -pair[0])
    if window.meaning is not None:
        import numpy as np

        read = article_vectors if window.by_article else paragraph_vectors
        vectors = read(client, index, [k for _, k in ranked[:WINDOW]])
        empty = np.zeros((0, window.meaning.shape[0]), dtype=np.float32)
        ranked = reorder(ranked, window.meaning, lambda keys: [vectors.get(k, empty) for k in keys])
    page = ranked[body["from"] : body["from"] + body["size"]]
    if not page:
        return []
    ids = [shown[k]["_id"] for _, k in page]
    request = {
        "query": {"bool": {"must": [body["query"]], "filter": [{"ids": {"values": ids}}]}},
        "size": len(ids),
        "highlight": body["highlight"],
        "_source": body["_source"],
    }
    fetched = {found["_id"]: found for found in client.search(index=index, body=request)["hits"]["hits"]}
    return [_copy_hit({**fetched[i], "_score": score}, opts) for (score, _), i in zip(page, ids, strict=True)]


def _matched(body: dict, *narrower: dict) -> dict:
    """The paragraphs that count for a search ``body``: its query under its filters (the
    ``post_filter`` the facets are counted outside of) and any ``narrower`` ones."""
    filters = [*narrower, *([body["post_filter"]] if "post_filter" in body else [])]
    return {"bool": {"must": [body["query"]], "filter": filters}}


def _paragraphs_per_article(client: ReadClient, index: str, body: dict, articles: list[str]) -> dict[str, int]:
    """Matching paragraphs of each article on the page (the query and every filter)."""
    if not articles:
        return {}
    query = _matched(body, {"terms": {"article": articles}})
    aggs = {"per_article": {"terms": {"field": "article", "size": len(articles)}}}
    response = client.search(index=index, body={"size": 0, "query": query, "aggs": aggs})
    return {b["key"]: b["doc_count"] for b in response["aggregations"]["per_article"]["buckets"]}


def _articles_per_group(client: ReadClient, index: str, groups: list[str]) -> dict[str, int]:
    aggs = {
        "groups": {
            "terms": {"field": "group", "size": len(groups)},
            "aggs": {"articles": dsl.article_count()},
        }
    }
    body = {"size": 0, "query": {"terms": {"group": sorted(set(groups))}}, "aggs": aggs}
    response = client.search(index=index, body=body)
    return {b["key"]: b["articles"]["value"] for b in response["aggregations"]["groups"]["buckets"]}


def _facet(name: str, found: dict, by_article: bool, limit: int, unit: str) -> Facet:
    counts = Counter({b["key"]: (b["articles"]["value"] if by_article else b["doc_count"]) for b in found["buckets"]})
    return facet(name, counts, limit, unit)


# -- hits --------------------------------------------------------------------------------------------


def spans_in(text: str, highlighted: list[str] | None) -> list[Match]:
    """Character spans of the matched words in a field's ``text`` from the highlighter's whole-field answer;
    adjacent words join into one span (a phrase), as on the Whoosh engine."""
    if not highlighted:
        return []
    plain, spans = _marks(highlighted[0])
    if plain != text:  # never expected: the highlighter returns the stored text itself
        return []
    return join_phrases(text, spans)


def _marks(marked: str) -> tuple[str, list[Match]]:
    plain: list[str] = []
    spans: list[Match] = []
    at = 0
    i = 0
    while i < len(marked):
        start = marked.find(dsl.MARK_START, i)
        if start < 0:
            plain.append(marked[i:])
            break
        plain.append(marked[i:start])
        at += start - i
        end = marked.find(dsl.MARK_END, start)
        if end < 0:
            plain.append(marked[start + 1 :])
            break
        word = marked[start + 1 : end]
        plain.append(word)
        spans.append(Match(at, at + len(word), word))
        at += len(word)
        i = end + 1
    return "".join(plain), spans


def _copy_hit(found: dict, opts: SearchOptions) -> Hit:
    source = found["_source"]
    marked = found.get("highlight") or {}
    spans = {name: spans_in(source.get(name) or "", marked.get(name)) for name in SHOWN_FIELDS}
    shown = show_hit(source, spans, opts.fragment_chars, opts.fragments)
    meta = source.get("meta") or {}
    first_source = (source.get("source") or [None])[0]
    return to_hit({**source, **meta}, found.get("_score"), shown, source=first_source, date=meta.get("date"))


# -- more like this and did you mean ------------------------------------------------------------------


def like_query(client: ReadClient, index: str, paragraph_id: str) -> dict:
    """More-like-this over the paragraph's text: its best 12 terms that other paragraphs share, ORed."""
    if not client.exists(index=index, id=paragraph_id):
        raise NotFound(f"no paragraph {paragraph_id!r} in the index; ids look like <article>#<n> (see query --json)")
    return {
        "more_like_this": {
            "fields": ["text"],
            "like": [{"_index": index, "_id": paragraph_id}],
            "min_term_freq": 1,
            "min_doc_freq": 2,
            "max_query_terms": 12,
            "minimum_should_match": 1,
        }
    }


def correct_words(client: ReadClient, index: str, text: str) -> str:
    """``text`` with each plain word that the index does not hold replaced by its closest indexed word.

    A word is held when the query of that word alone matches (its stem in text, title or section; an
    acronym's among the names too: ``query.finds_names``), one request counting them all, as filters
    of one aggregation; a suggestion is an indexed unstemmed word within 2 edits, same first letter.
    """
    words = ql.correctable_words(text)
    if not words:
        return text
    held = {f"w{i}": translate(ql.Word(word)) for i, word in enumerate(words)}
    body: dict = {"size": 0, "aggs": {"held": {"filters": {"filters": held}}}}
    counts = client.search(index=index, body=body)["aggregations"]["held"]["buckets"]
    missing = [word for i, word in enumerate(words) if not counts[f"w{i}"]["doc_count"]]
    if not missing:
        return text
    term = {"field": "text.words", "suggest_mode": "always", "max_edits": 2, "prefix_length": 1, "size": 1}
    body = {"size": 0, "suggest": {f"w{i}": {"text": w.lower(), "term": term} for i, w in enumerate(missing)}}
    response = client.search(index=index, body=body)
    fixes = {}
    for i, word in enumerate(missing):
        entries = response["suggest"].get(f"w{i}") or []
        options_ = entries[0]["options"] if entries else []
        if options_:
            fixes[word] = options_[0]["text"]
    return ql.respell(text, fixes)


# -- quotations and articles --------------------------------------------------------------------------


def quote_hits(client: ReadClient, index: str, query: dict, text: str, opts: SearchOptions) -> QuoteResult:
    """Quotations in the paragraphs ``query`` finds under the filters, newest first (or as sorted)."""
    active = dsl.filters(opts)
    sort = dsl.sort_order(replace(opts, sort="-date") if opts.sort == "relevance" else opts, scored=False)
    where = {"bool": {"must": [query], "filter": [{"term": {"has": "quote"}}, *active.values()]}}
    found: list[QuoteHit] = []
    paragraphs: set[str] = set()
    highlight = dsl.highlight("quote") if text.strip() else None
    for hit in store.scan(client, index, where, sort, highlight=highlight):
        source = hit["_source"]
        meta = source.get("meta") or {}
        marked = (hit.get("highlight") or {}).get("quote")
        words = {m.term.lower() for m in _marks(marked[0])[1]} if marked else set()
        first_source = (source.get("source") or [None])[0]
        for quote in stored_quotes(meta):
            if opts.speaker and not any(same_name(quote.speaker, s) for s in opts.speaker):
                continue
            spans = _word_spans(quote.text, words) if words else []
            if text.strip() and not spans:
                continue
            paragraphs.add(source["id"])
            found.append(to_quote_hit(source, quote, spans, source=first_source, date=meta.get("date")))
    wanted = list(DEFAULT_FACETS if opts.facets is None else opts.facets)
    facets = _paragraph_facets(client, index, sorted(paragraphs), wanted, opts) if wanted else []
    first = (opts.page - 1) * opts.limit
    return QuoteResult(query=text, total=len(found), quotes=found[first : first + opts.limit], facets=facets)


def _word_spans(text: str, words: set[str]) -> list[Match]:
    """Spans of the highlighted surface words inside one quotation (the highlighter marked the joined
    quote field; each quotation is matched again by its marked words)."""
    spans = [
        Match(m.start(), m.end(), m.group())
        for m in re.finditer(r"(?u)\w+(?:\.?\w+)*", text)
        if m.group().lower() in words
    ]
    return join_phrases(text, spans)


def _paragraph_facets(
    client: ReadClient, index: str, ids: list[str], wanted: list[str], opts: SearchOptions
) -> list[Facet]:
    """Facet counts over the given paragraphs (the ones holding the quotations found)."""
    if not ids:
        return [Facet(name, [], "articles" if opts.by == "article" else "paragraphs") for name in wanted]
    aggs = dsl.facet_aggregations(wanted, {}, opts.by == "article", opts.facet_limit)
    response = client.search(index=index, body={"size": 0, "query": {"ids": {"values": ids}}, "aggs": aggs})
    unit = "articles" if opts.by == "article" else "paragraphs"
    return [
        _facet(name, response["aggregations"][f"facet_{name}"]["values"], opts.by == "article", opts.facet_limit, unit)
        for name in wanted
    ]


def article_paragraphs(client: ReadClient, index: str, article_id: str) -> list[Paragraph]:
    """Every stored paragraph of one article, in order, with its speakers, entities and quotes."""
    found = store.scan(client, index, {"term": {"article": article_id}}, [{"n": "asc"}])
    return [to_paragraph({**hit["_source"], **(hit["_source"].get("meta") or {})}) for hit in found]
