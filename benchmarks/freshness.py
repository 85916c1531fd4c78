"""What the freshness check costs at a given number of corpus files: the look at the folders every
command runs (``Corpus.folders_changed_since``: one ``stat`` per folder the last look at every file
saw); that look at every file, run once the last one is ``SEARCHKIT_FILE_CHECK_SECONDS`` old (one
``stat`` per file and folder against one recorded time); and the full comparison either falls back to
on a change (``scan_states`` and its digest).

Makes FILES small article files in 100-file folders under SCRATCH (kept for reuse), then reports the
best CPU time of REPS runs of each.
Run: PYTHONPATH=. python benchmarks/freshness.py SCRATCH --files 20000 200000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def make(folder: Path, files: int) -> None:
    done = folder / ".made"
    if done.exists() and int(done.read_text()) == files:
        return
    for i in range(files):
        sub = folder / f"f{i // 100:05d}"
        if i % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:07d}.txt").write_text(f"Title {i}\n\nParagraph {i}.\n", "utf-8")
    done.write_text(str(files))


def best_cpu_ms(call, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    return round(best * 1000, 1)


def main() -> None:
    from searchkit.catalogue import scan_digest
    from searchkit.ingest.corpus import Corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("scratch", type=Path)
    ap.add_argument("--files", type=int, nargs="+", default=[20000, 200000])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    out = {}
    for n in args.files:
        folder = args.scratch / f"corpus-{n}"
        make(folder, n)
        corpus = Corpus(folder)
        since = time.time_ns()
        folders = corpus.unchanged_folders(since)
        assert folders is not None
        out[n] = {
            "folders_check_cpu_ms": best_cpu_ms(
                lambda c=corpus, s=since, f=folders: c.folders_changed_since(f, s), args.reps
            ),
            "cheap_check_cpu_ms": best_cpu_ms(lambda c=corpus, s=since: c.unchanged_folders(s), args.reps),
            "full_comparison_cpu_ms": best_cpu_ms(lambda c=corpus: scan_digest(c.scan_states()), args.reps),
        }
        print(n, out[n], flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
