"""Adding speed on a sample of BBC articles, against the NLP alone on the same paragraphs (run by run.py).

In one process, after a warm-up that loads the model: each repetition times
  - ``model``: the bare spaCy pipeline searchkit loads, one ``nlp.pipe`` pass over the paragraphs;
  - ``models``: that pass and then the sentence model's, over each paragraph read with its article's
    title, ``VECTOR_BATCH`` at a time, as adding embeds them: both models alone, what adding cannot
    go below since it stores meaning vectors (``add_vs_models``);
  - ``annotate``: ``searchkit.nlp.annotate`` (what adding must do per paragraph: the floor for adding);
  - ``add``: ``Collection.add`` of the same files into a fresh collection (read, store, segment, NLP, index).
One NLP process throughout (``SEARCHKIT_WORKERS=1``) so the three compare like for like.
Prints one JSON object. Run: PYTHONPATH=. python benchmarks/add_speed.py BBC_FOLDER [N] [REPS]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def sample(folder: Path, n: int) -> list[Path]:
    files = sorted(folder.glob("*/*.txt"))
    step = max(1, len(files) // n)
    return files[::step][:n]


def main() -> None:
    os.environ["SEARCHKIT_WORKERS"] = "1"
    folder = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    from searchkit.collection import Collection
    from searchkit.ingest.readers import read_file
    from searchkit.ingest.segment import segment
    from searchkit.meaning import encode, paragraph_text
    from searchkit.nlp import annotate
    from searchkit.nlp.spacy_model import load_model
    from searchkit.sync import VECTOR_BATCH

    files = sample(folder, n)
    if not files:
        raise SystemExit(f"{folder}: no BBC articles (*/*.txt) to add; give the bbc-news folder")
    items = [segment(read_file(f).articles[0]) for f in files]
    texts = [p.text for _, paragraphs in items for p in paragraphs]
    titled = [paragraph_text(article.title, p.text) for article, paragraphs in items for p in paragraphs]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model()
    list(nlp.pipe(texts[:64], batch_size=64))  # warm-up
    list(annotate(items[:10]))
    encode(titled[:16])  # warm-up: loads the sentence model
    names = ("model", "models", "annotate", "add")
    times: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}  # robust on a shared machine

    def both_models() -> None:
        list(nlp.pipe(texts, batch_size=64))
        for at in range(0, len(titled), VECTOR_BATCH):
            encode(titled[at : at + VECTOR_BATCH])

    def timed(name: str, work) -> None:
        start, c0 = time.perf_counter(), time.process_time()
        work()
        times[name].append(time.perf_counter() - start)
        cpu[name].append(time.process_time() - c0)

    scratch = Path(tempfile.mkdtemp(prefix="searchkit-bench-add-"))
    try:
        for rep in range(reps):
            timed("model", lambda: list(nlp.pipe(texts, batch_size=64)))
            timed("models", both_models)
            timed("annotate", lambda: list(annotate(items, workers=1)))
            coll = Collection.init(scratch / f"rep{rep}")
            timed("add", lambda coll=coll: coll.add(files))
            home = scratch / f"rep{rep}"
            shutil.rmtree(home)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {
        "articles": len(files),
        "paragraphs": len(texts),
        "words": words,
        "reps": reps,
        "seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "words_per_s": {k: round(words / v) for k, v in med.items()},
        "articles_per_s": {k: round(len(files) / v, 1) for k, v in med.items()},
        "add_vs_model": round(med["model"] / med["add"], 3),
        "add_vs_models": round(med["models"] / med["add"], 3),
        "add_vs_annotate": round(med["annotate"] / med["add"], 3),
        "cpu_seconds": {k: [round(x, 3) for x in v] for k, v in cpu.items()},
        "cpu_words_per_s": {k: round(words / statistics.median(v)) for k, v in cpu.items()},
        "cpu_add_vs_model": round(statistics.median(cpu["model"]) / statistics.median(cpu["add"]), 3),
        "cpu_add_vs_models": round(statistics.median(cpu["models"]) / statistics.median(cpu["add"]), 3),
        "cpu_add_vs_annotate": round(statistics.median(cpu["annotate"]) / statistics.median(cpu["add"]), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
