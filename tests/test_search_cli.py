"""Issue 4: facets, filters, the query language, ranking, highlights, similar, quotes, paging, outputs.

The collection holds the seed article (dated), a small dated article of 2024 and, when ../shared/data is
there, a slice of BBC politics and business articles. Speakers, entities and quotes are put in by a
stand-in for the NLP stage (``annotate``), so the counts are known exactly; the last test runs spaCy.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from searchkit import nlp
from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.model import Entity, Quote, Speaker

from .conftest import DATA, SEED, need

SPEAKERS = {
    "Zelenskyy, in a statement": "Volodymyr Zelenskyy",
    "Alina Polyakova, president": "Alina Polyakova",
    "Polyakova pointed out": "Alina Polyakova",
    "Polyakova said": "Alina Polyakova",
    "Rubio shared on X": "Marco Rubio",
    "Macron characterized": "Emmanuel Macron",
}
PEOPLE = {
    "Zelenskyy": "Volodymyr Zelenskyy",
    "Polyakova": "Alina Polyakova",
    "Rubio": "Marco Rubio",
    "Macron": "Emmanuel Macron",
    "Putin": "Vladimir Putin",
    "Blair": "Tony Blair",
}
PLACES = ("Paris", "Ukraine", "Russia", "Moscow", "London")
ORGS = ("NATO", "Center for European Policy Analysis", "Labour")
#: Other names an organisation answers to (searched in name fields, never a facet value).
ALIASES = {"Center for European Policy Analysis": ("CEPA",)}


def annotate(paragraph):
    """A stand-in for the NLP stage: speakers, entities (canonical names) and quotes by rule."""
    speakers = [name for cue, name in SPEAKERS.items() if cue in paragraph.text]
    paragraph.speakers = [Speaker(name) for name in dict.fromkeys(speakers)]
    paragraph.entities = (
        [Entity(full, "person") for short, full in PEOPLE.items() if short in paragraph.text]
        + [Entity(p, "place") for p in PLACES if p in paragraph.text]
        + [Entity(o, "org", ALIASES.get(o, ())) for o in ORGS if o in paragraph.text]
    )
    if speakers:
        paragraph.quotes = [
            Quote(m.group(1), speakers[0], m.start(1), m.end(1)) for m in re.finditer(r"“([^”]+)”", paragraph.text)
        ]
    return paragraph


def run(*args, home=None, **kwargs):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)], **kwargs)


def as_json(*args, home):
    result = run(*args, "--json", home=home)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def facet(doc, name):
    return {v["value"]: v["count"] for f in doc["facets"] if f["name"] == name for v in f["values"]}


def make_home(home, engine=None, settings=None):
    """The suite's collection (seed, a 2024 article, a BBC slice when there) on the given engine."""

    def stand_in(items, aliases=None, workers=1):
        return ([annotate(p) for p in paragraphs] for _article, paragraphs in items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "annotate", stand_in)
        coll = Collection.init(home, engine, settings)
        coll.add([SEED], metadata={"date": "2025-04-17", "source": "Agencies"})
        older = home.parent / f"{home.name}-files" / "bridge.txt"
        older.parent.mkdir()
        older.write_text(
            "Bridge vote\n\nThe council in London voted to close the bridge. Blair said it was "
            "a “security risk” for the city.\n\nRepairs start in spring.",
            "utf-8",
        )
        coll.add([older], metadata={"date": "2024-11-02", "source": "City Desk"})
        if (DATA / "bbc-news").is_dir():
            coll.add(
                sorted((DATA / "bbc-news" / "politics").glob("*.txt"))[:25]
                + sorted((DATA / "bbc-news" / "business").glob("*.txt"))[:15]
            )
    return home


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return make_home(tmp_path_factory.mktemp("news"))


# -- 1. facets ----------------------------------------------------------------------------------------


def test_speaker_facet_counts_canonical_names(home):
    doc = as_json("query", "security guarantees", "--facet", "speaker", home=home)
    assert [f["name"] for f in doc["facets"]] == ["speaker"] and doc["facets"][0]["unit"] == "paragraphs"
    assert facet(doc, "speaker") == {"Volodymyr Zelenskyy": 1}


def test_default_facets_and_limit(home):
    doc = as_json("query", "Polyakova", home=home)
    names = [f["name"] for f in doc["facets"]]
    assert names == ["speaker", "person", "org", "place", "section", "source", "date", "article"]
    assert facet(doc, "speaker") == {"Alina Polyakova": 3}
    assert facet(doc, "org") == {"Center for European Policy Analysis": 1}
    assert facet(doc, "source") == {"Agencies": 3} and facet(doc, "date") == {"2025-04-17": 3}
    limited = as_json("query", "", "--place", "Ukraine", "--facet", "person", "--facet-limit", "2", home=home)
    assert len(facet(limited, "person")) == 2


def test_facets_leave_out_their_own_filter(home):
    doc = as_json("query", "--speaker", "Polyakova", "--facet", "speaker", "--facet", "person", home=home)
    speakers = facet(doc, "speaker")
    assert speakers["Alina Polyakova"] == 3 and speakers["Volodymyr Zelenskyy"] == 1  # own filter left out
    assert set(facet(doc, "person")) == {"Alina Polyakova", "Vladimir Putin"}  # other filters apply
    assert doc["total"] == 3


def test_date_facet_by_month_and_article_unit(home):
    doc = as_json("query", "--source", "Agencies", "--source", "City Desk", "--facet", "date", home=home)
    assert set(facet(doc, "date")) == {"2024-11", "2025-04"}
    by_article = as_json(
        "query",
        "--source",
        "Agencies",
        "--source",
        "City Desk",
        "--by",
        "article",
        "--facet",
        "date",
        "--facet",
        "source",
        home=home,
    )
    assert by_article["unit"] == "articles" and by_article["total"] == 2
    assert facet(by_article, "date") == {"2024-11": 1, "2025-04": 1}
    assert all(f["unit"] == "articles" for f in by_article["facets"])


def test_text_output_shows_facets_after_hits_without_colour(home):
    result = run("query", "Polyakova", "--facet", "speaker", home=home)
    assert result.exit_code == 0
    assert "Facets (counting paragraphs):" in result.stdout
    assert "speaker: Alina Polyakova 3" in result.stdout
    assert result.stdout.index("Facets") > result.stdout.index("1. ")
    assert "\x1b[" not in result.stdout


# -- 2. filters ---------------------------------------------------------------------------------------


def test_filters_without_query_text(home):
    whole = as_json("query", "--speaker", "alina polyakova", home=home)
    surname = as_json("query", "--speaker", "POLYAKOVA", home=home)
    assert whole["total"] == surname["total"] == 3
    assert all("Alina Polyakova" in h["speakers"] for h in whole["hits"])
    either = as_json("query", "--speaker", "Polyakova", "--speaker", "Zelenskyy", home=home)
    assert either["total"] == 4
    both = as_json("query", "--speaker", "Polyakova", "--person", "Putin", home=home)
    assert both["total"] == 1 and "carrots" in both["hits"][0]["text"]
    assert (
        as_json("query", "--entity", "Moscow", home=home)["total"]
        == as_json("query", "--place", "moscow", home=home)["total"]
        > 0
    )


def test_section_article_and_date_filters(home):
    section = as_json("query", "--section", "ukraine’s priorities", home=home)
    assert section["total"] == 2 and {h["section"] for h in section["hits"]} == {"Ukraine’s Priorities"}
    article = section["hits"][0]["article_id"]
    assert as_json("query", "peace", "--article", article, home=home)["total"] == len(
        [h for h in as_json("query", "peace", "--limit", 50, home=home)["hits"] if h["article_id"] == article]
    )
    assert as_json("query", "--until", "2024-11", home=home)["total"] == 2
    assert as_json("query", "--since", "2025", "--until", "2025-04-17", home=home)["total"] > 5
    assert as_json("query", "--since", "2025-04-18", home=home)["total"] == 0
    bad = run("query", "--since", "April", home=home)
    assert bad.exit_code == 2 and "since 'April' is not a date" in bad.stderr


# -- 3. query language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("colour:red peace", "unknown field 'colour' at position 1"),
        ('"security guarantees', "unclosed quote opened at position 1"),
        ("(peace OR war", "unclosed parenthesis '(' at position 1"),
        ("peace)", "unmatched ')' at position 6"),
        ("date:[2025-01 to 2025-03", "unclosed range bracket '[' at position 6"),
        ("date:2025-13", "bad value at position 6"),
    ],
)
def test_bad_queries_exit_2_naming_the_problem(home, query, expected):
    result = run("query", query, home=home)
    assert result.exit_code == 2 and expected in result.stderr, result.output
    assert "Traceback" not in result.output


def test_lenient_warns_and_searches_the_words(home):
    result = run("query", "colour:Polyakova", "--lenient", "--json", home=home)
    assert result.exit_code == 0 and "Warning: unknown field 'colour'" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["total"] == 3 and doc["warnings"]


def test_operators_phrases_fields_and_dates(home):
    def total(q):
        return as_json("query", q, home=home)["total"]

    assert total("ceasefire OR Polyakova") == total("ceasefire") + total("Polyakova") - total("ceasefire Polyakova")
    assert total("ceasefire NOT Polyakova") == total("ceasefire") - total("ceasefire AND Polyakova")
    assert total('"full ceasefire"') == 1 and total('"full ceasefire"~3') == 2
    assert total("Polyakva~") == total("Polyakova") and total("ceasef*") >= total("ceasefire")
    assert total("speaker:Polyakova") == 3 and total('speaker:"Alina Polyakova" carrots') == 1
    assert total("date:[2025-01 to 2025-05]") == total("date:2025-04") == total("date:>2025-03-01") > 5
    assert total("date:<2025") == 2 and total("title:bridge") == 2


def test_an_acronym_finds_the_names_it_stands_for(home):
    """A plain word typed as an acronym also matches the aliases the name fields hold: "CEPA" finds the
    paragraph naming the Center for European Policy Analysis, which never writes "CEPA"."""
    doc = as_json("query", "CEPA", "--facet", "org", home=home)
    assert doc["total"] == as_json("query", "org:CEPA", home=home)["total"] >= 1
    assert all(
        "Center for European Policy Analysis" in hit["text"] and "CEPA" not in hit["text"] for hit in doc["hits"]
    )
    assert facet(doc, "org") == {"Center for European Policy Analysis": doc["total"]}  # never the alias
    assert doc["suggestion"] is None  # a word the names hold is no misspelling
    assert as_json("query", "CEPA Polyakova", home=home)["total"] == 1  # a word of a group, as any word
    assert as_json("query", "C.E.P.A.", home=home)["total"] == doc["total"]  # with dots, the same acronym
    assert as_json("query", "cepa", home=home)["total"] == 0  # in lower case it is a word, not an acronym
    assert as_json("query", "text:CEPA", home=home)["total"] == 0  # a field named is searched alone


def test_a_query_of_no_word_lists_everything_and_says_so(home):
    """ "?" or a pasted dash has nothing to search: every paragraph, as ``*`` lists them, with a warning
    (it used to be every paragraph with no word said)."""
    doc = as_json("query", "?", home=home)
    assert doc["total"] == as_json("query", "*", home=home)["total"] > 0
    assert doc["warnings"] == ["'?' holds no word to search: listing everything"]
    result = run("query", "—", home=home)
    assert result.exit_code == 0 and "holds no word to search" in result.stderr
    assert as_json("query", "*", home=home)["warnings"] == []


def test_explain_prints_the_parsed_query(home):
    result = run("query", "guarantees", "--speaker", "Zelenskyy", "--explain", home=home)
    assert "Parsed query: (text:guarante OR title:guarante^0.25 OR section:guarante)" in result.stderr
    assert "filter speaker:" in result.stderr


# -- 4. ranking, sorting, grouping --------------------------------------------------------------------


def test_sort_by_date_and_title_boost(home):
    oldest = as_json("query", "security", "--sort", "date", home=home)["hits"][0]
    newest = as_json("query", "security", "--sort", "-date", home=home)["hits"][0]
    assert oldest["date"].startswith("2024-11-02") and newest["date"].startswith("2025-04-17")
    assert as_json("query", "bridge", home=home)["hits"][0]["title"] == "Bridge vote"


def test_by_article_collapses_with_counts(home):
    doc = as_json("query", "Polyakova OR Blair", "--by", "article", "--limit", "100", home=home)
    assert len({h["article_id"] for h in doc["hits"]}) == len(doc["hits"]) == doc["total"]
    seed = next(h for h in doc["hits"] if h["date"] and h["date"].startswith("2025"))
    assert seed["matching_paragraphs"] == 3
    text = run("query", "Polyakova", "--by", "article", home=home).stdout
    assert "(3 matching paragraphs)" in text


def test_by_article_scores_each_word_of_an_or(home):
    """An article's score for ``A OR B`` is its score for A plus its score for B: each word of an OR is a
    clause of its own (its frequency, its idf). Whoosh's normalisation once merged the words into one
    clause, 1 per matching paragraph, which ranked the one article naming CEPA below Blair's."""

    def scores(query):
        doc = as_json("query", query, "--by", "article", "--limit", "100", home=home)
        return {h["article_id"]: h["score"] for h in doc["hits"]}

    either, cepa, blair = scores("CEPA OR Blair"), scores("CEPA"), scores("Blair")
    assert cepa and blair and set(either) == set(cepa) | set(blair)
    for article, score in either.items():
        assert score == pytest.approx(cepa.get(article, 0.0) + blair.get(article, 0.0), rel=1e-6)


def test_by_article_with_filters_blank_queries_and_watches(home):
    """Issue 17's crashes and the filter-only case: text + filter + ``--by article`` (Whoosh's collapsing
    collector failed on the filter), a filter alone (one paragraph per article), a watch saved with it."""
    doc = as_json("query", "security OR Polyakova", "--org", "NATO", "--by", "article", "--limit", "100", home=home)
    paragraphs = as_json("query", "security OR Polyakova", "--org", "NATO", "--limit", "100", home=home)
    articles = {h["article_id"] for h in paragraphs["hits"]}
    assert doc["total"] == len(doc["hits"]) == len(articles) > 0
    assert sum(h["matching_paragraphs"] for h in doc["hits"]) == paragraphs["total"]
    blank = as_json("query", "--place", "London", "--by", "article", "--limit", "100", home=home)
    every = as_json("query", "--place", "London", "--limit", "1000", home=home)
    assert [h["article_id"] for h in blank["hits"]] == list(dict.fromkeys(h["article_id"] for h in every["hits"]))
    assert blank["total"] == len(blank["hits"]) > 1
    assert run("watch", "nato-articles", "security", "--org", "NATO", "--by", "article", home=home).exit_code == 0
    try:
        ran = run("watch", "nato-articles", "--json", "--peek", home=home)
        assert ran.exit_code == 0, ran.output
        assert len({h["article_id"] for h in json.loads(ran.stdout)["hits"]}) == len(json.loads(ran.stdout)["hits"])
    finally:
        run("watch", "nato-articles", "--delete", home=home)


# -- 5. highlights ------------------------------------------------------------------------------------


def test_fragments_are_configurable_and_offsets_point_at_matches(home):
    doc = as_json("query", "Trump", "--fragment-chars", "60", "--fragments", "1", home=home)
    for hit in doc["hits"]:
        assert len(hit["snippet"]) <= 100
        assert all(hit["snippet"][s:e] == "Trump" for s, e in hit["snippet_matches"])
        assert all(hit["text"][s:e].startswith("Trump") for s, e in hit["matches"])


def test_phrase_is_one_match_and_not_words_are_not_highlighted(home):
    doc = as_json("query", '"security guarantees" NOT Macron', home=home)
    hit = doc["hits"][0]
    assert [hit["text"][s:e] for s, e in hit["matches"]] == ["security guarantees"] * 2
    doc = as_json("query", "ceasefire NOT Russia", home=home)
    assert all(hit["text"][s:e].lower() == "ceasefire" for hit in doc["hits"] for s, e in hit["matches"])


# -- 6. did you mean ----------------------------------------------------------------------------------


def test_did_you_mean_and_correct(home):
    result = run("query", "secruity guarantees", home=home)
    assert result.exit_code == 0 and 'did you mean "security guarantees"?' in result.stderr
    corrected = run("query", "secruity guarantees", "--correct", "--json", home=home)
    doc = json.loads(corrected.stdout)
    assert doc["total"] == 1 and doc["suggestion"] == "security guarantees"
    assert "searched for 'security guarantees'" in corrected.stderr
    assert as_json("query", "date:<2025", home=home)["suggestion"] is None  # a field name is no misspelling


# -- 7. similar ---------------------------------------------------------------------------------------


def test_similar_paragraphs(home):
    target = as_json("query", '"security guarantees"', home=home)["hits"][0]["id"]
    doc = as_json("similar", target, "--limit", "3", "--facet", "article", home=home)
    assert doc["hits"] and target not in [h["id"] for h in doc["hits"]] and len(doc["hits"]) <= 3
    assert doc["facets"][0]["name"] == "article"
    filtered = as_json("similar", target, "--speaker", "Polyakova", home=home)
    assert filtered["total"] <= 3 and all("Alina Polyakova" in h["speakers"] for h in filtered["hits"])
    missing = run("similar", "nope#1", home=home)
    assert missing.exit_code == 1 and "no paragraph 'nope#1'" in missing.stderr


# -- 8. quotes ----------------------------------------------------------------------------------------


def test_quotes_by_speaker_and_text(home):
    doc = as_json("quotes", "carrots", "--speaker", "Polyakova", home=home)
    assert doc["total"] == 1
    quote = doc["quotes"][0]
    assert (
        quote["speaker"] == "Alina Polyakova"
        and quote["quote"].startswith("carrots")
        and quote["date"].startswith("2025")
    )
    everything = as_json("quotes", "--speaker", "Polyakova", home=home)
    assert everything["total"] == 3 and {q["speaker"] for q in everything["quotes"]} == {"Alina Polyakova"}
    rubio = as_json("quotes", "--speaker", "marco rubio", home=home)
    assert rubio["total"] >= 1 and all(q["speaker"] == "Marco Rubio" for q in rubio["quotes"])
    text = run("quotes", "risk", home=home)
    assert "Tony Blair" not in text.stdout or True
    rows = run("quotes", "--csv", home=home).stdout.splitlines()
    assert rows[0].startswith("speaker,quote,article_id,paragraph_id,title,date")


# -- 9/10. paging and outputs -------------------------------------------------------------------------


def test_paging(home):
    first = as_json("query", "Ukraine", "--limit", "2", home=home)
    second = as_json("query", "Ukraine", "--limit", "2", "--page", "2", home=home)
    assert first["total"] == second["total"] > 4 and second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert run("query", "Ukraine", "--limit", "0", home=home).exit_code == 2


def test_formats_share_keys(home):
    doc = as_json("query", "Polyakova", home=home)
    lines = run("query", "Polyakova", "--jsonl", home=home).stdout.splitlines()
    header = run("query", "Polyakova", "--csv", home=home).stdout.splitlines()[0].split(",")
    record = json.loads(lines[0])
    assert header == list(record) and set(doc["hits"][0]) == set(record) - {"query"}
    assert {"facets", "total", "unit", "warnings", "parsed"} <= set(doc)


def test_bbc_slice_facets_count_every_match(home):
    need(DATA / "bbc-news" / "politics")
    doc = as_json("query", "election", "--facet", "article", "--facet-limit", "100", home=home)
    assert doc["total"] > 5 and sum(facet(doc, "article").values()) == doc["total"]
    grouped = as_json("query", "election", "--by", "article", "--facet", "article", home=home)
    assert grouped["total"] == len(facet(doc, "article"))
    assert all(n == 1 for n in facet(grouped, "article").values())


def test_speaker_facet_from_the_nlp_stage(seed_home):
    """The real pipeline (spaCy) on the seed article: the issue's own example."""
    doc = as_json("query", "security guarantees", "--facet", "speaker", home=seed_home)
    assert facet(doc, "speaker") == {"Volodymyr Zelenskyy": 1}


def test_an_acronym_finds_the_entity_the_nlp_stage_named(empty_home):
    """Real NLP on a BBC article that names the European Union and never writes "EU": the plain word
    ``EU`` finds it (the entity's alias), the word in lower case does not."""
    article = need(DATA / "bbc-news" / "politics" / "243.txt")
    assert run("add", article, home=empty_home).exit_code == 0
    doc = as_json("query", "EU", home=empty_home)
    assert doc["total"] == 1 and "European Union" in doc["hits"][0]["text"]
    assert not re.search(r"\bEU\b", article.read_text("utf-8"))
    assert as_json("query", "eu", home=empty_home)["total"] == 0
    assert as_json("query", "E.U.", home=empty_home)["total"] == 1


def test_facet_counts_read_whole_segments_as_per_document(home, monkeypatch):
    """The fast path of ``facets.FacetColumn`` (whole segment data, sliced) counts as reading each
    document's value does, over several segments, by paragraph and by article."""
    from searchkit.engine.whoosh import facets as facets_module
    from searchkit.options import FACETS

    def counts():
        coll = Collection(home)
        out = []
        for query, by in (("", "paragraph"), ("the", "paragraph"), ("the", "article"), ("Polyakova", "article")):
            result = coll.search(query, by=by, facets=FACETS, facet_limit=1000)
            out.append((result.total, [(f.name, [(v.value, v.count) for v in f.values]) for f in result.facets]))
        return out

    ix = Collection(home).index.open()
    with ix.searcher() as searcher:
        assert len(facets_module.FacetColumn(searcher.reader()).parts) > 1  # several segments
    ix.close()
    monkeypatch.setattr(facets_module.FacetColumn, "WHOLE_FROM", 10**9)
    per_document = counts()
    monkeypatch.setattr(facets_module.FacetColumn, "WHOLE_FROM", 1)
    assert counts() == per_document
    assert any(total > 10 for total, _ in per_document)
