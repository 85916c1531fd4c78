"""A collection: a folder with ``corpus/`` (the truth), ``index/`` (derived from it) and ``searchkit.json``
(which search engine keeps its index; Whoosh when the file is absent).

``Collection`` is the library entry point that every CLI command calls: it finds the folder, adds and
removes articles, keeps the index in step with the corpus, and searches.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .catalogue import Catalogue, FileEntry, Manifest, crash_point, scan_digest
from .engine.base import DEFAULT_ENGINE, Engine, ParagraphDoc, Reader
from .engine.base import load as load_engine
from .errors import CollectionNotFound, EmptyCollection, IndexLocked, IndexOutdated, InputError, NotFound, QueryError
from .ingest.checks import check_article
from .ingest.corpus import Corpus, article_id, content_hash, safe_relpath
from .ingest.readers import SIDECAR_SUFFIX, is_article_file, is_folder_doc, read_file, suffix_of
from .ingest.segment import segment
from .model import (
    Article,
    ArticleInfo,
    ChangeReport,
    FileState,
    NameCount,
    Outcome,
    Paragraph,
    QuoteResult,
    Record,
    SearchResult,
)
from .options import options as search_options

if TYPE_CHECKING:
    from .ingest.dedupe import NearDuplicates
    from .session import Session
    from .watch import Watches

T = TypeVar("T")

HOME_ENV = "SEARCHKIT_HOME"
#: The collection's settings: ``{"engine": "whoosh"}`` plus whatever that engine is configured with.
CONFIG = "searchkit.json"
#: Articles in one change from which a second NLP process pays for its start-up.
PARALLEL_FROM = 400
#: Reports progress: (articles done, articles in all).
Progress = Callable[[int, int], None]


@dataclass
class Check(Record):
    """One ``doctor`` check: what it looked at, whether it is fine, the details, and what ``--fix`` did."""

    check: str
    ok: bool
    detail: str
    fixed: str = ""


@dataclass
class _Pending:
    """An article on its way into the index, with the catalogue entry it will get."""

    article: Article
    info: ArticleInfo


class Collection:
    """One collection folder. ``Collection.find()`` locates it as the CLI does."""

    def __init__(self, home: Path | str):
        self.home = Path(home)
        self.corpus = Corpus(self.home / "corpus")
        #: The ``index/`` folder: catalogue, generations, write lock; its engine is loaded on first use.
        self.index = Catalogue(self.home / "index", self._load_engine)
        #: Told what the library did on its own (rebuilt an outdated index, cleaned up after a crash);
        #: the CLI points it at stderr. By default the notes are kept in ``self.notes``.
        self.notes: list[str] = []
        self.on_note: Callable[[str], None] = self.notes.append

    def _note(self, message: str) -> None:
        self.on_note(message)

    def config(self) -> dict[str, Any]:
        """``searchkit.json``, or the default (Whoosh) for a collection without one."""
        path = self.home / CONFIG
        try:
            config = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return {"engine": DEFAULT_ENGINE}
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{path} is not valid JSON ({exc}); fix it, or delete it to use Whoosh") from None
        if not isinstance(config, dict) or not isinstance(config.get("engine", DEFAULT_ENGINE), str):
            raise InputError(f'{path} must be an object like {{"engine": "{DEFAULT_ENGINE}"}}; fix it')
        return {"engine": DEFAULT_ENGINE, **config}

    def _load_engine(self) -> Engine:
        config = self.config()
        return load_engine(config["engine"], config.get(config["engine"]))

    # -- finding and creating -------------------------------------------------------------------

    @classmethod
    def find(cls, home: str | Path | None = None, start: Path | None = None) -> Collection:
        """The collection named by ``home``, else ``$SEARCHKIT_HOME``, else the nearest one above ``start``."""
        for given, how in ((home, "--home"), (os.environ.get(HOME_ENV) or None, HOME_ENV)):
            if given:
                path = Path(given).expanduser()
                if not (path / "corpus").is_dir():
                    raise CollectionNotFound(
                        f"{path} (from {how}) is not a searchkit collection: it has no corpus/ folder; "
                        f"create one with 'searchkit init {path}'"
                    )
                return cls(path)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "corpus").is_dir() and (folder / "index").is_dir():
                return cls(folder)
        raise CollectionNotFound(
            f"no searchkit collection in {here} or its parents; run 'searchkit init DIR', "
            f"or point to one with --home DIR or {HOME_ENV}"
        )

    @classmethod
    def init(cls, home: str | Path, engine: str | None = None, settings: dict[str, Any] | None = None) -> Collection:
        """Create an empty collection (or do nothing to one that exists) whose index ``engine`` keeps
        (default Whoosh), configured with ``settings``; an existing collection keeps its engine."""
        from .engine.base import ENGINES

        path = Path(home).expanduser()
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} exists and is not a folder; choose another place for the collection")
        if engine is not None and engine not in ENGINES:
            raise InputError(f"unknown search engine {engine!r}; engines: {', '.join(ENGINES)}")
        coll = cls(path)
        if (path / CONFIG).exists():
            current = coll.config()["engine"]
            if engine not in (None, current):
                raise InputError(f"the collection in {path} already uses the {current} engine; init another folder")
        for sub in ("corpus", "index"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        if not (path / CONFIG).exists():
            load_engine(
                engine or DEFAULT_ENGINE, settings
            )  # settings it refuses are refused before anything is written
            config: dict[str, Any] = {"engine": engine or DEFAULT_ENGINE}
            if settings:
                config[config["engine"]] = settings
            (path / CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
        return coll

    # -- keeping the index in step with the corpus ---------------------------------------------------

    def stale(self) -> bool:
        """True when the index is missing, of another schema, or does not match the corpus files, or a
        killed writer left generations behind (and no writer is running that could own them).

        Cheap when nothing changed since the last check (``Corpus.changed_since``: one ``stat`` per file,
        no digest); otherwise, or when that check was not recorded, the files' states are compared with
        the manifest's, and a match is recorded so the next check is cheap again.
        """
        if not self.index.current():
            return True
        since = self.index.checked_since()
        if since is None or self.corpus.changed_since(since):
            started = _check_time()
            if self._states_differ():
                return True
            self._mark_checked(started)
        return len(list(self.index.folder.glob("gen-*"))) > 1 and not self.index.lock_state()[0]

    def _states_differ(self) -> bool:
        digest = self.index.states_digest()
        if digest is not None:  # parsing the manifest costs more than the scan at 20,000 articles
            return digest != scan_digest(self.corpus.scan_states())
        return {rel: entry.state for rel, entry in self.index.manifest().files.items()} != self.corpus.scan()

    def _mark_checked(self, started: int) -> None:
        """Record a check that found the index up to date, unless a writer holds the lock (it will)."""
        try:
            with self.index.lock(0, "searchkit freshness check"):
                self.index.mark_checked(started)
        except (IndexLocked, OSError):  # a writer, or a collection this user cannot write
            pass

    def sync(self, progress: Progress | None = None, wait: float | None = None) -> ChangeReport:
        """Bring the index up to date with files added, changed or removed in ``corpus/`` by hand."""
        with self.index.lock(wait, "searchkit sync"):
            return self._sync(progress)

    def try_sync(self, progress: Progress | None = None) -> tuple[ChangeReport, str | None]:
        """Sync if no other process is writing; else leave the index as it is and say why."""
        try:
            with self.index.lock(0, "searchkit sync"):
                return self._sync(progress), None
        except IndexLocked as exc:
            return ChangeReport(), f"the index is not up to date with the corpus: {exc}"

    def _sync(self, progress: Progress | None) -> ChangeReport:
        started = _check_time()
        report = self._sync_changes(progress)
        self.index.mark_checked(started)
        return report

    def _sync_changes(self, progress: Progress | None) -> ChangeReport:
        self._clean_up()
        try:
            self.index.check_version()
            manifest = self.index.manifest()
        except IndexOutdated as exc:
            self._note(f"Rebuilding the index from corpus/: {_first_clause(str(exc))}.")
            return self._build_all(progress)
        if self.index.generation() is None:
            return self._build_all(progress)
        scan = self.corpus.scan()
        report = ChangeReport()
        changed = [
            rel for rel, state in scan.items() if rel not in manifest.files or manifest.files[rel].state != state
        ]
        removed = [rel for rel in manifest.files if rel not in scan]
        remove_ids: list[str] = []
        for rel in removed:
            entry = manifest.files.pop(rel)
            remove_ids += [info.id for info in entry.articles]
            report.outcomes.append(Outcome(rel, "removed"))
        pending: list[_Pending] = []
        for rel in changed:
            old = manifest.files.pop(rel, None)
            previous = {info.id: info for info in old.articles} if old else {}
            remove_ids += list(previous)
            pending += self._read_corpus_file(
                rel, scan[rel], manifest, report, previous, "replaced" if old else "added"
            )
        if report.outcomes:
            report.paragraphs = self.index.update(manifest, remove_ids, self._documents(pending, manifest, progress))
        return report

    def rebuild(self, progress: Progress | None = None, wait: float | None = None) -> ChangeReport:
        """Rebuild the whole index from ``corpus/`` aside, then swap it in."""
        with self.index.lock(wait, "searchkit rebuild"):
            return self._build(progress)

    def migrate(self, engine: str, settings: dict[str, Any] | None = None, wait: float | None = None) -> int:
        """Move the index to another engine (e.g. Whoosh to OpenSearch) without reading the corpus again:
        the paragraphs the live index holds, with their speakers, entities and quotes, are written by the
        new engine as a new generation, then ``searchkit.json`` names it. Returns the paragraphs moved.

        Killed at any point, the collection stays whole: before the swap the old index is live; after it,
        an index of the other engine's version is rebuilt from ``corpus/`` by the next command.
        """
        target = load_engine(engine, settings)
        with self.index.lock(wait, "searchkit migrate"):
            self._sync(None)
            manifest = self.index.manifest()
            reader = self.index.open()
            try:
                moved = Catalogue(self.index.folder, lambda: target).build(manifest, _paragraph_docs(manifest, reader))
            finally:
                reader.close()
            config: dict[str, Any] = {"engine": engine}
            if settings:
                config[engine] = settings
            _write_config(self.home / CONFIG, config)
            self.index = Catalogue(self.home / "index", self._load_engine)
        return moved

    def _build(self, progress: Progress | None) -> ChangeReport:
        started = _check_time()
        report = self._build_all(progress)
        self.index.mark_checked(started)
        return report

    def _build_all(self, progress: Progress | None) -> ChangeReport:
        self._clean_up()
        try:
            previous = {info.id: info for info in self.index.manifest().articles()}
        except Exception:  # a damaged old index is exactly what a rebuild replaces
            previous = {}
        manifest = Manifest()
        report = ChangeReport()
        pending: list[_Pending] = []
        for rel, state in sorted(self.corpus.scan().items()):
            pending += self._read_corpus_file(rel, state, manifest, report, previous, "added")
        report.paragraphs = self.index.build(manifest, self._documents(pending, manifest, progress))
        return report

    def _clean_up(self) -> None:
        """Remove what killed writers left (temporary files, unfinished generations); the lock is held."""
        leftovers = self.index.remove_leftovers() + self.corpus.temp_files()
        for path in leftovers:
            if path.is_file():
                path.unlink(missing_ok=True)
        if leftovers:
            self._note(
                f"Cleaned up {len(leftovers)} leftover(s) of an interrupted write: "
                + ", ".join(p.name for p in leftovers[:5])
                + (" …" if len(leftovers) > 5 else "")
            )

    def _read_corpus_file(
        self,
        rel: str,
        state: FileState,
        manifest: Manifest,
        report: ChangeReport,
        previous: dict[str, ArticleInfo],
        status: str,
    ) -> list[_Pending]:
        entry = FileEntry(state)
        manifest.files[rel] = entry
        try:
            reading = self.corpus.read(rel)
        except InputError as exc:
            entry.error = str(exc)
            report.outcomes.append(Outcome(rel, "failed", str(exc)))
            return []
        for problem in reading.problems:
            report.outcomes.append(Outcome(problem.where, "skipped" if problem.skipped else "failed", problem.reason))
        pending = []
        for article in reading.articles:
            known = previous.get(article.id)
            info = _info(article, known.added if known else state.mtime_ns / 1e9)
            if known and known.origin:
                info.origin = known.origin
            entry.articles.append(info)
            pending.append(_Pending(article, info))
            report.outcomes.append(Outcome(rel, status, article_id=article.id))
        return pending

    def _documents(
        self, pending: list[_Pending], manifest: Manifest, progress: Progress | None
    ) -> Iterator[ParagraphDoc]:
        """Segment and annotate articles into paragraph documents, completing each catalogue entry
        (paragraph count, fingerprint, the earlier article it nearly duplicates)."""
        from .ingest.dedupe import simhash
        from .nlp import ALIASES_FILE, annotate, load_aliases

        in_flight: deque[tuple[_Pending, Article]] = deque()

        def segmented() -> Iterator[tuple[Article, list[Paragraph]]]:
            for item in pending:
                article, paragraphs = segment(item.article)
                in_flight.append((item, article))
                yield article, paragraphs

        near = _near_duplicates(manifest, {item.info.id for item in pending})
        aliases = load_aliases(self.home / ALIASES_FILE)
        for done, paragraphs in enumerate(annotate(segmented(), aliases, nlp_workers(len(pending))), 1):
            item, article = in_flight.popleft()
            item.info.paragraphs = len(paragraphs)
            item.info.source = article.source
            item.info.dateline, item.info.provenance = article.dateline, dict(article.provenance)
            item.info.simhash = simhash(" ".join([article.title or "", *(p.text for p in paragraphs)]))
            item.info.copy_of = near.find(item.info.simhash)
            near.add(item.info.id, item.info.simhash)
            for paragraph in paragraphs:
                yield ParagraphDoc.of(article, item.info, paragraph)
            if progress:
                progress(done, len(pending))

    # -- adding and removing ------------------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str | Path],
        metadata: dict[str, object] | None = None,
        progress: Progress | None = None,
        wait: float | None = None,
        **read_options: object,
    ) -> ChangeReport:
        """Add files, folders (recursively) and globs: store each article in the corpus, then index it.

        Exact duplicates of articles already in the corpus are skipped; a changed version of an article
        (same corpus path) replaces the old one. A bad file is reported and never stops the others.
        """
        report = ChangeReport()
        sources = list(self._expand(paths, report))
        with self.index.lock(wait, "searchkit add"):
            started = _check_time()
            report.outcomes += self._sync(None).outcomes
            manifest = self.index.manifest()
            by_hash = {info.hash: info.path for info in manifest.articles()}
            pending: list[_Pending] = []
            remove_ids: list[str] = []
            now = time.time()
            written: set[str] = set()
            for source, rel in sources:
                for article, wanted in self._read_source(source, rel, report, read_options):
                    if metadata:
                        try:
                            article = _override(article, metadata)
                        except InputError as exc:
                            report.outcomes.append(Outcome(article.origin or str(source), "failed", str(exc)))
                            continue
                    digest = content_hash(article)
                    target = _free_target(wanted, written)
                    old = manifest.files.get(target)
                    twin = by_hash.get(digest)
                    if twin is not None:
                        reason = "already in the corpus" if twin == target else f"duplicate of {twin}"
                        report.outcomes.append(Outcome(article.origin or str(source), "skipped", reason))
                        continue
                    state = self._store(source, article, target, metadata)
                    crash_point("after-corpus-write")
                    article = replace(article, path=target, id=article_id(target))
                    info = _info(article, now, digest)
                    if old is not None:
                        remove_ids += [a.id for a in old.articles]
                        by_hash = {h: p for h, p in by_hash.items() if p != target}
                    manifest.files[target] = FileEntry(state, [info])
                    by_hash[digest] = target
                    written.add(target)
                    pending.append(_Pending(article, info))
                    renamed = f"stored as {target}: {wanted} is taken" if target != wanted else None
                    report.outcomes.append(
                        Outcome(
                            article.origin or str(source),
                            "replaced" if old else "added",
                            renamed,
                            article_id=article.id,
                        )
                    )
            if pending:
                report.paragraphs = self.index.update(
                    manifest, remove_ids, self._documents(pending, manifest, progress)
                )
                self.index.mark_checked(started)
        return report

    def add_article(
        self,
        text: str,
        title: str | None = None,
        *,
        date: str | None = None,
        source: str | None = None,
        url: str | None = None,
        authors: Iterable[str] = (),
        name: str | None = None,
        folder: str = "articles",
        progress: Progress | None = None,
        wait: float | None = None,
    ) -> ChangeReport:
        """Add one article given in memory; paragraphs are separated by blank lines (or one a line).

        It is stored as ``corpus/<folder>/<name>.json`` in searchkit's article JSON, like a feed record,
        so a rebuild keeps it. ``name`` defaults to the title's words and a hash of the text, so adding
        the same article twice changes nothing; adding again under the same ``name`` replaces it.
        The new article's id is ``report.outcomes[-1].article_id``.
        """
        import hashlib
        import json
        import re
        import tempfile

        if not text or not text.strip():
            raise InputError("the article has no text; give its body as text=")
        if not re.fullmatch(r"[\w.-]+", folder) or folder.startswith("."):
            raise InputError(f"folder {folder!r} must be one plain folder name (letters, digits, . _ -)")
        words = re.findall(r"\w+", (title or text).casefold())[:8]
        name = name or "-".join(words + [hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]])
        stem = name[:-5] if name.endswith(".json") else name
        record = {"title": title, "text": text, "date": date, "source": source, "url": url, "authors": list(authors)}
        with tempfile.TemporaryDirectory(prefix="searchkit-article-") as tmp:
            target = Path(tmp) / folder / f"{safe_relpath(stem).replace('/', '_')}.json"
            target.parent.mkdir()
            target.write_text(json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False), "utf-8")
            return self.add(
                [target.parent], metadata={"origin": "python: Collection.add_article"}, progress=progress, wait=wait
            )

    def _expand(self, paths: Iterable[str | Path], report: ChangeReport) -> Iterator[tuple[Path, str]]:
        """Inputs → (file, corpus path): a folder keeps its name and inner layout; a glob, its file names."""
        for given in paths:
            text = str(given)
            matches = (
                [Path(p) for p in sorted(glob.glob(text, recursive=True))] if glob.has_magic(text) else [Path(text)]
            )
            if not matches or not matches[0].exists():
                report.outcomes.append(Outcome(text, "failed", "no such file or folder; check the path"))
                continue
            for path in matches:
                if path.is_dir():
                    base = path.resolve()
                    files = sorted(
                        p
                        for p in base.rglob("*")
                        if p.is_file() and is_article_file(p.name) and not is_folder_doc(p.name)
                    )
                    if not files:
                        report.outcomes.append(
                            Outcome(text, "failed", "no article files (.txt, .html, .json, .jsonl) in this folder")
                        )
                    for file in files:
                        yield file, self._target(file, f"{base.name}/{file.relative_to(base).as_posix()}")
                else:
                    yield path, self._target(path, path.name)

    def _target(self, path: Path, wanted: str) -> str:
        return self.corpus.contains(path) or safe_relpath(wanted)

    def _read_source(
        self, source: Path, rel: str, report: ChangeReport, read_options: dict[str, object]
    ) -> Iterator[tuple[Article, str]]:
        try:
            reading = read_file(source, **read_options)
        except InputError as exc:
            report.outcomes.append(Outcome(str(source), "failed", str(exc).removeprefix(f"{source.name}: ")))
            return
        for problem in reading.problems:
            report.outcomes.append(Outcome(problem.where, "skipped" if problem.skipped else "failed", problem.reason))
        feed = suffix_of(source.name) in (".json", ".jsonl", ".ndjson")
        for i, article in enumerate(reading.articles):
            origin = article.origin if feed else str(source.resolve())
            target = rel
            if feed:
                stem = rel[: -len(suffix_of(rel))]
                target = (
                    f"{stem}.json"
                    if len(reading.articles) == 1
                    else safe_relpath(f"{stem}/{_record_name(article.record, i)}.json")
                )
            yield replace(article, origin=origin), target

    def _store(self, source: Path, article: Article, target: str, metadata: dict[str, object] | None) -> FileState:
        if target.endswith(".json") and suffix_of(source.name) in (".json", ".jsonl", ".ndjson"):
            return self.corpus.store_article(article, target)
        # The sidecar goes first: a crash between the two writes must not leave an article that the
        # next sync indexes without the metadata it was added with (a re-add would then skip it).
        self.corpus.store_sidecar(target, metadata or {})
        if self.corpus.contains(source) != target:
            self.corpus.store_file(source.read_bytes(), target)
        return self.corpus.state_of(target)

    # -- checking and repairing --------------------------------------------------------------------

    def doctor(self, fix: bool = False, wait: float | None = None) -> list[Check]:
        """Check that the index opens, is of this schema, agrees with the corpus, and that no crash left
        temporary files, unfinished generations or a stale lock behind; with ``fix``, repair what can be
        (clear, clean, sync, rebuild) and check again. Each check says what ``fix`` did about it.
        """
        checks = self._checks()
        if not fix:
            return checks
        done: dict[str, str] = {}
        if self.index.clear_stale_lock():
            done["lock"] = "cleared the stale holder line"
        if all(c.ok for c in checks):
            checks = self._checks()
            for c in checks:
                c.fixed = done.get(c.check, "")
            return checks
        with self.index.lock(wait, "searchkit doctor --fix"):
            gone = self.index.remove_leftovers() + self.corpus.temp_files()
            for path in gone:
                if path.is_file():
                    path.unlink(missing_ok=True)
            if gone:
                done["leftovers"] = f"removed {len(gone)}"
            if self.index.problem() is not None:
                report = self._build(None)
                done["index"] = done["schema"] = f"rebuilt from corpus/ ({report.paragraphs} paragraphs)"
            else:
                report = self._sync(None)
                if report.outcomes:
                    done["corpus"] = f"re-indexed: {report.summary()}"
        checks = self._checks()
        for c in checks:
            c.fixed = done.get(c.check, "")
        return checks

    def _checks(self) -> list[Check]:
        held, text = self.index.lock_state()
        checks = [
            Check("lock", True, f"being written now by {text}; leftovers are not checked" if held else "free")
            if held or not text
            # A killed writer's line is harmless: the kernel released its lock, the next writer takes it.
            else Check("lock", True, f"free (the lock file still names {text!r}, which no longer holds it)")
        ]
        gen = self.index.generation()
        manifest: Manifest | None = None
        try:
            manifest = self.index.manifest()
        except IndexOutdated as exc:
            checks.append(Check("schema", False, str(exc)))
        if manifest is not None:
            version = self.index.version()
            wanted = self.index.engine.schema_version
            checks.append(
                Check(
                    "schema",
                    version in (None, wanted),
                    f"schema {wanted if version is None else version}"
                    + ("" if version in (None, wanted) else f"; this searchkit reads {wanted}"),
                )
            )
        problem = self.index.problem()
        if gen is None and not self.corpus.scan():
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
        checks.append(self._agreement(manifest or Manifest()))
        if not held:
            leftovers = self.index.leftovers() + self.corpus.temp_files()
            names = ", ".join(str(p.relative_to(self.home)) for p in leftovers[:5]) + (
                " …" if len(leftovers) > 5 else ""
            )
            checks.append(
                Check(
                    "leftovers",
                    not leftovers,
                    f"{len(leftovers)} left by an interrupted write: {names}" if leftovers else "none",
                )
            )
        return checks

    def _agreement(self, manifest: Manifest) -> Check:
        scan = self.corpus.scan()
        unindexed = sorted(rel for rel in scan if rel not in manifest.files)
        orphaned = sorted(rel for rel in manifest.files if rel not in scan)
        changed = sorted(rel for rel in scan if rel in manifest.files and manifest.files[rel].state != scan[rel])
        unreadable = sorted(rel for rel, entry in manifest.files.items() if entry.error and rel in scan)
        parts = []
        for label, rels in (
            ("in corpus/ but not indexed", unindexed),
            ("indexed but gone from corpus/", orphaned),
            ("changed since indexed", changed),
            ("unreadable (fix or delete them)", unreadable),
        ):
            if rels:
                parts.append(f"{len(rels)} {label}: " + ", ".join(rels[:3]) + (" …" if len(rels) > 3 else ""))
        articles = sum(1 for _ in manifest.articles())
        return Check("corpus", not parts, "; ".join(parts) or f"{len(scan)} files, {articles} articles, all indexed")

    # -- reading ----------------------------------------------------------------------------------

    def articles(self) -> list[ArticleInfo]:
        return sorted(self.index.manifest().articles(), key=lambda a: a.path)

    def search(self, query: str = "", **options: Any) -> SearchResult:
        """Run a query (see ``options.SearchOptions`` for the options) against the index as it is."""
        return self._read(lambda reader: reader.search(query, search_options(None, **options)))

    def similar(self, paragraph_id: str, **options: Any) -> SearchResult:
        """Paragraphs like ``paragraph_id`` (more-like-this), with the same options as ``search``."""
        return self._read(lambda reader: reader.similar(paragraph_id, search_options(None, **options)))

    def quotes(self, query: str = "", **options: Any) -> QuoteResult:
        """Quotations under the filters of ``search``; ``query`` searches the quoted text."""
        return self._read(lambda reader: reader.quotes(query, search_options(None, **options)))

    def session(self) -> Session:
        """Open the index once for many queries: ``with coll.session() as s: s.search(...)``."""
        from .session import Session

        return Session(self)

    @property
    def watches(self) -> Watches:
        """Saved searches (``watches/NAME.json`` in the collection): save, run (new hits only), list, delete."""
        from .watch import Watches

        return Watches(self)

    def resolve(self, ref: str) -> ArticleInfo:
        """An article by id, id prefix, or corpus path; NotFound (with what to do) otherwise."""
        infos = self.articles()
        exact = [a for a in infos if ref in (a.id, a.path)]
        found = exact or [a for a in infos if a.id.startswith(ref.split("#")[0]) and len(ref) >= 4]
        if len(found) != 1:
            what = "no article" if not found else f"{len(found)} articles"
            raise NotFound(f"{what} with id or path {ref!r}; see 'searchkit list' for ids")
        return found[0]

    def article(self, ref: str) -> tuple[ArticleInfo, list[Paragraph]]:
        """One article's catalogue entry and its indexed paragraphs."""
        info = self.resolve(ref)
        return info, self._read(lambda reader: reader.article_paragraphs(info.id))

    def remove(self, refs: Iterable[str], wait: float | None = None) -> ChangeReport:
        """Remove articles (by id or corpus path) from the corpus and the index together."""
        infos = [self.resolve(ref) for ref in refs]
        with self.index.lock(wait, "searchkit remove"):
            for info in infos:
                self.corpus.remove(info.path)
            return self._sync(None)

    def names(self, kinds: Iterable[str], prefix: str = "", limit: int = 100000) -> list[NameCount]:
        """Canonical names of ``kinds`` (speaker, person, org, place) with paragraph and article counts."""
        kinds = tuple(kinds)
        counts: dict[tuple[str, str], list[int]] = {}
        for unit in ("paragraph", "article"):
            result = self.search("", facets=kinds, facet_limit=limit, limit=1, by=unit)
            for facet in result.facets:
                for value in facet.values:
                    if value.value.casefold().startswith(prefix.casefold()):
                        counts.setdefault((value.value, facet.name), [0, 0])[unit == "article"] = value.count
        ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
        return [NameCount(name, kind, paragraphs, articles) for (name, kind), (paragraphs, articles) in ranked]

    def stats(self) -> dict[str, object]:
        """Articles, paragraphs, sources, date range, near-duplicates, index size and schema version."""
        infos = self.articles()
        dates = sorted(a.date[:10] for a in infos if a.date)
        return {
            "articles": len(infos),
            "paragraphs": sum(a.paragraphs for a in infos),
            "sources": len({a.source for a in infos if a.source}),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "near_duplicates": sum(1 for a in infos if a.copy_of),
            "index_bytes": self.index.size_bytes(),
            "schema_version": self.index.engine.schema_version,
            "home": str(self.home),
        }

    def _read(self, ask: Callable[[Reader], T]) -> T:
        empty = f"the collection in {self.home} has no articles yet; add some with 'searchkit add PATH'"
        if self.index.generation() is None:
            raise EmptyCollection(empty)
        for attempt in range(5):
            gen = self.index.generation()
            reader = None
            try:
                reader = self.index.open()
                if reader.count() == 0:  # not the manifest: parsing it costs more than the query
                    raise EmptyCollection(empty)
                return ask(reader)
            except (EmptyCollection, QueryError):
                raise
            except Exception:
                # A writer swapped in a new generation and removed this one while it was being opened:
                # search the new one. Anything else is a real error.
                if attempt == 4 or self.index.generation() == gen:
                    raise
            finally:
                if reader is not None:
                    reader.close()
        raise AssertionError("unreachable")


def _paragraph_docs(manifest: Manifest, reader: Reader) -> Iterator[ParagraphDoc]:
    """Every indexed paragraph, as the engines are handed them, from a reader and its catalogue."""
    for info in manifest.articles():
        article = Article(blocks=[], id=info.id, path=info.path, title=info.title, source=info.source)
        article = replace(article, date=info.date, url=info.url, authors=list(info.authors))
        for paragraph in reader.article_paragraphs(info.id):
            yield ParagraphDoc.of(article, info, paragraph)


def _write_config(path: Path, config: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    os.replace(tmp, path)


def _record_name(record: str | None, index: int) -> str:
    """A feed record's id as one safe file name; an id that had to be changed keeps a hash of itself, so
    that two ids cleaned to the same name ("..", "../") stay two files."""
    if not record:
        return str(index)
    name = re.sub(r"[^\w.\- ]", "_", record).strip(". ")[:100]
    return name if name == record else f"{name or 'record'}-{hashlib.sha1(record.encode('utf-8')).hexdigest()[:8]}"


def _free_target(wanted: str, taken: set[str]) -> str:
    """``wanted`` unless this change already wrote it (a repeated record id, two globbed files of one
    name) or it is the name of a metadata sidecar; else the first free ``name-2.ext``, ``name-3.ext``…"""
    if wanted.lower().endswith(SIDECAR_SUFFIX):
        wanted = wanted[: -len(SIDECAR_SUFFIX)] + "_meta.json"
    suffix = suffix_of(wanted)
    stem = wanted[: len(wanted) - len(suffix)]
    target, n = wanted, 1
    while target in taken:
        n += 1
        target = f"{stem}-{n}{suffix}"
    return target


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


#: How far before a scan starts the freshness mark is put: a file's change time comes from the kernel's
#: coarse clock, which may lag the clock this process reads by a few milliseconds.
CHECK_MARGIN_NS = 1_000_000_000


def _check_time() -> int:
    """The time to mark as checked for a scan that starts now (see ``IndexStore.mark_checked``)."""
    return time.time_ns() - CHECK_MARGIN_NS


def nlp_workers(articles: int) -> int:
    """NLP processes for a change of this size: ``SEARCHKIT_WORKERS``, else 2 for large changes on 2+ cores."""
    configured = os.environ.get("SEARCHKIT_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return 2 if articles >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1


def _info(article: Article, added: float, digest: str | None = None) -> ArticleInfo:
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


def _override(article: Article, metadata: dict[str, Any]) -> Article:
    values = {k: v for k, v in metadata.items() if v not in (None, "", [])}
    provenance = {**article.provenance, **{k: "command line" for k in values}}
    return check_article(replace(article, **values, provenance=provenance), "the command line")
