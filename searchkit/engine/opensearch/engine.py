"""The OpenSearch engine: a generation's searchable index is an index in a cluster, named after the
generation folder (``<prefix>-gen-000003``); the catalogue (corpus files, articles, the live generation)
stays on disk in ``index/`` as for every engine.

A change clones the live index, writes into the clone and seals it read-only; a rebuild loads a new
index from nothing. Either way the collection's alias (``<prefix>``, for other tools: dashboards,
scripts) moves onto the new index only once it is complete, and searchkit's own readers read the index of
the live generation, so no query sees a half-built index. A writer killed at any point leaves the
live index whole; its unfinished index is dropped by the next write (or ``doctor --fix``).

Settings (``searchkit.json``: ``{"engine": "opensearch", "opensearch": {...}}``): ``url`` (else
``$SEARCHKIT_OPENSEARCH_URL``), ``shards``, ``replicas``, ``prefix`` (default: named after the
collection's folder and a digest of its path). Credentials come only from the environment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...catalogue import crash_point
from ...errors import InputError
from ...model import Paragraph, QuoteResult, SearchResult
from ...options import SearchOptions
from ..base import ParagraphDoc, Reject
from . import mapping, meaning, search, store
from .client import check_url, connect, reaching, require_client
from .reads import ReadClient

if TYPE_CHECKING:
    from opensearchpy import OpenSearch


class OpenSearchEngine:
    """OpenSearch 2.x (a server or cluster): one index per generation, behind the collection's alias."""

    name = "opensearch"
    schema_version = mapping.MAPPING_VERSION
    converts_from = mapping.CONVERTS_FROM

    def __init__(self, settings: dict[str, Any]) -> None:
        require_client()
        self.settings = settings
        self.url = check_url(settings.get("url"))
        self.shards = _count(settings, "shards", 1, 1)
        self.replicas = _count(settings, "replicas", 0, 0)
        self._client: OpenSearch | None = None

    @property
    def client(self) -> OpenSearch:
        if self._client is None:
            self._client = connect(self.url)
        return self._client

    def prefix(self, gen: Path) -> str:
        """The collection's index names start so: its ``prefix`` setting, or its folder's name and path."""
        given = self.settings.get("prefix")
        if given:
            return str(given)
        home = gen.resolve().parent.parent
        slug = re.sub(r"[^a-z0-9]+", "-", home.name.lower()).strip("-")[:40] or "collection"
        return f"searchkit-{slug}-{hashlib.sha1(str(home).encode()).hexdigest()[:8]}"

    def index_name(self, gen: Path) -> str:
        return f"{self.prefix(gen)}-{gen.name}"

    def write(
        self,
        gen: Path,
        base: Path | None,
        remove_ids: Iterable[str],
        documents: Iterable[ParagraphDoc],
        reject: Reject | None = None,
    ) -> int:
        target = self.index_name(gen)
        with reaching(self.url):
            self._drop_unfinished(gen, keep={target, *([self.index_name(base)] if base else [])})
            if base is None:
                store.create(self.client, target, self.shards, self.replicas)
            else:
                store.clone(self.client, self.index_name(base), target)
                store.delete_articles(self.client, target, remove_ids)
            docs = _mapped(documents, reject)
            count = store.write(self.client, target, docs, after_first=lambda: crash_point("mid-index-write"))
            store.seal(self.client, target, self.replicas)
            store.point_alias(self.client, self.prefix(gen), target)
        return count

    def _drop_unfinished(self, gen: Path, keep: set[str]) -> None:
        """Indices of this collection whose generation folder is gone (a writer was killed after its
        folder was removed, or before the catalogue made it live)."""
        prefix = self.prefix(gen)
        found = self.client.indices.get(index=f"{prefix}-gen-*", allow_no_indices=True, ignore_unavailable=True)
        folders = {p.name for p in gen.parent.glob("gen-*") if p.is_dir() and p != gen}
        store.drop(self.client, [name for name in found if name not in keep and name[len(prefix) + 1 :] not in folders])

    def open(self, gen: Path) -> OpenSearchReader:
        return OpenSearchReader(ReadClient(self.url), self.index_name(gen))

    def problem(self, gen: Path, expected: int) -> str | None:
        name = self.index_name(gen)
        with reaching(self.url):
            if not self.client.indices.exists(index=name):
                return f"the OpenSearch index {name} at {self.url} is missing"
            found = store.count(self.client, name)
        if found != expected:
            return f"the index is damaged (it holds {found} paragraphs, its manifest {expected})"
        return None

    def size_bytes(self, gen: Path) -> int:
        with reaching(self.url):
            return store.size_bytes(self.client, self.index_name(gen))

    def drop(self, gen: Path) -> None:
        with reaching(self.url):
            store.drop(self.client, [self.index_name(gen)])


class OpenSearchReader:
    """One generation's index: it never changes once live, so every query of a session sees one state.
    It reads through ``ReadClient`` (no opensearch-py import in a query process)."""

    def __init__(self, client: ReadClient, index: str) -> None:
        self.client = client
        self.index = index

    def count(self) -> int:
        return store.count(self.client, self.index)

    def search(self, query: str, options: SearchOptions) -> SearchResult:
        return search.search(self.client, self.index, query, options)

    def similar(self, paragraph_id: str, options: SearchOptions) -> SearchResult:
        return search.similar(self.client, self.index, paragraph_id, options)

    def quotes(self, query: str, options: SearchOptions) -> QuoteResult:
        return search.quotes(self.client, self.index, query, options)

    def article_paragraphs(self, article_id: str) -> list[Paragraph]:
        return search.article_paragraphs(self.client, self.index, article_id)

    def article_vectors(self, article_id: str) -> list[bytes]:
        return meaning.stored_vectors(self.client, self.index, article_id)

    def close(self) -> None:
        self.client.close()


def _mapped(documents: Iterable[ParagraphDoc], reject: Reject | None) -> Iterator[dict[str, Any]]:
    """Each article's paragraphs as OpenSearch documents; an article one of them fails for goes to
    ``reject`` whole (the cluster's own refusals still stop the write: see ``store.write``)."""
    for article, docs in groupby(documents, key=lambda doc: doc.article):
        try:
            mapped = [mapping.document(doc) for doc in docs]
        except Exception as exc:
            if reject is None:
                raise
            reject(article, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
            continue
        yield from mapped


def _count(settings: dict[str, Any], key: str, default: int, least: int) -> int:
    value = settings.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InputError(f"the OpenSearch setting {key!r} must be a whole number of at least {least}, not {value!r}")
    return value
