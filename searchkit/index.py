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
import fcntl
import hashlib
import json
import os
import shutil
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from .errors import IndexLocked, IndexOutdated
from .model import Article, ArticleInfo, FileState, Paragraph
from .schema import SCHEMA_VERSION, build_schema

CURRENT = "CURRENT"
LOCK = "LOCK"
MANIFEST = "manifest.json"
#: A digest of the corpus file states in the manifest, so a freshness check need not parse the manifest.
STATES = "states.sha1"
#: Segments as separate files: a compound segment is copied into memory by every searcher that opens it
#: (``searchkit query`` open + query at 20,000 paragraphs: 171 ms compound, 122 ms separate files).
COMPOUND = False
#: Default seconds a writer waits for another to finish (``SEARCHKIT_LOCK_TIMEOUT`` overrides).
LOCK_TIMEOUT = 30.0


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
        """The live generation's manifest; empty when there is no index yet."""
        gen = self.generation()
        if gen is None:
            return Manifest()
        try:
            manifest = Manifest.from_json((gen / MANIFEST).read_text("utf-8"))
        except FileNotFoundError:
            return Manifest(schema_version=_stored_version(gen))
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexOutdated(f"the index manifest is damaged ({exc}); run 'searchkit rebuild'") from None
        return manifest

    def states_digest(self) -> str | None:
        """``states_digest(manifest.files)`` of the live generation, when it was written with one."""
        gen = self.generation()
        try:
            return (gen / STATES).read_text("ascii").strip() if gen else None
        except (FileNotFoundError, UnicodeDecodeError):
            return None

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
        """Hold the collection's write lock, waiting up to ``timeout`` seconds for another writer."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if timeout is None:
            timeout = float(os.environ.get("SEARCHKIT_LOCK_TIMEOUT", LOCK_TIMEOUT))
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
            handle.write(f"pid {os.getpid()} on {socket.gethostname()} ({purpose or 'searchkit'}) "
                         f"since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            handle.flush()
            yield
        finally:
            handle.close()

    def update(self, manifest: Manifest, remove_ids: Iterable[str], documents: Iterable[dict]) -> int:
        """Apply a change to the live index (built fresh when there is none); the caller holds the lock.

        Returns the number of documents written.
        """
        gen = self.generation()
        if gen is None:
            return self.build(manifest, documents)
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
        _write_manifest(gen, manifest)
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
        (gen / "VERSION").write_text(str(SCHEMA_VERSION), "ascii")
        _write_manifest(gen, manifest)
        _atomic_text(self.folder / CURRENT, gen.name + "\n")
        self._remove_old_generations(keep=gen)
        return count

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
        "speaker": _names(speakers),
        "person": _names(by_type["person"]),
        "org": _names(by_type["org"]),
        "place": _names(by_type["place"]),
        "entity": _names([e.name for e in paragraph.entities if e.type != "group"]),
        "author": _names(article.authors),
        "meta": {
            "date": article.date,
            "speakers": [[s.name, s.how, s.type] for s in paragraph.speakers],
            "entities": [[e.name, e.type] for e in paragraph.entities],
            "quotes": [[q.text, q.speaker, q.start, q.end] for q in paragraph.quotes],
        },
    }
    when = parse_iso(article.date)
    if when is not None:
        doc["date"] = when
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


def _add_all(writer, documents: Iterable[dict]) -> int:
    count = 0
    for doc in documents:
        writer.add_document(**doc)
        count += 1
    return count


def _stored_version(gen: Path) -> int:
    try:
        return int((gen / "VERSION").read_text("ascii").strip())
    except (FileNotFoundError, ValueError):
        return 0


def states_digest(states: dict[str, FileState]) -> str:
    """One digest of corpus file states ({relpath: FileState}), equal exactly when the states are."""
    h = hashlib.sha1()
    for rel in sorted(states):
        st = states[rel]
        h.update(f"{rel}\0{st.size}\0{st.mtime_ns}\0{st.sidecar_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


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


def _holder(handle) -> str:
    handle.seek(0)
    return handle.read().strip() or "another process"

