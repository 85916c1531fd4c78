"""Batch throughput: per-call Collection.search vs one Session (query --batch's path), on a collection.

Usage: python benchmarks/batch_throughput.py HOME [N] [QUERIES_OUT]
Writes the N queries (two title words of random articles) to QUERIES_OUT (default queries.txt), for
timing 'searchkit --home HOME query --batch QUERIES_OUT' as a whole process.
"""

import json
import random
import re
import sys
import time

from searchkit.batch import BatchQuery, run_batch
from searchkit.collection import Collection

home = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
coll = Collection(home)
infos = coll.articles()
rng = random.Random(8)
stop = {"the", "a", "an", "of", "to", "in", "and", "for", "on", "as", "at", "by", "is", "with", "says", "from"}
queries = []
for info in rng.sample(infos, n):
    words = [w for w in re.findall(r"[a-z]+", (info.title or "").lower()) if w not in stop and len(w) > 2]
    if words:
        queries.append(" ".join(words[:2]))
open(sys.argv[3] if len(sys.argv) > 3 else "queries.txt", "w").write("\n".join(queries) + "\n")
paragraphs = sum(a.paragraphs for a in infos)
out = {"home": home, "articles": len(infos), "paragraphs": paragraphs, "queries": len(queries)}


def timed(label, fn):
    t = time.perf_counter()
    count = fn()
    dt = time.perf_counter() - t
    out[label] = {"seconds": round(dt, 2), "queries_per_s": round(len(queries) / dt, 1), "hits": count}


sub = queries[:60]
t = time.perf_counter()
for q in sub:
    coll.search(q, facets=())
dt = time.perf_counter() - t
out["per_call_search_no_facets_60"] = {"seconds": round(dt, 2), "queries_per_s": round(len(sub) / dt, 1)}
items = [BatchQuery(i + 1, q) for i, q in enumerate(queries)]
timed("session_no_facets", lambda: sum(r.result.total for r in run_batch(coll, items, facets=())))
timed("session_default_facets", lambda: sum(r.result.total for r in run_batch(coll, items)))
print(json.dumps(out, indent=1))
