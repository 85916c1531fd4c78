"""searchkit benchmark on real news (BBC + Reuters): adding, index writing, size, queries, a whole CLI
process, and SQLite FTS5 / ``sqlite-utils search`` side by side on the same paragraphs and queries.

Run from a checkout (benchmarks whatever ``searchkit`` is importable, normally this checkout):

    PYTHONPATH=. python benchmarks/run.py --data ../shared/data --home ../bench-home \
        --out benchmarks/results/latest.json
    PYTHONPATH=. python benchmarks/run.py --data ../shared/data --home ../bench-home --reuse --out ...  # no build

Without ``--reuse`` the collection in --home is built from scratch (BBC + Reuters, ~10+ minutes on 2 cores)
by ``build.py`` in its own process; with ``--reuse`` an existing build (and its recorded cost) is used.
Compare two runs with ``python benchmarks/compare.py a.json b.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from queries import CLI_QUERIES, QUERIES  # noqa: E402

FTS_DB = "bench-fts.db"
FTS_COLUMNS = ("title", "section", "text", "speaker", "source", "person", "org", "place")
NAME_FACETS = ("speaker", "person", "org", "place")
ROW_FACETS = ("source", "section", "year", "article")

TARGETS = {
    "cli_query_median_ms": ("<", 300, "and <= sqlite-utils search"),
    "query_p50_ms": ("<=", 15, ""),
    "query_p95_ms": ("<=", 60, ""),
    "add_vs_model": (">=", 0.7, "x the NLP model alone (wall)"),
    "add_vs_model_cpu": (">=", 0.7, "x the NLP model alone (CPU s)"),
    "index_write_paragraphs_per_s": (">=", 5000, ""),
    "add_peak_rss_mb": ("<=", 1536, ""),
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def pct(values: list[float], p: int) -> float:
    """The p-th percentile (inclusive method), in ms."""
    if len(values) == 1:
        return round(values[0] * 1000, 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000, 2)


def child_env() -> dict[str, str]:
    """The environment for child processes: the same searchkit as this process imports."""
    import searchkit

    root = str(Path(searchkit.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    env.pop("SEARCHKIT_HOME", None)
    return env


def describe() -> dict:
    import searchkit

    root = Path(searchkit.__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    return {
        "searchkit": str(root),
        "commit": git("rev-parse", "--short", "HEAD"),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "searchkit")),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


# -- building ----------------------------------------------------------------------------------------


def build(home: Path, data: Path, reuse: bool, copies: int) -> dict:
    record = home / "bench-build.json"
    if reuse and record.exists():
        log(f"reusing the collection in {home}")
        return {**json.loads(record.read_text()), "reused": True}
    log(f"building {home} from {data} (copies={copies}); this takes a while")
    subprocess.run(
        [sys.executable, str(HERE / "build.py"), str(home), str(data), "--copies", str(copies)],
        env=child_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {**json.loads(record.read_text()), "reused": False}


def add_speed(data: Path, articles: int, reps: int) -> dict:
    log(f"adding speed: {articles} BBC articles x {reps}")
    out = subprocess.run(
        [sys.executable, str(HERE / "add_speed.py"), str(data / "bbc-news"), str(articles), str(reps)],
        env=child_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- index writing alone -----------------------------------------------------------------------------


def stored_paragraphs(home: Path, limit: int | None = None):
    """(Article, ArticleInfo, Paragraph) rebuilt from the index's stored fields: pre-annotated input."""
    from searchkit.collection import Collection
    from searchkit.engine.stored import stored_entities, stored_quotes, stored_speakers
    from searchkit.model import Article, ArticleInfo, Paragraph

    coll = Collection(home)
    ix = coll.index.open()
    out = []
    try:
        with ix.searcher() as searcher:
            for fields in searcher.documents():
                article = Article(
                    blocks=[],
                    id=fields["article"],
                    path=fields.get("path", ""),
                    title=fields.get("title") or None,
                    source=fields.get("source") or None,
                    date=fields.get("published"),
                    url=fields.get("url") or None,
                )
                info = ArticleInfo(
                    id=article.id, path=article.path, hash="", paragraphs=0, added=fields.get("added", 0)
                )
                paragraph = Paragraph(
                    article_id=article.id,
                    n=fields["n"],
                    text=fields.get("text", ""),
                    section=fields.get("section") or None,
                    speakers=stored_speakers(fields),
                    entities=stored_entities(fields),
                    quotes=stored_quotes(fields),
                )
                out.append((article, info, paragraph))
                if limit and len(out) >= limit:
                    break
    finally:
        ix.close()
    return out


def index_write(home: Path, paragraphs: int, reps: int) -> dict:
    """Catalogue.build on pre-annotated paragraphs (no NLP): the index-writing part of adding alone."""
    from searchkit.catalogue import Catalogue, Manifest
    from searchkit.engine.base import ParagraphDoc
    from searchkit.engine.base import load as load_engine

    log(f"index writing alone: {paragraphs} paragraphs x {reps}")
    triples = stored_paragraphs(home, paragraphs)
    docs = [ParagraphDoc.of(*t) for t in triples]
    scratch = Path(tempfile.mkdtemp(prefix="searchkit-bench-write-"))
    times = []
    try:
        for rep in range(reps + 1):  # the first is a warm-up
            store = Catalogue(scratch / f"index{rep}", lambda: load_engine("whoosh"))
            start = time.perf_counter()
            store.build(Manifest(), iter(docs))
            if rep:
                times.append(time.perf_counter() - start)
            shutil.rmtree(scratch / f"index{rep}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    med = statistics.median(times)
    return {
        "paragraphs": len(docs),
        "seconds": [round(t, 2) for t in times],
        "paragraphs_per_s": round(len(docs) / med),
    }


def sizes(home: Path) -> dict:
    from searchkit.collection import Collection

    coll = Collection(home)
    gen = coll.index.generation()
    files = list(gen.iterdir()) if gen else []

    def total(folder: Path) -> int:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    return {
        "index_bytes": sum(p.stat().st_size for p in files if p.is_file()),
        "index_files": len(files),
        "manifest_bytes": (gen / "manifest.json").stat().st_size if gen and (gen / "manifest.json").exists() else 0,
        "corpus_bytes": total(home / "corpus"),
        "corpus_files": sum(1 for p in (home / "corpus").rglob("*") if p.is_file()),
    }


# -- queries in process ------------------------------------------------------------------------------


def query_latency(home: Path, reps: int) -> dict:
    """Per-query median over ``reps`` after a warm-up pass; p50/p95 across the query set."""
    from searchkit.collection import Collection
    from searchkit.engine.whoosh import search as search_module

    log(f"queries in process: {len(QUERIES)} x {reps}")
    coll = Collection(home)
    facets_supported = hasattr(search_module, "DEFAULT_FACETS")
    out: dict = {
        "queries": len(QUERIES),
        "reps": reps,
        "facets_supported": facets_supported,
        "default_facets": list(getattr(search_module, "DEFAULT_FACETS", ())),
    }

    def run(label: str, call) -> None:
        per_query, totals, facet_counts, by_kind = [], {}, 0, {}
        for _, q, _ in QUERIES:  # warm-up
            call(q)
        for kind, q, _ in QUERIES:
            times = []
            for _ in range(reps):
                start = time.perf_counter()
                result = call(q)
                times.append(time.perf_counter() - start)
            per_query.append(statistics.median(times))
            by_kind.setdefault(kind, []).append(statistics.median(times))
            totals[q] = result.total
            facet_counts = max(facet_counts, len(getattr(result, "facets", []) or []))
        out[label] = {
            "p50_ms": pct(per_query, 50),
            "p95_ms": pct(per_query, 95),
            "max_ms": round(max(per_query) * 1000, 2),
            "by_kind_p50_ms": {k: pct(v, 50) for k, v in by_kind.items()},
            "facets_returned": facet_counts,
        }
        out["totals"] = totals

    run("collection_search", lambda q: coll.search(q, limit=10))
    ix = coll.index.open()
    try:
        run("open_index", lambda q: search_module.search(ix, q, limit=10))
    finally:
        ix.close()
    return out


def freshness(home: Path, reps: int = 5) -> dict:
    """What ``searchkit query`` pays before searching to detect hand edits in corpus/."""
    from searchkit.collection import Collection

    coll = Collection(home)
    timings = {"stale": [], "scan": [], "manifest": []}
    for _ in range(reps + 1):
        for name, call in (("stale", coll.stale), ("scan", coll.corpus.scan), ("manifest", coll.index.manifest)):
            start = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - start)
    return {f"{k}_ms": median_ms(v[1:]) for k, v in timings.items()}


# -- whole processes ---------------------------------------------------------------------------------


def searchkit_root() -> str:
    import searchkit

    return str(Path(searchkit.__file__).resolve().parent.parent)


def time_process(cmd: list[str], runs: int, env: dict | None = None) -> list[float]:
    """Wall time of whole runs; in the measured searchkit's folder, as ``-m`` puts the cwd first on sys.path."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, cwd=searchkit_root())
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
        if i:  # the first run is a warm-up (page cache)
            times.append(elapsed)
    return times


def cli_latency(home: Path, runs: int) -> dict:
    log(f"searchkit query as a process: {len(CLI_QUERIES)} queries x {runs}")
    env = child_env()
    per_query, all_runs = {}, []
    for q in CLI_QUERIES:
        times = time_process([sys.executable, "-m", "searchkit", "--home", str(home), "query", q], runs, env)
        per_query[q] = median_ms(times)
        all_runs += times
    base = time_process([sys.executable, "-c", "pass"], runs)
    imp = time_process([sys.executable, "-c", "import searchkit.cli"], runs, env)
    which = subprocess.run(
        [sys.executable, "-c", "import searchkit; print(searchkit.__file__)"],
        env=env,
        cwd=searchkit_root(),
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "searchkit_measured": which,
        "median_ms": median_ms(all_runs),
        "per_query_ms": per_query,
        "runs_per_query": runs,
        "python_startup_ms": median_ms(base),
        "import_cli_ms": median_ms(imp),
    }


# -- SQLite FTS5 side by side ------------------------------------------------------------------------


def build_fts(home: Path, reuse: bool) -> tuple[Path, dict]:
    """The same paragraphs in SQLite: a content table, an FTS5 index (porter) made by sqlite-utils, a names table."""
    import sqlite_utils

    path = home / FTS_DB
    if reuse and path.exists():
        return path, {"reused": True, "bytes": path.stat().st_size}
    log("building the SQLite FTS5 copy of the paragraphs")
    if path.exists():
        path.unlink()
    start = time.perf_counter()
    rows, names = [], []
    for rowid, (article, _, p) in enumerate(stored_paragraphs(home), 1):
        by_type = {t: sorted({e.name for e in p.entities if e.type == t}) for t in ("person", "org", "place")}
        speakers = sorted({s.name for s in p.speakers})
        rows.append(
            {
                "rowid": rowid,
                "id": f"{p.article_id}#{p.n}",
                "article": p.article_id,
                "title": article.title,
                "section": p.section,
                "text": p.text,
                "source": article.source,
                "date": article.date,
                "year": (article.date or "")[:4] or None,
                "speaker": ", ".join(speakers),
                **{t: ", ".join(v) for t, v in by_type.items()},
            }
        )
        names += [(rowid, "speaker", n) for n in speakers]
        names += [(rowid, t, n) for t, v in by_type.items() for n in v]
    db = sqlite_utils.Database(path)
    db["paragraphs"].insert_all(rows, pk="rowid", batch_size=5000)
    db["names"].insert_all(({"pid": a, "facet": b, "name": c} for a, b, c in names), batch_size=5000)
    db["names"].create_index(["pid"])
    db["paragraphs"].enable_fts(list(FTS_COLUMNS), tokenize="porter", create_triggers=False)
    db.conn.execute("VACUUM")
    db.conn.close()
    return path, {
        "reused": False,
        "seconds": round(time.perf_counter() - start, 1),
        "rows": len(rows),
        "bytes": path.stat().st_size,
    }


def fts_search(conn: sqlite3.Connection, q: str) -> dict:
    """Top 10 by bm25 with snippet(), the total, and facet counts by GROUP BY (what searchkit returns)."""
    hits = conn.execute(
        "SELECT p.id, p.title, snippet(paragraphs_fts, 2, '[', ']', '…', 30), "
        "bm25(paragraphs_fts, 2.0, 1.5, 1.0) AS rank FROM paragraphs_fts "
        "JOIN paragraphs p ON p.rowid = paragraphs_fts.rowid WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT 10",
        (q,),
    ).fetchall()
    conn.execute("DELETE FROM temp.m")
    conn.execute("INSERT INTO temp.m SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ?", (q,))
    total = conn.execute("SELECT count(*) FROM temp.m").fetchone()[0]
    facets = {}
    for col in ROW_FACETS:
        facets[col] = conn.execute(
            f"SELECT {col}, count(*) c FROM paragraphs JOIN temp.m ON paragraphs.rowid = m.rowid "
            f"WHERE {col} IS NOT NULL AND {col} != '' GROUP BY 1 ORDER BY c DESC LIMIT 10"
        ).fetchall()
    counts = conn.execute(
        "SELECT facet, name, count(*) c FROM names JOIN temp.m ON names.pid = m.rowid GROUP BY 1, 2"
    ).fetchall()
    for facet in NAME_FACETS:
        facets[facet] = sorted(((n, c) for f, n, c in counts if f == facet), key=lambda x: -x[1])[:10]
    return {"hits": hits, "total": total, "facets": facets}


def fts_latency(path: Path, reps: int, runs: int) -> dict:
    log(f"SQLite FTS5: {len(QUERIES)} queries x {reps}; sqlite-utils search x {runs}")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TEMP TABLE m (rowid INTEGER PRIMARY KEY)")
    per_query, totals = [], {}
    for _, _, q in QUERIES:
        fts_search(conn, q)
    for _, sq, q in QUERIES:
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            result = fts_search(conn, q)
            times.append(time.perf_counter() - start)
        per_query.append(statistics.median(times))
        totals[sq] = result["total"]
    conn.close()
    tool = shutil.which(
        "sqlite-utils", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    cli = {}
    all_runs = []
    if tool:
        by_sk = {sk: fq for _, sk, fq in QUERIES}
        for q in CLI_QUERIES:
            times = time_process([tool, "search", str(path), "paragraphs", by_sk.get(q, q), "--limit", "10"], runs)
            cli[q] = median_ms(times)
            all_runs += times
    return {
        "in_process": {
            "p50_ms": pct(per_query, 50),
            "p95_ms": pct(per_query, 95),
            "max_ms": round(max(per_query) * 1000, 2),
        },
        "sqlite_utils_search": {
            "median_ms": median_ms(all_runs) if all_runs else None,
            "per_query_ms": cli,
            "tool": tool,
        },
        "totals": totals,
    }


# -- report ------------------------------------------------------------------------------------------


def summary(r: dict) -> dict:
    """The headline numbers, flat, as the targets and compare.py name them."""
    s: dict = {}
    b = r.get("build") or {}
    if "articles" in b:  # a recorded build (not a collection made by hand and reused)
        s.update(
            {
                "build_articles": b["articles"],
                "build_paragraphs": b["paragraphs"],
                "build_seconds": b["seconds"],
                "build_articles_per_s": b["articles_per_s"],
                "build_words_per_s": b["words_per_s"],
                # main process + the NLP workers' (each at most the largest worker's peak): an upper bound
                "add_peak_rss_mb": round(b["peak_rss_mb_main"] + b.get("nlp_workers", 2) * b["peak_rss_mb_worker"], 1),
                "add_peak_rss_mb_main": b["peak_rss_mb_main"],
                "add_peak_rss_mb_worker": b["peak_rss_mb_worker"],
            }
        )
    a = r.get("add") or {}
    if a:
        s.update(
            {
                "add_words_per_s": a["words_per_s"]["add"],
                "add_articles_per_s": a["articles_per_s"]["add"],
                "annotate_words_per_s": a["words_per_s"]["annotate"],
                "model_words_per_s": a["words_per_s"]["model"],
                "add_vs_model": a["add_vs_model"],
                "add_vs_annotate": a["add_vs_annotate"],
                "add_vs_model_cpu": a.get("cpu_add_vs_model"),
                "add_vs_annotate_cpu": a.get("cpu_add_vs_annotate"),
            }
        )
    if r.get("index_write"):
        s["index_write_paragraphs_per_s"] = r["index_write"]["paragraphs_per_s"]
    if r.get("sizes"):
        s["index_mb"] = round(r["sizes"]["index_bytes"] / 2**20, 1)
        s["corpus_mb"] = round(r["sizes"]["corpus_bytes"] / 2**20, 1)
    q = r.get("queries") or {}
    if q:
        s.update(
            {
                "query_p50_ms": q["collection_search"]["p50_ms"],
                "query_p95_ms": q["collection_search"]["p95_ms"],
                "query_open_ix_p50_ms": q["open_index"]["p50_ms"],
                "query_open_ix_p95_ms": q["open_index"]["p95_ms"],
                "facets_returned": q["collection_search"]["facets_returned"],
            }
        )
    if r.get("freshness"):
        s["freshness_check_ms"] = r["freshness"]["stale_ms"]
    if r.get("cli"):
        s.update(
            {
                "cli_query_median_ms": r["cli"]["median_ms"],
                "python_startup_ms": r["cli"]["python_startup_ms"],
                "import_cli_ms": r["cli"]["import_cli_ms"],
            }
        )
    f = r.get("fts") or {}
    if f:
        s.update(
            {
                "fts5_p50_ms": f["in_process"]["p50_ms"],
                "fts5_p95_ms": f["in_process"]["p95_ms"],
                "sqlite_utils_search_median_ms": f["sqlite_utils_search"]["median_ms"],
            }
        )
        if r.get("fts_build"):
            s["fts5_db_mb"] = round(r["fts_build"]["bytes"] / 2**20, 1)
    return s


def verdicts(s: dict) -> dict:
    out = {}
    for key, (op, limit, _) in TARGETS.items():
        if key not in s:
            continue
        v = s[key]
        ok = v < limit if op == "<" else v <= limit if op == "<=" else v >= limit
        if key == "cli_query_median_ms" and s.get("sqlite_utils_search_median_ms") is not None:
            ok = ok and v <= s["sqlite_utils_search_median_ms"]
        out[key] = ok
    return out


def print_table(s: dict, ok: dict) -> None:
    print(f"\n{'metric':34} {'value':>14}  target")
    for key, value in s.items():
        target = ""
        if key in TARGETS:
            op, limit, note = TARGETS[key]
            target = f"{op} {limit} {note}".strip() + ("  OK" if ok.get(key) else "  MISSED")
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
        print(f"{key:34} {shown:>14}  {target}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument(
        "--home",
        type=Path,
        default=Path(tempfile.gettempdir()) / "searchkit-bench-home",
        help="collection folder to build (or reuse); keep it outside any repository",
    )
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    ap.add_argument("--reuse", action="store_true", help="reuse the collection already built in --home")
    ap.add_argument("--copies", type=int, default=1, help="build N copies of the data (distinct ids) to see growth")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per query (after a warm-up)")
    ap.add_argument("--cli-runs", type=int, default=5, help="runs per whole-process query (after a warm-up)")
    ap.add_argument("--add-articles", type=int, default=300, help="BBC articles in the adding sample")
    ap.add_argument("--add-reps", type=int, default=3)
    ap.add_argument("--write-paragraphs", type=int, default=20000, help="paragraphs in the index-writing test")
    ap.add_argument("--only", default="", help="comma-separated parts: build,add,write,size,query,fresh,cli,fts")
    args = ap.parse_args()
    parts = set(filter(None, args.only.split(","))) or {"build", "add", "write", "size", "query", "fresh", "cli", "fts"}
    home = args.home.resolve()
    results: dict = {"meta": {**describe(), "home": str(home), "args": {k: str(v) for k, v in vars(args).items()}}}
    results["build"] = build(home, args.data.resolve(), args.reuse or "build" not in parts, args.copies)
    if "add" in parts:
        results["add"] = add_speed(args.data.resolve(), args.add_articles, args.add_reps)
    if "write" in parts:
        results["index_write"] = index_write(home, args.write_paragraphs, 2)
    if "size" in parts:
        results["sizes"] = sizes(home)
    if "query" in parts:
        results["queries"] = query_latency(home, args.reps)
    if "fresh" in parts:
        results["freshness"] = freshness(home)
    if "cli" in parts:
        results["cli"] = cli_latency(home, args.cli_runs)
    if "fts" in parts:
        path, results["fts_build"] = build_fts(home, args.reuse)
        results["fts"] = fts_latency(path, args.reps, args.cli_runs)
    results["summary"] = summary(results)
    results["targets_met"] = verdicts(results["summary"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    print_table(results["summary"], results["targets_met"])
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
