"""Issue 17: the queries that ran slowest (a blank query or ``*`` with facets, ``--sort date``, ``field:*``,
infix wildcards) take their fast paths and give exactly what Whoosh's own slow ones give."""

from __future__ import annotations

import json
import random
from datetime import datetime

import pytest
from whoosh import query as wq
from whoosh import sorting

from searchkit.collection import Collection
from searchkit.engine import limits
from searchkit.engine.whoosh import expand
from searchkit.engine.whoosh import search as whoosh_search
from searchkit.engine.whoosh.order import date_order
from searchkit.errors import QueryError

WORDS = "market bank court film award police vote council shares music minister director election".split()


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    """Two segments, a replaced article (deleted documents), dated articles sharing days, undated ones."""
    rng = random.Random(11)
    folder = tmp_path_factory.mktemp("in")
    days = ["2004-05-06", "2004-05-06", "2005-01-02", "1987-03-04", None]

    def feed(name: str, ids: range) -> None:
        with open(folder / name, "w", encoding="utf-8") as handle:
            for i in ids:
                paragraphs = [" ".join(rng.choice(WORDS) for _ in range(12)) + "." for _ in range(rng.randint(1, 4))]
                record = {"id": f"r{i:03d}", "title": f"{rng.choice(WORDS).title()} story {i}"}
                record["text"] = "\n\n".join(paragraphs)
                day = rng.choice(days)
                if day:
                    record["date"] = day
                handle.write(json.dumps(record) + "\n")

    feed("one.jsonl", range(30))
    home = tmp_path_factory.mktemp("news")
    Collection.init(home).add([folder / "one.jsonl"])
    feed("two.jsonl", range(30, 45))
    feed("one.jsonl", range(30))  # changed: its old documents are deleted
    Collection(home).add([folder / "one.jsonl", folder / "two.jsonl"])
    return Collection(home)


@pytest.fixture
def searcher(coll):
    reader = coll.index.open()
    try:
        yield reader._searcher  # type: ignore[attr-defined]
    finally:
        reader.close()


def whoosh_sorted(searcher, q, newest_first):
    """The date order as Whoosh's sorted search gave it before ``order`` replaced it."""
    dated = wq.DateRange("date", datetime(1, 1, 1), datetime(9999, 12, 31))
    facet = sorting.MultiFacet(
        [
            sorting.QueryFacet({0: dated}, other=1),
            sorting.FieldFacet("date", reverse=newest_first),
            sorting.FieldFacet("article"),
            sorting.FieldFacet("n"),
        ]
    )
    return [doc for _, doc in searcher.search(q, limit=None, sortedby=facet).top_n]


@pytest.mark.parametrize("newest_first", [True, False])
@pytest.mark.parametrize("text", ["", "market", "bank OR film"])
def test_the_date_order_is_whooshs(coll, searcher, text, newest_first):
    assert searcher.reader().has_deletions() and len(list(searcher.reader().leaf_readers())) > 1
    q = whoosh_search.parse(searcher.schema, text, "best")[0]
    expected = whoosh_sorted(searcher, q, newest_first)
    docs = set(expected)
    order = date_order(searcher)
    assert order.first(docs, newest_first, len(docs), False) == expected
    assert order.first(docs, newest_first, 7, False) == expected[:7]
    articles = searcher.reader().column_reader("article")
    first: dict[str, int] = {}
    for doc in expected:
        first.setdefault(articles[doc], doc)
    assert order.first(docs, newest_first, 5, True) == list(first.values())[:5]
    assert order.first(docs, newest_first, 10**6, True) == list(first.values())
    some = set(expected[::3])
    assert order.first(some, newest_first, 4, False) == [d for d in expected if d in some][:4]


def test_blank_query_counts_are_kept_and_equal_a_fresh_count(coll):
    every = ("speaker", "person", "org", "place", "source", "date", "article")
    with coll.session() as session:
        for by in ("paragraph", "article"):
            first = session.search("", facets=every, facet_limit=1000, by=by)
            again = session.search("*", facets=every, facet_limit=1000, by=by)  # from the kept counts
            assert [(f.name, f.values) for f in first.facets] == [(f.name, f.values) for f in again.facets]
            # the same documents found by a word every paragraph has, counted afresh
            fresh = session.search(
                "story OR market OR bank OR court OR film OR award OR police OR vote OR council "
                "OR shares OR music OR minister OR director OR election",
                facets=every,
                facet_limit=1000,
                by=by,
            )
            assert fresh.total == first.total
            assert [(f.name, f.values) for f in fresh.facets] == [(f.name, f.values) for f in first.facets]
        hits = session.search("", by="article", limit=100).hits
        assert sum(h.matching_paragraphs for h in hits) == session.search("").total


@pytest.mark.parametrize("field", ["title", "text", "section", "speaker"])
def test_any_value_finds_what_every_word_finds(coll, searcher, field):
    expected = set(searcher.docs_for_query(wq.Every(field)))
    found = set(searcher.docs_for_query(expand.AnyValue(field)))
    assert found == expected
    assert coll.search(f"{field}:*", facets=()).total == len(expected)


def test_a_kept_expansion_never_matches_a_cut_list(coll, searcher, monkeypatch):
    """The words of a pattern are kept up to one past the limit; a pattern past it is refused, whichever
    step lists its words first."""
    for module in (limits, expand, whoosh_search):
        monkeypatch.setattr(module, "MAX_EXPANSION", 3)
    reader = searcher.reader()
    pattern = expand.Wildcard("text", "*e*")
    assert len(list(pattern._btexts(reader))) == 4  # kept: one past the limit
    with pytest.raises(QueryError, match="more than 3"):
        pattern.matcher(searcher)
    with pytest.raises(QueryError, match="more than 3"):
        coll.search("*e*")
