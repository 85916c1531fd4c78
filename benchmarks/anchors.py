"""The anchors searchkit is measured against, each set up as its own documentation recommends, over the
same paragraphs (read back from searchkit's index, so every engine sees the same text and names).

SQLite FTS5 (https://sqlite.org/fts5.html): an external-content FTS5 table over the paragraphs table,
``porter unicode61 remove_diacritics 2`` tokenizer, the bm25 weights set once as the table's ``rank``
(title 2.0, section 1.5, like searchkit's field boosts), merged with ``optimize`` and ``ANALYZE``d.
A query runs the top 10 by ``ORDER BY rank LIMIT 10`` with ``snippet()``, puts the matching rowids in
a temporary table once, and counts the total and the eight default facets from it; every join starts
from that table (``CROSS JOIN``, so the planner cannot turn it into a scan of the big table: see
``PLANS``, checked with ``EXPLAIN QUERY PLAN``).

tantivy (https://github.com/quickwit-oss/tantivy-py): ``en_stem`` text fields, names as ``raw`` fast
fields, the top 10 with the match count, a snippet per hit from ``SnippetGenerator``, and the same eight
facets from one ``terms`` aggregation.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

FTS_DB = "bench-fts.db"
FTS_COLUMNS = ("title", "section", "text", "speaker", "source", "person", "org", "place")
NAME_FACETS = ("speaker", "person", "org", "place")
ROW_FACETS = ("source", "section", "year", "article")
TANTIVY_DIR = "bench-tantivy"


def rows_of(paragraphs) -> list[dict]:
    """One row per paragraph, with its facet values, from (Article, ArticleInfo, Paragraph) triples."""
    rows = []
    for rowid, (article, _, p) in enumerate(paragraphs, 1):
        by_type = {t: sorted({e.name for e in p.entities if e.type == t}) for t in ("person", "org", "place")}
        rows.append(
            {
                "rowid": rowid,
                "id": f"{p.article_id}#{p.n}",
                "article": p.article_id,
                "title": article.title or "",
                "section": p.section or "",
                "text": p.text,
                "source": article.source or "",
                "year": (article.date or "")[:4],
                "speaker": sorted({s.name for s in p.speakers}),
                **by_type,
            }
        )
    return rows


# -- SQLite FTS5 -------------------------------------------------------------------------------------

HITS_SQL = (
    "SELECT p.id, p.title, f.snip FROM (SELECT rowid, rank, snippet(paragraphs_fts, 2, '[', ']', '…', 30) AS snip "
    "FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT 10) AS f "
    "CROSS JOIN paragraphs AS p ON p.rowid = f.rowid ORDER BY f.rank"
)
MATCHED_SQL = "INSERT INTO temp.m SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ?"
TOTAL_SQL = "SELECT count(*) FROM temp.m"
ROW_FACET_SQL = (
    "SELECT p.{col}, count(*) AS c FROM temp.m CROSS JOIN paragraphs AS p ON p.rowid = m.rowid "
    "WHERE p.{col} != '' GROUP BY 1 ORDER BY c DESC LIMIT 10"
)
NAMES_SQL = "SELECT n.facet, n.name, count(*) FROM temp.m CROSS JOIN names AS n ON n.pid = m.rowid GROUP BY 1, 2"


def build_fts(path: Path, rows: list[dict]) -> dict:
    if path.exists():
        path.unlink()
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE paragraphs (rowid INTEGER PRIMARY KEY, id TEXT, article TEXT, title TEXT, section TEXT, "
        "text TEXT, source TEXT, year TEXT, speaker TEXT, person TEXT, org TEXT, place TEXT)"
    )
    conn.executemany(
        "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (r["rowid"], r["id"], r["article"], r["title"], r["section"], r["text"], r["source"], r["year"])
            + tuple(", ".join(r[f]) for f in NAME_FACETS)
            for r in rows
        ),
    )
    conn.execute("CREATE TABLE names (pid INTEGER, facet TEXT, name TEXT)")
    conn.executemany(
        "INSERT INTO names VALUES (?, ?, ?)", ((r["rowid"], f, n) for r in rows for f in NAME_FACETS for n in r[f])
    )
    conn.execute("CREATE INDEX names_pid ON names (pid, facet, name)")  # covering: a count reads the index only
    columns = ", ".join(FTS_COLUMNS)
    conn.execute(
        f"CREATE VIRTUAL TABLE paragraphs_fts USING fts5({columns}, content=[paragraphs], content_rowid=[rowid], "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts, rank) VALUES ('rank', 'bm25(2.0, 1.5, 1.0)')")
    conn.execute("INSERT INTO paragraphs_fts(paragraphs_fts) VALUES ('optimize')")
    conn.commit()
    conn.execute("ANALYZE")
    conn.execute("VACUUM")
    conn.close()
    return {"seconds": round(time.perf_counter() - start, 1), "rows": len(rows), "bytes": path.stat().st_size}


def fts_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TEMP TABLE m (rowid INTEGER PRIMARY KEY)")
    return conn


def fts_search(conn: sqlite3.Connection, q: str) -> dict:
    """Top 10 by rank with snippet(), the total, and the eight facets' top 10 values."""
    hits = conn.execute(HITS_SQL, (q,)).fetchall()
    conn.execute("DELETE FROM temp.m")
    conn.execute(MATCHED_SQL, (q,))
    total = conn.execute(TOTAL_SQL).fetchone()[0]
    facets = {col: conn.execute(ROW_FACET_SQL.format(col=col)).fetchall() for col in ROW_FACETS}
    counts = conn.execute(NAMES_SQL).fetchall()
    for facet in NAME_FACETS:
        facets[facet] = sorted(((n, c) for f, n, c in counts if f == facet), key=lambda x: -x[1])[:10]
    return {"hits": hits, "total": total, "facets": facets}


def fts_plans(conn: sqlite3.Connection) -> dict:
    """EXPLAIN QUERY PLAN of each statement a query runs, and whether any scans a whole table other than
    the matched set (``m``) or the FTS index itself."""
    statements = {"hits": HITS_SQL, "matched": MATCHED_SQL, "total": TOTAL_SQL, "names": NAMES_SQL}
    statements.update({f"facet_{c}": ROW_FACET_SQL.format(col=c) for c in ROW_FACETS})
    plans = {}
    for name, sql in statements.items():
        args = ("oil",) if "?" in sql else ()
        plans[name] = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]
    bad = [
        f"{name}: {step}"
        for name, steps in plans.items()
        for step in steps
        if re.match(r"SCAN (?!(temp\.)?m\b|paragraphs_fts VIRTUAL|f\b)", step)
    ]
    return {"plans": plans, "full_scans": bad}


# -- tantivy -----------------------------------------------------------------------------------------


def build_tantivy(folder: Path, rows: list[dict]) -> dict:
    import shutil

    import tantivy

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("title", "section", "text"):
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    for name in ("speaker", "person", "org", "place", "source"):  # searchable by word, counted whole
        builder.add_text_field(name, tokenizer_name="default")
        builder.add_text_field(f"{name}_value", fast=True, tokenizer_name="raw")
    for name in ("section_value", "year", "article"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for r in rows:
        doc = tantivy.Document()
        doc.add_text("id", r["id"])
        for name in ("title", "section", "text"):
            doc.add_text(name, r[name])
        for name in NAME_FACETS:
            for value in r[name]:
                doc.add_text(name, value)
                doc.add_text(f"{name}_value", value)
        if r["source"]:
            doc.add_text("source", r["source"])
            doc.add_text("source_value", r["source"])
        if r["section"]:
            doc.add_text("section_value", r["section"])
        if r["year"]:
            doc.add_text("year", r["year"])
        doc.add_text("article", r["article"])
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"seconds": round(time.perf_counter() - start, 1), "rows": len(rows), "bytes": size}


TANTIVY_FACETS = {
    "speaker": "speaker_value",
    "person": "person_value",
    "org": "org_value",
    "place": "place_value",
    "section": "section_value",
    "source": "source_value",
    "year": "year",
    "article": "article",
}


class Tantivy:
    """An opened tantivy index; ``search(q)`` does what a searchkit query with default facets does."""

    def __init__(self, folder: Path):
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(folder))
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema
        self.aggs = {name: {"terms": {"field": field, "size": 10}} for name, field in TANTIVY_FACETS.items()}

    def parse(self, q: str):
        """searchkit's syntax in tantivy's: ``a NOT b`` is ``a -b``; words are ANDed, as in searchkit."""
        q = re.sub(r"\bNOT\s+", "-", q)
        return self.index.parse_query(
            q, ["title", "section", "text"], field_boosts={"title": 2.0, "section": 1.5}, conjunction_by_default=True
        )

    def search(self, q: str) -> dict:
        query = self.parse(q)
        found = self.searcher.search(query, 10, count=True)
        snippets = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        hits = []
        for score, address in found.hits:
            doc = self.searcher.doc(address)
            hits.append((doc["id"][0], score, snippets.snippet_from_doc(doc).to_html()))
        aggs = self.searcher.aggregate(query, self.aggs)
        facets = {name: [(b["key"], b["doc_count"]) for b in agg["buckets"]] for name, agg in aggs.items()}
        return {"hits": hits, "total": found.count, "facets": facets}
