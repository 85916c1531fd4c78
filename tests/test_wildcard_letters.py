"""Issue 13: a wildcard or prefix pattern behaves like the words it matches. Its letters are lower-cased
and folded as the analyser writes an indexed word (``folding.pattern_as_indexed``), so ``café*``,
``Straß*`` and ``İstan*`` find "cafe", "strass" and "istanbul" on either engine; ``*`` and ``?`` stay
syntax, and fields whose values are matched as typed keep the pattern as typed."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import nlp
from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.engine import query as ql
from searchkit.engine.folding import pattern_as_indexed
from searchkit.engine.whoosh.expand import Prefix, Wildcard
from searchkit.engine.whoosh.query import translate
from searchkit.engine.whoosh.schema import build_schema, text_analyzer
from searchkit.model import Entity


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("café*", "cafe*"),
        ("Cafe*", "cafe*"),
        ("Straß*", "strass*"),
        ("İstan*", "istan*"),  # Python's lower() writes "i̇stan": an i and a combining dot
        ("ΟΔΟΣ*", "οδοσ*"),  # a capital sigma is "σ" wherever it stands, as Lucene writes it
        ("Æro*", "aero*"),
        ("guarant?e", "guarant?e"),
        ("*ÉTÉ?", "*ete?"),
        ("sec＊r?ty*", "sec＊r?ty*"),  # a full-width star folds to "*": left as typed, never a wildcard
    ],
)
def test_a_pattern_is_written_as_the_analyser_writes_a_word(typed, written):
    assert pattern_as_indexed(typed) == written


#: Letters an indexed word may hold that lower-casing or folding changes, and plain ones.
LETTERS = "aeinrstuzAEIST" + "éèêüöäåøçñłđ" + "ÉÜÖÅ" + "ßİıΣσæÆœŒ"


def unstemmed(word: str) -> str:
    """The word as the text analyser writes it, without its morphological steps (British spellings as
    American ones, the stem): lower case, then folded to ASCII."""
    (token,) = [t.text for t in text_analyzer()(word, no_morph=True)]
    return token


@settings(max_examples=300, deadline=2000)
@given(st.text(alphabet=LETTERS, min_size=1, max_size=12), st.data())
def test_a_words_first_letters_as_a_prefix_are_a_prefix_of_the_word_as_indexed(word, data):
    """Typing the first letters of a word and ``*`` finds the word (before stemming, which a prefix
    is matched against as it was): the pattern is a prefix of the analyser's lowered and folded form,
    and the whole word's pattern is that form."""
    indexed = unstemmed(word)
    assert pattern_as_indexed(word + "*") == indexed + "*"
    cut = data.draw(st.integers(1, len(word)))
    written = pattern_as_indexed(word[:cut] + "*")
    assert written.endswith("*") and indexed.startswith(written[:-1])


@settings(max_examples=300, deadline=2000)
@given(st.text(alphabet=LETTERS + "*?＊？", min_size=1, max_size=12))
def test_wildcard_syntax_is_kept_and_never_made(pattern):
    """``*`` and ``?`` are where they were typed, no more and no fewer; the letters between them are each
    written as the analyser writes them."""
    written = pattern_as_indexed(pattern)
    assert re.findall(r"[*?]", written) == re.findall(r"[*?]", pattern)
    pieces = [p for p in re.split(r"[*?]", pattern) if p and "＊" not in p and "？" not in p]
    assert all(unstemmed(p) in written for p in pieces)


def test_each_field_gets_the_pattern_as_it_indexes_words():
    """Whoosh: text and name fields lower-case and fold it, ``source`` (a keyword field) only lower-cases
    it; an id's pattern is kept as typed."""
    schema = build_schema()

    def built(text: str) -> set[tuple[str, str, str]]:
        q = translate(schema, ql.parse(text).root)
        return {(type(t).__name__, t.fieldname, t.text) for t in q.leaves() if isinstance(t, Prefix | Wildcard)}

    assert built("Straß*") == {("Prefix", f, "strass") for f in ("text", "title", "section")}
    assert built("title:Café*") == {("Prefix", "title", "cafe")}
    assert built("place:İstan?ul") == {("Wildcard", "place", "istan?ul")}
    assert built("source:Agé*") == {("Prefix", "source", "agé")}
    assert built("guarant?e") == {("Wildcard", f, "guarant?e") for f in ("text", "title", "section")}
    verbatim = translate(schema, ql.Wildcard("BBC-*", "url"))
    assert (type(verbatim).__name__, verbatim.text) == ("Prefix", "BBC-")  # a URL keeps its case


# -- end to end: a small corpus of our own -------------------------------------------------------------

#: Articles written for this test: accented words and their plain forms, in text and titles.
ARTICLES = {
    "bosphorus.txt": "Morning trade on the Bosphorus\n\n"
    "Café owners in İstanbul say the tourist season started early this year.\n\n"
    "Rents near the ferry piers have doubled since the spring.",
    "munich.txt": "Tram lines in Munich\n\n"
    "The Straßenbahn network will add two routes next year, the city said.\n\n"
    "Riders asked for later trains on weekends.",
    "letters.txt": "Letters from readers\n\n"
    "A reader in Istanbul writes that cafe prices rose again and a strassenfest closed the square.\n\n"
    "Another asks why the library shuts at noon.",
    "zurich.txt": "Café culture in Zürich\n\n"
    "Owners of small bakeries count the cost of rising rents.\n\n"
    "Tourists still queue for pastries at dawn.",
}
#: Places the NLP stand-in names, so a name field holds an accented name too.
PLACES = ("İstanbul", "Istanbul", "Munich", "Zürich")
#: Paragraphs each query must find: the accented pattern and its plain form alike.
EXPECTED = {
    # bosphorus 1, letters 1, and both paragraphs of zurich through their title
    "café*": 4,
    "Cafe*": 4,
    "c?fé": 4,
    "Straß*": 2,  # munich 1 (Straßenbahn), letters 1 (strassenfest)
    "strass*": 2,
    "İstan*": 2,  # bosphorus 1, letters 1
    "istan*": 2,
    "ISTAN*": 2,
    "title:Café*": 2,
    "title:cafe*": 2,
    "Zür*": 2,
    "zur*": 2,
    "place:İstan*": 2,
    "place:istan*": 2,
    "source:travel*": 8,  # a keyword field: lower-cased, never folded
    "source:Travel*": 8,
}


def _annotate(paragraph):
    """A stand-in for the NLP stage: the places the paragraph writes (keeps the test fast and exact)."""
    paragraph.entities = [Entity(p, "place") for p in PLACES if p in paragraph.text]
    return paragraph


def make_home(home, engine=None, settings=None):
    """The corpus above as a collection on the given engine."""
    folder = home.parent / f"{home.name}-files"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, "utf-8")

    def stand_in(items, aliases=None, workers=1):
        return ([_annotate(p) for p in paragraphs] for _article, paragraphs in items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "annotate", stand_in)
        Collection.init(home, engine, settings).add([folder], metadata={"source": "Travel Desk"})
    return home


def totals(home) -> dict[str, int]:
    """Each query's paragraph count, as ``searchkit query --json`` reports it."""
    found = {}
    for query in EXPECTED:
        result = CliRunner().invoke(cli, ["--home", str(home), "query", query, "--json", "--limit", "20"])
        assert result.exit_code == 0, result.output
        found[query] = json.loads(result.stdout)["total"]
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return make_home(tmp_path_factory.mktemp("news"))


def test_accented_and_plain_patterns_find_the_same_paragraphs(home):
    assert totals(home) == EXPECTED


def test_a_prefix_highlights_the_accented_and_the_plain_word_it_found(home):
    result = CliRunner().invoke(cli, ["--home", str(home), "query", "text:straß*", "--json"])
    hits = json.loads(result.stdout)["hits"]
    assert sorted(hit["text"][a:b] for hit in hits for a, b in hit["matches"]) == ["Straßenbahn", "strassenfest"]
