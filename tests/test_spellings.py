"""Written forms that mean the same word find each other, in the index and in queries alike: British and
American spellings ("defence programme", "defense program": ``engine.spellings``) and an acronym with or
without its dots ("U.S.", "US": ``base.ACRONYM_DOT``)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from searchkit import nlp
from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.engine.spellings import american_spellings
from searchkit.engine.whoosh.schema import text_analyzer

BRITISH = "Defence review\n\nThe ministry cut its defence programme, the organisation's US report said."
AMERICAN = "Defense budget\n\nThe U.S. Pentagon cut its defense program and a labor union objected."


def words(text: str, **options: object) -> list[str]:
    return [t.text for t in text_analyzer()(text, **options)]


def test_british_forms_are_analysed_as_american():
    assert words("Defence programmes colour") == words("defense programs color")
    assert words("centre Organisation analysed") == words("center organization analyzed")


def test_words_left_out_keep_their_spelling():
    """The Labour party is not "labor", a tonne is not a short ton, a cheque is not a check."""
    assert words("Labour tonnes cheque storey") != words("labor tons check story")
    assert not {"labour", "tonne", "tonnes", "cheque", "storey"} & set(american_spellings())


def test_acronyms_lose_their_dots():
    assert words("U.S. U.K.-based E.U. U.S.A.") == words("US UK-based EU USA") == ["us", "uk", "base", "eu", "usa"]


def test_dots_that_are_not_an_acronyms_stay():
    """Numbers, and words of more than one letter between the dots ("e.coli", "bbc.co.uk")."""
    assert words("3.5 e.coli bbc.co.uk") == ["3.5", "e.coli", "bbc.co.uk"]


def test_lower_case_is_lucenes():
    """Character by character, as OpenSearch lower-cases: "Istanbul" finds "İstanbul"."""
    assert words("İstanbul ΟΔΟΣ") == words("Istanbul οδοσ") == ["istanbul", "οδοσ"]


def test_letters_fold_to_ascii_as_opensearch_folds_them():
    """Lucene's asciifolding table (``engine.folding``): "Strauss" finds "Strauß" on Whoosh too."""
    assert words("Strauß Kjærsgaard Œuvre José") == words("Strauss Kjaersgaard oeuvre Jose")


def test_words_as_written_are_not_respelt():
    """Did-you-mean suggests from words as written (Whoosh asks with ``no_morph``)."""
    assert words("Programme colour", no_morph=True) == ["programme", "colour"]


def test_the_list_has_no_chains():
    """An American form is never itself respelt, so the mapping is the same in any order (as
    OpenSearch's synonym filter applies it)."""
    spellings = american_spellings()
    assert len(spellings) > 1500
    assert not set(spellings.values()) & set(spellings)
    assert all(b.isalpha() and a.isalpha() and b == b.lower() and a == a.lower() for b, a in spellings.items())


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("spellings")
    files = tmp_path_factory.mktemp("spelling-files")
    (files / "bbc.txt").write_text(BRITISH, "utf-8")
    (files / "reuters.txt").write_text(AMERICAN, "utf-8")

    def no_names(items, aliases=None, workers=1):
        return (paragraphs for _article, paragraphs in items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "annotate", no_names)
        Collection.init(home).add([files / "bbc.txt", files / "reuters.txt"])
    return home


def query(home, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--home", str(home), "query", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def titles(found: dict) -> set[str]:
    return {hit["title"] for hit in found["hits"]}


@pytest.mark.parametrize("typed", ["defence programme", "defense program", '"defence program"', "organization"])
def test_either_spelling_finds_both(home, typed):
    expected = {"Defence review", "Defense budget"} if "organization" not in typed else {"Defence review"}
    assert titles(query(home, typed)) == expected


def test_the_other_spelling_is_highlighted(home):
    hits = {hit["title"]: hit for hit in query(home, "program")["hits"]}
    british, american = hits["Defence review"], hits["Defense budget"]
    assert [british["text"][a:b] for a, b in british["matches"]] == ["programme"]
    assert [american["text"][a:b] for a, b in american["matches"]] == ["program"]


@pytest.mark.parametrize("typed", ["US", "U.S.", "us"])
def test_an_acronym_with_or_without_dots_finds_both(home, typed):
    assert titles(query(home, typed)) == {"Defence review", "Defense budget"}


def test_labour_stays_apart_from_labor(home):
    assert titles(query(home, "labor")) == {"Defense budget"}
    assert query(home, "labour")["total"] == 0


@pytest.fixture(scope="module")
def bbc(tmp_path_factory):
    """200 BBC News articles (British spelling, "UK" and "U.K." both), indexed without the NLP stage."""
    from .conftest import shared_data

    files = sorted(shared_data("bbc-news").rglob("*.txt"))[::10][:200]
    home = tmp_path_factory.mktemp("bbc-spellings")

    def no_names(items, aliases=None, workers=1):
        return (paragraphs for _article, paragraphs in items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "annotate", no_names)
        Collection.init(home).add(files)
    return home


#: Every form of the words, written out by hand (not by the analyser): centre and center with their
#: endings; UK with or without dots.
BRUTE_FORCE = {
    "centre": re.compile(r"\bcent(?:re|er)(?:s|d|ed|ing)?\b", re.I),
    "UK": re.compile(r"(?<![\w.])U\.?K\.?(?![\w])", re.I),
}


@pytest.mark.parametrize("word, typed", [("centre", "centre"), ("centre", "center"), ("UK", "UK"), ("UK", "U.K.")])
def test_totals_match_a_brute_force_count_of_every_written_form(bbc, word, typed):
    """The total a query reports is the number of paragraphs whose title, section or text holds any
    written form of the word, counted with a regular expression over the stored paragraphs."""
    coll = Collection(bbc)
    reader = coll.index.open()
    try:
        expected = sum(
            1
            for info in coll.index.manifest().articles()
            for paragraph in reader.article_paragraphs(info.id)
            if BRUTE_FORCE[word].search(f"{info.title}\n{paragraph.section or ''}\n{paragraph.text}")
        )
    finally:
        reader.close()
    assert expected > 10
    assert query(bbc, typed)["total"] == expected
