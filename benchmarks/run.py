"""searchkit benchmark on real news (BBC + Reuters): adding, index writing, size, queries, a whole CLI
process, each beside its anchor in the same run: SQLite FTS5 and tantivy in process (``anchors.py``),
``sqlite-utils search`` as a whole process, on the same paragraphs and queries.

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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import anchors  # noqa: E402
from queries import CLI_QUERIES, QUERIES  # noqa: E402

TARGETS = {
    "cli_vs_sqlite_utils_wall": ("<=", 1.0, "x sqlite-utils search (same run)"),
    "alone_vs_sqlite_utils_alone_wall": ("<=", 1.0, "x sqlite-utils, each installed alone (same run)"),
    "alone_vs_sqlite_utils_alone_cpu": ("<=", 1.0, "x sqlite-utils, each installed alone (same run)"),
    "query_p95_vs_fts5": ("<=", 1.0, "x FTS5 CPU p95 (same run)"),
    "query_cpu_p50_ms": ("<=", 15, ""),
    "query_cpu_p95_ms": ("<=", 60, ""),
    "add_vs_models": (">=", 0.7, "x the NLP and sentence models alone (wall)"),
    "add_vs_models_cpu": (">=", 0.7, "x the NLP and sentence models alone (CPU s)"),
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
    if reuse and (home / "index").exists():
        log(f"reusing the collection in {home}")
        return {**(json.loads(record.read_text()) if record.exists() else {}), "reused": True}
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
    from searchkit.engine.stored import to_paragraph
    from searchkit.model import Article, ArticleInfo

    coll = Collection(home)
    gen = coll.index.generation()
    if gen is None:
        raise SystemExit(f"{home} has no index: build it with searchkit add")
    # Stored fields only, so the live generation is opened whatever its schema (4 and 5 store the same
    # fields; only the postings differ): an older collection serves as input without a rebuild.
    ix = coll.index.engine.open(gen)
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
                out.append((article, info, to_paragraph(fields)))
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


def query_latency(home: Path, reps: int, anchors_ready: bool) -> dict:
    """In-process queries, engine beside engine: for each query and repetition searchkit (a session: the
    index opened once), FTS5 and tantivy run one after the other, so load on the machine hits all three alike.
    Per-query medians of CPU time (``process_time``) and of wall time; p50/p95 across the query set;
    totals compared query by query."""
    from searchkit.collection import Collection
    from searchkit.engine.whoosh import search as search_module

    log(f"queries in process: {len(QUERIES)} x {reps}, searchkit beside FTS5 and tantivy")
    coll = Collection(home)
    session = coll.session()  # the index and a searcher opened once, as FTS5's connection and tantivy's searcher
    engines = {"searchkit": lambda q: session.search(q[0], limit=10)}
    if anchors_ready:
        conn = anchors.fts_connect(home / anchors.FTS_DB)
        tv = anchors.Tantivy(home / anchors.TANTIVY_DIR)
        engines["fts5"] = lambda q: anchors.fts_search(conn, q[1])
        engines["tantivy"] = lambda q: tv.search(q[0])
    engines["searchkit_collection"] = lambda q: coll.search(q[0], limit=10)  # opens the index per call
    cpu: dict[str, list[float]] = {e: [] for e in engines}
    wall: dict[str, list[float]] = {e: [] for e in engines}
    by_kind: dict[str, dict[str, list[float]]] = {e: {} for e in engines}
    totals: dict[str, dict[str, int]] = {}
    for _, sk, fq in QUERIES:  # warm-up
        for call in engines.values():
            call((sk, fq))
    for kind, sk, fq in QUERIES:
        times = {e: ([], []) for e in engines}
        for _ in range(reps):
            for name, call in engines.items():
                c0, w0 = time.process_time(), time.perf_counter()
                result = call((sk, fq))
                times[name][0].append(time.process_time() - c0)
                times[name][1].append(time.perf_counter() - w0)
                total = result.total if hasattr(result, "total") else result["total"]
                totals.setdefault(sk, {})[name] = total
        for name, (c, w) in times.items():
            cpu[name].append(statistics.median(c))
            wall[name].append(statistics.median(w))
            by_kind[name].setdefault(kind, []).append(statistics.median(c))
    session.close()
    out: dict = {"queries": len(QUERIES), "reps": reps, "default_facets": list(search_module.DEFAULT_FACETS)}
    for name in engines:
        out[name] = {
            "cpu_p50_ms": pct(cpu[name], 50),
            "cpu_p95_ms": pct(cpu[name], 95),
            "wall_p50_ms": pct(wall[name], 50),
            "wall_p95_ms": pct(wall[name], 95),
            "cpu_by_kind_p50_ms": {k: pct(v, 50) for k, v in by_kind[name].items()},
        }
    for anchor in ("fts5", "tantivy"):
        if anchor in engines:
            out[f"ratio_to_{anchor}"] = {
                k: round(out["searchkit"][k] / out[anchor][k], 2) if out[anchor][k] else None
                for k in ("cpu_p50_ms", "cpu_p95_ms", "wall_p50_ms", "wall_p95_ms")
            }
            out[f"totals_differ_from_{anchor}"] = {q: t for q, t in totals.items() if t["searchkit"] != t[anchor]}
    out["totals"] = totals
    return out


def freshness(home: Path, reps: int = 5) -> dict:
    """What ``searchkit query`` pays before searching to detect hand edits in corpus/: the check as run
    (``stale``: the cheap check when nothing changed), and the full comparison it falls back to."""
    from searchkit.catalogue import scan_digest
    from searchkit.collection import Collection

    coll = Collection(home)
    coll.stale()  # records the check when the last writer did not
    since = coll.index.checked_since()
    timings: dict[str, list[float]] = {"stale": [], "cheap_check": [], "full_comparison": []}
    calls = {
        "stale": coll.stale,
        "cheap_check": lambda: coll.corpus.unchanged_folders(since or 0),
        "full_comparison": lambda: scan_digest(coll.corpus.scan_states()),
    }
    for _ in range(reps + 1):
        for name, call in calls.items():
            start = time.process_time()
            call()
            timings[name].append(time.process_time() - start)
    files = sum(1 for p in (home / "corpus").rglob("*") if p.is_file())
    return {
        "files": files,
        "check_recorded": since is not None,
        **{f"{k}_cpu_ms": median_ms(v[1:]) for k, v in timings.items()},
    }


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


def time_turns(cmds: list[list[str]], runs: int, env: dict) -> list[tuple[list[float], list[float]]]:
    """Whole runs of several commands taken in turns (a, b, a, b ...): per command, (wall s, CPU s), CPU as
    user + system time of the finished child. The first turn is a warm-up."""
    timed: list[tuple[list[float], list[float]]] = [([], []) for _ in cmds]
    for i in range(runs + 1):
        for k, cmd in enumerate(cmds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, cwd=searchkit_root())
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
            if i:
                timed[k][0].append(elapsed)
                timed[k][1].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return timed


def cli_latency(home: Path, runs: int, alone: Path | None = None, searchkit_alone: Path | None = None) -> dict:
    """``searchkit query`` as a whole process beside ``sqlite-utils search`` on the FTS5 copy of the same
    paragraphs, run in turns, query by query.

    Two installs of sqlite-utils are in its documentation: ``pip install`` into an environment (here,
    searchkit's, where it finds numpy and imports it) and ``pipx install``, an environment of its own
    without numpy, which starts ~70 ms sooner. The first is always timed; ``alone`` adds the second, and
    ``searchkit_alone`` a searchkit installed the same way (``pip install .`` into a fresh environment:
    no editable-install finder to import at start-up), so that both tools are compared installed alike.
    """
    log(f"searchkit query vs sqlite-utils search as processes: {len(CLI_QUERIES)} queries x {runs}")
    env = child_env()
    beside = shutil.which(
        "sqlite-utils", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    if beside is None:
        raise RuntimeError("sqlite-utils is not installed: pip install -e '.[bench]'")
    tools = {"sqlite_utils": beside}
    if alone is not None:
        tools["sqlite_utils_alone"] = str(alone)
    # All run from byte code, as after any first run: sqlite-utils' was compiled when pip installed it,
    # searchkit's (an editable install) is written by its first run, unless PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(searchkit_root()) / "searchkit")], check=True)
    fts_form = {sk: fq for _, sk, fq in QUERIES}
    per_query: dict = {}
    ours = ["searchkit", "searchkit_alone"] if searchkit_alone is not None else ["searchkit"]
    walls: dict[str, list[float]] = {name: [] for name in (*ours, *tools)}
    cpus: dict[str, list[float]] = {name: [] for name in walls}
    for q in CLI_QUERIES:
        cmds = {"searchkit": [sys.executable, "-m", "searchkit", "--home", str(home), "query", q]}
        if searchkit_alone is not None:
            cmds["searchkit_alone"] = [str(searchkit_alone), "--home", str(home), "query", q]
        for name, tool in tools.items():
            cmds[name] = [tool, "search", str(home / anchors.FTS_DB), "paragraphs", fts_form.get(q, q), "--limit", "10"]
        timed = dict(zip(cmds, time_turns(list(cmds.values()), runs, env), strict=True))
        per_query[q] = {f"{name}_ms": median_ms(wall) for name, (wall, _) in timed.items()}
        for name, (wall, cpu) in timed.items():
            walls[name] += wall
            cpus[name] += cpu
    base = time_process([sys.executable, "-c", "pass"], runs)
    imp = time_process([sys.executable, "-c", "import searchkit.cli"], runs, env)
    out: dict = {
        "runs_per_query": runs,
        "median_ms": median_ms(walls["searchkit"]),
        "cpu_median_ms": median_ms(cpus["searchkit"]),
        "per_query": per_query,
        "python_startup_ms": median_ms(base),
        "import_cli_ms": median_ms(imp),
    }
    if searchkit_alone is not None:
        out["searchkit_alone"] = str(searchkit_alone)
        out["searchkit_alone_median_ms"] = median_ms(walls["searchkit_alone"])
        out["searchkit_alone_cpu_median_ms"] = median_ms(cpus["searchkit_alone"])
    for name, tool in tools.items():
        out[name] = tool
        out[f"{name}_median_ms"] = median_ms(walls[name])
        out[f"{name}_cpu_median_ms"] = median_ms(cpus[name])
        out[f"ratio_wall_{name}"] = round(median_ms(walls["searchkit"]) / median_ms(walls[name]), 2)
        out[f"ratio_cpu_{name}"] = round(median_ms(cpus["searchkit"]) / median_ms(cpus[name]), 2)
    if searchkit_alone is not None and alone is not None:
        wall, cpu = median_ms(walls["sqlite_utils_alone"]), median_ms(cpus["sqlite_utils_alone"])
        out["ratio_wall_both_alone"] = round(median_ms(walls["searchkit_alone"]) / wall, 2)
        out["ratio_cpu_both_alone"] = round(median_ms(cpus["searchkit_alone"]) / cpu, 2)
    return out


def build_anchors(home: Path, reuse: bool) -> dict:
    """FTS5 and tantivy copies of the collection's paragraphs (kept in --home, reused with --reuse)."""
    fts, tv = home / anchors.FTS_DB, home / anchors.TANTIVY_DIR
    out: dict = {}
    if not (reuse and fts.exists() and tv.exists()):
        log("building the FTS5 and tantivy copies of the paragraphs")
        rows = anchors.rows_of(stored_paragraphs(home))
        out["fts5"] = anchors.build_fts(fts, rows)
        out["tantivy"] = anchors.build_tantivy(tv, rows)
    else:
        out["fts5"] = {"reused": True, "bytes": fts.stat().st_size}
        out["tantivy"] = {"reused": True, "bytes": sum(p.stat().st_size for p in tv.rglob("*") if p.is_file())}
    conn = anchors.fts_connect(fts)
    out["fts5_plans"] = anchors.fts_plans(conn)
    conn.close()
    return out


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
                "add_vs_models": a.get("add_vs_models"),
                "add_vs_annotate": a["add_vs_annotate"],
                "add_vs_model_cpu": a.get("cpu_add_vs_model"),
                "add_vs_models_cpu": a.get("cpu_add_vs_models"),
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
                "query_cpu_p50_ms": q["searchkit"]["cpu_p50_ms"],
                "query_cpu_p95_ms": q["searchkit"]["cpu_p95_ms"],
                "query_collection_cpu_p95_ms": q["searchkit_collection"]["cpu_p95_ms"],
            }
        )
        for anchor in ("fts5", "tantivy"):
            if anchor in q:
                s[f"{anchor}_cpu_p50_ms"] = q[anchor]["cpu_p50_ms"]
                s[f"{anchor}_cpu_p95_ms"] = q[anchor]["cpu_p95_ms"]
                s[f"query_p50_vs_{anchor}"] = q[f"ratio_to_{anchor}"]["cpu_p50_ms"]
                s[f"query_p95_vs_{anchor}"] = q[f"ratio_to_{anchor}"]["cpu_p95_ms"]
                s[f"totals_differing_from_{anchor}"] = len(q[f"totals_differ_from_{anchor}"])
    if r.get("freshness"):
        s["freshness_check_cpu_ms"] = r["freshness"]["stale_cpu_ms"]
        s["freshness_full_comparison_cpu_ms"] = r["freshness"]["full_comparison_cpu_ms"]
    c = r.get("cli") or {}
    if c:
        s.update(
            {
                "cli_query_median_ms": c["median_ms"],
                "cli_query_cpu_median_ms": c["cpu_median_ms"],
                "python_startup_ms": c["python_startup_ms"],
                "import_cli_ms": c["import_cli_ms"],
            }
        )
        if "searchkit_alone" in c:
            s["searchkit_alone_query_median_ms"] = c["searchkit_alone_median_ms"]
            s["searchkit_alone_query_cpu_median_ms"] = c["searchkit_alone_cpu_median_ms"]
        if "ratio_wall_both_alone" in c:
            s["alone_vs_sqlite_utils_alone_wall"] = c["ratio_wall_both_alone"]
            s["alone_vs_sqlite_utils_alone_cpu"] = c["ratio_cpu_both_alone"]
        for name in ("sqlite_utils", "sqlite_utils_alone"):
            if name in c:
                s[f"{name}_search_median_ms"] = c[f"{name}_median_ms"]
                s[f"{name}_search_cpu_median_ms"] = c[f"{name}_cpu_median_ms"]
                s[f"cli_vs_{name}_wall"] = c[f"ratio_wall_{name}"]
                s[f"cli_vs_{name}_cpu"] = c[f"ratio_cpu_{name}"]
    an = r.get("anchors") or {}
    if an:
        s["fts5_db_mb"] = round(an["fts5"]["bytes"] / 2**20, 1)
        s["tantivy_mb"] = round(an["tantivy"]["bytes"] / 2**20, 1)
        s["fts5_full_scans"] = len(an["fts5_plans"]["full_scans"])
    if r.get("sizes") and r.get("build", {}).get("paragraphs"):
        s["index_bytes_per_paragraph"] = round(r["sizes"]["index_bytes"] / r["build"]["paragraphs"])
    return s


def verdicts(s: dict) -> dict:
    out = {}
    for key, (op, limit, _) in TARGETS.items():
        if key not in s:
            continue
        v = s[key]
        ok = v < limit if op == "<" else v <= limit if op == "<=" else v >= limit
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
    ap.add_argument(
        "--sqlite-utils-alone",
        type=Path,
        help="a sqlite-utils installed in an environment of its own (pipx install sqlite-utils), timed too",
    )
    ap.add_argument(
        "--searchkit-alone",
        type=Path,
        help="a searchkit command installed in an environment of its own (pip install .), timed too",
    )
    ap.add_argument("--only", default="", help="comma-separated parts: build,add,write,size,anchors,query,fresh,cli")
    args = ap.parse_args()
    parts = set(filter(None, args.only.split(","))) or {
        "build",
        "add",
        "write",
        "size",
        "anchors",
        "query",
        "fresh",
        "cli",
    }
    home = args.home.resolve()
    results: dict = {"meta": {**describe(), "home": str(home), "args": {k: str(v) for k, v in vars(args).items()}}}
    results["build"] = build(home, args.data.resolve(), args.reuse or "build" not in parts, args.copies)
    if "add" in parts:
        results["add"] = add_speed(args.data.resolve(), args.add_articles, args.add_reps)
    if "write" in parts:
        results["index_write"] = index_write(home, args.write_paragraphs, 2)
    if "size" in parts:
        results["sizes"] = sizes(home)
    if "anchors" in parts:
        results["anchors"] = build_anchors(home, args.reuse)
    ready = (home / anchors.FTS_DB).exists() and (home / anchors.TANTIVY_DIR).exists()
    if "query" in parts:
        results["queries"] = query_latency(home, args.reps, ready)
    if "fresh" in parts:
        results["freshness"] = freshness(home)
    if "cli" in parts and ready:
        results["cli"] = cli_latency(home, args.cli_runs, args.sqlite_utils_alone, args.searchkit_alone)
    results["summary"] = summary(results)
    results["targets_met"] = verdicts(results["summary"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    print_table(results["summary"], results["targets_met"])
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
