"""Keeping a collection's index in step with its corpus: what changed, read it, annotate it, write it.

Every function here runs with the collection's write lock held (the ``Collection`` methods that call them
take it), except ``is_stale``, which only reads.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import FileEntry, Manifest, scan_digest
from .engine.base import ParagraphDoc, Reader
from .errors import IndexLocked, IndexOutdated, InputError
from .ingest.corpus import content_hash, shown
from .model import Article, ArticleInfo, ChangeReport, FileState, Outcome, Paragraph

if TYPE_CHECKING:
    from .collection import Collection
    from .ingest.dedupe import NearDuplicates

#: Articles in one change from which a second NLP process pays for its start-up.
PARALLEL_FROM = 400
#: How far before a scan starts the freshness mark is put: a file's change time comes from the kernel's
#: coarse clock, which may lag the clock this process reads by a few milliseconds.
CHECK_MARGIN_NS = 1_000_000_000
#: Seconds a reading command may answer after looking only at corpus/'s folders, counted from the last
#: look at every file's change time (``SEARCHKIT_FILE_CHECK_SECONDS`` overrides; 0: every command).
FILE_CHECK_SECONDS = 10.0
FILE_CHECK_ENV = "SEARCHKIT_FILE_CHECK_SECONDS"
#: Reports progress: (articles done, articles in all).
Progress = Callable[[int, int], None]


@dataclass
class Pending:
    """An article on its way into the index, with the catalogue entry it will get."""

    article: Article
    info: ArticleInfo


def is_stale(coll: Collection) -> bool:
    """True when the index is missing, of another schema, or does not match the corpus files, or a
    killed writer left generations or temporary files behind (and no writer is running that could own
    them): the sync that follows cleans them up.

    Cheap when nothing changed since the last check: one ``stat`` per folder that the last look at
    every file saw (``Corpus.folders_changed_since``), or, when that look is ``file_check_seconds``
    old, a new one (``Corpus.unchanged_folders``: one ``stat`` per file and folder); on a change, or
    when no check was recorded, the files' states are compared with the manifest's. A look or
    comparison that finds nothing changed is recorded (``Catalogue.mark_checked``).

    Why files only every few seconds: files added, removed or renamed, and files an editor saves by
    renaming a new copy over the old, change their folder, which every command looks at; only a write
    into an existing file shows in nothing but that file, and finding it costs one ``stat`` per
    article file (55-86 ms at 20,000 files here, ~740 ms at 200,000), more than the rest of a query.
    """
    if not coll.index.current():
        return True
    mark = coll.index.check_mark()
    started = check_time()
    looked = None  # the folders a look at every file saw, when it found nothing changed
    if mark is None:
        changed = True
    elif not _files_due(mark[0]) and mark[1] is not None:
        changed = coll.corpus.folders_changed_since(mark[1], mark[0])
    else:
        looked = coll.corpus.unchanged_folders(mark[0])
        changed = looked is None
    if changed and _states_differ(coll):
        return True
    if changed or looked is not None:  # every file was compared or looked at: record it
        _mark_checked(coll, started, looked)
    # what a killed writer left (an unfinished generation, a temporary file of the index's or of
    # corpus/): a writer cleans it up, so that doctor finds nothing after the next command
    leftovers = (
        len(list(coll.index.folder.glob("gen-*"))) > 1 or any(coll.index.folder.glob(".*.tmp")) or coll.corpus.writing()
    )
    return leftovers and not coll.index.lock_state()[0]


def file_check_seconds() -> float:
    """``$SEARCHKIT_FILE_CHECK_SECONDS``, else ``FILE_CHECK_SECONDS``."""
    raw = os.environ.get(FILE_CHECK_ENV)
    if raw is None or not raw.strip():
        return FILE_CHECK_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise InputError(f"{FILE_CHECK_ENV} must be a number of seconds, 0 or more (0: every command), not {raw!r}")
    return seconds


def _files_due(since_ns: int) -> bool:
    """True when the last look at every file (``since_ns``, a ``check_time``) is too old to trust."""
    return time.time_ns() - (since_ns + CHECK_MARGIN_NS) >= file_check_seconds() * 1e9


def _states_differ(coll: Collection) -> bool:
    digest = coll.index.states_digest()
    if digest is not None:  # parsing the manifest costs more than the scan at 20,000 articles
        return digest != scan_digest(coll.corpus.scan_states())
    return {rel: entry.state for rel, entry in coll.index.manifest().files.items()} != coll.corpus.scan()


def _mark_checked(coll: Collection, started: int, folders: list[str] | None) -> None:
    """Record a check that found the index up to date, unless a writer holds the lock (it will)."""
    try:
        with coll.index.lock(0, "searchkit freshness check"):
            coll.index.mark_checked(started, folders)
    except (IndexLocked, OSError):  # a writer, or a collection this user cannot write
        pass


def check_time() -> int:
    """The time to mark as checked for a scan that starts now (``Catalogue.mark_checked``)."""
    return time.time_ns() - CHECK_MARGIN_NS


def sync_index(coll: Collection, progress: Progress | None) -> ChangeReport:
    """Index what changed in corpus/ since the live generation; record the check (``is_stale``)."""
    started = check_time()
    report = _sync_changes(coll, progress)
    coll.index.mark_checked(started)
    return report


def _sync_changes(coll: Collection, progress: Progress | None) -> ChangeReport:
    clean_up(coll)
    try:
        coll.index.check_version()
        manifest = coll.index.manifest()
    except IndexOutdated as exc:
        reason = _first_clause(str(exc))
        if coll.index.convertible() and _converted(coll, reason):
            return _sync_changes(coll, progress)
        coll.note(f"Rebuilding the index from corpus/: {reason}.")
        return _build_all(coll, progress)
    if coll.index.generation() is None:
        return _build_all(coll, progress)
    scan = coll.corpus.scan()
    report = ChangeReport()
    changed = [rel for rel, state in scan.items() if rel not in manifest.files or manifest.files[rel].state != state]
    removed = [rel for rel in manifest.files if rel not in scan]
    remove_ids: list[str] = []
    for rel in removed:
        entry = manifest.files.pop(rel)
        remove_ids += [info.id for info in entry.articles]
        report.outcomes.append(Outcome(rel, "removed"))
    pending: list[Pending] = []
    for rel in changed:
        old = manifest.files.pop(rel, None)
        previous = {info.id: info for info in old.articles} if old else {}
        remove_ids += list(previous)
        pending += _read_corpus_file(coll, rel, scan[rel], manifest, report, previous, "replaced" if old else "added")
    if report.outcomes:
        index_changes(coll, manifest, remove_ids, pending, report, progress)
    return report


def _converted(coll: Collection, reason: str) -> bool:
    """Rewrite an index of a convertible older version (``Catalogue.convertible``) from its stored
    paragraphs, as they were annotated: upgrading searchkit then costs a rewrite, not the NLP stage over
    the whole corpus (on BBC + Reuters, 25 minutes). False, with a note, when the old index cannot be
    read: it is rebuilt from corpus/ instead."""
    coll.note(f"Converting the index from its stored paragraphs (no NLP run again): {reason}.")
    try:
        manifest = coll.index.manifest()
        reader = coll.index.open_stored()
        try:
            coll.index.build(manifest, stored_paragraph_docs(manifest, reader))
        finally:
            reader.close()
    except Exception as exc:  # an engine raises many kinds on damaged files
        coll.note(f"The old index could not be read ({type(exc).__name__}: {exc}).")
        return False
    return True


def stored_paragraph_docs(manifest: Manifest, reader: Reader) -> Iterator[ParagraphDoc]:
    """Every indexed paragraph, as the engines are handed them, from a reader and its catalogue; with the
    meaning vectors it stored (``migrate`` copies them), or computed when it stored none."""
    return with_vectors(_stored_docs(manifest, reader))


def _stored_docs(manifest: Manifest, reader: Reader) -> Iterator[ParagraphDoc]:
    for info in manifest.articles():
        article = Article(blocks=[], id=info.id, path=info.path, title=info.title, source=info.source)
        article = replace(article, date=info.date, url=info.url, authors=list(info.authors))
        docs = [ParagraphDoc.of(article, info, paragraph) for paragraph in reader.article_paragraphs(info.id)]
        stored = reader.article_vectors(info.id)
        if len(stored) == len(docs):
            for doc, vector in zip(docs, stored, strict=True):
                doc.vector = vector
        yield from docs


#: Paragraphs embedded at once: the model runs about three times as fast on 500 paragraphs at a time as on
#: one article's (BBC + Reuters: 114 against 34 paragraphs a second, both cores against one).
VECTOR_BATCH = 512


def with_vectors(docs: Iterable[ParagraphDoc]) -> Iterator[ParagraphDoc]:
    """``docs`` in order, each with its meaning vector: one without gets it from its text read with its
    article's title, as a reader meets it (``engine/rerank.py``), ``VECTOR_BATCH`` paragraphs at a time."""
    pending: list[ParagraphDoc] = []
    for doc in docs:
        pending.append(doc)
        if len(pending) >= VECTOR_BATCH:
            yield from _embedded(pending)
            pending = []
    yield from _embedded(pending)


def _embedded(docs: list[ParagraphDoc]) -> list[ParagraphDoc]:
    from .meaning import encode, paragraph_text, to_bytes

    missing = [doc for doc in docs if not doc.vector]
    if missing:
        texts = [paragraph_text(doc.title, doc.text) for doc in missing]
        for doc, vector in zip(missing, to_bytes(encode(texts)), strict=True):
            doc.vector = vector
    return docs


def build_index(coll: Collection, progress: Progress | None) -> ChangeReport:
    """Index all of corpus/ as a new generation; record the check (``is_stale``)."""
    started = check_time()
    report = _build_all(coll, progress)
    coll.index.mark_checked(started)
    return report


def _build_all(coll: Collection, progress: Progress | None) -> ChangeReport:
    clean_up(coll)
    try:
        previous = {info.id: info for info in coll.index.manifest().articles()}
    except Exception:  # a damaged old index is exactly what a rebuild replaces
        previous = {}
    manifest = Manifest()
    report = ChangeReport()
    pending: list[Pending] = []
    for rel, state in sorted(coll.corpus.scan().items()):
        pending += _read_corpus_file(coll, rel, state, manifest, report, previous, "added")
    index_changes(coll, manifest, None, pending, report, progress)
    return report


def index_changes(
    coll: Collection,
    manifest: Manifest,
    remove_ids: list[str] | None,
    pending: list[Pending],
    report: ChangeReport,
    progress: Progress | None,
) -> None:
    """Annotate and index ``pending`` into a new generation made from the live one less ``remove_ids``
    (None: from nothing), whose catalogue is ``manifest``; an article that fails is quarantined."""
    quarantine = Quarantine(manifest, report, {item.info.id: item for item in pending})
    docs = with_vectors(documents(coll, pending, manifest, progress, quarantine))
    if remove_ids is None:
        report.paragraphs = coll.index.build(manifest, docs, quarantine)
    else:
        report.paragraphs = coll.index.update(manifest, remove_ids, docs, quarantine)


@dataclass
class Quarantine:
    """Articles the NLP or the engine failed on: each is left out of the index but stays in corpus/,
    its corpus file marked in the manifest with the reason (``doctor`` names it; a change of the file,
    or a rebuild, tries it again), and its outcome in the report turns to "failed" with the reason.
    So one bad article never stops a change, and no command fails on it afterwards."""

    manifest: Manifest
    report: ChangeReport
    pending: dict[str, Pending]

    def __call__(self, article_id: str, reason: str) -> None:
        info = self.pending[article_id].info
        entry = self.manifest.files[info.path]
        entry.articles = [a for a in entry.articles if a.id != article_id]
        entry.error = "; ".join(filter(None, [entry.error, reason]))
        why = f"{reason}; kept in corpus/ but not indexed (fix or remove {info.path})"
        for outcome in self.report.outcomes:
            if outcome.article_id == article_id and outcome.status in ("added", "replaced"):
                outcome.status, outcome.reason = "failed", why
                return
        self.report.outcomes.append(Outcome(info.path, "failed", why, article_id=article_id))


def clean_up(coll: Collection) -> list[Path]:
    """Remove what killed writers left (temporary files, unfinished generations); the lock is held."""
    leftovers = coll.index.remove_leftovers() + coll.corpus.temp_files()
    for path in leftovers:
        if path.is_file():
            path.unlink(missing_ok=True)
    if leftovers:
        coll.note(
            f"Cleaned up {len(leftovers)} leftover(s) of an interrupted write: "
            + ", ".join(p.name for p in leftovers[:5])
            + (" …" if len(leftovers) > 5 else "")
        )
    return leftovers


def _read_corpus_file(
    coll: Collection,
    rel: str,
    state: FileState,
    manifest: Manifest,
    report: ChangeReport,
    previous: dict[str, ArticleInfo],
    status: str,
) -> list[Pending]:
    entry = FileEntry(state)
    manifest.files[rel] = entry
    try:
        reading = coll.corpus.read(rel)
    except InputError as exc:
        entry.error = str(exc)
        report.outcomes.append(Outcome(shown(rel), "failed", str(exc)))
        return []
    for problem in reading.problems:
        report.outcomes.append(Outcome(problem.where, "skipped" if problem.skipped else "failed", problem.reason))
    pending = []
    for article in reading.articles:
        known = previous.get(article.id)
        info = catalogue_entry(article, known.added if known else state.mtime_ns / 1e9)
        if known and known.origin:
            info.origin = known.origin
        entry.articles.append(info)
        pending.append(Pending(article, info))
        report.outcomes.append(Outcome(rel, status, article_id=article.id))
    return pending


def documents(
    coll: Collection,
    pending: list[Pending],
    manifest: Manifest,
    progress: Progress | None,
    quarantine: Quarantine,
) -> Iterator[ParagraphDoc]:
    """Segment and annotate articles into paragraph documents, completing each catalogue entry
    (paragraph count, fingerprint, the earlier article it nearly duplicates); an article the NLP
    fails on goes to ``quarantine``."""
    from .ingest.dedupe import simhash
    from .ingest.segment import segment
    from .nlp import ALIASES_FILE, Unannotated, annotate, load_aliases

    in_flight: deque[tuple[Pending, Article]] = deque()

    def segmented() -> Iterator[tuple[Article, list[Paragraph]]]:
        for item in pending:
            article, paragraphs = segment(item.article)
            in_flight.append((item, article))
            yield article, paragraphs

    near = _near_duplicates(manifest, {item.info.id for item in pending})
    aliases = load_aliases(coll.home / ALIASES_FILE)
    for done, paragraphs in enumerate(annotate(segmented(), aliases, nlp_workers(len(pending))), 1):
        item, article = in_flight.popleft()
        if progress:
            progress(done, len(pending))
        if isinstance(paragraphs, Unannotated):
            quarantine(item.info.id, f"could not be annotated ({paragraphs.reason})")
            continue
        item.info.paragraphs = len(paragraphs)
        item.info.source = article.source
        item.info.dateline, item.info.provenance = article.dateline, dict(article.provenance)
        item.info.simhash = simhash(" ".join([article.title or "", *(p.text for p in paragraphs)]))
        item.info.copy_of = near.find(item.info.simhash)
        near.add(item.info.id, item.info.simhash)
        for paragraph in paragraphs:
            yield ParagraphDoc.of(article, item.info, paragraph)


def _first_clause(message: str) -> str:
    return message.split("; run ")[0]


def _near_duplicates(manifest: Manifest, pending: set[str]) -> NearDuplicates:
    """The fingerprints of the articles already indexed, oldest first, so a copy links to the first one."""
    from .ingest.dedupe import NearDuplicates

    near = NearDuplicates()
    for info in sorted(manifest.articles(), key=lambda a: (a.added, a.path)):
        if info.id not in pending:
            near.add(info.id, info.simhash)
    return near


def nlp_workers(articles: int) -> int:
    """NLP processes for a change of this size: ``SEARCHKIT_WORKERS``, else 2 for large changes on 2+ cores."""
    configured = os.environ.get("SEARCHKIT_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return 2 if articles >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1


def catalogue_entry(article: Article, added: float, digest: str | None = None) -> ArticleInfo:
    return ArticleInfo(
        id=article.id,
        path=article.path,
        hash=digest or content_hash(article),
        paragraphs=0,
        added=added,
        title=article.title,
        source=article.source,
        date=article.date,
        url=article.url,
        origin=article.origin,
        authors=list(article.authors),
        language=article.language,
        dateline=article.dateline,
        provenance=dict(article.provenance),
    )
