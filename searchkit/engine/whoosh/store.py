"""The Whoosh index in ``index/``: open, write incrementally, rebuild aside and swap, one writer at a time.

Layout: ``index/CURRENT`` names the live generation folder (``index/gen-000003/``), which holds the
Whoosh segments and ``manifest.json`` (the corpus files and articles that generation was built from).
A rebuild writes a new generation and then replaces ``CURRENT`` atomically, so an interrupted rebuild
leaves the old index in place, and readers see the old state or the new, never a half-built one.
``index/LOCK`` is held (``flock``) by the one process that writes; the kernel releases it when that
process dies, so a lock can never outlive its holder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import IndexWriter

from ...errors import IndexLocked, IndexOutdated
from ...model import Article, ArticleInfo, FileState, Paragraph
from .schema import SCHEMA_VERSION, build_schema, facet_column

CURRENT = "CURRENT"
LOCK = "LOCK"
MANIFEST = "manifest.json"
#: A digest of the corpus file states in the manifest, so a freshness check need not parse the manifest.
STATES = "states.sha1"
#: "<generation> <ns>": nothing in corpus/ had changed at time <ns> that the generation does not hold.
CHECKED = "CHECKED"
#: Segments as separate files: a compound segment is copied into memory by every searcher that opens it
#: (``searchkit query`` open + query at 20,000 paragraphs: 171 ms compound, 122 ms separate files).
COMPOUND = False
#: Default seconds a writer waits for another to finish (``SEARCHKIT_LOCK_TIMEOUT`` overrides).
LOCK_TIMEOUT = 30.0
#: Tests set this to a point name (``crash_point``) to have the process SIGKILL itself there.
KILL_ENV = "SEARCHKIT_TEST_KILL_AT"
#: Whoosh's own lock file inside a generation; never carried into a new generation.
_WHOOSH_LOCK = "MAIN_WRITELOCK"


def crash_point(name: str) -> None:
    """Die here, as a power cut or ``kill -9`` would, when ``$SEARCHKIT_TEST_KILL_AT`` names this point.

    Crash tests use it to stop a writer between the steps that must each leave a usable collection.
    """
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class FileEntry:
    """One corpus file as the index knows it; ``error`` is why it could not be read, if it could not."""

    state: FileState
    articles: list[ArticleInfo] = field(default_factory=list)
    error: str | None = None


@dataclass
class Manifest:
    """What an index generation was built from: corpus file states and their articles."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def articles(self) -> Iterator[ArticleInfo]:
        for entry in self.files.values():
            yield from entry.articles

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        files = {
            rel: FileEntry(
                FileState(**entry["state"]),
                [ArticleInfo(**info) for info in entry["articles"]],
                entry.get("error"),
            )
            for rel, entry in data["files"].items()
        }
        return cls(files, data.get("schema_version", 0))


class IndexStore:
    """One collection's index folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def generation(self) -> Path | None:
        """The live generation folder, or None when no index has been built."""
        try:
            name = (self.folder / CURRENT).read_text("ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        path = self.folder / name
        return path if name and path.is_dir() else None

    def manifest(self) -> Manifest:
        """The live generation's manifest; empty when there is no index yet.

        A writer may swap generations while this reads: a generation that vanished is followed to the
        one ``CURRENT`` names now.
        """
        for _attempt in range(20):
            gen = self.generation()
            if gen is None:
                return Manifest()
            try:
                return Manifest.from_json((gen / MANIFEST).read_text("utf-8"))
            except FileNotFoundError:
                if self.generation() != gen:
                    continue
                return Manifest(schema_version=_stored_version(gen))
            except (ValueError, KeyError, TypeError) as exc:
                if self.generation() != gen:
                    continue
                raise IndexOutdated(f"the index manifest is damaged ({exc}); run 'searchkit rebuild'") from None
        raise IndexOutdated("the index changed too often while being read; try again")

    def problem(self) -> str | None:
        """Why the live index cannot be used as it is (missing, another schema, damaged), or None.

        Opens every segment and checks the document count against the manifest, so a generation left
        damaged by a crash or a disk fault is caught before a query misreads it.
        """
        gen = self.generation()
        if gen is None:
            return "there is no index yet"
        version = _stored_version(gen)
        if version != SCHEMA_VERSION:
            return f"the index was built by another searchkit (schema {version}, this one reads {SCHEMA_VERSION})"
        try:
            manifest = self.manifest()
            expected = sum(info.paragraphs for info in manifest.articles())
            ix = whoosh_index.open_dir(str(gen), readonly=True)
            try:
                with ix.searcher() as searcher:
                    found = searcher.doc_count()
            finally:
                ix.close()
        except Exception as exc:  # Whoosh raises many kinds on damaged files
            if self.generation() != gen:
                return self.problem()
            return f"the index is damaged ({type(exc).__name__}: {exc})"
        if found != expected:
            return f"the index is damaged (it holds {found} paragraphs, its manifest {expected})"
        return None

    def version(self) -> int | None:
        """The schema version the live generation was built with (0: unknown), None without an index."""
        gen = self.generation()
        return None if gen is None else _stored_version(gen)

    def states_digest(self) -> str | None:
        """``states_digest(manifest.files)`` of the live generation, when it was written with one."""
        gen = self.generation()
        try:
            return (gen / STATES).read_text("ascii").strip() if gen else None
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    def checked_since(self) -> int | None:
        """When corpus/ was last found to be what the live generation holds (ns, as ``st_ctime_ns``),
        or None when that was not recorded for this generation."""
        try:
            name, since = (self.folder / CHECKED).read_text("ascii").split()
            gen = (self.folder / CURRENT).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        return int(since) if name == gen and since.isdigit() else None

    def mark_checked(self, since_ns: int) -> None:
        """Record that the live generation holds every corpus change made before ``since_ns``; the lock is held."""
        gen = self.generation()
        if gen is not None:
            _atomic_text(self.folder / CHECKED, f"{gen.name} {since_ns}\n")

    def check_version(self) -> None:
        gen = self.generation()
        if gen is not None and _stored_version(gen) != SCHEMA_VERSION:
            raise IndexOutdated(
                f"the index was built by another searchkit (schema {_stored_version(gen)}, this one reads "
                f"{SCHEMA_VERSION}); run 'searchkit rebuild' to rebuild it from the corpus"
            )

    def open(self) -> Index:
        """Open the live index for reading; IndexOutdated if it is of another schema or damaged."""
        self.check_version()
        gen = self.generation()
        if gen is None:
            raise IndexOutdated("there is no index yet; run 'searchkit rebuild' to build it from the corpus")
        try:
            return whoosh_index.open_dir(str(gen), readonly=True)
        except Exception as exc:  # Whoosh raises many kinds on damaged files
            raise IndexOutdated(f"the index cannot be opened ({exc}); run 'searchkit rebuild'") from None

    @contextlib.contextmanager
    def lock(self, timeout: float | None = None, purpose: str = "") -> Iterator[None]:
        """Hold the collection's write lock, waiting up to ``timeout`` seconds for another writer.

        The holder's pid is written into ``LOCK`` for the error message of whoever waits, and erased on
        release; a holder that was killed leaves its line behind, but the kernel has released its
        ``flock``, so the next writer simply takes the lock (and ``_holder`` never names a dead pid).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        if timeout is None:
            timeout = lock_timeout()
        handle = open(self.folder / LOCK, "a+", encoding="utf-8")
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLocked(
                            f"the index is being written by {_holder(handle)}; wait for it to finish, "
                            f"or raise the wait with SEARCHKIT_LOCK_TIMEOUT (now {timeout:g} s)"
                        ) from None
                    time.sleep(0.05)
            handle.seek(0)
            handle.truncate()
            handle.write(
                f"pid {os.getpid()} on {socket.gethostname()} ({purpose or 'searchkit'}) "
                f"since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
            )
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                handle.flush()
        finally:
            handle.close()

    def lock_state(self) -> tuple[bool, str]:
        """(held, text): whether a live process holds the write lock now, and what ``LOCK`` says."""
        path = self.folder / LOCK
        if not path.exists():
            return False, ""
        with open(path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True, _holder(handle)
            handle.seek(0)
            text = handle.read().strip()
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False, text

    def clear_stale_lock(self) -> bool:
        """Erase the holder line a killed writer left in ``LOCK`` (only while nobody holds it)."""
        path = self.folder / LOCK
        if not path.exists():
            return False
        with open(path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            handle.seek(0)
            stale = bool(handle.read().strip())
            handle.seek(0)
            handle.truncate()
            return stale

    def leftovers(self) -> list[Path]:
        """Generations that are not live and temporary files: what killed writers leave behind.

        Only meaningful while holding the lock (or when nobody does): a running writer's new
        generation looks the same.
        """
        live = self.generation()
        found = [p for p in sorted(self.folder.glob("gen-*")) if p.is_dir() and p != live]
        found += sorted(p for p in self.folder.glob(".*.tmp") if p.is_file())
        return found

    def remove_leftovers(self) -> list[Path]:
        """Remove ``leftovers()``; the caller holds the lock."""
        gone = self.leftovers()
        for path in gone:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return gone

    def update(self, manifest: Manifest, remove_ids: Iterable[str], documents: Iterable[dict]) -> int:
        """Apply a change to the index (built fresh when there is none); the caller holds the lock.

        Copy-on-write: Whoosh's incremental writer is not crash-safe across files, so the change is made
        in a new generation whose files start as hard links to the live one's (Whoosh never rewrites a
        file in place: new segments, new TOC renamed into place), then ``CURRENT`` is swapped. A writer
        killed at any point leaves the live generation untouched. Returns the documents written.
        """
        live = self.generation()
        if live is None:
            return self.build(manifest, documents)
        gen = self._new_generation()
        try:
            _link_tree(live, gen)
            ix = whoosh_index.open_dir(str(gen))
            writer = ix.writer(limitmb=256, compound=COMPOUND)
            try:
                for article in set(remove_ids):
                    writer.delete_by_term("article", article)
                count = _add_all(writer, documents)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        self._finish(gen, manifest)
        return count

    def build(self, manifest: Manifest, documents: Iterable[dict]) -> int:
        """Build a whole new generation aside, then make it live; the caller holds the lock."""
        self.folder.mkdir(parents=True, exist_ok=True)
        gen = self._new_generation()
        ix = whoosh_index.create_in(str(gen), build_schema())
        writer = ix.writer(limitmb=256, compound=COMPOUND)
        try:
            count = _add_all(writer, documents)
        except BaseException:
            writer.cancel()
            shutil.rmtree(gen, ignore_errors=True)
            raise
        writer.commit()
        self._finish(gen, manifest)
        return count

    def _finish(self, gen: Path, manifest: Manifest) -> None:
        """Seal a written generation (VERSION, manifest) and make it live, then drop the old ones."""
        crash_point("before-manifest")
        _atomic_text(gen / "VERSION", str(SCHEMA_VERSION))
        _write_manifest(gen, manifest)
        crash_point("before-current-swap")
        _atomic_text(self.folder / CURRENT, gen.name + "\n")
        crash_point("after-current-swap")
        self._remove_old_generations(keep=gen)

    def _new_generation(self) -> Path:
        numbers = [int(p.name[4:]) for p in self.folder.glob("gen-*") if p.name[4:].isdigit()]
        gen = self.folder / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        return gen

    def _remove_old_generations(self, keep: Path) -> None:
        for path in self.folder.glob("gen-*"):
            if path != keep:
                shutil.rmtree(path, ignore_errors=True)

    def size_bytes(self) -> int:
        gen = self.generation()
        return sum(p.stat().st_size for p in gen.iterdir()) if gen else 0


def document(article: Article, info: ArticleInfo, paragraph: Paragraph) -> dict:
    """A paragraph as a Whoosh document of ``schema.build_schema()``."""
    speakers = [s.name for s in paragraph.speakers]
    by_type = {t: [e.name for e in paragraph.entities if e.type == t] for t in ("person", "org", "place")}
    named = [e.name for e in paragraph.entities if e.type != "group"]
    when = parse_iso(article.date)
    doc = {
        "id": paragraph.id,
        "article": paragraph.article_id,
        "path": article.path,
        "n": paragraph.n,
        "title": article.title or "",
        "section": paragraph.section or "",
        "text": paragraph.text,
        "source": _names([article.source] if article.source else []),
        "url": article.url or "",
        "added": int(info.added),
        "group": info.copy_of or info.id,
        "speaker": _names(speakers),
        "person": _names(by_type["person"]),
        "org": _names(by_type["org"]),
        "place": _names(by_type["place"]),
        "entity": _names(named),
        "author": _names(article.authors),
        "facets": facet_column(
            {
                "speaker": speakers,
                **by_type,
                "entity": named,
                "author": list(article.authors),
                "section": [paragraph.section or ""],
                "source": [article.source or ""],
                "date": [when.date().isoformat()] if when else [],
                "article": [paragraph.article_id],
            }
        ),
        "meta": {
            "date": article.date,
            "speakers": [[s.name, s.how, s.type] for s in paragraph.speakers],
            "entities": [[e.name, e.type] for e in paragraph.entities],
            "quotes": [[q.text, q.speaker, q.start, q.end] for q in paragraph.quotes],
        },
    }
    if when is not None:
        doc["date"] = when
    if paragraph.quotes:
        doc["quote"] = " … ".join(q.text for q in paragraph.quotes)
        doc["has"] = "quote"
    return doc


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=None)


def _names(values: Iterable[str]) -> str:
    return ",".join(dict.fromkeys(v.replace(",", " ").strip() for v in values if v.strip()))


def _add_all(writer: IndexWriter, documents: Iterable[dict]) -> int:
    count = 0
    for doc in documents:
        writer.add_document(**doc)
        count += 1
        if count == 1:
            crash_point("mid-index-write")
    return count


def _link_tree(source: Path, target: Path) -> None:
    """Fill ``target`` with hard links to ``source``'s files (copies where links are not possible)."""
    for path in source.iterdir():
        if path.name == _WHOOSH_LOCK or path.name.startswith(".") or not path.is_file():
            continue
        try:
            os.link(path, target / path.name)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(path, target / path.name)


def lock_timeout() -> float:
    """Seconds a writer waits for the lock: ``$SEARCHKIT_LOCK_TIMEOUT`` or ``LOCK_TIMEOUT``."""
    try:
        return max(0.0, float(os.environ.get("SEARCHKIT_LOCK_TIMEOUT", LOCK_TIMEOUT)))
    except ValueError:
        return LOCK_TIMEOUT


def _stored_version(gen: Path) -> int:
    try:
        return int((gen / "VERSION").read_text("ascii").strip())
    except (FileNotFoundError, ValueError):
        return 0


def states_digest(states: dict[str, FileState]) -> str:
    """One digest of corpus file states ({relpath: FileState}), equal exactly when the states are."""
    return scan_digest([(rel, st.size, st.mtime_ns, st.sidecar_mtime_ns) for rel, st in states.items()])


def scan_digest(states: list[tuple[str, int, int, int]]) -> str:
    """``states_digest`` of ``Corpus.scan_states()`` tuples, without building FileState objects."""
    lines = [f"{rel}\0{size}\0{mtime}\0{sidecar}\n" for rel, size, mtime, sidecar in states]
    # Sorting the lines sorts by path (a path ends at its "\0", below any character of a longer path
    # it is the start of), and strings sort faster than tuples: 26 -> 17 ms CPU for 20,890 files.
    lines.sort()
    return hashlib.sha1("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _write_manifest(gen: Path, manifest: Manifest) -> None:
    (gen / STATES).unlink(missing_ok=True)  # never a digest that disagrees with the manifest
    _atomic_text(gen / MANIFEST, manifest.to_json())
    _atomic_text(gen / STATES, states_digest({rel: e.state for rel, e in manifest.files.items()}) + "\n")


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _holder(handle: IO[str]) -> str:
    """Who holds the lock, from the line the holder wrote; never a process that is gone."""
    handle.seek(0)
    text = handle.read().strip()
    parts = text.split()
    if len(parts) >= 4 and parts[0] == "pid" and parts[1].isdigit() and parts[3] == socket.gethostname():
        if not _alive(int(parts[1])):
            return "another process (it has not yet written its name into the lock file)"
    return text or "another process"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
