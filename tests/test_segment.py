import json

from searchkit.ingest.readers import read_file
from searchkit.ingest.segment import find_dateline, footer_source, segment
from searchkit.model import Article, Block

from .conftest import GOLD, SEED, need


def seed_paragraphs():
    article = read_file(SEED).articles[0]
    return segment(article)


def test_seed_article_matches_gold_structure():
    gold = json.loads(need(GOLD).read_text("utf-8"))
    article, paragraphs = seed_paragraphs()
    assert len(paragraphs) == len(gold["paragraphs"]) == 13
    for paragraph, expected in zip(paragraphs, gold["paragraphs"], strict=True):
        assert paragraph.text.startswith(expected["starts"])
        assert paragraph.section == expected["section"]
    assert [p.n for p in paragraphs] == list(range(1, 14))
    assert article.source == gold["source"] == "AGENCIES"
    assert article.dateline == gold["dateline"]
    assert not any("Follow Us" in p.text for p in paragraphs)


def test_seed_article_structure_without_gold_file():
    article, paragraphs = seed_paragraphs()
    assert len(paragraphs) == 13 and article.source == "AGENCIES"
    assert paragraphs[6].section == "Ukraine\u2019s Priorities"


def test_heading_needs_a_paragraph_after_it():
    article = Article([Block("Intro paragraph that is long enough."), Block("A Heading"), Block("Body under it.")])
    _, paragraphs = segment(article)
    assert [(p.section, p.text) for p in paragraphs] == [
        (None, "Intro paragraph that is long enough."),
        ("A Heading", "Body under it."),
    ]
    _, last = segment(Article([Block("Body."), Block("Trailing Words")]))
    assert [p.text for p in last] == ["Body.", "Trailing Words"]


def test_markup_headings_are_trusted():
    article = Article([Block("Short line", heading=False), Block("Real heading.", heading=True), Block("Text.")])
    _, paragraphs = segment(article)
    assert [(p.section, p.text) for p in paragraphs] == [(None, "Short line"), ("Real heading.", "Text.")]


def test_datelines_and_footers():
    assert find_dateline("Paris, France \u2014 France played host") == "Paris, France"
    assert find_dateline("LONDON (Reuters) - Shares fell") == "LONDON"
    assert find_dateline("The talks - which began") is None
    assert footer_source("SOURCE : AGENCIES | Follow Us: Facebook | Twitter") == "AGENCIES"
    _, paragraphs = segment(Article([Block("Text."), Block("Follow us on Facebook, Twitter and Instagram")]))
    assert [p.text for p in paragraphs] == ["Text."]


def test_boilerplate_lines_go_but_the_text_glued_to_them_stays():
    text = "© Joanna Moncrieff 2013. All rights reserved. A challenging reappraisal of the evidence follows."
    _, paragraphs = segment(Article([Block("First paragraph of the story."), Block(text)]))
    assert [p.text for p in paragraphs] == ["First paragraph of the story.", text[text.index("A challenging") :]]
    _, alone = segment(Article([Block(text)]))
    assert [p.text for p in alone] == ["A challenging reappraisal of the evidence follows."]
    _, footer = segment(Article([Block("Story."), Block("© 2013 Example Media. All rights reserved.")]))
    assert [p.text for p in footer] == ["Story."]
