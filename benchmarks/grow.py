"""A collection N times the size of a built one, for the growth table: its paragraphs, with their
speakers and entities as the NLP stage found them, indexed N times under distinct article ids (copy
k of article ``a`` is ``a-k``; its text gains a last word so no copy is a duplicate). No NLP runs, so
it takes the index writing only; the new collection has an index and no corpus (the in-process query
benchmark reads the index only).

Run: PYTHONPATH=. python benchmarks/grow.py HOME NEW_HOME --copies 3
then: PYTHONPATH=. python benchmarks/run.py --home NEW_HOME --reuse --only anchors,query
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import stored_paragraphs  # noqa: E402

from searchkit.engine.base import ParagraphDoc  # noqa: E402


def grown(triples: list, copies: int) -> Iterator[ParagraphDoc]:
    """The paragraphs of ``triples`` (``run.stored_paragraphs``) ``copies`` times: copy k of article ``a``
    is ``a-k``, its paragraphs' text with a last word " (k)", so no copy is a near-duplicate."""
    for k in range(1, copies + 1):
        for article, info, p in triples:
            if k == 1:
                yield ParagraphDoc.of(article, info, p)
                continue
            ident = f"{article.id}-{k}"
            yield ParagraphDoc.of(
                replace(article, id=ident),
                replace(info, id=ident, copy_of=None),
                replace(p, article_id=ident, text=f"{p.text} ({k})"),
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("new_home", type=Path)
    ap.add_argument("--copies", type=int, default=3)
    args = ap.parse_args()
    from searchkit.catalogue import Manifest
    from searchkit.collection import Collection

    triples = stored_paragraphs(args.home)
    coll = Collection.init(args.new_home)

    start = time.perf_counter()
    count = coll.index.build(Manifest(), grown(triples, args.copies))
    print(f"{count} paragraphs indexed in {time.perf_counter() - start:.0f} s into {args.new_home}")


if __name__ == "__main__":
    main()
