"""Martin Porter's stemmer (1980), as his reference implementation has it, for the text analyzer.

Whoosh's own ``whoosh.lang.porter`` misses parts of the algorithm: it never undoes a doubled consonant
("cutting" -> "cutt", not "cut"), never restores the "e" of "-ate"/"-ble"/"-ize" ("activated" ->
"activat" beside "activation" -> "activ"), and always counts "y" as a vowel ("acylation" -> "acylate").
Forms of one word then fall apart: 1,629 of SciFact's 30,557 distinct words stem differently from SQLite
FTS5's ``porter`` tokenizer. This module follows the reference, with its two departures from the paper
("-bli" -> "-ble", "-logi" -> "-log") and words of one or two letters left alone, so that it stems as FTS5
and Lucene's ``PorterStemFilter`` (OpenSearch's ``porter_stem``) do; ``tests/test_porter.py`` checks
that against FTS5.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")


class _Word:
    """A word being stemmed: ``b`` is its letters, ``k`` the end of what is left (exclusive)."""

    __slots__ = ("b", "k")

    def __init__(self, word: str):
        self.b = word
        self.k = len(word)

    def consonant(self, i: int) -> bool:
        """A letter other than a, e, i, o, u, and other than a "y" after a consonant."""
        ch = self.b[i]
        if ch in _VOWELS:
            return False
        if ch == "y":
            return i == 0 or not self.consonant(i - 1)
        return True

    def measure(self, end: int) -> int:
        """m in [C](VC){m}[V] of the letters before ``end``: how many vowel-consonant runs they hold."""
        m = 0
        i = 0
        while i < end and self.consonant(i):
            i += 1
        while i < end:
            while i < end and not self.consonant(i):
                i += 1
            if i >= end:
                break
            while i < end and self.consonant(i):
                i += 1
            m += 1
        return m

    def has_vowel(self, end: int) -> bool:
        return any(not self.consonant(i) for i in range(end))

    def double_consonant(self, end: int) -> bool:
        """The letters before ``end`` end in a doubled consonant ("-tt")."""
        return end >= 2 and self.b[end - 1] == self.b[end - 2] and self.consonant(end - 1)

    def cvc(self, end: int) -> bool:
        """The letters before ``end`` end consonant-vowel-consonant, the last not w, x or y ("hop")."""
        return (
            end >= 3
            and self.consonant(end - 1)
            and not self.consonant(end - 2)
            and self.consonant(end - 3)
            and self.b[end - 1] not in "wxy"
        )

    def ends(self, suffix: str) -> bool:
        return self.b.endswith(suffix, 0, self.k)

    def replace(self, suffix: str, by: str) -> None:
        """Put ``by`` in place of the ending ``suffix`` (which the word has)."""
        stem = self.k - len(suffix)
        self.b = self.b[:stem] + by
        self.k = stem + len(by)

    def replace_if_measured(self, rules: tuple[tuple[str, str], ...], least: int = 1) -> None:
        """The first rule whose suffix the word ends with applies when the stem before it has m >= ``least``;
        the rules after it are not tried either way (as in the reference)."""
        for suffix, by in rules:
            if self.ends(suffix):
                if self.measure(self.k - len(suffix)) >= least:
                    self.replace(suffix, by)
                return


#: Step 2 and step 3 rules, grouped by the suffix's last-but-one (step 2) or last (step 3) letter, in the
#: reference's order: the first suffix that matches decides.
_STEP2 = {
    "a": (("ational", "ate"), ("tional", "tion")),
    "c": (("enci", "ence"), ("anci", "ance")),
    "e": (("izer", "ize"),),
    "l": (("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")),
    "o": (("ization", "ize"), ("ation", "ate"), ("ator", "ate")),
    "s": (("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")),
    "t": (("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")),
    "g": (("logi", "log"),),
}
_STEP3 = {
    "e": (("icate", "ic"), ("ative", ""), ("alize", "al")),
    "i": (("iciti", "ic"),),
    "l": (("ical", "ic"), ("ful", "")),
    "s": (("ness", ""),),
}
#: Step 4 suffixes removed when the stem before them has m > 1, by the suffix's last-but-one letter.
_STEP4 = {
    "a": ("al",),
    "c": ("ance", "ence"),
    "e": ("er",),
    "i": ("ic",),
    "l": ("able", "ible"),
    "n": ("ant", "ement", "ment", "ent"),
    "o": ("ion", "ou"),
    "s": ("ism",),
    "t": ("ate", "iti"),
    "u": ("ous",),
    "v": ("ive",),
    "z": ("ize",),
}


def stem(word: str) -> str:
    """The Porter stem of a lower-case word; words of one or two letters are returned as they are."""
    if len(word) < 3:
        return word
    w = _Word(word)
    _step1(w)
    if w.k >= 2:
        w.replace_if_measured(_STEP2.get(w.b[w.k - 2], ()))
    if w.k >= 1:
        w.replace_if_measured(_STEP3.get(w.b[w.k - 1], ()))
    if w.k >= 2:
        _step4(w)
    _step5(w)
    return w.b[: w.k]


def _step1(w: _Word) -> None:
    """Plurals and -ed/-ing, then a final "y" after a vowel-holding stem becomes "i"."""
    if w.ends("s"):
        if w.ends("sses"):
            w.replace("sses", "ss")
        elif w.ends("ies"):
            w.replace("ies", "i")
        elif w.b[w.k - 2] != "s":
            w.replace("s", "")
    if w.ends("eed"):
        if w.measure(w.k - 3) > 0:
            w.replace("eed", "ee")
    else:
        for suffix in ("ed", "ing"):
            if w.ends(suffix) and w.has_vowel(w.k - len(suffix)):
                w.replace(suffix, "")
                if w.ends("at") or w.ends("bl") or w.ends("iz"):
                    w.replace("", "e")
                elif w.double_consonant(w.k):
                    if w.b[w.k - 1] not in "lsz":
                        w.replace(w.b[w.k - 1], "")
                elif w.measure(w.k) == 1 and w.cvc(w.k):
                    w.replace("", "e")
                break
    if w.ends("y") and w.has_vowel(w.k - 1):
        w.replace("y", "i")


def _step4(w: _Word) -> None:
    for suffix in _STEP4.get(w.b[w.k - 2], ()):
        if w.ends(suffix):
            stem = w.k - len(suffix)
            if suffix == "ion" and not (stem > 0 and w.b[stem - 1] in "st"):
                continue  # "-ion" only after s or t; "-ou" is tried next
            if w.measure(stem) > 1:
                w.replace(suffix, "")
            return


def _step5(w: _Word) -> None:
    """A final "e" goes after a long enough stem; "-ll" becomes "-l" after one."""
    if w.ends("e"):
        m = w.measure(w.k - 1)
        if m > 1 or (m == 1 and not w.cvc(w.k - 1)):
            w.replace("e", "")
    if w.ends("ll") and w.measure(w.k) > 1:
        w.replace("l", "")
