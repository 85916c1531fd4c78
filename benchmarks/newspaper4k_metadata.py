"""How often the HTML reader's title, authors and date agree with newspaper4k's labelled metadata.

Agreement: titles equal after case, punctuation and whitespace folding (or one contains the other
when the label keeps a site suffix); authors share at least one name (labels are noisy: "Print",
"updated"); dates fall on the same calendar day. Pages whose label has no value are not counted.

    python benchmarks/newspaper4k_metadata.py [--data ../shared/data] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from searchkit.errors import InputError  # noqa: E402
from searchkit.ingest.readers import html  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    parser.add_argument("--verbose", action="store_true", help="show each disagreement")
    args = parser.parse_args()
    folder = args.data / "newspaper4k"
    checks = {"title": titles_agree, "authors": authors_agree, "date": dates_agree}
    label_keys = {"title": "title", "authors": "authors", "date": "publish_date"}
    agree = dict.fromkeys(checks, 0)
    counted = dict.fromkeys(checks, 0)
    for label_path in sorted((folder / "metadata").glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        page = folder / "html" / f"{label_path.stem}.html"
        try:
            article = html.read(page.read_bytes(), page.name).articles[0]
        except InputError as exc:
            print(f"  {page.name}: {exc}")
            article = None
        for field, check in checks.items():
            want = label.get(label_keys[field])
            if not want:
                continue
            counted[field] += 1
            got = getattr(article, field) if article else None
            if check(got, want):
                agree[field] += 1
            elif args.verbose:
                print(f"  {page.name} {field}: got {got!r}, labelled {want!r}")
    for field in checks:
        rate = agree[field] / counted[field] if counted[field] else 0.0
        print(f"{field:8} {agree[field]:3}/{counted[field]:<3} agree ({rate:.0%})")


if __name__ == "__main__":
    main()
