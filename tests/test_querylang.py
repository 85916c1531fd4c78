"""The engine-neutral query language: what text parses to, natural text never failing, real mistakes
failing with their position, and the Whoosh translation of a best-match group."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.collection import Collection
from searchkit.engine.query import (
    NAMES_WEIGHT,
    And,
    DateRange,
    Fuzzy,
    Match,
    MatchAll,
    Not,
    Or,
    Phrase,
    Wildcard,
    Word,
    correctable_words,
    finds_names,
    matches,
    minimum_should_match,
    parse,
    respell,
)
from searchkit.errors import QueryError

from .conftest import SEED


def words(node) -> list[str]:
    return [w.text for w in node.words]


def test_short_queries_need_every_word_long_ones_a_share_and_stop_words_none():
    assert parse("security guarantees").root == Match((Word("security"), Word("guarantees")), 2)
    long = parse("Does smoking cause lung cancer in women?").root
    assert isinstance(long, Match) and words(long) == ["smoking", "cause", "lung", "cancer", "women"]
    assert long.minimum == minimum_should_match(5) < 5
    assert [w.text for w in long.ignored] == ["Does", "in"]
    every = parse("Does smoking cause lung cancer in women?", mode="all").root
    assert isinstance(every, Match) and every.minimum == len(every.words) == 7 and not every.ignored
    assert parse("the who").root == Match((Word("the"), Word("who")), 2)  # only stop words: all count


def test_natural_text_is_text():
    for text, expected in [
        ("Does smoking cause lung cancer?", "cancer"),
        ("Wow!", "Wow"),
        ("Note: the ceasefire held", "Note"),
        ("Zelenskyy’s “peace plan” — well-known", "Zelenskyy’s"),
        ("line one\nline two", "two"),
    ]:
        root = parse(text).root
        found = [w.text for m in [root] for w in (*getattr(m, "words", ()), *getattr(m, "ignored", ()))]
        assert expected in found or root == Word(expected), (text, root)
    assert parse("https://example.com/a").root == Word("https://example.com/a")
    # a hyphen after an aside joins words; it excludes nothing (it used to read as NOT histone)
    aside = parse("Histone 2A (H2A)-histone dimer eviction").root
    assert isinstance(aside, Match) and "histone" in words(aside) and "H2A" in words(aside), aside
    assert isinstance(parse("cats (dogs) -histone").root, And)  # after a space it still excludes
    signed = parse("E2f-1, -2, -3 cells at the +5 position").root  # signed numbers are numbers
    assert isinstance(signed, Match) and {"2", "3", "5"} <= set(words(signed)), signed


def test_syntax_keeps_its_exact_meaning():
    assert parse("guarant?e secur*").root == And((Wildcard("guarant?e"), Wildcard("secur*")))
    assert Wildcard("secur*").prefix == "secur" and Wildcard("guarant?e").prefix is None
    assert parse("ceasefire OR truce").root == Or((Word("ceasefire"), Word("truce")))
    assert parse("ceasefire NOT Russia").root == And((Word("ceasefire"), Not(Word("Russia"))))
    assert parse("+peace -war").root == And((Word("peace"), Not(Word("war"))))
    assert parse('"full ceasefire"~3').root == Phrase("full ceasefire", slop=3)
    assert parse("Polyakva~2").root == Fuzzy("Polyakva", distance=2)
    assert parse('speaker:"Alina Polyakova"').root == Phrase("Alina Polyakova", "speaker")
    assert parse("title:(paris talks)").root == Match((Word("paris", "title"), Word("talks", "title")), 2)
    assert parse("?! ...").root == MatchAll() and parse("  ").root == MatchAll()
    # text with no word lists everything, as a blank query or "*" does, and says so
    assert parse("?! ...").warnings == ["'?! ...' holds no word to search: listing everything"]
    assert parse("  ").warnings == parse("*").warnings == parse("peace ?").warnings == []
    dates = parse("date:[2025-01 to 2025-03]").root
    assert isinstance(dates, DateRange) and (dates.start.month, dates.end.month, dates.end.day) == (1, 3, 31)
    before = parse("date:<2025").root
    assert isinstance(before, DateRange) and before.start is None and before.end.year == 2024


@pytest.mark.parametrize(
    "text, message",
    [
        ("colour:red", "unknown field 'colour' at position 1"),
        ('"open', "unclosed quote opened at position 1"),
        ("(a OR b", "unclosed parenthesis '(' at position 1"),
        ("a)", "unmatched ')' at position 2"),
        ("date:[2025 to", "unclosed range bracket '[' at position 6"),
        ("date:2025-13", "bad value at position 6"),
        ("x date:>2025-99", "bad value at position 9"),
    ],
)
def test_real_mistakes_name_the_problem_and_position(text, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(text)


natural = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8),
        st.sampled_from(["?", "!", ":", "'", "’", "-", "—", "“", "”", ",", ".", "\n", "e.g.", "U.S."]),
    ),
    max_size=20,
).map(lambda parts: " ".join(parts).replace(" ?", "?").replace(" !", "!"))


@settings(max_examples=200, deadline=None)
@given(text=natural)
def test_pasted_prose_never_errors(text):
    parse(text)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = Collection.init(tmp_path_factory.mktemp("ql") / "news").home
    shutil.copy(SEED, home / "corpus" / SEED.name)
    Collection(home).sync()
    return home


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=natural)
def test_prose_searches_without_error(home, text):
    assert Collection(home).search(text, limit=1, facets=()).total >= 0


def test_best_match_finds_what_every_word_misses(home):
    coll = Collection(home)
    question = "Did Polyakova say anything about carrots and sticks for Russia?"
    best, every = coll.search(question, facets=()), coll.search(question, facets=(), match="all")
    assert every.total == 0 < best.total
    assert "carrots" in best.hits[0].text
    assert "any of 6" in best.parsed and "every word" in every.parsed
    two = coll.search("security guarantees", facets=())
    assert two.total == coll.search("security guarantees", facets=(), match="all").total
    # more matched words rank higher: a hit with both words outranks one with only one of them
    either = coll.search("carrots sticks Polyakova Rubio", facets=(), limit=50)
    matched = [sum(w in h.text for w in ("carrots", "sticks", "Polyakova", "Rubio")) for h in either.hits]
    assert matched[0] == max(matched)


@pytest.mark.parametrize(
    ("text", "names"),
    [("EU", True), ("ICC", True), ("G7", True), ("WWF", True), ("eu", False), ("Eu", False), ("X", False)]
    + [("SANCTIONS", False), ("7G", False), ("org:EU", False), ('"EU"', False), ("EU*", False)]
    + [("U.S.", True), ("E.U", True), ("u.s.", False), ("U.", False), ("U.S.A.B.C.D.E.", False)],
)
def test_a_word_typed_as_an_acronym_also_finds_names(text, names):
    """2-6 capitals or digits, a letter first, no field named: the engines add the aliases' name field."""
    root = parse(text).root
    assert (isinstance(root, Word) and finds_names(root)) is names
    if names:  # in a group of words too
        group = parse(f"{text} sanctions talks").root
        assert isinstance(group, Match) and [finds_names(w) for w in group.words] == [True, False, False]


def test_a_did_you_mean_respells_plain_words_only():
    """Operators, fields, their values, words with digits and an unclosed quote's words stay as typed;
    a dotted acronym is one word ("C.E.P.A." was four letters, and Whoosh "corrected" its "C" to "cut")."""
    text = 'C.E.P.A. sanctoins AND org:Talbian "peace tlaks" G7 talbian sanctoins "cesefire'
    assert correctable_words(text) == ["sanctoins", "peace", "tlaks", "talbian"]
    fixed = respell(text, {"sanctoins": "sanctions", "talbian": "taliban", "tlaks": "talks"})
    assert fixed == 'C.E.P.A. sanctions AND org:Talbian "peace talks" G7 taliban sanctions "cesefire'


def test_a_did_you_mean_leaves_stop_words_and_short_words():
    """A pasted question's function words are no typos ("What did" was respelled "war day"), nor is a
    word of three letters, within 2 edits of too many others ("say" became "s")."""
    assert correctable_words("What did Zelenskyy say about guarantees?") == ["Zelenskyy", "guarantees"]
    assert correctable_words("Whta dd sya") == ["Whta"]


def test_whoosh_searches_an_acronym_in_the_names_too(home):
    from searchkit.engine.whoosh.query import parse as whoosh_parse

    reader = Collection(home).index.open()
    try:
        schema = reader._searcher.schema
        assert (
            str(whoosh_parse(schema, "EU")[0])
            == f"(text:eu OR title:eu^0.25 OR section:eu OR entity:eu^{NAMES_WEIGHT})"
        )
        assert "entity" not in str(whoosh_parse(schema, "eu")[0])
        # with dots, the names are searched for the letters (the text for the word as written)
        assert str(whoosh_parse(schema, "E.U.")[0]).endswith(f" OR entity:eu^{NAMES_WEIGHT})")
    finally:
        reader.close()


def test_an_aside_in_parentheses_is_part_of_the_sentence():
    """A pasted claim's "(SLE)" was a group of its own, so it had to match: a required AND beside the
    sentence's best-match group."""
    root = parse("A T helper 2 cell (Th2) environment impedes systemic lupus erythematosus (SLE).").root
    assert isinstance(root, Match) and {"Th2", "SLE", "lupus"} <= set(words(root))
    assert isinstance(parse("(nato OR otan) summit").root, And)
    assert isinstance(parse("+(ceasefire truce) talks").root, And)


def test_a_written_and_requires_every_word():
    for text in ("director AND government AND budget", "director AND (director AND government)"):
        groups = matches(parse(text).root)
        assert groups and all(g.minimum == len(g.words) and not g.ignored for g in groups), text


def test_a_fuzzy_word_finds_its_indexed_forms(tmp_path):
    """``text`` keeps a spelling list of unstemmed words; Whoosh looked fuzzy words up there and then
    searched the stemmed postings for them, so ``guarantees~`` found nothing."""
    coll = Collection.init(tmp_path / "news")
    coll.add_article("Ukraine asked for security guarantees at the Paris talks.", title="Talks")
    coll.add_article("The committee reviewed the annual budget.", title="Budget")
    for query in ("guarantees~", "guarantee~", "guarantes~", "budgte~"):
        assert coll.search(query, facets=()).total == 1, query
