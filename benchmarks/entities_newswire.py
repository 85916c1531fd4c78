"""Entities per type on Worldwide Newswire dev (news from every region), searchkit against the bare model.

Gold: the hand-annotated tokens (``annotated/<name>.txt.tsv``, tagged B-/I-/O though the dev set's
README says BIOES); Person → person, Organization → org, Location and Facility → place. A gold entity
is a distinct mention text of a type in an article (tokens joined, spacing around hyphens and
apostrophes undone, a possessive and a leading "the" dropped, lower case).

Scoring (as the dev set's README says): per article, the distinct names of each type a system gives
against the gold entities of that type. A name matches a gold entity when it is contained (on word
boundaries) in one of its mentions or, for people, shares its surname (last word). Precision: the
names that match some gold entity; recall: the gold entities some name matches; F1 per type over
all articles of the part. searchkit's entity is its canonical name with its aliases (the other forms
the article writes, its acronym): it counts once, and matches when any of its forms does; the row
"names only" scores the canonical names alone.

- ``searchkit``: the canonical entity names of ``annotate`` on the article's paragraph blocks (the
  first line, the URL, is not text);
- ``bare model``: the model's PERSON, ORG and GPE/LOC/FAC spans on the same blocks, with the same
  surface cleaning (:func:`searchkit.nlp.names.clean`: spacing, leading article, possessive).

Split: see benchmarks/nlp_eval.py (sorted names, index % 3 == 0 is the report part).
Run: PYTHONPATH=.:benchmarks python benchmarks/entities_newswire.py [tune|report|all] [-v] [--limit N]
"""

from __future__ import annotations

import re
import sys
from collections import Counter

from nlp_eval import DATA, ParseCache, annotate_cached, blocks, split

from searchkit.nlp.names import clean

ROOT = DATA / "worldwide-newswire-dev"
TYPES = {"Person": "person", "Organization": "org", "Location": "place", "Facility": "place"}
KINDS = ("person", "org", "place")
BARE = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def norm(name: str) -> str:
    name = re.sub(r"\s*([-’'/&.])\s*", r"\1", " ".join(name.split()))
    name = re.sub(r"(?:['’]s|['’])$", "", name)
    return re.sub(r"^the\s+", "", name, flags=re.I).lower().strip(" .,")


def load(part: str, limit: int = 0) -> list[tuple[str, list[str], dict[str, set[str]]]]:
    names = [p.name.removesuffix(".txt") for p in (ROOT / "articles").glob("*.txt")]
    chosen = split(names, part)
    if limit:
        chosen = chosen[:limit]
    out = []
    for name in chosen:
        text = (ROOT / "articles" / f"{name}.txt").read_text(encoding="utf-8")
        body = text.split("\n", 1)[1] if "\n" in text else ""
        out.append((name, blocks(body), gold_of(ROOT / "annotated" / f"{name}.txt.tsv")))
    return out


def gold_of(path) -> dict[str, set[str]]:
    """Gold names per type from the token file (its tags are B-/I-/O: an entity runs while I- follows)."""
    gold: dict[str, set[str]] = {k: set() for k in KINDS}
    current: list[str] = []
    kind = None
    for line in [*path.read_text(encoding="utf-8").splitlines()[1:], ""]:
        token, _, tag = line.partition("\t")
        prefix, _, label = tag.partition("-")
        if prefix == "I" and current and TYPES.get(label) == kind:
            current.append(token)
            continue
        if current and kind and (name := norm(" ".join(current))):
            gold[kind].add(name)
        current, kind = ([token], TYPES.get(label)) if prefix == "B" else ([], None)
    return gold


def matches(name: str, gold: str, kind: str) -> bool:
    if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", gold):
        return True
    return kind == "person" and name.split()[-1:] == gold.split()[-1:]


def score(gold: list[dict[str, set[str]]], predicted: list[dict[str, set]], label: str, verbose: bool) -> dict:
    """Per type P/R/F1. A prediction is a name, or a tuple of forms (a name and its aliases) that counts
    once and matches when any of its forms does."""
    counts = {k: Counter() for k in KINDS}
    for g, p in zip(gold, predicted, strict=True):
        for kind in KINDS:
            units = {u if isinstance(u, tuple) else (u,) for u in p[kind]}
            units = {tuple(dict.fromkeys(n for f in u if (n := norm(f)))) for u in units} - {()}
            units = set(dict.fromkeys(units))
            hit = {u for u in units if any(matches(n, e, kind) for n in u for e in g[kind])}
            found = {e for e in g[kind] if any(matches(n, e, kind) for u in units for n in u)}
            counts[kind].update(tp=len(hit), fp=len(units - hit), gold=len(g[kind]), found=len(found))
            if verbose:
                for u in sorted(units - hit):
                    print(f"  {label} FP {kind}: {' | '.join(u)}")
                for e in sorted(g[kind] - found):
                    print(f"  {label} FN {kind}: {e}")
    out = {}
    for kind, c in counts.items():
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["found"] / max(1, c["gold"])
        out[kind] = (p, r, 2 * p * r / max(1e-9, p + r))
    return out


def run(part: str, limit: int = 0, verbose: bool = False, dataset: str = "newswire-dev") -> dict[str, dict]:
    articles = load(part, limit)
    annotated, cache = annotate_cached(f"{dataset}-{part}-{limit}", [(n, t) for n, t, _ in articles])
    names = [{k: {e.name for p in ps for e in p.entities if e.type == k} for k in KINDS} for ps in annotated]
    units = [
        {k: {(e.name, *e.aliases) for p in ps for e in p.entities if e.type == k} for k in KINDS} for ps in annotated
    ]
    bare = bare_names(cache, [len(t) for _, t, _ in articles])
    gold = [g for _, _, g in articles]
    return {
        "searchkit": score(gold, units, "searchkit", verbose),
        "searchkit, names only": score(gold, names, "names", False),
        "bare model": score(gold, bare, "bare", verbose and "--bare" in sys.argv),
    }


def bare_names(cache: ParseCache, sizes: list[int]) -> list[dict[str, set[str]]]:
    out, k = [], 0
    for size in sizes:
        names: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for doc in cache.docs[k : k + size]:
            for e in doc.ents:
                if e.label_ in BARE and (name := clean(e.text)):
                    names[BARE[e.label_]].add(name)
        out.append(names)
        k += size
    return out


def print_table(title: str, rows: dict[str, dict]) -> None:
    print(title)
    print(f"{'':22} " + "  ".join(f"{k + ' P/R/F1':>20}" for k in KINDS))
    for label, per in rows.items():
        print(f"{label:22} " + "  ".join(f"{per[k][0]:6.3f} {per[k][1]:6.3f} {per[k][2]:6.3f}" for k in KINDS))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 0
    args = [a for a in args if not a.isdigit()]
    part = args[0] if args else "report"
    if not ROOT.exists():
        sys.exit(f"{ROOT}: not found")
    rows = run(part, limit, "-v" in sys.argv)
    print_table(f"Worldwide Newswire dev, {part} part" + (f", first {limit} articles" if limit else ""), rows)


if __name__ == "__main__":
    main()
