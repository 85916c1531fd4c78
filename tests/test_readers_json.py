"""JSON reader: objects, lists and lines; field names and mapping; problems by line; corpus round trip."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.errors import InputError
from searchkit.ingest.readers import jsonl, read_file
from searchkit.model import Article, Block

BODY = "The mill reopened on Monday after a two-year closure.\n\nIts new owners plan to hire forty people."


def lines(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_single_object_with_common_field_names():
    record = {
        "headline": "Mill reopens",
        "content": BODY,
        "publishedAt": "2020-06-01T08:00:00Z",
        "link": "https://news.example/mill",
        "publisher": {"name": "Valley News"},
        "authors": [{"name": "Cy Reed"}, "Di Moss"],
    }
    got = jsonl.read(json.dumps(record).encode(), "mill.json").articles[0]
    assert [b.text for b in got.blocks] == BODY.split("\n\n")
    assert (got.title, got.date, got.url, got.source) == (
        "Mill reopens",
        "2020-06-01T08:00:00+00:00",
        "https://news.example/mill",
        "Valley News",
    )
    assert got.authors == ["Cy Reed", "Di Moss"]
    assert got.provenance["title"] == "record headline" and got.provenance["date"] == "record publishedAt"
    assert got.origin == "mill.json"
    assert got.record == "url-" + got.record.split("-", 1)[1] and len(got.record) == 16


def test_list_of_objects_names_items():
    data = json.dumps([{"title": "One", "text": BODY}, {"title": "Two", "body": BODY, "id": 7}]).encode()
    got = jsonl.read(data, "feed.json").articles
    assert [(a.origin, a.record) for a in got] == [("feed.json item 1", "item-1"), ("feed.json item 2", "7")]


def test_field_mapping_overrides_the_defaults():
    data = lines({"title": "Wrong", "name": "Right", "text": "not this", "story_text": BODY})
    got = jsonl.read(data, "f.jsonl", fields={"title": "name", "text": "story_text"}).articles[0]
    assert got.title == "Right" and got.blocks[0].text.startswith("The mill")
    assert got.provenance["text"] == "record story_text"


def test_unknown_mapped_field_is_an_input_error():
    with pytest.raises(InputError, match="unknown field 'body'"):
        jsonl.read(lines({"text": BODY}), "f.jsonl", fields={"body": "text"})


def test_broken_lines_are_reported_by_line_and_the_rest_is_read():
    data = lines({"text": BODY}, '{"text": "unterminated', "", "[1, 2]", {"text": BODY, "guid": "g-5"})
    reading = jsonl.read(data, "feed.jsonl")
    assert [(a.origin, a.record) for a in reading.articles] == [
        ("feed.jsonl line 1", "line-1"),
        ("feed.jsonl line 5", "g-5"),
    ]
    assert [p.where for p in reading.problems] == ["feed.jsonl line 2", "feed.jsonl line 4"]
    assert "not valid JSON" in reading.problems[0].reason and not reading.problems[0].skipped


def test_records_without_body_are_skipped_not_failed():
    reading = jsonl.read(lines({"title": "Empty", "body": ""}, {"body": BODY}), "f.jsonl")
    assert len(reading.articles) == 1
    assert (reading.problems[0].where, reading.problems[0].reason, reading.problems[0].skipped) == (
        "f.jsonl line 1",
        "no body",
        True,
    )


def test_file_with_no_valid_json_is_an_input_error():
    with pytest.raises(InputError, match="no line holds a valid JSON object"):
        jsonl.read(b"this is not json\nnor is this\n", "bad.jsonl")
    with pytest.raises(InputError, match="not valid JSON"):
        jsonl.read(b'{"text": ', "bad.json")


def test_records_without_any_text_field_ask_for_a_mapping():
    with pytest.raises(InputError, match="--field text=KEY"):
        jsonl.read(lines({"title": "A", "words": BODY}), "f.jsonl")


def test_reuters_style_record():
    body = (
        "Showers continued in the cocoa zone,\nimproving prospects for the coming crop,\na trader said.\n"
        "    The dry period means the crop will be late.\n Reuter\n\x03"
    )
    record = {
        "newid": 1,
        "title": "BAHIA COCOA REVIEW FOR U.S. <ABC> BUYERS",
        "date": "26-FEB-1987 15:01:01.79",
        "dateline": "SALVADOR, Feb 26 -",
        "body": body,
    }
    got = jsonl.read(lines(record), "reuters.jsonl").articles[0]
    assert [b.text for b in got.blocks] == [
        "Showers continued in the cocoa zone, improving prospects for the coming crop, a trader said.",
        "The dry period means the crop will be late.",
    ]
    assert got.title == "Bahia Cocoa Review for U.S. <ABC> Buyers"
    assert got.provenance["title"] == "record title, title-cased"
    assert (got.date, got.dateline, got.record) == ("1987-02-26T15:01:01", "SALVADOR, Feb 26 -", "1")


def test_unix_timestamps_are_dates():
    got = jsonl.read(lines({"text": BODY, "timestamp": 1591000000000}), "f.jsonl").articles[0]
    assert got.date == "2020-06-01T08:26:40+00:00"


def test_corpus_record_round_trips_losslessly():
    article = Article(
        blocks=[Block("Section", True), Block("Para one.", False), Block("Maybe heading", None)],
        id="abc",
        path="2020/x.json",
        title="T",
        source="S",
        date="2020-01-02",
        url="https://x.example/",
        authors=["A B"],
        language="en",
        dateline="LONDON -",
        origin="feed.jsonl line 3",
        record="g-1",
        provenance={"title": "og:title"},
    )
    got = jsonl.read(json.dumps(article.to_dict()).encode(), "x.json").articles[0]
    assert got.to_dict() == {**article.to_dict(), "id": "", "path": ""}


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["f.json", "f.jsonl"]))
def test_arbitrary_bytes_raise_only_input_error(data, name):
    try:
        jsonl.read(data, name)
    except InputError:
        pass


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["text", "title", "date", "authors", "blocks", "url", "id", "x"]), inner, max_size=4
            )
        ),
        max_leaves=12,
    )
)
def test_arbitrary_json_values_raise_only_input_error(value):
    try:
        jsonl.read(json.dumps(value).encode(), "f.json")
    except InputError:
        pass


def test_reuters_file_end_to_end():
    from .conftest import shared_data

    path = shared_data("reuters-21578", "reuters21578.jsonl")
    reading = read_file(path)
    assert len(reading.articles) > 19000
    assert all(p.reason == "no body" for p in reading.problems)
    first = reading.articles[0]
    assert first.date.startswith("1987-02-26") and first.dateline == "SALVADOR, Feb 26 -"
    assert not first.blocks[-1].text.endswith("Reuter")
