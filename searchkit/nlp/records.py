"""The plain records passed between the model layer and the rules: what the model found, per paragraph.

Both :mod:`.spacy_model` (which fills them) and the pure-Python rules (:mod:`.names`, :mod:`.recall`,
:mod:`.speakers`) import them from here, so no rule module depends on another for its types.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mention:
    """One entity mention: ``para`` indexes the article's paragraphs, offsets are into that text.

    ``type`` and ``name`` are filled by :func:`~searchkit.nlp.names.resolve`; an empty name means
    "not an entity".
    """

    para: int
    start: int
    end: int
    text: str
    label: str
    type: str = ""
    name: str = ""
    gender: str | None = None
    evidence: bool = False
    gazetteer: bool = False

    @property
    def position(self) -> tuple[int, int]:
        return (self.para, self.start)


@dataclass
class Claim:
    """A speech cue found by the parser: its sentence and subject token spans (paragraph offsets).

    ``pronoun`` is the subject pronoun's gender ("m"/"f"); ``description`` the head of a subject such
    as "the senator" or "the former secretary of state" ("senator", "secretary"), for the rules to
    resolve to a person the article names.
    """

    sent_start: int
    sent_end: int
    subjects: list[tuple[int, int]]
    pronoun: str | None = None
    phrase: tuple[int, int] | None = None
    description: str | None = None


@dataclass
class ParsedParagraph:
    """The model's findings for one paragraph: entity mentions (``para`` still 0) and speech claims."""

    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Unannotated:
    """An article the model or the rules failed on (the reason); it stands in for its paragraphs so one
    bad article is left out of a change instead of ending it."""

    reason: str
