"""Whoosh against OpenSearch on the same collection: index writing, warm queries with facets, one-shot CLI
processes, memory.

Both engines index the very same paragraph documents, read and segmented from one collection's
``corpus/`` (NLP is left out: it is the same work whichever engine indexes, and it sets the speed of
``add`` on both): a Whoosh and an OpenSearch collection are made next to it with its corpus and a
catalogue of it, and each engine writes their generation.

Run: PYTHONPATH=. python benchmarks/opensearch.py HOME --url http://127.0.0.1:9200 [--copies N]
(``searchkit opensearch start --data DIR`` gives a local node; ``--node-pid`` reports its memory).
Writes benchmarks/results/opensearch.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from searchkit.catalogue import Manifest
from searchkit.collection import Collection
from searchkit.engine.base import ParagraphDoc
from searchkit.ingest.segment import segment
from searchkit.model import ChangeReport
from searchkit.options import options

QUERIES = [
    "prime minister",
    "security guarantees",
    "oil prices",
    "election campaign",
    "interest rates",
    "said the company",
    "bank",
    "trade deficit",
    "government plans",
    "football",
]
RESULTS = Path(__file__).resolve().parent / "results" / "opensearch.json"


def documents(home: Path, copies: int) -> tuple[Manifest, list[ParagraphDoc]]:
    """The catalogue of the collection's corpus and its paragraphs as the engines are handed them, read
    and segmented from ``corpus/`` (``copies`` times, with distinct ids, for a larger index). The NLP
    stage is left out (it is the same work for both engines): speakers and entities are empty."""
    coll = Collection(home)
    manifest, report, docs = Manifest(), ChangeReport(), []
    for rel, state in sorted(coll.corpus.scan().items()):
        for item in coll._read_corpus_file(rel, state, manifest, report, {}, "added"):
            article, paragraphs = segment(item.article)
            item.info.paragraphs = len(paragraphs)
            docs += [ParagraphDoc.of(article, item.info, p) for p in paragraphs]
    out = list(docs)
    for k in range(2, copies + 1):
        out += [
            replace(d, id=f"{d.article}x{k}#{d.n}", article=f"{d.article}x{k}", group=f"{d.group}x{k}") for d in docs
        ]
    return manifest, out


def _link(src: str, dst: str) -> None:
    import os

    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_generation(coll: Collection, manifest: Manifest, docs: list[ParagraphDoc]) -> float:
    """Seconds the engine took to write ``docs`` as a new generation, made live with ``manifest``."""
    start = time.perf_counter()
    coll.index.build(manifest, iter(docs))
    return time.perf_counter() - start


def warm_queries(coll: Collection, reps: int) -> dict:
    reader = coll.index.open()
    times = []
    try:
        for query in QUERIES:
            reader.search(query, options())  # warm
        for _ in range(reps):
            for query in QUERIES:
                start = time.perf_counter()
                reader.search(query, options())
                times.append((time.perf_counter() - start) * 1000)
    finally:
        reader.close()
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(times),
    }


#: Runs the command in a child and prints its peak RSS (KB), so each engine's number is its own.
_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def one_shot(home: Path, reps: int) -> dict:
    """Median wall time and peak RSS of ``searchkit query "prime minister" --facet speaker`` processes."""
    times, peaks = [], []
    command = [sys.executable, "-m", "searchkit", "--home", str(home), "query", "prime minister", "--facet", "speaker"]
    for _ in range(reps):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stdout.strip()))
    return {"median_s": round(statistics.median(times), 3), "peak_rss_mb": round(max(peaks) / 1024, 1)}


def node_rss_mb(pid: int | None) -> float | None:
    if not pid:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path, help="a Whoosh collection (e.g. BBC + Reuters, built with searchkit add)")
    ap.add_argument("--url", required=True)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--node-pid", type=int, help="the OpenSearch JVM, for its memory")
    args = ap.parse_args()
    home = args.home.resolve()
    started = time.perf_counter()
    manifest, docs = documents(home, args.copies)
    report: dict = {
        "paragraphs": len(docs),
        "articles": sum(1 for _ in manifest.articles()),
        "copies": args.copies,
        "reading_and_segmenting_s": round(time.perf_counter() - started, 1),
        "engines": {},
    }
    suffix = f"x{args.copies}" if args.copies > 1 else ""
    for engine in ("whoosh", "opensearch"):
        target = home.parent / f"{home.name}-{engine}{suffix}"
        if target.exists():
            shutil.rmtree(target)
        settings = {"url": args.url, "prefix": f"bench-{home.name.lower()}{suffix}"} if engine == "opensearch" else None
        coll = Collection.init(target, engine, settings)
        shutil.rmtree(target / "corpus")
        shutil.copytree(home / "corpus", target / "corpus", copy_function=_link)
        seconds = write_generation(coll, manifest, docs)
        result = {
            "write_s": round(seconds, 1),
            "paragraphs_per_s": round(len(docs) / seconds),
            "warm_query": warm_queries(coll, args.reps) if args.copies == 1 else warm_queries(coll, 2),
            "index_bytes": coll.index.size_bytes(),
        }
        if args.copies == 1:  # the copies' corpus is not on disk: a one-shot process would rebuild
            result["one_shot"] = one_shot(target, args.reps)
        report["engines"][engine] = result
        print(engine, json.dumps(result), flush=True)
    report["opensearch_node_rss_mb"] = node_rss_mb(args.node_pid)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
