"""Speakers of direct quotations on PolNeAR dev (US political news), searchkit against the bare model.

Gold (built from the brat annotations, never from searchkit's output): an attribution is a *direct
quotation* when its Content holds a quote mark; it belongs to the original paragraph block (blank-line
separated, the title is block 1) where its first quote mark is. Its speaker is the Source's name:
parentheses and everything after the first comma dropped, a possessive dropped, then the last word
when the Source's head ends in a capitalised word ("House Speaker Paul D. Ryan (R-Wis.)" → ryan,
"the IMF" → imf; "The Clinton campaign", "He" and "the senator" name nobody by themselves). A Source
without one is resolved the way a reader would with the annotations alone: "he"/"she"/"I"/"his"/"her"
→ the nearest earlier named Source (skipping one whose title in the text, "Mr."/"Ms."/"Mrs.", says the
other gender); "who"/"which"/"that" → the
capitalised name just before it. Other unnamed Sources ("the senator", "sources", "they") stay
unresolved: per block, that many predicted speakers that match nothing are not counted as false
positives (the system may have resolved them right; the gold cannot tell). When an article has several
annotators, the first .ann file in name order is the gold.

Scoring (as the dev set's README says): per block, the set of speakers by surname (last word, lower
case) against the gold set; precision, recall and F1 over all (block, surname) pairs.
- ``searchkit``: the speakers of the quotes whose span starts in the block (``Paragraph.quotes``);
  ``searchkit speakers field``: the block's ``speakers`` (also speakers of reported speech, so its
  precision is lower by design).
- ``bare model``: in every block with a quote mark, for each sentence with a speech verb (searchkit's
  list, or "according to"), the model's PERSON entity nearest to that verb.

Split: see benchmarks/nlp_eval.py (sorted names, index % 3 == 0 is the report part).
Run: PYTHONPATH=. python benchmarks/speakers_polnear.py [tune|report|all] [-v]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp_eval import DATA, annotate_cached, prf, split

from searchkit.nlp.lexicon import SPEECH_VERBS

ROOT = DATA / "polnear-dev"
_QUOTE = re.compile(r"[“”\"]")
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "i": None}
_RELATIVE = {"who", "which", "that"}
_DETERMINERS = {"the", "a", "an"}


@dataclass
class Article:
    name: str
    text: str
    starts: list[int]  # character offset of each block
    blocks: list[str]
    gold: list[set[str]] = field(default_factory=list)
    unresolved: list[int] = field(default_factory=list)


def load(part: str) -> list[Article]:
    names = [p.stem for p in (ROOT / "text").glob("*.txt")]
    return [_article(name) for name in split(names, part)]


def _article(name: str) -> Article:
    text = (ROOT / "text" / f"{name}.txt").read_text(encoding="utf-8")
    starts, blocks = [], []
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        if m.group(0).strip():
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            starts.append(m.start() + lead)
            blocks.append(m.group(0).strip())
    article = Article(name, text, starts, blocks, [set() for _ in blocks], [0 for _ in blocks])
    ann = sorted((ROOT / "attributions").glob(f"{name}_*.ann"))[0]
    spans, relations = _read_ann(ann)
    named = sorted((s[0], key) for s in spans.values() if s[1] == "Source" and (key := _key(s[3])))
    for rel in relations:
        content, source = spans.get(rel.get("Content", "")), spans.get(rel.get("Source", ""))
        if content is None or not _QUOTE.search(content[3]):
            continue
        at = content[0] + _QUOTE.search(content[3]).start()
        block = max(i for i, s in enumerate(starts) if s <= at)
        key = _resolve(source, named, text) if source else None
        if key:
            article.gold[block].add(key)
        else:
            article.unresolved[block] += 1
    return article


def _read_ann(path: Path) -> tuple[dict[str, tuple[int, int, str, str]], list[dict[str, str]]]:
    spans, relations = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[parts[0]] = (pieces[0][0], pieces[-1][1], kind, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1)[::-1][::-1] for arg in parts[1].split() if ":" in arg))
    return spans, relations


def _key(source: str) -> str | None:
    """The Source's surname when it names someone (its head ends in a capitalised word), else None."""
    head = re.sub(r"\([^)]*\)", "", source).split(",")[0]
    head = re.sub(r"['’]s?$", "", head.strip())
    words = head.split()
    if not words or words[-1].lower() in _PRONOUNS or words[-1].lower() in _RELATIVE:
        return None
    last = words[-1].strip(".,;:\"“”'’")
    return last.lower() if last[:1].isupper() else None


def _resolve(source: tuple[int, int, str, str], named: list[tuple[int, str]], text: str) -> str | None:
    key = _key(source[3])
    if key:
        return key
    word = source[3].strip().lower()
    if word in _PRONOUNS:
        gender = _PRONOUNS[word]
        for _, candidate in reversed([n for n in named if n[0] < source[0]]):
            if gender is None or _gender(candidate, text) in (None, gender):
                return candidate
    elif word in _RELATIVE:
        before = re.search(r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)\s*,?\s*$", text[max(0, source[0] - 80) : source[0]])
        if before:
            return before.group(1).split()[-1].strip(".").lower()
    return None


def _gender(key: str, text: str) -> str | None:
    low = text.lower()
    male = re.search(rf"\bmr\.? {re.escape(key)}\b", low)
    female = re.search(rf"\b(?:mrs|ms)\.? {re.escape(key)}\b", low)
    return "m" if male and not female else "f" if female and not male else None


def surname(name: str | None) -> str | None:
    return name.split()[-1].strip(".").lower() if name and name.split() else None


def searchkit_sets(articles: list[Article]) -> tuple[list[list[set[str]]], list[list[set[str]]]]:
    annotated, _ = annotate_cached("polnear-dev", [(a.name, a.blocks) for a in articles])
    by_quote = [[{k for q in p.quotes if (k := surname(q.speaker))} for p in ps] for ps in annotated]
    by_field = [[{k for s in p.speakers if (k := surname(s.name))} for p in ps] for ps in annotated]
    return by_quote, by_field


def bare_sets(articles: list[Article]) -> list[list[set[str]]]:
    from nlp_eval import ParseCache

    cache = ParseCache("polnear-dev", [b for a in articles for b in a.blocks])
    out, k = [], 0
    for a in articles:
        out.append([_bare_block(doc) for doc in cache.docs[k : k + len(a.blocks)]])
        k += len(a.blocks)
    return out


def _bare_block(doc) -> set[str]:
    if not _QUOTE.search(doc.text):
        return set()
    found = set()
    for sent in doc.sents:
        verbs = [
            t.i
            for t in sent
            if t.lower_ in SPEECH_VERBS
            or (t.lower_ == "according" and t.nbor(1).lower_ == "to" if t.i + 1 < len(doc) else False)
        ]
        people = [e for e in doc.ents if e.label_ == "PERSON" and e.sent == sent]
        for v in verbs:
            if people:
                nearest = min(people, key=lambda e: min(abs(e.start - v), abs(e.end - 1 - v)))
                if (key := surname(re.sub(r"['’]s?$", "", nearest.text))) is not None:
                    found.add(key)
    return found


def _next(token) -> str:
    return token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""


def score(articles: list[Article], predicted: list[list[set[str]]], verbose: bool = False) -> Counter:
    c: Counter = Counter()
    for a, blocks in zip(articles, predicted, strict=False):
        for i, (gold, pred) in enumerate(zip(a.gold, blocks, strict=False)):
            c["tp"] += len(gold & pred)
            c["fn"] += len(gold - pred)
            extra = len(pred - gold)
            c["fp"] += max(0, extra - a.unresolved[i])
            if verbose and (gold ^ pred):
                print(f"  {a.name} #{i + 1}: gold {sorted(gold)} (+{a.unresolved[i]} unresolved) got {sorted(pred)}")
    return c


def run(part: str, verbose: bool = False) -> dict[str, tuple[float, float, float]]:
    articles = load(part)
    by_quote, by_field = searchkit_sets(articles)
    rows = {
        "searchkit": score(articles, by_quote, verbose),
        "searchkit speakers field": score(articles, by_field),
        "bare model": score(articles, bare_sets(articles)),
    }
    return {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in rows.items()}


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "-v"]
    part = args[0] if args else "report"
    if not ROOT.exists():
        sys.exit(f"{ROOT}: not found")
    articles = load(part)
    print(
        f"PolNeAR dev, {part} part: {len(articles)} articles, {sum(len(a.blocks) for a in articles)} blocks, "
        f"{sum(len(g) for a in articles for g in a.gold)} gold (block, speaker) pairs"
    )
    print(f"{'':26} {'P':>6} {'R':>6} {'F1':>6}")
    for label, (p, r, f) in run(part, "-v" in sys.argv).items():
        print(f"{label:26} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
