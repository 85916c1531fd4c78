"""Whoosh against OpenSearch on the same paragraphs, side by side: index writing, warm queries with
facets, one-shot CLI processes, memory, and whether both answer with the same totals and facet counts.

Input is a collection built with ``searchkit add`` (real NLP): its annotated paragraphs are read back from
its index (``run.stored_paragraphs``) and, for ``--copies N``, grown N times as ``grow.py`` grows them
(copy k of article ``a`` is ``a-k``). Each engine then writes the very same documents into a new
collection of its own (``HOME-whoosh-xN``, ``HOME-opensearch-xN``): NLP is left out, it is the same work
whichever engine indexes. Each write runs in a child process, so its peak memory is its own.

Run: PYTHONPATH=. python benchmarks/opensearch.py HOME --url http://127.0.0.1:9200 --copies 1
(``searchkit opensearch start --data DIR --heap 3g`` gives a local node; ``--node-pid`` reports its
memory). Writes benchmarks/results/opensearch-xN.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grow import grown  # noqa: E402
from run import stored_paragraphs  # noqa: E402

from searchkit.catalogue import Manifest  # noqa: E402
from searchkit.collection import Collection  # noqa: E402
from searchkit.options import options  # noqa: E402

#: Warm queries, each with the default facets (speaker, person, org, place: multi-valued).
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
ENGINES = ("whoosh", "opensearch")
RESULTS = Path(__file__).resolve().parent / "results"


def target(home: Path, engine: str, copies: int) -> Path:
    return home.parent / f"{home.name}-{engine}-x{copies}"


def write(home: Path, engine: str, copies: int, url: str) -> dict:
    """In this (child) process: a new collection on ``engine`` holding the grown paragraphs of ``home``."""
    out = target(home, engine, copies)
    if out.exists():
        shutil.rmtree(out)
    settings = {"url": url, "prefix": f"bench-{home.name.lower()}-x{copies}"} if engine == "opensearch" else None
    coll = Collection.init(out, engine, settings)
    triples = stored_paragraphs(home)
    start = time.perf_counter()
    count = coll.index.build(Manifest(), grown(triples, copies))
    seconds = time.perf_counter() - start
    return {
        "paragraphs": count,
        "write_s": round(seconds, 1),
        "paragraphs_per_s": round(count / seconds),
        "writer_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "index_bytes": coll.index.size_bytes(),
    }


def warm_queries(home: Path, reps: int) -> dict:
    """Query times with the default facets on one open reader, after one warming pass."""
    reader = Collection(home).index.open()
    times = []
    try:
        for query in QUERIES:
            reader.search(query, options())
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
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": len(times),
    }


def answers(home: Path) -> dict:
    """Each query's total and default facet counts (what must agree between engines)."""
    reader = Collection(home).index.open()
    try:
        found = {}
        for query in QUERIES:
            result = reader.search(query, options(limit=100))
            found[query] = {
                "total": result.total,
                "facets": {f.name: [(v.value, v.count) for v in f.values] for f in result.facets},
                "hits": sorted(h.id for h in result.hits),  # the top 100: ranks differ within close scores
            }
        return found
    finally:
        reader.close()


#: Runs the command in a child and prints its peak RSS (KB), so each engine's number is its own.
_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def one_shot(home: Path, reps: int) -> dict:
    """Median wall time and peak RSS of ``searchkit query "prime minister" --facet speaker`` processes."""
    times, peaks = [], []
    command = [sys.executable, "-m", "searchkit", "--home", str(home), "query", "prime minister", "--facet", "speaker"]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache
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
    ap.add_argument("home", type=Path, help="a collection built with searchkit add (e.g. BBC + Reuters)")
    ap.add_argument("--url", required=True)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--node-pid", type=int, help="the OpenSearch JVM, for its memory")
    ap.add_argument("--engines", default=",".join(ENGINES), help="which engines, comma-separated")
    ap.add_argument("--reuse", action="store_true", help="query the collections an earlier run wrote")
    ap.add_argument("--write-only", choices=ENGINES, help=argparse.SUPPRESS)  # the child's part
    args = ap.parse_args()
    home = args.home.resolve()
    if args.write_only:
        print(json.dumps(write(home, args.write_only, args.copies, args.url)))
        return
    engines = [e for e in ENGINES if e in args.engines.split(",")]
    report: dict = {"home": home.name, "copies": args.copies, "engines": {}}
    for engine in engines:
        child = [sys.executable, __file__, str(home), "--url", args.url, "--copies", str(args.copies)]
        result: dict = {}
        if not args.reuse:
            done = subprocess.run([*child, "--write-only", engine], check=True, capture_output=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        out = target(home, engine, args.copies)
        result["warm_query"] = warm_queries(out, args.reps)
        result["one_shot"] = one_shot(out, args.reps)
        report["engines"][engine] = result
        print(engine, json.dumps(result), flush=True)
    if len(engines) == 2:
        whoosh, opensearch = (answers(target(home, e, args.copies)) for e in ENGINES)
        report["agree"] = {
            q: {key: whoosh[q][key] == opensearch[q][key] for key in ("total", "facets", "hits")} for q in QUERIES
        }
    report["opensearch_node_rss_mb"] = node_rss_mb(args.node_pid)
    RESULTS.mkdir(exist_ok=True)
    name = "-".join(["opensearch", f"x{args.copies}", *([] if len(engines) == 2 else engines)])
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
