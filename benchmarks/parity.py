"""Do two collections answer alike? Typically the same articles added to a Whoosh and to an OpenSearch
collection (``searchkit add`` on each, real NLP): each query below runs on both, and its total, every
facet count, and the full set of matching paragraphs (or articles, with their matching-paragraph counts,
for ``--by article``) are compared. Ranks are not: both engines rank by BM25 but with different length
norms, so hits with close scores can come in another order.

Run: PYTHONPATH=. python benchmarks/parity.py WHOOSH_HOME OPENSEARCH_HOME
Prints one line per query (``same`` or what differs), writes benchmarks/results/parity.json, and exits 1
when any query differs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from searchkit.collection import Collection
from searchkit.engine.limits import QUERY_SECONDS_ENV
from searchkit.options import options

# Answers are compared, not timed: a query slowed by a busy machine must not stop half-way on one engine.
os.environ.setdefault(QUERY_SECONDS_ENV, "0")

#: (query, options): the README's question, and the query language's kinds with facets, filters and
#: ``--by article``. Words whose stems differ between Whoosh's Porter port and Lucene's ("planning")
#: are avoided on purpose: that difference is documented, not a bug this script should keep finding.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("prime minister", {"facets": ("speaker",)}),
    ("prime minister", {}),
    ("prime minister", {"by": "article"}),
    ('"prime minister"', {"facets": ("speaker", "section")}),
    ("Blair said", {"speaker": ("Tony Blair",)}),
    ("election", {"by": "article", "facets": ("speaker", "person")}),
    ("oil prices", {"facets": ("place", "org", "source")}),
    ("interest rates", {"since": "1987-03", "until": "1987-04"}),
    ("trade deficit", {"facets": ("date", "place")}),
    ("security guarantees", {}),
    ("speaker:Blair", {"facets": ("speaker", "section")}),
    ("place:japan", {"facets": ("org",)}),
    ("football OR rugby", {"facets": ("section", "source")}),
    ("economy NOT growth", {}),
    ("econom*", {"facets": ("source",)}),
    ("guarantees~", {}),
    ('"oil prices"~2 date:[1987-03 to 1987-04]', {}),
    ("what did the prime minister say about taxes", {}),
    ("what did the prime minister say about taxes", {"match": "all"}),
    ("", {"speaker": ("Gordon Brown",), "by": "article"}),
    ("primeminister budjet", {}),  # nothing found: both suggest the same spelling
]
#: Hit sets are compared in full when a query matches at most this many (paging deeper is slow on
#: Whoosh and past OpenSearch's result window); totals and facet counts are compared whatever the size.
MAX_COMPARED_HITS = 5000
PAGE = 1000
FACET_VALUES = 200


def answer(reader: Any, query: str, given: dict[str, Any]) -> dict[str, Any]:
    """What must agree: the total, facet counts, the did-you-mean, and (up to MAX_COMPARED_HITS) every
    hit."""
    first = reader.search(query, options(limit=PAGE, facet_limit=FACET_VALUES, **given))
    pages = [first]
    if first.total <= MAX_COMPARED_HITS:
        for page in range(2, -(-first.total // PAGE) + 1):
            pages.append(reader.search(query, options(limit=PAGE, page=page, facet_limit=FACET_VALUES, **given)))
    hits: dict[str, int] | None = None
    if first.total <= MAX_COMPARED_HITS:
        if given.get("by") == "article":
            hits = {h.article_id: h.matching_paragraphs for result in pages for h in result.hits}
        else:
            hits = {h.id: 1 for result in pages for h in result.hits}
    return {
        "total": first.total,
        "facets": {f.name: {v.value: v.count for v in f.values} for f in first.facets},
        "hits": hits,
        "suggestion": first.suggestion,
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Each way ``b`` differs from ``a``, said briefly."""
    found = []
    if a["total"] != b["total"]:
        found.append(f"total {a['total']} vs {b['total']}")
    for name in sorted(set(a["facets"]) | set(b["facets"])):
        x, y = a["facets"].get(name, {}), b["facets"].get(name, {})
        changed = sorted(v for v in set(x) | set(y) if x.get(v) != y.get(v))
        if changed:
            shown = ", ".join(f"{v}: {x.get(v)} vs {y.get(v)}" for v in changed[:3])
            found.append(f"facet {name}: {len(changed)} values differ ({shown})")
    if a["suggestion"] != b["suggestion"]:
        found.append(f"did you mean {a['suggestion']!r} vs {b['suggestion']!r}")
    if a["hits"] is not None and b["hits"] is not None and a["hits"] != b["hits"]:
        only_a, only_b = set(a["hits"]) - set(b["hits"]), set(b["hits"]) - set(a["hits"])
        counted = sum(1 for k in set(a["hits"]) & set(b["hits"]) if a["hits"][k] != b["hits"][k])
        found.append(
            f"hits: {len(only_a)} only in the first, {len(only_b)} only in the second, {counted} counted apart"
        )
    return found


def flags(given: dict[str, Any]) -> list[str]:
    """``given`` as the command's options (``--facet speaker --facet place``)."""
    out = []
    for name, value in given.items():
        flag = "--facet" if name == "facets" else f"--{name.replace('_', '-')}"
        out += [f"{flag} {json.dumps(v) if ' ' in v else v}" for v in ((value,) if isinstance(value, str) else value)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("first", type=Path, help="a collection (e.g. on Whoosh)")
    ap.add_argument("second", type=Path, help="the same articles in another collection (e.g. on OpenSearch)")
    args = ap.parse_args()
    readers = [Collection(home).index.open() for home in (args.first, args.second)]
    report = []
    try:
        for query, given in CASES:
            a, b = (answer(reader, query, given) for reader in readers)
            found = differences(a, b)
            compared = "all hits" if a["hits"] is not None else f"over {MAX_COMPARED_HITS} hits: totals and facets"
            label = " ".join([json.dumps(query), *flags(given)])
            print(f"{label}: {a['total']} / {b['total']}, {'; '.join(found) or 'same'} ({compared})", flush=True)
            report.append({"query": query, "options": given, "totals": [a["total"], b["total"]], "differ": found})
    finally:
        for reader in readers:
            reader.close()
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "parity.json").write_text(json.dumps(report, indent=2) + "\n")
    same = sum(1 for r in report if not r["differ"])
    print(f"{same} of {len(report)} queries answer alike")
    sys.exit(0 if same == len(report) else 1)


if __name__ == "__main__":
    main()
