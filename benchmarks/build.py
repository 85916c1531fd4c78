"""Build a benchmark collection from scratch, timed, and record what it cost next to it.

Run as its own process so that peak memory (``ru_maxrss`` of this process and of its NLP workers) is
the adding alone. Writes ``<home>/bench-build.json``; ``run.py --reuse`` reads it back.
Run: PYTHONPATH=. python benchmarks/build.py HOME DATA [--copies N]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

RECORD = "bench-build.json"


def sources(data: Path, copies: int, scratch: Path) -> list[tuple[list[Path], str]]:
    """(paths, source name) for BBC and Reuters; with copies > 1, extra copies under distinct names (distinct ids)."""
    bbc, reuters = data / "bbc-news", data / "reuters-21578" / "reuters21578.jsonl"
    groups: dict[str, list[Path]] = {
        "BBC News": [bbc] if bbc.exists() else [],
        "Reuters": [reuters] if reuters.exists() else [],
    }
    for k in range(2, copies + 1):
        if bbc.exists():
            target = scratch / f"bbc-news-copy{k}"
            if not target.exists():  # a distinct last line, so no copy is a duplicate of its original
                for src in sorted(bbc.glob("*/*.txt")):
                    (target / src.parent.name).mkdir(parents=True, exist_ok=True)
                    text = src.read_text("utf-8", errors="replace")
                    (target / src.parent.name / src.name).write_text(f"{text.rstrip()}\n\n(copy {k})\n", "utf-8")
            groups["BBC News"].append(target)
        if reuters.exists():
            target = scratch / f"reuters-copy{k}.jsonl"
            if not target.exists():
                with open(reuters, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
                    for line in src:  # a distinct record id and text, so nothing is a duplicate
                        rec = json.loads(line)
                        rec["newid"] = f"{rec.get('newid')}-{k}"
                        if rec.get("body"):
                            rec["body"] = f"{rec['body']}\n\n(copy {k})"
                        out.write(json.dumps(rec) + "\n")
            groups["Reuters"].append(target)
    return [(paths, name) for name, paths in groups.items() if paths]


def words_in_corpus(coll) -> tuple[int, int, int]:
    """(articles, paragraphs, words) as indexed, from the manifest and the index."""
    manifest = coll.index.manifest()
    infos = list(manifest.articles())
    ix = coll.index.open()
    try:
        with ix.searcher() as s:
            paragraphs = s.doc_count()
            words = int(s.reader().field_length("text"))
    finally:
        ix.close()
    return len(infos), paragraphs, words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("data", type=Path)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--resume", action="store_true", help="finish an interrupted build: index what corpus/ holds")
    args = ap.parse_args()
    from searchkit.collection import Collection

    if args.resume:
        coll = Collection(args.home)
        before = words_in_corpus(coll) if coll.index.generation() else (0, 0, 0)
        start = time.perf_counter()
        report = coll.sync()
        seconds = time.perf_counter() - start
        after = words_in_corpus(coll)
        record = _record(seconds, after, [a - b for a, b in zip(after, before, strict=True)], report.outcomes)
        record["resumed"] = {"indexed_before": dict(zip(("articles", "paragraphs", "words"), before, strict=True))}
        (args.home / RECORD).write_text(json.dumps(record, indent=2))
        print(json.dumps(record, indent=2))
        return

    if args.home.exists():
        shutil.rmtree(args.home)
    scratch = args.home.parent / (args.home.name + "-inputs")
    scratch.mkdir(parents=True, exist_ok=True)
    groups = sources(args.data.resolve(), args.copies, scratch)
    coll = Collection.init(args.home)
    start = time.perf_counter()
    outcomes = []
    for paths, name in groups:  # one add per publisher, so source: filters and facets have values
        outcomes += coll.add(paths, metadata={"source": name}).outcomes
    seconds = time.perf_counter() - start
    counts = words_in_corpus(coll)
    record = _record(seconds, counts, counts, outcomes)
    record["inputs"] = {name: [str(p) for p in paths] for paths, name in groups}
    record["copies"] = args.copies
    (args.home / RECORD).write_text(json.dumps(record, indent=2))
    print(json.dumps(record, indent=2))


def _record(seconds: float, total: tuple, timed: list | tuple, outcomes: list) -> dict:
    """Sizes of the collection (``total``) and rates over what this run indexed (``timed``)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    articles, paragraphs, words = total
    return {
        "seconds": round(seconds, 2),
        "articles": articles,
        "paragraphs": paragraphs,
        "words": words,
        "timed": dict(zip(("articles", "paragraphs", "words"), timed, strict=True)),
        "articles_per_s": round(timed[0] / seconds, 1),
        "words_per_s": round(timed[2] / seconds),
        "paragraphs_per_s": round(timed[1] / seconds, 1),
        "peak_rss_mb_main": round(mine.ru_maxrss / 1024, 1),
        "peak_rss_mb_worker": round(kids.ru_maxrss / 1024, 1),
        "cpu_s_main": round(mine.ru_utime + mine.ru_stime, 1),
        "cpu_s_workers": round(kids.ru_utime + kids.ru_stime, 1),
        "outcomes": {s: sum(1 for o in outcomes if o.status == s) for s in {o.status for o in outcomes}},
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


if __name__ == "__main__":
    sys.exit(main())
