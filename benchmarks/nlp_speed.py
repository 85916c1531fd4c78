"""Words per second of ``annotate`` against the bare model on the same BBC paragraphs.

Rows: the full default pipeline (what "the model alone" costs), a one-pass ner+parser pipeline (what
annotate would cost without the cue-sentence trick), and annotate with 1 and 2 workers.
Run: PYTHONPATH=. python benchmarks/nlp_speed.py [N articles, default 300; 0 = all] [bbc folder]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import spacy

from searchkit.ingest.readers import read_file
from searchkit.ingest.segment import segment
from searchkit.nlp import annotate
from searchkit.nlp.spacy_model import EXCLUDE, MODELS

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bbc-news"


def load_items(folder: Path, limit: int):
    files = sorted(folder.glob("*/*.txt"))
    items = [segment(read_file(f).articles[0]) for f in (files[:limit] if limit else files)]
    return items, [p.text for _, paragraphs in items for p in paragraphs]


def timed(label: str, words: int, work) -> float:
    start = time.perf_counter()
    work()
    rate = words / (time.perf_counter() - start)
    print(f"{label:34} {rate:10,.0f} words/s")
    return rate


def installed_model() -> str:
    return next(name for name in MODELS if spacy.util.is_package(name))


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT
    items, texts = load_items(folder, limit)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(items)} articles, {len(texts)} paragraphs, {words:,} words")
    name = installed_model()
    full = spacy.load(name)
    one_pass = spacy.load(name, exclude=EXCLUDE)
    next(annotate(items[:1]))  # load annotate's model outside the timings
    bare = timed("model alone (full pipeline)", words, lambda: list(full.pipe(texts, batch_size=64)))
    timed("one pass ner+parser", words, lambda: list(one_pass.pipe(texts, batch_size=64)))
    for workers in (1, 2):

        def run(workers: int = workers) -> list:
            return list(annotate(items, workers=workers))

        rate = timed(f"annotate workers={workers}", words, run)
        print(f"{'':34} {rate / bare:10.2f}x model alone")


if __name__ == "__main__":
    main()
