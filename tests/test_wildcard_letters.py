"""Issue 13: a wildcard or prefix pattern behaves like the words it matches. Its letters are lower-cased
and folded as the analyser writes an indexed word (``folding.pattern_as_indexed``), so ``café*``,
``Straß*`` and ``İstan*`` find "cafe", "strass" and "istanbul" on either engine; ``*`` and ``?`` stay
syntax, and fields whose values are matched as typed keep the pattern as typed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.engine.folding import pattern_as_indexed
from searchkit.engine.whoosh.schema import text_analyzer


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
