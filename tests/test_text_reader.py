import pytest

from searchkit.errors import InputError
from searchkit.ingest.readers import read_bytes
from searchkit.ingest.readers.text import decode, split_blocks


def texts(blocks):
    return [b.text for b in blocks]


def test_one_paragraph_per_line():
    assert texts(split_blocks("First paragraph here.\nSecond one.\nThird.")) == [
        "First paragraph here.",
        "Second one.",
        "Third.",
    ]


def test_blank_line_paragraphs_with_hard_wrapped_lines():
    text = "The minister said the plan\nwould go ahead next\nyear.\n\nA second paragraph\nwrapped too.\n"
    assert texts(split_blocks(text)) == [
        "The minister said the plan would go ahead next year.",
        "A second paragraph wrapped too.",
    ]


def test_indented_paragraphs_in_hard_wrapped_text():
    text = "Showers continued in\nthe cocoa zone, it said.\n    The dry period means\nthe crop will be late.\n"
    assert texts(split_blocks(text)) == [
        "Showers continued in the cocoa zone, it said.",
        "The dry period means the crop will be late.",
    ]


def test_crlf_and_bom():
    reading = read_bytes("\ufeffHeadline here\r\n\r\nBody text.\r\n".encode("utf-8"), "a.txt")
    article = reading.articles[0]
    assert article.title == "Headline here"
    assert texts(article.blocks) == ["Body text."]


def test_cp1252_file():
    data = "Chelsea sack player\n\nHe was fined \u00a3500 and said \u201cno\u201d.".encode("cp1252")
    article = read_bytes(data, "199.txt").articles[0]
    assert "\u00a3500" in article.blocks[0].text and "\u201cno\u201d" in article.blocks[0].text


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\x00\x01\x02binary\x00\xff" * 20])
def test_empty_or_binary_refused(data):
    with pytest.raises(InputError, match="x.txt"):
        decode(data, "x.txt")


def test_title_from_descriptive_file_name_else_first_sentence():
    long_line = "A long opening paragraph that goes on. " * 5
    named = read_bytes(long_line.encode(), "2025-paris-talks.txt").articles[0]
    assert named.title == "2025 paris talks" and named.provenance["title"] == "file name"
    numbered = read_bytes(long_line.encode(), "001.txt").articles[0]
    assert numbered.title == "A long opening paragraph that goes on."


def test_unsupported_suffix():
    with pytest.raises(InputError, match="unsupported file type"):
        read_bytes(b"x", "photo.jpg")
