"""Issue 17: a wildcard that stands for hundreds of words matches as one list of documents (fast), and
finds exactly the paragraphs Whoosh's own exhaustive search of the pattern finds."""

from __future__ import annotations

import random

import pytest
from whoosh import query as wq

from searchkit.collection import Collection
from searchkit.engine.whoosh.expand import Wildcard


@pytest.fixture(scope="module")
def coll(tmp_path_factory):
    rng = random.Random(5)
    syllables = ["na", "tion", "ba", "ke", "ro", "mi", "se", "lu", "po", "da", "ase", "he"]
    words = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(1500)})
    folder = tmp_path_factory.mktemp("in")
    for i in range(60):
        title = " ".join(rng.choice(words) for _ in range(4))
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(30)) + "." for _ in range(5))
        (folder / f"{i:03d}.txt").write_text(f"{title.capitalize()}\n\n{body}\n", "utf-8")
    home = tmp_path_factory.mktemp("news")
    Collection.init(home).add([folder])
    extra = folder / "000.txt"  # a replaced article leaves deleted documents in the index
    extra.write_text(extra.read_text("utf-8") + "\nNanana tiontion kebase.\n", "utf-8")
    Collection(home).add([extra])
    return Collection(home)


@pytest.mark.parametrize("pattern", ["*na*", "*tion", "ba*", "*he*", "k?ba*", "*ase"])
def test_a_wide_wildcard_counts_what_an_exhaustive_search_finds(coll, pattern):
    reader = coll.index.open()
    try:
        searcher = reader._searcher  # type: ignore[attr-defined]
        expected = {
            searcher.stored_fields(n)["id"]
            for n in searcher.search(
                wq.Or([wq.Wildcard(f, pattern) for f in ("text", "title", "section")]), limit=None
            ).docs()
        }
        words = list(Wildcard("text", pattern)._btexts(searcher.reader()))
    finally:
        reader.close()
    assert len(words) >= 8 or pattern not in ("*na*", "*he*", "ba*")  # these take the list-of-documents path
    result = coll.search(pattern, limit=len(expected) + 5, facets=())
    assert result.total == len(expected)
    assert {hit.id for hit in result.hits} == expected
