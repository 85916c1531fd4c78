"""A collection's index in OpenSearch: the catalogue stays on disk in ``index/`` (as on the Whoosh engine:
``CURRENT`` names the live generation folder holding ``manifest.json``), the paragraphs live in a
cluster index named by that generation, read through an alias.

- ``index/opensearch.json`` holds the cluster address (never credentials), the collection's index
  prefix, and the shards and replicas chosen at ``init``.
- A rebuild creates ``<prefix>-gen-N`` from the collection's index template, loads it with the bulk API,
  refreshes it, then swaps the alias ``<prefix>`` onto it in one atomic request and only then makes the
  new catalogue live: a query never sees a half-built index, and a rebuild killed at any point leaves
  the old index answering.
- An ``add`` writes into the live index (paragraph ids are document ids, so writing again replaces),
  refreshes, then makes the new catalogue live. A writer killed in between leaves files in ``corpus/``
  that the catalogue does not list: the next command (or ``doctor --fix``) indexes them again, and
  deletes by article whatever a replaced or removed article left.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import EngineUnavailable, IndexOutdated, InputError
from . import mapping
from .client import check_url, connect, reaching

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

CONFIG = "opensearch.json"
#: Paragraph documents per bulk request (~1-2 MB of JSON), and the retries of a batch the cluster
#: refuses with 429 (too many requests), waiting 1, 2, 4 … up to 30 s between tries.
BATCH = 500
RETRIES = 8


class ClusterIndex:
    """The cluster side of one collection: its alias, its generation indices, writes and counts."""

    def __init__(self, folder: Path, config: dict | None = None):
        self.folder = folder
        self.config = config if config is not None else read_config(folder)
        self.url = check_url(self.config.get("url"))
        self.prefix = self.config["prefix"]
        self.alias = self.prefix
        self._client: OpenSearch | None = None

    @classmethod
    def create(cls, folder: Path, url: str | None, shards: int = 1, replicas: int = 0) -> ClusterIndex:
        """Record the cluster for a new collection and install its index template; checks the cluster answers."""
        if shards < 1 or replicas < 0:
            raise InputError("--shards must be 1 or more and --replicas 0 or more")
        url = check_url(url)
        slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().parent.name.lower()).strip("-")[:40] or "collection"
        config = {
            "engine": "opensearch",
            "url": url,
            "prefix": f"searchkit-{slug}-{secrets.token_hex(4)}",
            "shards": shards,
            "replicas": replicas,
            "mapping_version": mapping.MAPPING_VERSION,
        }
        store = cls(folder, config)
        store.install_template()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
        return store

    @property
    def client(self) -> OpenSearch:
        if self._client is None:
            self._client = connect(self.url)
        return self._client

    def install_template(self) -> None:
        body = mapping.index_template(self.prefix, self.config.get("shards", 1), self.config.get("replicas", 0))
        with reaching(self.url):
            self.client.indices.put_index_template(name=self.prefix, body=body)

    # -- which index is live ----------------------------------------------------------------------------

    def aliased(self) -> str | None:
        """The index the alias points to now, or None when there is none."""
        with reaching(self.url):
            if not self.client.indices.exists_alias(name=self.alias):
                return None
            found = self.client.indices.get_alias(name=self.alias)
        return sorted(found)[0] if found else None

    def indices(self) -> list[str]:
        """Every index of this collection (live or left by an interrupted rebuild)."""
        with reaching(self.url):
            found = self.client.indices.get(index=f"{self.prefix}-*", allow_no_indices=True, ignore_unavailable=True)
        return sorted(found)

    def index_name(self, generation: str) -> str:
        return f"{self.prefix}-{generation}"

    # -- writing ------------------------------------------------------------------------------------------

    def create_index(self, name: str) -> None:
        """A new, empty index with the collection's mapping (the template would give it too; explicit is
        safer when the template was changed by hand)."""
        settings = mapping.index_settings(self.config.get("shards", 1), self.config.get("replicas", 0))
        settings["refresh_interval"] = "-1"  # loaded in bulk, refreshed once at the end
        with reaching(self.url):
            if self.client.indices.exists(index=name):
                self.client.indices.delete(index=name)
            self.client.indices.create(index=name, body={"settings": settings, "mappings": mapping.MAPPINGS})

    def write(self, index: str, documents: Iterable[dict], after_first: Callable[[], None] | None = None) -> int:
        """Bulk-index ``documents`` (dicts with an ``id``) in batches, retrying what the cluster refuses for
        back-pressure; returns how many were written. Any other refusal stops with the reason."""
        from opensearchpy.helpers import streaming_bulk

        actions = ({"_index": index, "_id": doc["id"], "_source": doc} for doc in documents)
        count = 0
        refused: list[dict] = []
        with reaching(self.url):
            # raise_on_error=False: with it on, the helper raises at the first refused item, 429s included,
            # before it can retry them
            for ok, item in streaming_bulk(
                self.client,
                actions,
                chunk_size=BATCH,
                max_chunk_bytes=8 * 1024 * 1024,
                max_retries=RETRIES,
                initial_backoff=1,
                max_backoff=30,
                raise_on_error=False,
            ):
                if not ok:
                    refused.append(item)
                    continue
                count += 1
                if count == 1 and after_first:
                    after_first()
        if refused:
            raise EngineUnavailable(
                f"OpenSearch refused {len(refused)} paragraph(s), e.g. {json.dumps(refused[0])[:300]}; "
                "run 'searchkit doctor --fix' once the cluster is healthy"
            )
        return count

    def delete_articles(self, index: str, articles: Iterable[str]) -> int:
        """Delete every paragraph of ``articles`` (found by search: ids a crashed write left are caught too)."""
        articles = sorted(set(articles))
        if not articles:
            return 0
        from opensearchpy.helpers import bulk

        with reaching(self.url):
            self.client.indices.refresh(index=index)
            ids = [
                hit["_id"]
                for chunk in _chunks(articles, 1000)
                for hit in self.scan(index, {"terms": {"article": chunk}}, source=False)
            ]
            actions = ({"_op_type": "delete", "_index": index, "_id": i} for i in ids)
            bulk(self.client, actions, chunk_size=BATCH, max_retries=RETRIES, raise_on_error=False)
        return len(ids)

    def scan(self, index: str, query: dict, source: object = True) -> Iterator[dict]:
        """Every document matching ``query``, in id order, a page at a time."""
        after = None
        while True:
            body: dict = {"query": query, "size": 1000, "sort": [{"id": "asc"}], "_source": source}
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(index=index, body=body)["hits"]["hits"]
            yield from hits
            if len(hits) < 1000:
                return
            after = hits[-1]["sort"]

    def refresh(self, index: str) -> None:
        with reaching(self.url):
            self.client.indices.put_settings(index=index, body={"index": {"refresh_interval": "1s"}})
            self.client.indices.refresh(index=index)
            self.client.cluster.health(index=index, wait_for_status="yellow")

    def swap_alias(self, index: str) -> None:
        """Point the alias at ``index`` in one atomic request (no moment without an index behind it)."""
        actions: list[dict] = [{"add": {"index": index, "alias": self.alias}}]
        current = self.aliased()
        if current and current != index:
            actions.insert(0, {"remove": {"index": current, "alias": self.alias}})
        with reaching(self.url):
            self.client.indices.update_aliases(body={"actions": actions})

    def drop(self, names: Iterable[str]) -> list[str]:
        gone = []
        with reaching(self.url):
            for name in names:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                gone.append(name)
        return gone

    # -- reading ------------------------------------------------------------------------------------------

    def count(self, index: str | None = None) -> int:
        with reaching(self.url):
            return int(self.client.count(index=index or self.alias)["count"])

    def size_bytes(self) -> int:
        live = self.aliased()
        if not live:
            return 0
        with reaching(self.url):
            stats = self.client.indices.stats(index=live, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])

    def wait_until_reachable(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with reaching(self.url):
                    self.client.cluster.health()
                return
            except EngineUnavailable:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)


def read_config(folder: Path) -> dict:
    try:
        return json.loads((folder / CONFIG).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexOutdated(f"{folder / CONFIG} is missing; this is not an OpenSearch collection") from None
    except ValueError as exc:
        raise IndexOutdated(f"{folder / CONFIG} is damaged ({exc}); fix or recreate it") from None


def is_opensearch(folder: Path) -> bool:
    return (folder / CONFIG).is_file()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
