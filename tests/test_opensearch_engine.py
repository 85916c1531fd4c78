"""searchkit on OpenSearch: the same behavioural suite as on Whoosh, against a real node (the session's),
and parity: the same hits, counts, facets and highlights as the Whoosh engine on the same collection."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import pytest

from . import test_search_cli as suite
from . import test_wildcard_letters as letters

# -- the Whoosh suite, run on OpenSearch ----------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory, opensearch_url):
    """The suite's collection, its index in OpenSearch (a prefix of its own on the session's node)."""
    settings = {"url": opensearch_url, "prefix": f"test-{secrets.token_hex(4)}"}
    return suite.make_home(tmp_path_factory.mktemp("news"), "opensearch", settings)


@pytest.fixture(scope="module")
def whoosh_home(tmp_path_factory):
    return suite.make_home(tmp_path_factory.mktemp("news"))


# Every behavioural test of the query suite but the two about Whoosh itself (its parsed-query text and
# its facet column), collected here with the OpenSearch ``home`` above.
test_speaker_facet_counts_canonical_names = suite.test_speaker_facet_counts_canonical_names
test_default_facets_and_limit = suite.test_default_facets_and_limit
test_facets_leave_out_their_own_filter = suite.test_facets_leave_out_their_own_filter
test_date_facet_by_month_and_article_unit = suite.test_date_facet_by_month_and_article_unit
test_text_output_shows_facets_after_hits_without_colour = suite.test_text_output_shows_facets_after_hits_without_colour
test_filters_without_query_text = suite.test_filters_without_query_text
test_section_article_and_date_filters = suite.test_section_article_and_date_filters
test_bad_queries_exit_2_naming_the_problem = suite.test_bad_queries_exit_2_naming_the_problem
test_lenient_warns_and_searches_the_words = suite.test_lenient_warns_and_searches_the_words
test_operators_phrases_fields_and_dates = suite.test_operators_phrases_fields_and_dates
test_an_acronym_finds_the_names_it_stands_for = suite.test_an_acronym_finds_the_names_it_stands_for
test_a_query_of_no_word_lists_everything_and_says_so = suite.test_a_query_of_no_word_lists_everything_and_says_so
test_sort_by_date_and_title_boost = suite.test_sort_by_date_and_title_boost
test_by_article_collapses_with_counts = suite.test_by_article_collapses_with_counts
test_by_article_scores_each_word_of_an_or = suite.test_by_article_scores_each_word_of_an_or
test_fragments_are_configurable_and_offsets_point_at_matches = (
    suite.test_fragments_are_configurable_and_offsets_point_at_matches
)
test_phrase_is_one_match_and_not_words_are_not_highlighted = (
    suite.test_phrase_is_one_match_and_not_words_are_not_highlighted
)
test_did_you_mean_and_correct = suite.test_did_you_mean_and_correct
test_similar_paragraphs = suite.test_similar_paragraphs
test_quotes_by_speaker_and_text = suite.test_quotes_by_speaker_and_text
test_paging = suite.test_paging
test_formats_share_keys = suite.test_formats_share_keys
test_bbc_slice_facets_count_every_match = suite.test_bbc_slice_facets_count_every_match


# -- parity with Whoosh ------------------------------------------------------------------------------------

PARITY_QUERIES = [
    "security guarantees",
    '"security guarantees"',
    "Polyakova",
    "ceasefire OR Polyakova",
    "ceasefire NOT Russia",
    "secur*",
    "speaker:Polyakova",
    "place:ukraine",
    "title:bridge",
    "org:CEPA",  # an alias: searched, never a facet value
    "CEPA",  # a plain word typed as an acronym: the aliases too
    "CEPA OR Blair",
    "C.E.P.A.",  # the same acronym with dots
    "bridge",  # in titles more than in text: hits matched only through their title say so
    "date:2025-04",
    "date:<2025",
    "election",
    "prime minister",
    "Blair said",
    # both engines stem with Porter's reference rules: "planning", "planned", "plans" are one word, and so
    # are "cutting", "cuts", "cut" (Whoosh's own port split them)
    "planned cuts",
    "cutting nominated",
    "government budget taxes",
    "economy growth",
    "",
]
PARITY_OPTIONS = [
    [],
    ["--by", "article"],
    ["--speaker", "Polyakova"],
    ["--source", "Agencies", "--facet", "date", "--facet", "speaker"],
    ["--sort", "-date"],
    ["--since", "2025"],
]


def _matched(doc):
    """What must agree between engines: totals, the set of hits (ranks may differ within ties and by
    BM25 details), each hit's highlighted spans, snippet (fragments, their spans, the fields that
    matched), paragraph counts per article, and every facet count."""
    shown = ("matches", "snippet", "snippet_matches", "matched_in", "matching_paragraphs")
    hits = {h["id"]: tuple(h.get(key) for key in shown) for h in doc["hits"]}
    return doc["total"], hits, doc["facets"], doc.get("suggestion")


@pytest.mark.parametrize("options", PARITY_OPTIONS, ids=lambda o: " ".join(o) or "plain")
def test_same_hits_counts_facets_and_highlights_as_whoosh(home, whoosh_home, options):
    differ = []
    for query in PARITY_QUERIES:
        args = ["query", query, "--limit", "200", "--facet-limit", "50", *options]
        whoosh, opensearch = (suite.as_json(*args, home=h) for h in (whoosh_home, home))
        if "article" in options:
            # Which paragraph shows an article is its best by BM25 details (Whoosh's field boost scales
            # term frequency, OpenSearch's the score): the articles and their paragraph counts must agree.
            for doc in (whoosh, opensearch):
                doc["hits"] = [
                    {"id": h["article_id"], "matching_paragraphs": h["matching_paragraphs"]} for h in doc["hits"]
                ]
        if _matched(whoosh) != _matched(opensearch):
            differ.append(query)
    assert not differ, f"OpenSearch and Whoosh differ on {differ}"


def test_same_articles_speakers_entities_and_quotes_as_whoosh(home, whoosh_home):
    def listed(h):
        return [{k: v for k, v in a.items() if k not in ("added", "origin")} for a in suite.as_json("list", home=h)]

    assert listed(home) == listed(whoosh_home)
    for args in (["speakers"], ["entities"], ["quotes", "--limit", "200"], ["quotes", "security"]):
        assert suite.as_json(*args, home=home) == suite.as_json(*args, home=whoosh_home), args
    for article in [a["id"] for a in suite.as_json("list", home=home)][:5]:
        shown, expected = (suite.as_json("show", article, home=h) for h in (home, whoosh_home))
        assert (
            shown["paragraphs"] == expected["paragraphs"] and shown["article"]["title"] == expected["article"]["title"]
        )


def test_stats_count_the_same_and_name_the_engine(home, whoosh_home):
    opensearch, whoosh = (suite.as_json("stats", home=h) for h in (home, whoosh_home))
    for key in ("articles", "paragraphs", "sources", "first_date", "last_date", "near_duplicates"):
        assert opensearch[key] == whoosh[key], key
    assert opensearch["index_bytes"] > 0


def test_title_only_match_says_so_on_both_engines(home, whoosh_home):
    """A paragraph found only through its article's title shows that title, highlighted, in its snippet."""
    for h in (home, whoosh_home):
        hits = suite.as_json("query", "bridge", "--limit", "50", home=h)["hits"]
        title_only = [hit for hit in hits if hit["matched_in"] == ["title"]]
        assert title_only and all(hit["snippet"].startswith("matched in the title: Bridge vote") for hit in title_only)
        assert all(hit["snippet"][start:end] == "Bridge" for hit in title_only for start, end in hit["snippet_matches"])


def test_aliases_are_searched_never_facet_values(home, whoosh_home):
    for h in (home, whoosh_home):
        doc = suite.as_json("query", "org:CEPA", "--facet", "org", home=h)
        assert doc["total"] > 0 and "Center for European Policy Analysis" in suite.facet(doc, "org")
        assert "CEPA" not in suite.facet(doc, "org")
        assert suite.as_json("query", "", "--org", "CEPA", home=h)["total"] == doc["total"]


def test_a_query_process_does_not_import_opensearch_py(home):
    """A one-shot query reads with the standard library's HTTP client: importing opensearch-py alone took
    longer than a whole Whoosh query process."""
    script = (
        "import sys; from searchkit.cli import cli\n"
        "try: cli(['--home', sys.argv[1], 'query', 'prime minister', '--facet', 'speaker', '--json'])\n"
        "except SystemExit as exit: assert exit.code == 0, exit.code\n"
        "assert 'opensearchpy' not in sys.modules, 'opensearchpy imported'"
    )
    done = subprocess.run([sys.executable, "-c", script, str(home)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"total"' in done.stdout


def test_facet_ties_are_cut_by_code_point_as_opensearch_cuts_them():
    """OpenSearch's terms aggregation picks tied values in byte order; both engines cut a facet so."""
    from collections import Counter

    from searchkit.engine.shown import facet

    cut = facet("org", Counter({"ann new 1986": 1, "Media": 1, "Zed": 2}), 2, "paragraphs")
    assert [v.value for v in cut.values] == ["Zed", "Media"]


@pytest.mark.parametrize(
    "query",
    [
        "government budget taxes",
        "prime minister",
        "economy growth",
        "planned cuts",
        "CEPA OR Blair",
        "US election",
        "U.S.",
    ],
)
def test_by_article_ranks_articles_as_one_document_as_whoosh(home, whoosh_home, query):
    """``--by article`` scores each article as one document on both engines (OpenSearch re-scores the
    first places of its collapse by article statistics): the same articles in the same order."""
    args = ["query", query, "--by", "article", "--limit", "10"]
    whoosh, opensearch = (suite.as_json(*args, home=h) for h in (whoosh_home, home))
    ranked = [[h["article_id"] for h in doc["hits"]] for doc in (whoosh, opensearch)]
    assert ranked[0] and ranked[0] == ranked[1]
    # the same scores, but for Whoosh's lengths, stored in a byte each
    scores = [[h["score"] for h in doc["hits"]] for doc in (whoosh, opensearch)]
    assert scores[1] == pytest.approx(scores[0], rel=0.005)


def test_an_index_of_a_convertible_mapping_is_converted_without_the_nlp_stage(tmp_path, opensearch_url, monkeypatch):
    """As on Whoosh (``test_robust_crash``): an index whose mapping differs in analysis only is rewritten
    from its stored paragraphs, with their speakers and entities."""
    from searchkit import nlp
    from searchkit.collection import Collection

    monkeypatch.setattr(
        nlp,
        "annotate",
        lambda items, aliases=None, workers=1: (
            [suite.annotate(p) for p in paragraphs] for _article, paragraphs in items
        ),
    )
    home = tmp_path / "home"
    settings = {"url": opensearch_url, "prefix": f"test-{secrets.token_hex(4)}"}
    Collection.init(home, "opensearch", settings).add([suite.SEED])
    before = suite.as_json("query", "Polyakova", home=home)
    index = Collection(home).index
    (index.generation() / "VERSION").write_text(str(min(index.engine.converts_from)), "ascii")

    def no_nlp(*_args, **_kwargs):
        raise AssertionError("the NLP stage ran")

    monkeypatch.setattr(nlp, "annotate", no_nlp)
    result = suite.run("query", "Polyakova", "--json", home=home)
    assert result.exit_code == 0, result.output
    assert "Converting the index from its stored paragraphs" in result.stderr
    after = json.loads(result.stdout)
    assert after["total"] == before["total"] > 0
    assert [h["speakers"] for h in after["hits"]] == [h["speakers"] for h in before["hits"]]
    assert Collection(home).index.version() == index.engine.schema_version


@pytest.mark.parametrize("by", ["paragraph", "article"])
@pytest.mark.parametrize(
    "query",
    [
        "government budget taxes",
        "What did Polyakova say about security guarantees for Ukraine?",
        "the prime minister wants lower taxes for families",
    ],
)
def test_sentence_queries_are_re_ordered_by_meaning_as_whoosh(home, whoosh_home, query, by):
    """Each engine re-orders a sentence query's first 100 hits by one rule (``rerank.reorder``) over its own
    word ranking and the vectors it stored, which are the same bytes on both engines. (The word ranking
    of paragraphs differs between the engines by BM25 details, so their final orders may too.)"""
    from searchkit.collection import Collection
    from searchkit.engine import query as ql
    from searchkit.engine.rerank import meaning_text, reorder
    from searchkit.meaning import encode, from_bytes

    key = "article_id" if by == "article" else "id"
    wanted = encode([meaning_text(ql.parse(query))])[0]
    stored = {}
    for engine_home in (whoosh_home, home):
        args = ["query", query, "--by", by, "--facet", "none"]
        words = suite.as_json(*args, "--limit", "100", "--rank", "words", home=engine_home)["hits"]
        shown = suite.as_json(*args, "--limit", "10", home=engine_home)
        assert "meaning:" in suite.run("query", query, "--by", by, "--explain", home=engine_home).output
        reader = Collection(engine_home).index.open()
        vectors = {h["article_id"]: reader.article_vectors(h["article_id"]) for h in words}
        reader.close()
        stored[engine_home] = vectors

        def rows(keys, vectors=vectors):
            if by == "article":
                return [from_bytes(vectors[k]) for k in keys]
            return [from_bytes([vectors[k.split("#")[0]][int(k.split("#")[1]) - 1]]) for k in keys]

        expected = reorder([(h["score"], h[key]) for h in words], wanted, rows)
        assert [h[key] for h in shown["hits"]] == [k for _, k in expected[:10]]
    same = set(stored[home]) & set(stored[whoosh_home])
    assert same and all(stored[home][a] == stored[whoosh_home][a] for a in same)


def test_accented_patterns_find_as_their_plain_forms_on_both_engines(tmp_path, opensearch_url):
    """``café*``, ``Straß*``, ``İstan*`` and their plain forms count the same paragraphs on OpenSearch as on
    Whoosh, and as many as the corpus written for it holds (``test_wildcard_letters``)."""
    settings = {"url": opensearch_url, "prefix": f"test-{secrets.token_hex(4)}"}
    on_opensearch = letters.totals(letters.make_home(tmp_path / "os", "opensearch", settings))
    on_whoosh = letters.totals(letters.make_home(tmp_path / "whoosh"))
    assert on_opensearch == on_whoosh == letters.EXPECTED
