"""Body extraction quality and speed on the Zyte article-extraction pages: searchkit beside plain trafilatura.

For each page, token-level F1 of the extracted body against the human-labelled ``articleBody`` (the
Zyte benchmark's own measure), for searchkit's HTML reader and for trafilatura 2.3 called as its
documentation recommends for main text (``trafilatura.extract(html, include_comments=False)``), in the
same run; and pages per second for each over the same pages (searchkit's figure includes decoding,
its metadata rules and building blocks).

Fixed split, so that what is reported was never tuned on: page ids sorted, the page at position i is in
the REPORT part when ``i % 3 == 2`` (every third page, 60 of 181) and in the TUNE part otherwise.
Extraction options were chosen on TUNE only; ``--split report`` prints the numbers to quote.

    python benchmarks/zyte_extraction.py [--data ../shared/data] [--split report|tune|all] [--worst 10]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from searchkit.errors import InputError  # noqa: E402
from searchkit.ingest.readers import html  # noqa: E402

_TOKEN = re.compile(r"\w+", re.UNICODE)
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def split_ids(ids: list[str], part: str) -> list[str]:
    """The fixed split: sorted ids, every third (position % 3 == 2) is REPORT, the rest TUNE."""
    ordered = sorted(ids)
    if part == "all":
        return ordered
    return [key for i, key in enumerate(ordered) if (i % 3 == 2) == (part == "report")]


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


def searchkit_body(data: bytes, name: str) -> str | None:
    """The body searchkit adds, one block a line; None when the reader refuses the page."""
    try:
        article = html.read(data, name).articles[0]
    except InputError:
        return None
    return "\n".join(block.text for block in article.blocks)


def trafilatura_body(data: bytes, _name: str) -> str | None:
    return trafilatura.extract(data, include_comments=False)


EXTRACTORS: dict[str, Callable[[bytes, str], str | None]] = {
    "searchkit": searchkit_body,
    "trafilatura": trafilatura_body,
}


def evaluate(folder: Path, part: str) -> dict[str, dict]:
    """Per extractor: F1 per page, pages refused (None), and seconds spent."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = split_ids(list(truth), part)
    pages = {key: (folder / "html" / f"{key}.html").read_bytes() for key in keys}
    results = {}
    for label, extractor in EXTRACTORS.items():
        scores, refused = {}, []
        extractor(next(iter(pages.values())), "warm-up.html")  # one-time loads (word lists) are not per page
        start = time.perf_counter()
        for key, data in pages.items():
            body = extractor(data, f"{key}.html")
            if body is None:
                refused.append(key)
            scores[key] = f1(body or "", truth[key]["articleBody"])
        results[label] = {"scores": scores, "refused": refused, "seconds": time.perf_counter() - start}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--split", choices=("report", "tune", "all"), default="report")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where searchkit scores lowest")
    args = parser.parse_args()
    folder = args.data / "zyte-articles"
    results = evaluate(folder, args.split)
    print(f"split: {args.split}  pages: {len(results['searchkit']['scores'])}")
    for label, result in results.items():
        values = list(result["scores"].values())
        print(
            f"{label:12} token F1 mean {statistics.mean(values):.3f}  median {statistics.median(values):.3f}  "
            f"refused {len(result['refused'])}  {len(values) / result['seconds']:.1f} pages/s"
        )
    ours, theirs = results["searchkit"]["scores"], results["trafilatura"]["scores"]
    for key in sorted(ours, key=ours.__getitem__)[: args.worst]:
        print(f"  {ours[key]:.3f} (trafilatura {theirs[key]:.3f})  {key}")


if __name__ == "__main__":
    main()
