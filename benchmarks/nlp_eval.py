"""Shared by the NLP quality harnesses: the fixed tune/report split, the dev sets, and parses kept on disk.

The split (written here once, used by every harness and by the floors in tests/test_nlp_quality.py):
sort the articles of a dev set by file name; the article at index ``i`` is in the TUNE part when
``i % 3 != 0`` and in the REPORT part when ``i % 3 == 0``. Rules are developed and kept or dropped by
their effect on the tune part; the README and the floors quote the report part only.

The model is the slow part of every run, so its parses are kept on disk (spaCy ``DocBin``) under
``$SEARCHKIT_NLP_CACHE`` (default ``~/.cache/searchkit/nlp``), keyed by the model and the exact texts:
a rule change re-runs only the pure-Python rules. Results are the ones ``annotate`` gives (the cache
feeds the same first-pass docs and cue-sentence parses to :func:`searchkit.nlp.spacy_model.from_docs`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from searchkit.model import Article, Block, Paragraph
from searchkit.nlp.pipeline import annotate_article
from searchkit.nlp.spacy_model import BATCH, PASS1_OFF, PASS2_OFF, ParsedParagraph, from_docs, load_model

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CACHE = Path(os.environ.get("SEARCHKIT_NLP_CACHE", Path.home() / ".cache" / "searchkit" / "nlp"))
PARTS = ("tune", "report", "all")


def split(names: Iterable[str], part: str) -> list[str]:
    """The fixed split: sorted names, index % 3 != 0 → tune, index % 3 == 0 → report."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    ordered = sorted(names)
    if part == "all":
        return ordered
    return [n for i, n in enumerate(ordered) if (i % 3 == 0) == (part == "report")]


def blocks(text: str) -> list[str]:
    """The text's original paragraph blocks (separated by blank lines), whitespace kept inside."""
    return [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]


class ParseCache:
    """First-pass docs of paragraphs and parses of cue sentences for one dev set, on disk."""

    def __init__(self, dataset: str, texts: list[str]):
        from spacy.tokens import DocBin

        self.nlp = load_model()
        meta = self.nlp.meta
        key = hashlib.sha1("\n\x00".join([meta["name"], meta["version"], *texts]).encode()).hexdigest()[:16]
        self.folder = CACHE / f"{dataset}-{key}"
        self.folder.mkdir(parents=True, exist_ok=True)
        docs_file = self.folder / "paragraphs.spacy"
        if docs_file.exists():
            self.docs = list(DocBin().from_disk(docs_file).get_docs(self.nlp.vocab))
        else:
            self.docs = list(self.nlp.pipe(texts, disable=PASS1_OFF, batch_size=BATCH))
            DocBin(docs=self.docs, store_user_data=False).to_disk(docs_file)
        self.sentences: dict[str, object] = {}
        self._sentences_file = self.folder / "sentences.spacy"
        if self._sentences_file.exists():
            for doc in DocBin().from_disk(self._sentences_file).get_docs(self.nlp.vocab):
                self.sentences[doc.text] = doc
        self._dirty = False

    def parse_sentences(self, sentences: Iterable[str]) -> list:
        wanted = list(sentences)
        missing = sorted({s for s in wanted if s not in self.sentences})
        for text, doc in zip(missing, self.nlp.pipe(missing, disable=PASS2_OFF, batch_size=BATCH), strict=False):
            self.sentences[text] = doc
            self._dirty = True
        return [self.sentences[s] for s in wanted]

    def parsed(self) -> list[ParsedParagraph]:
        return from_docs(self.docs, self.parse_sentences)

    def save(self) -> None:
        from spacy.tokens import DocBin

        if self._dirty:
            DocBin(docs=list(self.sentences.values())).to_disk(self._sentences_file)
            self._dirty = False


def annotate_cached(dataset: str, articles: list[tuple[str, list[str]]]) -> tuple[list[list[Paragraph]], ParseCache]:
    """searchkit's annotation of (name, paragraph texts) articles from cached parses, and the cache."""
    cache = ParseCache(dataset, [t for _, texts in articles for t in texts])
    parsed = cache.parsed()
    cache.save()
    out, k = [], 0
    for name, texts in articles:
        paragraphs = [Paragraph(name, n, t) for n, t in enumerate(texts, 1)]
        out.append(annotate_article(paragraphs, parsed[k : k + len(texts)], None))
        k += len(texts)
    return out, cache


def article_of(name: str, texts: list[str]) -> Article:
    return Article([Block(t) for t in texts], id=name)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
