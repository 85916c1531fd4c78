"""``doctor``: check that a collection's index opens, is of this schema and agrees with its corpus, and
that no crash left temporary files, unfinished generations or a stale lock behind; repair on request."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING

from .catalogue import Manifest
from .errors import IndexOutdated, ModelMissing
from .ingest.corpus import shown
from .model import Record
from .sync import build_index, clean_up, sync_index

if TYPE_CHECKING:
    from .collection import Collection


@dataclass
class Check(Record):
    """One ``doctor`` check: what it looked at, whether it is fine, the details, and what ``--fix`` did."""

    check: str
    ok: bool
    detail: str
    fixed: str = ""


def doctor(coll: Collection, fix: bool = False, wait: float | None = None) -> list[Check]:
    """Check that the index opens, is of this schema, agrees with the corpus, and that no crash left
    temporary files, unfinished generations or a stale lock behind; with ``fix``, repair what can be
    (clear, clean, sync, rebuild) and check again. Each check says what ``fix`` did about it.
    """
    checks = _checks(coll)
    if not fix:
        return checks
    done: dict[str, str] = {}
    if coll.index.clear_stale_lock():
        done["lock"] = "cleared the stale holder line"
    if all(c.ok for c in checks):
        checks = _checks(coll)
        for c in checks:
            c.fixed = done.get(c.check, "")
        return checks
    with coll.index.lock(wait, "searchkit doctor --fix"):
        gone = clean_up(coll)
        if gone:
            done["leftovers"] = f"removed {len(gone)}"
        if coll.index.problem() is not None:
            report = build_index(coll, None)
            done["index"] = done["schema"] = f"rebuilt from corpus/ ({report.paragraphs} paragraphs)"
        else:
            report = sync_index(coll, None)
            if report.outcomes:
                done["corpus"] = f"re-indexed: {report.summary()}"
    checks = _checks(coll)
    for c in checks:
        c.fixed = done.get(c.check, "")
    return checks


def _checks(coll: Collection) -> list[Check]:
    held, text = coll.index.lock_state()
    checks = [
        Check("lock", True, f"being written now by {text}; leftovers are not checked" if held else "free")
        if held or not text
        # A killed writer's line is harmless: the kernel released its lock, the next writer takes it.
        else Check("lock", True, f"free (the lock file still names {text!r}, which no longer holds it)")
    ]
    gen = coll.index.generation()
    manifest: Manifest | None = None
    try:
        manifest = coll.index.manifest()
    except IndexOutdated as exc:
        checks.append(Check("schema", False, str(exc)))
    if manifest is not None:
        version = coll.index.version()
        wanted = coll.index.engine.schema_version
        checks.append(
            Check(
                "schema",
                version in (None, wanted),
                f"schema {wanted if version is None else version}"
                + ("" if version in (None, wanted) else f"; this searchkit reads {wanted}"),
            )
        )
    problem = coll.index.problem()
    if gen is None and not coll.corpus.scan():
        checks.append(Check("index", True, "no index yet, and nothing in corpus/ to index"))
    else:
        paragraphs = sum(info.paragraphs for info in manifest.articles()) if manifest else 0
        checks.append(
            Check(
                "index",
                problem is None,
                problem or f"{gen.name if gen else 'index'}: opens, {paragraphs} paragraphs",
            )
        )
    checks.append(_agreement(coll, manifest or Manifest()))
    checks.append(_model())
    if not held:
        leftovers = coll.index.leftovers() + coll.corpus.temp_files()
        names = ", ".join(str(p.relative_to(coll.home)) for p in leftovers[:5]) + (" …" if len(leftovers) > 5 else "")
        checks.append(
            Check(
                "leftovers",
                not leftovers,
                f"{len(leftovers)} left by an interrupted write: {names}" if leftovers else "none",
            )
        )
    return checks


def _model() -> Check:
    """Whether the sentence model is installed: indexing needs it, and sentence queries rank with it."""
    from .meaning import MODEL_DISTRIBUTION, model_dir

    try:
        model_dir()
    except ModelMissing as exc:
        return Check("model", False, str(exc))
    # The package and version, not the folder: a virtualenv's site-packages path outgrows 80 columns.
    try:
        version = metadata.version(MODEL_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "(files only, no package record)"
    return Check("model", True, f"sentence model installed: {MODEL_DISTRIBUTION} {version}")


def _agreement(coll: Collection, manifest: Manifest) -> Check:
    scan = coll.corpus.scan()
    unindexed = sorted(rel for rel in scan if rel not in manifest.files)
    orphaned = sorted(rel for rel in manifest.files if rel not in scan)
    changed = sorted(rel for rel in scan if rel in manifest.files and manifest.files[rel].state != scan[rel])
    unreadable = sorted(rel for rel, entry in manifest.files.items() if entry.error and rel in scan)
    parts = []
    for label, rels in (
        ("in corpus/ but not indexed", unindexed),
        ("indexed but gone from corpus/", orphaned),
        ("changed since indexed", changed),
        ("left out of the index, each with why (fix or delete them)", unreadable),
    ):
        if rels:
            named = [shown(f"{rel} ({manifest.files[rel].error})" if rels is unreadable else rel) for rel in rels[:3]]
            parts.append(f"{len(rels)} {label}: " + ", ".join(named) + (" …" if len(rels) > 3 else ""))
    articles = sum(1 for _ in manifest.articles())
    return Check("corpus", not parts, "; ".join(parts) or f"{len(scan)} files, {articles} articles, all indexed")
