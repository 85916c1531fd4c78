"""Who speaks in each paragraph, and who says each quote, from speech claims and resolved mentions.

Pure Python: the parser's findings arrive as :class:`Claim` records. A claim's subject becomes a
speaker when it lies inside a person mention (or an organisation or place mention, typed so: "the
campaign said", "China said"). "he"/"she" goes, with a gender that fits, to an earlier speaker of the
same paragraph, else the first person named earlier in the paragraph, else the last speaker, else the
most recent person nearby; a description ("the senator said") goes to the person the article gave that
role, else the same way. Two layouts name the speaker without a verb: a transcript line ("WALLACE:
…") and a quote signed after a dash ("“…” ― Ana Ruiz"). A paragraph that only continues the previous
paragraph's quotation inherits its speaker, never across a speaker of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Quote, Speaker
from .quotes import leaves_quote_open, quote_spans, starts_with_quote
from .records import Claim, Mention

_SPEAKER_TYPES = ("person", "org", "place")
_TRANSCRIPT = re.compile(r"^[“\"]?\s*(?P<name>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):\s")
_SIGNED = re.compile(r"[”\"]\s*[―—–]\s*(?P<name>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3})")
_ABBREVIATIONS = {"senator": "sen", "governor": "gov", "representative": "rep", "general": "gen", "president": "pres"}
_PRONOUN_REACH = 1  # paragraphs back that a pronoun may reach for a mention
_SPEAKER_REACH = 3  # paragraphs back that a pronoun may reach for the last speaker


def attribute(
    texts: list[str], claims: list[list[Claim]], mentions: list[Mention]
) -> list[tuple[list[Speaker], list[Quote]]]:
    """Speakers and quotes for each paragraph of one article (``mentions`` already resolved)."""
    return _Attributor(texts, mentions).run(claims)


class _Attributor:
    def __init__(self, texts: list[str], mentions: list[Mention]):
        self.texts = texts
        self.mentions = sorted((m for m in mentions if m.name), key=lambda m: m.position)
        self.gender = {m.name: m.gender for m in self.mentions if m.gender}
        self.surnames = {m.name.split()[-1]: m.name for m in self.mentions if m.type == "person"}
        self.last_speaker: tuple[int, int, Speaker] | None = None
        self.signed: dict[tuple[int, int], str] = {}  # (paragraph, start) of a layout claim → its name

    def run(self, claims: list[list[Claim]]) -> list[tuple[list[Speaker], list[Quote]]]:
        results: list[tuple[list[Speaker], list[Quote]]] = []
        carried: Speaker | None = None
        for i, text in enumerate(self.texts):
            layout = self._layout_claims(text, i)
            found = [(c, s) for c in [*layout, *claims[i]] if (s := self._speaker(c, i)) is not None]
            speakers = _unique(s for _, s in found)
            inherited = None
            if not speakers and carried and (leaves_quote_open(self.texts[i - 1]) or starts_with_quote(text)):
                inherited = Speaker(carried.name, "inherited", carried.type)
                speakers = [inherited]
            quotes = [self._quote(text, span, found, speakers, inherited) for span in quote_spans(text)]
            last = next((q.speaker for q in reversed(quotes) if q.speaker), None)
            carried = _speaker_named(speakers, last) if last else None
            results.append((speakers, quotes))
        return results

    def _layout_claims(self, text: str, para: int) -> list[Claim]:
        """Claims from layout: a transcript line's leading NAME, a quote's signature after a dash."""
        claims = []
        transcript = _TRANSCRIPT.match(text)
        if transcript:
            start, end = transcript.span("name")
            claims.append(Claim(0, len(text), [(start, end)]))
            self.signed[(para, start)] = transcript.group("name")
        for match in _SIGNED.finditer(text):
            start, end = match.span("name")
            opened = max(text.rfind("“", 0, match.start()), text.rfind('"', 0, match.start()))
            claims.append(Claim(max(opened, 0), end, [(start, end)]))
            self.signed[(para, start)] = match.group("name")
        return claims

    def _speaker(self, claim: Claim, para: int) -> Speaker | None:
        if claim.pronoun:
            speaker = self._pronoun(claim, para)
        elif claim.description:
            speaker = self._described(claim, para)
        else:
            speaker = self._named(claim, para)
        if speaker and speaker.type == "person":
            self.last_speaker = (para, claim.subjects[0][0], speaker)
        return speaker

    def _named(self, claim: Claim, para: int) -> Speaker | None:
        for start, _ in claim.subjects:
            for m in self.mentions:
                if m.para == para and m.start <= start < m.end and m.type in _SPEAKER_TYPES:
                    if m.name.isupper() and m.name.title() in self.surnames:  # "WALLACE:" in a transcript
                        return Speaker(self.surnames[m.name.title()], "explicit")
                    return Speaker(m.name, "explicit", m.type)
        if claim.phrase:
            inside = [
                m
                for m in self.mentions
                if m.para == para and m.type == "person" and claim.phrase[0] <= m.start and m.end <= claim.phrase[1]
            ]
            if inside:
                return Speaker(inside[-1].name, "explicit")
        start, end = claim.subjects[0]
        word = self.texts[para][start:end]
        if word[:1].isupper() and word in self.surnames:
            return Speaker(self.surnames[word], "explicit", "person")
        signed = self.signed.get((para, start))
        if signed:  # "WALLACE:" is the article's Chris Wallace; an unknown signature stands as written
            last = signed.split()[-1].title()
            return Speaker(self.surnames.get(last, signed.title() if signed.isupper() else signed), "explicit")
        return None

    def _pronoun(self, claim: Claim, para: int) -> Speaker | None:
        at = (para, claim.subjects[0][0])
        fits = lambda name: self.gender.get(name, claim.pronoun) == claim.pronoun  # noqa: E731
        last = self.last_speaker
        if last and last[0] == para and last[1] < at[1] and fits(last[2].name):
            return Speaker(last[2].name, "pronoun")
        first = next((m for m in self.mentions if m.para == para and m.start < at[1] and m.type == "person"), None)
        if first is not None and fits(first.name):
            return Speaker(first.name, "pronoun")
        if last and last[0] >= para - _SPEAKER_REACH and fits(last[2].name):
            return Speaker(last[2].name, "pronoun")
        for m in reversed(self.mentions):
            if m.position < at and m.para >= para - _PRONOUN_REACH and m.type == "person" and fits(m.name):
                return Speaker(m.name, "pronoun")
        return None

    def _described(self, claim: Claim, para: int) -> Speaker | None:
        """ "the senator said": the latest person introduced with that role ("Sen. Elizabeth Warren",
        "Warren, the senator from Massachusetts"), else the last speaker or person nearby."""
        head = claim.description or ""
        words = {head, _ABBREVIATIONS.get(head, head)}
        at = (para, claim.subjects[0][0])
        for m in reversed(self.mentions):
            if m.position < at and m.type == "person":
                text = self.texts[m.para]
                context = re.findall(r"[a-z]+", text[max(0, m.start - 50) : m.start].lower())[-4:]
                context += re.findall(r"[a-z]+", text[m.end : m.end + 40].lower())[:4]
                if words & set(context):
                    return Speaker(m.name, "pronoun")
        if self.last_speaker and self.last_speaker[0] >= para - _SPEAKER_REACH:
            return Speaker(self.last_speaker[2].name, "pronoun")
        for m in reversed(self.mentions):
            if m.position < at and m.para >= para - _PRONOUN_REACH and m.type == "person":
                return Speaker(m.name, "pronoun")
        return None

    def _quote(
        self,
        text: str,
        span: tuple[int, int],
        found: list[tuple[Claim, Speaker]],
        speakers: list[Speaker],
        inherited: Speaker | None,
    ) -> Quote:
        start, end = span
        near = [
            (min(abs(c.subjects[0][0] - start), abs(c.subjects[0][0] - end)), s)
            for c, s in found
            if c.sent_start <= end and c.sent_end >= start
        ]
        if near:
            speaker: Speaker | None = min(near, key=lambda x: x[0])[1]
        elif inherited and not text[:start].strip(' “"'):
            speaker = inherited
        elif len(speakers) == 1:  # the paragraph carries one person's words: its quotes are theirs
            speaker = speakers[0]
        else:
            speaker = None
        return Quote(text[start:end], speaker.name if speaker else None, start, end)


def _unique(speakers: Iterable[Speaker]) -> list[Speaker]:
    seen: dict[str, Speaker] = {}
    for s in speakers:
        seen.setdefault(s.name, s)
    return list(seen.values())


def _speaker_named(speakers: list[Speaker], name: str) -> Speaker | None:
    return next((s for s in speakers if s.name == name), None)
