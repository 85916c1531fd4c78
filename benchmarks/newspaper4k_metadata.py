"""Title, authors and date agreement with newspaper4k's labels: searchkit beside plain trafilatura.

Agreement: titles equal after case, punctuation and whitespace folding (or one contains the other
when the label keeps a site suffix); authors share at least one name (labels are noisy: "Print",
"updated"); dates fall on the same calendar day. Pages whose label has no value are not counted.
trafilatura runs as its documentation shows for metadata (``bare_extraction(html, with_metadata=True)``)
in the same run. Pages either reader refuses are listed.

Fixed split, so that what is reported was never tuned on: page names sorted, the page at position i
is in the REPORT part when ``i % 3 == 2`` (10 of 30) and in the TUNE part otherwise. Which source
wins for each field (``htmlmeta.TRAFILATURA_RANK``) was chosen on TUNE only.

    python benchmarks/newspaper4k_metadata.py [--data ../shared/data] [--split report|tune|all] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from searchkit.errors import InputError  # noqa: E402
from searchkit.ingest.readers import html  # noqa: E402

logging.getLogger("trafilatura").setLevel(logging.ERROR)
FIELDS = ("title", "authors", "date")
LABEL_KEYS = {"title": "title", "authors": "authors", "date": "publish_date"}


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def titles_agree(got: str | None, want: str) -> bool:
    if not got:
        return False
    got, want = fold(got), fold(want)
    return got == want or (len(got) > 10 and got in want)


def authors_agree(got: list[str], want: list[str]) -> bool:
    return bool({fold(a) for a in got} & {fold(a) for a in want})


def dates_agree(got: str | None, want: str) -> bool:
    return bool(got) and got[:10] == want[:10]


CHECKS = {"title": titles_agree, "authors": authors_agree, "date": dates_agree}


def searchkit_fields(data: bytes, name: str) -> dict[str, Any] | None:
    try:
        article = html.read(data, name).articles[0]
    except InputError:
        return None
    return {"title": article.title, "authors": article.authors, "date": article.date}


def trafilatura_fields(data: bytes, _name: str) -> dict[str, Any] | None:
    document = trafilatura.bare_extraction(data, with_metadata=True)
    if document is None:
        return None
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return {"title": document.title, "authors": authors, "date": document.date}


READERS = {"searchkit": searchkit_fields, "trafilatura": trafilatura_fields}


def split_names(paths: list[Path], part: str) -> list[Path]:
    """The fixed split: sorted names, every third (position % 3 == 2) is REPORT, the rest TUNE."""
    ordered = sorted(paths)
    if part == "all":
        return ordered
    return [path for i, path in enumerate(ordered) if (i % 3 == 2) == (part == "report")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--split", choices=("report", "tune", "all"), default="report")
    parser.add_argument("--verbose", action="store_true", help="show each disagreement")
    args = parser.parse_args()
    folder = args.data / "newspaper4k"
    agree = {reader: dict.fromkeys(FIELDS, 0) for reader in READERS}
    counted = dict.fromkeys(FIELDS, 0)
    labels = split_names(list((folder / "metadata").glob("*.json")), args.split)
    for label_path in labels:
        label = json.loads(label_path.read_text(encoding="utf-8"))
        page = folder / "html" / f"{label_path.stem}.html"
        data = page.read_bytes()
        found = {reader: read(data, page.name) for reader, read in READERS.items()}
        for reader, values in found.items():
            if values is None:
                print(f"  {page.name}: refused by {reader}")
        for field, check in CHECKS.items():
            want = label.get(LABEL_KEYS[field])
            if not want:
                continue
            counted[field] += 1
            for reader, values in found.items():
                got = values[field] if values else None
                if check(got, want):
                    agree[reader][field] += 1
                elif args.verbose:
                    print(f"  {page.name} {field} {reader}: got {got!r}, labelled {want!r}")
    print(f"split: {args.split}  pages: {len(labels)}")
    for field in FIELDS:
        cells = "  ".join(
            f"{reader} {n:2}/{counted[field]:<2} ({n / max(counted[field], 1):.0%})"
            for reader, n in ((reader, agree[reader][field]) for reader in READERS)
        )
        print(f"{field:8} {cells}")


if __name__ == "__main__":
    main()
