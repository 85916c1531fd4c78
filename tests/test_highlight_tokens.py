"""Highlighting finds a hit's words by analysing its stored text as the index did: the direct steps of
``highlight._tokens`` must give exactly the text analyzer's tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.engine.whoosh import highlight

#: Pieces of text: letters (accented, ligatures, full-width), suffixes the stemmer rewrites, punctuation,
#: British spellings, dotted acronyms
PIECES = st.sampled_from(
    list("aeiouy stnrlSTNR.,;:'-*?!\n0129")
    + ["é", "Ö", "ß", "ﬁ", "İ", "Ａ", "ing ", "ies ", "ational ", "sses "]
    + [" programme ", " Colour", "isation ", " centre", " U.S.", "a.b.cd ", "ΟΔΟΣ "]
)
TEXT = st.lists(PIECES, max_size=80).map("".join)


@settings(max_examples=300, deadline=2000)
@given(text=TEXT)
def test_direct_steps_give_the_analyzers_tokens(text):
    assert highlight._steps() is not None  # the text analyzer is the usual chain: the fast path is used
    analyzed = highlight._analyzer()(text, chars=True, positions=True, mode="index")
    assert highlight._tokens(text) == [(t.text, t.pos, t.startchar, t.endchar) for t in analyzed]


def test_real_words_and_names():
    text = "Ministers' élite «Nationalisation» of 3.5bn rail-ways: José Ángel Sánchez said *RATES* rose."
    analyzed = highlight._analyzer()(text, chars=True, positions=True, mode="index")
    assert highlight._tokens(text) == [(t.text, t.pos, t.startchar, t.endchar) for t in analyzed]
