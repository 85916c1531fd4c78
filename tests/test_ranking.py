"""Ranking: Lucene's idf (a word found everywhere weighs almost nothing) and one hit per article that
adds up evidence from several of its paragraphs."""

from __future__ import annotations

from searchkit.collection import Collection


def test_article_ranking_adds_up_paragraphs(tmp_path):
    coll = Collection.init(tmp_path / "news")
    filler = "The committee met on Tuesday to review the annual budget report."
    coll.add_article(
        "Alpha beta appear together in this paragraph of the report.\n\n"
        "Gamma delta are discussed in the next paragraph.\n\n"
        "Alpha delta come back at the end.",
        title="Spread out",
    )
    coll.add_article("Alpha beta gamma all appear in this one single paragraph.", title="All in one")
    for n in range(6):
        coll.add_article(f"{filler} Item {n}.", title=f"Filler {n}")
    query = "alpha beta gamma delta"
    by_paragraph = coll.search(query, facets=())
    assert by_paragraph.hits[0].title == "All in one"
    by_article = coll.search(query, facets=(), by="article")
    assert [h.title for h in by_article.hits] == ["Spread out", "All in one"]
    assert by_article.hits[0].matching_paragraphs == 3
    assert by_article.hits[0].score > by_paragraph.hits[0].score


def test_a_word_found_everywhere_cannot_outrank_a_rare_one(tmp_path):
    coll = Collection.init(tmp_path / "news")
    for n in range(8):
        coll.add_article(f"Effective treatment number {n} of the condition.", title=f"Effective treatment {n}")
    coll.add_article("Treatment of onchocerciasis, a parasitic disease of the eye.", title="River blindness")
    result = coll.search("effective treatment of onchocerciasis", facets=())
    assert result.hits and result.hits[0].title == "River blindness"


def test_a_word_repeated_in_every_paragraph_counts_once(tmp_path):
    """Many paragraphs naming the same two words do not outrank one naming all three query words (best
    paragraph plus half of the others ranked "Bulk" first)."""
    coll = Collection.init(tmp_path / "news")
    coll.add_article(
        "\n\n".join(f"Alpha and beta were measured again in trial {n} of the study." for n in range(6)),
        title="Bulk",
    )
    coll.add_article("Alpha, beta and gamma were measured together in one trial.", title="Focused")
    for n in range(6):
        coll.add_article(f"The committee met on Tuesday to review budget item {n}.", title=f"Filler {n}")
    by_article = coll.search("alpha beta gamma", facets=(), by="article")
    assert [h.title for h in by_article.hits] == ["Focused", "Bulk"]
