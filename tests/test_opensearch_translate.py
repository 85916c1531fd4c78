"""The query language's tree as OpenSearch DSL, node by node (no cluster needed): what each construct
becomes, so a change in the translation is seen here before any parity test runs."""

from __future__ import annotations

import pytest

from searchkit.engine import query as ql
from searchkit.engine.opensearch.translate import FIELD_WEIGHTS, translate


def dsl(text: str, mode: str = "best") -> dict:
    return translate(ql.parse(text, mode).root)


def phrase(field: str, text: str, boost: float = 1.0, slop: int = 0) -> dict:
    return {"match_phrase": {field: {"query": text, "slop": slop, "boost": boost}}}


def default_fields(text: str) -> dict:
    """A word on the default fields: summed over text, title and section with their weights."""
    fields = [
        phrase("text", text),
        phrase("title", text, FIELD_WEIGHTS["title"]),
        phrase("section", text, FIELD_WEIGHTS["section"]),
    ]
    return {"bool": {"should": fields, "minimum_should_match": 1}}


def test_blank_is_everything_and_a_word_searches_the_default_fields():
    assert dsl("") == {"match_all": {}}
    assert dsl("ceasefire") == default_fields("ceasefire")


def test_plain_words_are_one_best_match_group():
    assert dsl("security guarantees") == {"bool": {"must": [default_fields("security"), default_fields("guarantees")]}}
    long = dsl("peace talks paris envoys ukraine")
    assert long["bool"]["minimum_should_match"] == ql.minimum_should_match(5)
    assert len(long["bool"]["should"]) == 5
    with_stop_word = dsl("talks in paris")  # a best-match group ignores its stop words
    assert with_stop_word == {"bool": {"must": [default_fields("talks"), default_fields("paris")]}}
    joined = dsl("Rad53-dependent histone degradation")  # a joined word's parts are words of the group
    assert joined["bool"]["should"][:2] == [default_fields("Rad53"), default_fields("dependent")]


def test_an_acronym_also_searches_the_names_at_their_weight():
    """``EU`` typed in capitals: the default fields and the aliases in the entity names; "eu" the fields only."""
    names = phrase("entity_names", "EU", ql.NAMES_WEIGHT)
    assert dsl("EU") == {
        "bool": {"should": [*default_fields("EU")["bool"]["should"], names], "minimum_should_match": 1}
    }
    assert dsl("eu") == default_fields("eu") and dsl("org:EU") == phrase("org_names", "EU")
    assert dsl("EU sanctions")["bool"]["must"][0]["bool"]["should"][-1] == names
    assert dsl("E.U.")["bool"]["should"][-1] == names  # with dots: the letters among the names


def test_phrases_keep_their_slop_counted_as_whoosh_counts_it():
    assert dsl('"full ceasefire"') == {
        "bool": {
            "should": [
                phrase("text", "full ceasefire"),
                phrase("title", "full ceasefire", FIELD_WEIGHTS["title"]),
                phrase("section", "full ceasefire", 1.5),
            ],
            "minimum_should_match": 1,
        }
    }
    assert dsl('text:"full ceasefire"~3') == phrase("text", "full ceasefire", slop=2)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("speaker:Polyakova", phrase("speaker_names", "Polyakova")),
        ("source:Reuters", phrase("source.match", "Reuters")),
        ("quote:carrots", phrase("quote", "carrots")),
        ("article:db1cae1d500b", {"term": {"article": {"value": "db1cae1d500b", "boost": 1.0}}}),
        ("id:db1cae1d500b#7", {"term": {"id": {"value": "db1cae1d500b#7", "boost": 1.0}}}),
    ],
)
def test_fields_map_to_the_indexed_field_that_answers_them(text, expected):
    assert dsl(text) == expected


def test_operators_become_bool_clauses():
    assert dsl("ceasefire OR truce") == {
        "bool": {"should": [default_fields("ceasefire"), default_fields("truce")], "minimum_should_match": 1}
    }
    assert dsl("ceasefire NOT Russia") == {
        "bool": {"must": [default_fields("ceasefire")], "must_not": [default_fields("Russia")]}
    }
    assert dsl("NOT Russia") == {"bool": {"must": [{"match_all": {}}], "must_not": [default_fields("Russia")]}}


def test_wildcards_match_every_expansion_and_score_the_best():
    prefix = dsl("text:secur*")
    every, scored = prefix["bool"]["should"]
    assert every["prefix"]["text"]["value"] == "secur" and "rewrite" not in every["prefix"]["text"]
    assert scored["prefix"]["text"]["rewrite"].startswith("top_terms_")
    assert dsl("text:se?urity")["bool"]["should"][0]["wildcard"]["text"]["value"] == "se?urity"


def test_a_pattern_is_written_as_its_field_indexes_words():
    """Lower-cased and folded in text and name fields, lower-cased only in ``source`` (``sk_keyword``),
    as typed in a verbatim field."""

    def value(text: str) -> str:
        ((kind, query),) = dsl(text)["bool"]["should"][0].items()
        ((_field, body),) = query.items()
        return f"{kind} {body['value']}"

    assert value("text:Straß*") == "prefix strass" and value("title:Café*") == "prefix cafe"
    assert value("text:İstan?ul") == "wildcard istan?ul" and value("place:Zür*") == "prefix zur"
    assert value("source:Agé*") == "prefix agé"
    assert translate(ql.Wildcard("BBC-*", "url")) == {"wildcard": {"url": {"value": "BBC-*", "boost": 1.0}}}


def test_fuzzy_and_date_ranges():
    assert dsl("text:Polyakva~") == {
        "match": {"text": {"query": "Polyakva", "fuzziness": 1, "prefix_length": 1, "boost": 1.0}}
    }
    assert dsl("date:2025-04") == {
        "range": {"date": {"gte": "2025-04-01T00:00:00.000", "lte": "2025-04-30T23:59:59.999"}}
    }
    assert dsl("date:<2025") == {"range": {"date": {"lte": "2024-12-31T23:59:59.999"}}}
