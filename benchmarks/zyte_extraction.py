"""Body extraction quality and speed on the Zyte article-extraction benchmark pages.

Token-level F1 of the text searchkit extracts against the labelled ``articleBody`` of each page, and
pages per second for the whole HTML path (decode, parse, metadata, body).

    python benchmarks/zyte_extraction.py [--data ../shared/data] [--worst 10]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit.errors import InputError  # noqa: E402
from searchkit.ingest.readers import html  # noqa: E402

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def f1(predicted: str, expected: str) -> float:
    """Bag-of-tokens F1, as in the Zyte article-extraction benchmark."""
    got, want = tokens(predicted), tokens(expected)
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    args = parser.parse_args()
    folder = args.data / "zyte-articles"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: (folder / "html" / f"{key}.html").read_bytes() for key in truth}

    scores: dict[str, float] = {}
    failures = 0
    start = time.perf_counter()
    for key, data in pages.items():
        try:
            article = html.read(data, f"{key}.html").articles[0]
            body = "\n".join(block.text for block in article.blocks)
        except InputError:
            failures, body = failures + 1, ""
        scores[key] = f1(body, truth[key]["articleBody"])
    elapsed = time.perf_counter() - start

    values = list(scores.values())
    print(f"pages: {len(values)}  no body found: {failures}")
    print(f"token F1  mean {statistics.mean(values):.3f}  median {statistics.median(values):.3f}")
    print(f"speed: {len(values) / elapsed:.1f} pages/s ({elapsed:.2f} s)")
    for key in sorted(scores, key=scores.__getitem__)[: args.worst]:
        print(f"  {scores[key]:.3f}  {key}  {truth[key]['url']}")


if __name__ == "__main__":
    main()
