"""Query latency of pasted sentences beside two-word queries, in process, default facets and highlights.

    PYTHONPATH=. python benchmarks/sentence_speed.py --home ../bench-home [--reps 5]

Best-match queries OR many words together, and Whoosh's OR over common words is what can be slow; this
times the two-word queries of ``queries.py`` and ten-word questions and sentences of the kind a reader
pastes (BBC News 2004-05, Reuters 1987), each the median of ``--reps`` runs after a warm-up pass, and
prints p50/p95 per kind of wall time and of CPU time (on a shared machine wall time is mostly waiting
for a core). Sentences run three ways: as typed, with ``--rank words`` (what re-ordering by meaning
costs, measured in the same run) and ``--by article``. Run it on the same collection before and after
a change, under the same load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from queries import QUERIES

SENTENCES = [
    "What did the prime minister say about the general election campaign?",
    "Why are oil prices rising so fast this year in Europe?",
    "How many jobs will be lost when the car factory closes?",
    "Is the Bank of England going to raise interest rates again?",
    "Which films won awards at the ceremony in Los Angeles last night?",
    "The government plans to cut taxes for small businesses next year.",
    "Shares in the mobile phone company fell after weak quarterly results.",
    "Chelsea beat Arsenal in the league with a late goal on Sunday.",
    "Did the central bank buy dollars to support the falling currency?",
    "Wheat exports to the Soviet Union were expected to increase sharply.",
    "What are the new rules for music downloads on the internet?",
    "The company agreed to a takeover bid worth two billion dollars.",
    "Why did the trade deficit with Japan widen in the last quarter?",
    "Labour promised more money for schools and hospitals in its manifesto.",
    "Is broadband internet access growing faster in Britain than elsewhere?",
    "Coffee prices fell after producers failed to agree on export quotas.",
    "How did the stock market react to the budget announced yesterday?",
    "The opposition leader said the war in Iraq was a mistake.",
    "Video game sales rose strongly over the Christmas holiday period.",
    "Will the merger between the two banks be approved by regulators?",
]


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    from searchkit import Collection

    two = [q for kind, q, _ in QUERIES if kind == "two"]
    kinds: dict[str, tuple[list[str], dict[str, str]]] = {
        "two words": (two, {}),
        "sentence": (SENTENCES, {}),
        # the same sentences by their words alone: what re-ordering by meaning costs, in the same run
        "sentence, --rank words": (SENTENCES, {"rank": "words"}),
        "sentence, --by article": (SENTENCES, {"by": "article"}),
    }
    out = {}
    with Collection(args.home).session() as session:
        for queries, options in kinds.values():
            for q in queries:  # warm-up
                session.search(q, **options)
        for kind, (queries, options) in kinds.items():
            medians, cpu_medians, empty = [], [], 0
            for q in queries:
                times, cpu = [], []
                for _ in range(args.reps):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    result = session.search(q, **options)
                    times.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - start_cpu)
                medians.append(statistics.median(times))
                cpu_medians.append(statistics.median(cpu))
                empty += result.total == 0
            out[kind] = {
                "queries": len(queries),
                "p50_ms": pct(medians, 50),
                "p95_ms": pct(medians, 95),
                "cpu_p50_ms": pct(cpu_medians, 50),
                "cpu_p95_ms": pct(cpu_medians, 95),
                "empty": empty,
            }
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
