"""Fuzz: generated queries and records thrown at a real collection; counts crashes and slow queries.

    python benchmarks/fuzz.py --home COLLECTION [--queries 10000] [--records 1000] [--seed 17]

Queries come from a seeded generator over the collection's own vocabulary (words of its articles, names
of its people, organisations and places) mixed with the query language's operators, fields, wildcards,
fuzzy words, dates and ranges, and with garbage (stray operators and brackets, control characters,
unpaired surrogates, words of up to 5,000 characters). Each runs through the Python API, with random
search options (filters, by article, sorting, pages, facets), and all of them again as one
``searchkit query --batch`` run, whose per-query time is taken from when each answer is printed.

A crash is anything but a result or a typed ``SearchkitError`` (the CLI: exit 2 and one line); a slow
query is one over 2 s (wall clock, and separately CPU time: on a shared machine the wall clock also
counts other processes' turns). Records: ``--records`` generated JSON records (valid ones, wrong types, missing
or empty fields, hostile text) go through ``searchkit add`` as a JSON Lines feed and as files into a new
collection; a crash there is a traceback or "unexpected", and the collection must pass ``doctor``.

The collection is only read (the records go into a collection of their own). Exit 1 on any crash.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searchkit.collection import Collection  # noqa: E402
from searchkit.engine.limits import QUERY_SECONDS_ENV  # noqa: E402
from searchkit.errors import SearchkitError  # noqa: E402

SLOW_SECONDS = 2.0
FIELDS = ("title", "text", "speaker", "person", "org", "place", "entity", "source", "section", "author", "url")
FIELDS_ODD = ("date", "has", "quote", "nosuchfield", "TITLE", "id", "article", "n", "")
OPERATORS = ("AND", "OR", "NOT", "and", "or", "not", "-", "+", "&&", "||", "!")
GARBAGE = (
    "(",
    ")",
    '"',
    "((((",
    "))",
    ":::",
    "*",
    "?",
    "~",
    "^",
    "^2",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "/",
    "date:",
    "..",
    "'",
    "\x1b[31m",
    "\u202e",
    "\x00",
    "\ud800",
    "\u0301",
    "🙂",
    "ß",
    "İ",
    "ﬁ",
)


class Generator:
    """Seeded queries and options over a collection's vocabulary."""

    def __init__(self, rng: random.Random, words: list[str], names: list[str], sources: list[str]):
        self.rng, self.words, self.names, self.sources = rng, words, names, sources

    def word(self) -> str:
        return self.rng.choice(self.words)

    def name(self) -> str:
        return self.rng.choice(self.names) if self.names else self.word()

    def date(self) -> str:
        r = self.rng
        year = r.choice([1987, 2004, 2005, 1, 9999, 10000, 0, 2025, r.randint(1, 9999)])
        forms = [
            f"{year}",
            f"{year}-{r.randint(0, 13):02d}",
            f"{year}-{r.randint(1, 12):02d}-{r.randint(0, 32):02d}",
            "yesterday",
            "1987-02-30",
            "-5",
            "99999999999999999999",
        ]
        return r.choice(forms)

    def term(self) -> str:
        r, w = self.rng, self.word()
        kind = r.random()
        if kind < 0.35:
            return w
        if kind < 0.45:
            return f'"{w} {self.word()}"' if r.random() < 0.8 else f'"{self.name()}"'
        if kind < 0.55:
            return f"{r.choice(FIELDS)}:{self.name() if r.random() < 0.5 else w}"
        if kind < 0.6:
            return f'{r.choice(FIELDS)}:"{self.name()}"'
        if kind < 0.67:
            cut = r.randint(0, len(w))
            return r.choice([f"{w[:cut]}*", f"*{w[cut:]}", f"{w[:cut]}?{w[cut + 1 :]}", f"*{w[1:3]}*", "*"])
        if kind < 0.73:
            return f"{w}~{r.choice(['', '1', '2', '3', '9', '99', '-1', 'x'])}"
        if kind < 0.8:
            op = r.choice([":", ":>", ":<", ":>=", ":<=", ":"])
            if r.random() < 0.3:
                return f"date:{self.date()}..{self.date()}"
            return f"date{op}{self.date()}"
        if kind < 0.84:
            return f"{r.choice(FIELDS_ODD)}:{w}"
        if kind < 0.88:
            return f"{w}^{r.choice(['2', '0', '-1', '1e9', 'x'])}"
        if kind < 0.9:
            return "".join(r.choice("abcdefghij") for _ in range(r.choice([200, 201, 1000, 5000])))
        if kind < 0.95:
            return r.choice(GARBAGE)
        return "".join(chr(r.randint(1, 0x2FFF)) for _ in range(r.randint(1, 12)))

    def query(self) -> str:
        r = self.rng
        parts: list[str] = []
        for _ in range(r.choice([1, 1, 1, 2, 2, 3, 4, 6, 12])):
            if parts and r.random() < 0.3:
                parts.append(r.choice(OPERATORS))
            term = self.term()
            if r.random() < 0.1:
                term = f"({term} {r.choice(['OR', 'AND', ''])} {self.term()})"
            parts.append(term)
        text = " ".join(parts)
        if r.random() < 0.02:
            text = text * r.randint(20, 200)  # over the query length limit, sometimes
        return text

    def options(self) -> dict[str, Any]:
        r = self.rng
        options: dict[str, Any] = {}
        if r.random() < 0.25:
            options["by"] = "article"
        if r.random() < 0.2:
            options["sort"] = r.choice(["date", "-date", "relevance"])
        if r.random() < 0.2:
            options[r.choice(["person", "org", "place", "speaker", "entity"])] = (self.name(),)
        if r.random() < 0.1 and self.sources:
            options["source"] = (r.choice(self.sources),)
        if r.random() < 0.15:
            options["since"] = self.date()
        if r.random() < 0.1:
            options["until"] = self.date()
        if r.random() < 0.1:
            options["page"] = r.choice([1, 2, 50, 100000])
        if r.random() < 0.1:
            options["limit"] = r.choice([1, 5, 100])
        if r.random() < 0.1:
            options["facets"] = tuple(r.sample(["speaker", "person", "org", "place", "date", "source"], 2))
        if r.random() < 0.05:
            options["dedupe"] = True
        if r.random() < 0.05:
            options["match"] = "all"
        return options


def vocabulary(coll: Collection, rng: random.Random, files: int = 400) -> tuple[list[str], list[str], list[str]]:
    """Words from a sample of the corpus's articles, and the collection's most frequent names."""
    infos = coll.articles()
    words: set[str] = set()
    for info in rng.sample(infos, min(files, len(infos))):
        for article in coll.corpus.read(info.path).articles:
            for block in article.blocks:
                words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{1,20}", block.text))
    budget = os.environ.get(QUERY_SECONDS_ENV)
    os.environ[QUERY_SECONDS_ENV] = "0"  # the fuzzer's own set-up, not a query under test
    try:
        names = [n.name for n in coll.names(["person", "org", "place"], limit=300)]
    finally:
        if budget is None:
            del os.environ[QUERY_SECONDS_ENV]
        else:
            os.environ[QUERY_SECONDS_ENV] = budget
    sources = sorted({a.source for a in infos if a.source})
    return sorted(words), names, sources


def run_api(coll: Collection, queries: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    crashes, slow, slow_cpu, errors, times, timed, loads = [], [], [], 0, [], [], []
    kinds: dict[str, int] = {}
    with coll.session() as session:
        for i, (text, options) in enumerate(queries):
            if i % 100 == 0:
                loads.append(os.getloadavg()[0])
            started, cpu = time.perf_counter(), time.process_time()
            try:
                session.search(text, **options)
            except SearchkitError as exc:
                errors += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                if not str(exc).strip():
                    crashes.append((text, options, "a typed error without a message"))
            except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
                crashes.append((text, options, f"{type(exc).__name__}: {exc}"[:300]))
            took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
            times.append(took)
            timed.append((round(took, 2), round(took_cpu, 2), text[:200], options))
            if took > SLOW_SECONDS:
                slow.append((text, options, round(took, 2), round(took_cpu, 2)))
            if took_cpu > SLOW_SECONDS:
                slow_cpu.append((text, options, round(took_cpu, 2)))
    slowest = sorted(timed, key=lambda t: -t[0])[:10]
    slowest_cpu = sorted(timed, key=lambda t: -t[1])[:10]
    return {
        "crashes": crashes,
        "slow": slow,
        "slow_cpu": slow_cpu,
        "errors": errors,
        "error_kinds": kinds,
        "times": times,
        "slowest": slowest,
        "slowest_cpu": slowest_cpu,
        "load": loads,
    }


def load_summary(loads: list[float]) -> dict[str, float]:
    """The 1-minute load average as sampled during a stage (the machine may be shared)."""
    if not loads:
        return {}
    return {"min": min(loads), "mean": round(sum(loads) / len(loads), 1), "max": max(loads)}


def run_batch(home: Path, texts: list[str]) -> dict[str, Any]:
    """All queries as one ``query --batch`` run; each query's time is the gap before its answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8", errors="replace") as f:
        for text in texts:
            f.write(text.replace("\n", " ").replace("\r", " ") + "\n")
        path = f.name
    command = [sys.executable, "-m", "searchkit", "--home", str(home), "query", "--batch", path, "--jsonl"]
    # stderr to a file: one "Error: line N" per failed query fills a pipe nobody reads until the end
    errors = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, errors="replace")
    first_at: dict[int, float] = {}
    loads: list[float] = []
    last = time.perf_counter()
    started = last
    assert proc.stdout is not None
    gaps: dict[int, float] = {}
    for line in proc.stdout:
        now = time.perf_counter()
        record = json.loads(line)
        n = record.get("line")
        if n not in first_at:
            first_at[n] = now
            gaps[n] = now - last
            if len(first_at) % 100 == 0:
                loads.append(os.getloadavg()[0])
        last = now
    proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    errors.seek(0)
    err = errors.read()
    errors.close()
    unexpected = [line for line in err.splitlines() if "unexpected" in line or "Traceback" in line]
    said = re.search(r"(\d+) queries, (\d+) failed", err)
    ran = int(said.group(1)) if said else 0
    first = min(first_at, default=None)
    slow = [(texts[n - 1][:200], round(gap, 2)) for n, gap in gaps.items() if gap > SLOW_SECONDS and n != first]
    slowest = sorted(((round(gap, 2), texts[n - 1][:200]) for n, gap in gaps.items() if n != first), reverse=True)
    return {
        "exit": proc.returncode,
        "ran": ran,
        "failed": int(said.group(2)) if said else None,
        "crashes": unexpected + ([] if proc.returncode in (0, 1) else [f"exit {proc.returncode}"]),
        "slow": slow,
        "slowest": slowest[:10],
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
        "load": load_summary(loads),
    }


def records(rng: random.Random, words: list[str], count: int) -> Iterator[dict[str, Any]]:
    """JSON records: about half valid, the rest with wrong types, missing or odd fields, hostile text."""
    odd_values: list[Any] = [
        None,
        5,
        2.5,
        True,
        [],
        {},
        ["2020"],
        {"a": 1},
        "",
        " ",
        "\x1b]0;x\x07",
        "\ud800",
        "x" * 3000,
    ]

    def text() -> str:
        body = " ".join(rng.choice(words) for _ in range(rng.randint(3, 60)))
        return body[0].upper() + body[1:] + "." if body else body

    for i in range(count):
        record: dict[str, Any] = {"id": rng.choice([f"r{i}", f"r{i}", "..", "../", "a/b", "", i, None, "r1"])}
        shape = rng.random()
        if shape < 0.3:
            record["text"] = "\n\n".join(text() for _ in range(rng.randint(1, 5)))
        elif shape < 0.6:
            record["blocks"] = [{"text": text(), "heading": rng.choice([None, False, True])} for _ in range(3)]
        elif shape < 0.7:
            record["blocks"] = rng.choice([[], [{"text": 5}], ["x"], [{"text": ""}], None, "text"])
        elif shape < 0.75:
            record["text"] = text() * rng.choice([50, 400])  # long paragraphs (up to ~150 KB)
        else:
            record[rng.choice(["text", "body", "content"])] = rng.choice(odd_values + [text()])
        for key in ("title", "date", "source", "url", "authors", "language", "provenance"):
            if rng.random() < 0.4:
                record[key] = rng.choice(odd_values + [text()[:80], "2004-05-06", "26-FEB-1987 15:01:01.79"])
        yield record


def run_records(rng: random.Random, words: list[str], count: int, work: Path) -> dict[str, Any]:
    home = work / "records"
    Collection.init(home)
    generated = list(records(rng, words, count))
    feed = work / "feed.jsonl"
    with open(feed, "w", encoding="utf-8") as handle:
        for record in generated[: count // 2]:
            handle.write(json.dumps(record) + "\n")
    folder = work / "files"
    folder.mkdir()
    for i, record in enumerate(generated[count // 2 :]):
        (folder / f"{i:05d}.json").write_text(json.dumps(record), "utf-8")
    crashes = []
    outcomes: dict[str, int] = {}
    for target in (feed, folder):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "searchkit", "--home", str(home), "add", str(target), "--json"],
            capture_output=True,
            text=True,
            errors="replace",
        )
        if proc.returncode not in (0, 1) or "unexpected" in proc.stderr or "Traceback" in proc.stderr:
            crashes.append(f"add {target.name}: exit {proc.returncode}: {proc.stderr[-500:]}")
            continue
        for outcome in json.loads(proc.stdout or "[]"):
            outcomes[outcome["status"]] = outcomes.get(outcome["status"], 0) + 1
        outcomes[f"seconds_{target.name}"] = round(time.perf_counter() - started, 1)
    doctor = subprocess.run(
        [sys.executable, "-m", "searchkit", "--home", str(home), "doctor"], capture_output=True, text=True
    )
    if doctor.returncode != 0:
        crashes.append(f"doctor after the records: {doctor.stdout[-500:]}")
    return {"records": len(generated), "outcomes": outcomes, "crashes": crashes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, type=Path, help="collection to query (only read)")
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--stages", default="api,batch,records", help="which of api,batch,records to run")
    args = parser.parse_args()
    stages = set(args.stages.split(","))
    rng = random.Random(args.seed)
    coll = Collection(args.home)
    words, names, sources = vocabulary(coll, rng)
    gen = Generator(rng, words, names, sources)
    queries = [(gen.query(), gen.options() if rng.random() < 0.6 else {}) for _ in range(args.queries)]
    print(json.dumps({"collection": str(args.home), "words": len(words), "names": len(names)}), flush=True)
    crashed = 0
    if "api" in stages:
        started = time.perf_counter()
        api = run_api(coll, queries)
        times = sorted(api["times"])
        crashed += len(api["crashes"])
        report = {
            "queries": len(queries),
            "seconds": round(time.perf_counter() - started),
            "typed_errors": api["errors"],
            "typed_error_kinds": api["error_kinds"],
            "crashes": len(api["crashes"]),
            "over_2s": len(api["slow"]),
            "over_2s_cpu": len(api["slow_cpu"]),
            "p50_ms": round(times[len(times) // 2] * 1000, 1),
            "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 1),
            "max_ms": round(times[-1] * 1000, 1),
            "crash_examples": api["crashes"][:10],
            "slowest_wall": api["slowest"],
            "slowest_cpu": api["slowest_cpu"],
            "load": load_summary(api["load"]),
        }
        print(json.dumps({"api": report}, default=str), flush=True)
    if "batch" in stages:
        batch = run_batch(args.home, [text for text, _ in queries])
        crashed += len(batch["crashes"])
        summary = {k: (len(v) if isinstance(v, list) else v) for k, v in batch.items()}
        summary.update(crash_examples=batch["crashes"][:10], slowest=batch["slowest"])
        print(json.dumps({"batch": summary}, default=str), flush=True)
    if "records" in stages and args.records:
        with tempfile.TemporaryDirectory() as work:
            recs = run_records(rng, words, args.records, Path(work))
        crashed += len(recs["crashes"])
        print(json.dumps({"records": recs}, default=str), flush=True)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
