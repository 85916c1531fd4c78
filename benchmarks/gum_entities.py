"""Entity precision/recall/F1 per type on GUM news (Wikinews with exhaustive Wikipedia links).

Gold, per article: the linked mentions typed person/organization/place, one entity per Wikipedia
identity. Each identity answers to its title ("John_Baird_(politician)" → "John Baird") and to its
proper-name mentions as written ("AFP"). A predicted (name, type) is a hit when it names a gold
identity of that type not already matched; a name found inside an unlinked proper-name mention
(someone without a Wikipedia page) is ignored, since the gold is silent about it; anything else is a false
positive (a second name for an already matched identity too: canonicalisation failed).

Two scheme differences are bridged, neither in the system's favour beyond the match itself: GUM's
"person" covers groups of people ("Muslims", "Afghans"), which searchkit types "group", so a group
prediction naming a gold person identity is neutral (not tp, fp or fn); and a gold mention written with
lowercase descriptors before the name ("city mayor Hau Lung-bin", "fashion designer Halston") also
answers to the name after them (person mentions only).

Rows: searchkit (``annotate``), and the bare model (its PERSON/ORG/GPE+LOC+FAC spans, cleaned with
:func:`searchkit.nlp.names.clean`, typed by label) on the same paragraphs with the same scoring.
Split: see benchmarks/nlp_eval.py (documents sorted by name, index % 3 == 0 is the report part).
Run: PYTHONPATH=.:benchmarks python benchmarks/gum_entities.py [tune|report|all] [-v] [path/to/gum_news_entities.jsonl]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from nlp_eval import ParseCache, annotate_cached, split

from searchkit.nlp.names import clean

DEFAULT = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gum-news" / "derived" / "gum_news_entities.jsonl"
)
TYPES = {"person": "person", "organization": "org", "place": "place"}
BARE = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def norm(name: str) -> str:
    name = re.sub(r"\s+'s$|'s$|^the\s+", "", " ".join(name.split()), flags=re.I)
    return re.sub(r"\s*-\s*", "-", name.replace(",", "")).lower().strip(" .")


def title(identity: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", unquote(identity).replace("_", " "))


def tails(text: str) -> set[str]:
    """The name after lowercase descriptors: "city mayor Hau Lung-bin" → {"hau lung-bin"}."""
    words = text.split()
    out = set()
    for i, w in enumerate(words[:-1]):
        if not (w[:1].islower() or w == "'s") or w in ("of", "from", "in", "at", "for", "by"):
            break
        if words[i + 1][:1].isupper():
            out.add(norm(" ".join(words[i + 1 :])))
    return out


def _is_group(identity: str) -> bool:
    """A Wikipedia title naming a people ("Muslims", "Rohingya_people"), not one person."""
    name = title(identity)
    return name.endswith((" people", "s")) and " " not in name.removesuffix(" people")


def gold_of(record: dict) -> tuple[dict[str, tuple[str, set[str]]], set[str]]:
    """identity → (type, names it answers to); and names carried only by unlinked mentions."""
    gold: dict[str, tuple[str, set[str]]] = {}
    unlinked: set[str] = set()
    for e in record["entities"]:
        if e["identity"] and e["type"] in TYPES:
            full = title(e["identity"])  # "Arlington, Texas" also answers to "Arlington"
            names = gold.setdefault(e["identity"], (TYPES[e["type"]], {norm(full), norm(full.split(",")[0])}))[1]
            if e["contains_propn"]:
                names.add(norm(e["text"]))
                if e["type"] == "person":
                    names.update(tails(e["text"]))
        elif e["contains_propn"]:
            unlinked.add(norm(e["text"]))
    return gold, unlinked


def paragraphs_of(record: dict) -> list[str]:
    return [b for b in record["text"].split("\n\n") if b.strip()]


def systems(records: list[dict]) -> dict[str, list[tuple[set[tuple[str, str]], set[str]]]]:
    """Per system, per record: the (name, type) predictions and the names typed "group"."""
    annotated, cache = annotate_cached("gum-news", [(r["doc"], paragraphs_of(r)) for r in records])
    ours = [
        (
            {(e.name, e.type) for p in ps for e in p.entities},
            {e.name for p in ps for e in p.entities if e.type == "group"},
        )
        for ps in annotated
    ]
    return {"searchkit": ours, "bare model": bare(cache, [len(paragraphs_of(r)) for r in records])}


def bare(cache: ParseCache, sizes: list[int]) -> list[tuple[set[tuple[str, str]], set[str]]]:
    out, k = [], 0
    for size in sizes:
        ents = [e for doc in cache.docs[k : k + size] for e in doc.ents]
        named = {(n, BARE[e.label_]) for e in ents if e.label_ in BARE and (n := clean(e.text))}
        out.append((named, {clean(e.text) for e in ents if e.label_ == "NORP"}))
        k += size
    return out


def score(records: list[dict], predictions, verbose: bool = False) -> dict[str, Counter]:
    counts = {t: Counter() for t in TYPES.values()}
    for record, (predicted_all, group_names) in zip(records, predictions, strict=True):
        gold, unlinked = gold_of(record)
        predicted = {(n, t) for n, t in predicted_all if t in counts}
        groups = {norm(n) for n in group_names}
        neutral = {i for i, (t, names) in gold.items() if t == "person" and names & groups and _is_group(i)}
        matched: set[str] = set()
        for name, kind in sorted(predicted):
            key = norm(name)
            hit = next((i for i, (t, names) in gold.items() if t == kind and key in names and i not in matched), None)
            if hit:
                matched.add(hit)
                counts[kind]["tp"] += 1
            elif not any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", u) for u in unlinked):
                counts[kind]["fp"] += 1
                if verbose:
                    print(f"  FP {record['doc']}: {kind} {name}")
        for identity, (kind, names) in gold.items():
            if identity not in matched and identity not in neutral:
                counts[kind]["fn"] += 1
                if verbose:
                    print(f"  FN {record['doc']}: {kind} {title(identity)} {sorted(names)}")
    return counts


def f1s(counts: dict[str, Counter]) -> dict[str, tuple[float, float, float]]:
    out = {}
    for kind, c in counts.items():
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        out[kind] = (p, r, 2 * p * r / max(1e-9, p + r))
    return out


def load(part: str, path: Path = DEFAULT) -> list[dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = set(split([r["doc"] for r in records], part))
    return [r for r in records if r["doc"] in chosen]


def run(part: str, path: Path = DEFAULT, verbose: bool = False) -> dict[str, dict[str, tuple[float, float, float]]]:
    records = load(part, path)
    return {
        label: f1s(score(records, preds, verbose and label == "searchkit")) for label, preds in systems(records).items()
    }


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    part = next((a for a in args if a in ("tune", "report", "all")), "report")
    paths = [a for a in args if a not in ("tune", "report", "all")]
    path = Path(paths[0]) if paths else DEFAULT
    if not path.exists():
        sys.exit(f"{path}: not found; pass the path to gum_news_entities.jsonl")
    rows = run(part, path, verbose="-v" in sys.argv)
    print(f"GUM news, {part} part ({len(load(part, path))} articles)")
    print(f"{'':12} " + "  ".join(f"{k + ' P/R/F1':>20}" for k in TYPES.values()))
    for label, per in rows.items():
        print(f"{label:12} " + "  ".join(f"{per[k][0]:6.3f} {per[k][1]:6.3f} {per[k][2]:6.3f}" for k in TYPES.values()))


if __name__ == "__main__":
    main()
