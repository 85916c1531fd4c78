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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .catalogue import Catalogue, FileEntry, crash_point
from .engine.base import DEFAULT_ENGINE, Engine, Reader
from .engine.base import load as load_engine
from .errors import (
    CollectionNotFound,
    EmptyCollection,
    IndexLocked,
    InputError,
    Interrupted,
    NotFound,
    QueryError,
)
from .ingest.corpus import Corpus, article_id, content_hash, safe_relpath, shown
from .ingest.readers import SIDECAR_SUFFIX, is_article_file, is_folder_doc, read_file, suffix_of
from .model import (
    Article,
    ArticleInfo,
    ChangeReport,
    FileState,
    NameCount,
    Outcome,
    Paragraph,
    QuoteResult,
    SearchResult,
)
from .options import options as search_options
from .session import Session
from .sync import (
    Pending,
    Progress,
    build_index,
    catalogue_entry,
    check_time,
    index_changes,
    is_stale,
    stored_paragraph_docs,
    sync_index,
)

if TYPE_CHECKING:  # loaded by the commands that use them: a query needs neither
    from .doctor import Check
    from .watch import Watches

#: Why an article that keeps no paragraph is refused (it could never be found).
NO_TEXT = "no paragraph of text is left once headings and boilerplate (copyright, share and follow lines) are removed"

T = TypeVar("T")

HOME_ENV = "SEARCHKIT_HOME"
#: The collection's settings: ``{"engine": "whoosh"}`` plus whatever that engine is configured with.
CONFIG = "searchkit.json"


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

    def note(self, message: str) -> None:
        """Tell the user (``on_note``) what the library did on its own."""
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
            # An engine refuses bad settings here, before anything is written.
            load_engine(engine or DEFAULT_ENGINE, settings)
            config: dict[str, Any] = {"engine": engine or DEFAULT_ENGINE}
            if settings:
                config[config["engine"]] = settings
            (path / CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
        return coll

    # -- keeping the index in step with the corpus (sync.py) -----------------------------------------

    def stale(self) -> bool:
        """True when the index is missing, of another schema, or does not match the corpus files, or a
        killed writer left generations behind (and no writer is running that could own them)."""
        return is_stale(self)

    def sync(self, progress: Progress | None = None, wait: float | None = None) -> ChangeReport:
        """Bring the index up to date with files added, changed or removed in ``corpus/`` by hand."""
        with self.index.lock(wait, "searchkit sync"):
            return sync_index(self, progress)

    def try_sync(self, progress: Progress | None = None, limit: int | None = None) -> tuple[ChangeReport, str | None]:
        """Sync if no other process is writing and at most ``limit`` corpus files are new or changed (an
        index of another schema is rebuilt whatever the count: it cannot be read); else leave the index
        as it is and say why. A reader passes a limit, so that it never spends minutes annotating what
        an interrupted add or a large copy into corpus/ left behind before it answers."""
        try:
            with self.index.lock(0, "searchkit sync"):
                behind = self.backlog() if limit is not None and self.index.current() else 0
                if limit is not None and behind > limit:
                    return ChangeReport(), (
                        f"{behind} files in corpus/ are not indexed yet (an interrupted add, or files copied "
                        "there); answering from the index as it is: 'searchkit sync' indexes them"
                    )
                return sync_index(self, progress), None
        except IndexLocked as exc:
            return ChangeReport(), f"the index is not up to date with the corpus: {exc}"

    def backlog(self) -> int:
        """Files in corpus/ the live index does not hold as they are now (new or changed)."""
        indexed = {rel: entry.state for rel, entry in self.index.manifest().files.items()}
        return sum(1 for rel, state in self.corpus.scan().items() if indexed.get(rel) != state)

    def rebuild(self, progress: Progress | None = None, wait: float | None = None) -> ChangeReport:
        """Rebuild the whole index from ``corpus/`` aside, then swap it in."""
        with self.index.lock(wait, "searchkit rebuild"):
            return build_index(self, progress)

    def migrate(self, engine: str, settings: dict[str, Any] | None = None, wait: float | None = None) -> int:
        """Move the index to another engine (e.g. Whoosh to OpenSearch) without reading the corpus again:
        the paragraphs the live index holds, with their speakers, entities and quotes, are written by the
        new engine as a new generation, then ``searchkit.json`` names it. Returns the paragraphs moved.

        Killed at any point, the collection stays whole: before the swap the old index is live; after it,
        an index of the other engine's version is rebuilt from ``corpus/`` by the next command.
        """
        target = load_engine(engine, settings)
        with self.index.lock(wait, "searchkit migrate"):
            sync_index(self, None)
            manifest = self.index.manifest()
            reader = self.index.open()
            try:
                moved = Catalogue(self.index.folder, lambda: target).build(
                    manifest, stored_paragraph_docs(manifest, reader)
                )
            finally:
                reader.close()
            config: dict[str, Any] = {"engine": engine}
            if settings:
                config[engine] = settings
            _write_config(self.home / CONFIG, config)
            self.index = Catalogue(self.home / "index", self._load_engine)
        return moved

    # -- adding and removing ------------------------------------------------------------------------

    def add(
        self,
        paths: Iterable[str | Path],
        metadata: dict[str, object] | None = None,
        progress: Progress | None = None,
        wait: float | None = None,
        follow_links: bool = False,
        **read_options: object,
    ) -> ChangeReport:
        """Add files, folders (recursively) and globs: store each article in the corpus, then index it.

        Exact duplicates of articles already in the corpus are skipped; a changed version of an article
        (same corpus path) replaces the old one. A bad file is reported and never stops the others. In a
        folder, a symbolic link to a file outside it is skipped (with a note) unless ``follow_links``.
        """
        report = ChangeReport()
        sources = list(self._expand(paths, report, follow_links))

        def read() -> Iterator[tuple[Article, str, Path | None]]:  # read under the lock
            for source, rel in sources:
                for article, target in self._read_source(source, rel, report, read_options):
                    if metadata:
                        try:
                            article = _override(article, metadata)
                        except InputError as exc:
                            report.outcomes.append(Outcome(article.origin or str(source), "failed", str(exc)))
                            continue
                    yield article, target, source

        return self._add(read(), report, metadata, progress, wait)

    def _add(
        self,
        articles: Iterable[tuple[Article, str, Path | None]],
        report: ChangeReport,
        metadata: dict[str, object] | None,
        progress: Progress | None,
        wait: float | None,
    ) -> ChangeReport:
        """Store each (article, corpus path, file it came from or None) in the corpus, then index them.

        Ctrl-C (``KeyboardInterrupt``) leaves the index as it was and the articles stored so far in
        ``corpus/``, where the next writer indexes them; ``Interrupted`` says so."""
        pending: list[Pending] = []
        try:
            return self._store_and_index(articles, report, metadata, progress, wait, pending)
        except Interrupted:
            raise
        except KeyboardInterrupt:
            raise Interrupted(_interrupted(len(pending))) from None

    def _store_and_index(
        self,
        articles: Iterable[tuple[Article, str, Path | None]],
        report: ChangeReport,
        metadata: dict[str, object] | None,
        progress: Progress | None,
        wait: float | None,
        pending: list[Pending],
    ) -> ChangeReport:
        from .ingest.segment import segment  # writers only

        with self.index.lock(wait, "searchkit add"):
            started = check_time()
            report.outcomes += sync_index(self, None).outcomes
            manifest = self.index.manifest()
            by_hash = {info.hash: info.path for info in manifest.articles()}
            remove_ids: list[str] = []
            now = time.time()
            written: set[str] = set()
            for article, wanted, source in articles:
                if not segment(article)[1]:
                    report.outcomes.append(Outcome(article.origin or str(source), "failed", NO_TEXT))
                    continue
                digest = content_hash(article)
                target = _free_target(wanted, written)
                old = manifest.files.get(target)
                twin = by_hash.get(digest)
                where = article.origin or str(source)
                if twin is not None:
                    reason = "already in the corpus" if twin == target else f"duplicate of {twin}"
                    report.outcomes.append(Outcome(where, "skipped", reason))
                    continue
                try:
                    state = self._store(source, article, target, metadata)
                except OSError as exc:  # the file went away or became unreadable since it was read
                    report.outcomes.append(Outcome(shown(where), "failed", f"cannot be stored ({exc.strerror})"))
                    continue
                crash_point("after-corpus-write")
                article = replace(article, path=target, id=article_id(target))
                info = catalogue_entry(article, now, digest)
                if old is not None:
                    remove_ids += [a.id for a in old.articles]
                    by_hash = {h: p for h, p in by_hash.items() if p != target}
                manifest.files[target] = FileEntry(state, [info])
                by_hash[digest] = target
                written.add(target)
                pending.append(Pending(article, info))
                renamed = f"stored as {target}: {wanted} is taken" if target != wanted else None
                report.outcomes.append(Outcome(where, "replaced" if old else "added", renamed, article_id=article.id))
            if pending:
                index_changes(self, manifest, remove_ids, pending, report, progress)
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

        from .ingest.readers import read_bytes

        if not text or not text.strip():
            raise InputError("the article has no text; give its body as text=")
        if not re.fullmatch(r"[\w.-]+", folder) or folder.startswith("."):
            raise InputError(f"folder {folder!r} must be one plain folder name (letters, digits, . _ -)")
        words = re.findall(r"\w+", (title or text).casefold())[:8]
        name = name or "-".join(words + [hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]])
        stem = name[:-5] if name.endswith(".json") else name
        record = {"title": title, "text": text, "date": date, "source": source, "url": url, "authors": list(authors)}
        target = safe_relpath(f"{folder}/{safe_relpath(stem).replace('/', '_')}.json")
        data = json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False).encode("utf-8")
        reading = read_bytes(data, target.rsplit("/", 1)[-1])  # checked as the record of a file would be
        report = ChangeReport()
        for problem in reading.problems:
            report.outcomes.append(Outcome(problem.where, "skipped" if problem.skipped else "failed", problem.reason))
        origin: dict[str, object] = {"origin": "python: Collection.add_article"}
        articles = [(_override(article, origin), target, None) for article in reading.articles]
        return self._add(articles, report, origin, progress, wait)

    def _expand(
        self, paths: Iterable[str | Path], report: ChangeReport, follow_links: bool = False
    ) -> Iterator[tuple[Path, str]]:
        """Inputs → (file, corpus path): a folder keeps its name and inner layout; a glob, its file names."""
        for given in paths:
            text = str(given)
            matches = (
                [Path(p) for p in sorted(glob.glob(text, recursive=True))] if glob.has_magic(text) else [Path(text)]
            )
            if not matches or not matches[0].exists():
                report.outcomes.append(Outcome(shown(text), "failed", "no such file or folder; check the path"))
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
                            Outcome(
                                shown(text), "failed", "no article files (.txt, .html, .json, .jsonl) in this folder"
                            )
                        )
                    for file in files:
                        if not follow_links and not file.resolve().is_relative_to(base):
                            report.outcomes.append(
                                Outcome(
                                    shown(str(file)),
                                    "skipped",
                                    "a link to a file outside the folder; add it by name or use --follow-links",
                                )
                            )
                            continue
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
            reason = shown(str(exc).removeprefix(f"{source}: ").removeprefix(f"{source.name}: "))
            report.outcomes.append(Outcome(shown(str(source)), "failed", reason))
            return
        for problem in reading.problems:
            report.outcomes.append(
                Outcome(shown(problem.where), "skipped" if problem.skipped else "failed", shown(problem.reason))
            )
        feed = suffix_of(source.name) in (".json", ".jsonl", ".ndjson")
        for i, article in enumerate(reading.articles):
            origin = shown(article.origin or "" if feed else str(source.resolve())) or None
            target = rel
            if feed:
                stem = rel[: -len(suffix_of(rel))]
                target = (
                    f"{stem}.json"
                    if len(reading.articles) == 1
                    else safe_relpath(f"{stem}/{_record_name(article.record, i)}.json")
                )
            yield replace(article, origin=origin), target

    def _store(
        self, source: Path | None, article: Article, target: str, metadata: dict[str, object] | None
    ) -> FileState:
        """Write the article into the corpus: a feed record or an in-memory article (``source`` None) as
        searchkit's article JSON, any other file as it is, with its metadata in a sidecar."""
        if source is None or (target.endswith(".json") and suffix_of(source.name) in (".json", ".jsonl", ".ndjson")):
            return self.corpus.store_article(article, target)
        # The sidecar goes first: a crash between the two writes must not leave an article that the
        # next sync indexes without the metadata it was added with (a re-add would then skip it).
        self.corpus.store_sidecar(target, metadata or {})
        if self.corpus.contains(source) != target:
            self.corpus.store_file(source.read_bytes(), target)
        return self.corpus.state_of(target)

    # -- checking and repairing (doctor.py) ----------------------------------------------------------

    def doctor(self, fix: bool = False, wait: float | None = None) -> list[Check]:
        """Check that the index opens, is of this schema, agrees with the corpus, and that no crash left
        temporary files, unfinished generations or a stale lock behind; with ``fix``, repair what can be
        (clear, clean, sync, rebuild) and check again. Each check says what ``fix`` did about it."""
        from .doctor import doctor

        return doctor(self, fix, wait)

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
            return sync_index(self, None)

    def names(self, kinds: Iterable[str], prefix: str = "", limit: int = 100000) -> list[NameCount]:
        """Canonical names of ``kinds`` (speaker, person, org, place) with paragraph and article counts."""
        kinds = tuple(kinds)
        counts: dict[tuple[str, str], list[int]] = {}
        units = ("paragraph", "article")
        # one reader for both: the engine keeps what it read for the first (the facet column) for the second
        asked = [search_options(None, facets=kinds, facet_limit=limit, limit=1, by=unit) for unit in units]
        results = self._read(lambda reader: [reader.search("", opts) for opts in asked])
        start = prefix.casefold()
        for unit, result in zip(units, results, strict=True):
            for facet in result.facets:
                for value in facet.values:
                    if not start or value.value.casefold().startswith(start):
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


def _interrupted(stored: int) -> str:
    """What an interrupted add kept: the index as it was, and the articles it had stored in corpus/."""
    if not stored:
        return "Interrupted: nothing was added; the index is as it was"
    return (
        f"Interrupted: the index is as it was; {stored} article{'s' * (stored != 1)} stored in corpus/ so far "
        "are indexed by the next 'searchkit sync' or add (queries answer from the index meanwhile)"
    )


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


def _override(article: Article, metadata: dict[str, Any]) -> Article:
    values = {k: v for k, v in metadata.items() if v not in (None, "", [])}
    provenance = {**article.provenance, **{k: "command line" for k in values}}
    from .ingest.checks import check_article

    return check_article(replace(article, **values, provenance=provenance), "the command line")
