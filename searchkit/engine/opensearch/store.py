"""Writing and keeping paragraph indices in a cluster: create or clone an index, bulk-load it in batches
retried on back-pressure, delete articles, make it read-only, point the collection's alias at it, drop it.

An index is never changed once a generation is live: a change clones the live index (hard links on
the nodes, no copy of the data), writes into the clone, then makes it read-only, so a writer killed at
any point leaves the live index whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ...errors import EngineUnavailable
from . import mapping

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

    from .reads import ReadClient

#: Paragraph documents per bulk request (~1-2 MB of JSON), and the retries of a batch the cluster
#: refuses with 429 (too many requests), waiting 1, 2, 4 … up to 30 s between tries.
BATCH = 500
RETRIES = 8
#: Documents per page when every match must be read.
PAGE = 1000


def create(client: OpenSearch, name: str, shards: int, replicas: int) -> None:
    """A new, empty index with the paragraph mapping, refreshing only when told (bulk loads)."""
    settings = mapping.index_settings(shards, replicas)
    settings["refresh_interval"] = "-1"
    if client.indices.exists(index=name):
        client.indices.delete(index=name)
    client.indices.create(index=name, body={"settings": settings, "mappings": mapping.MAPPINGS})


def clone(client: OpenSearch, source: str, name: str) -> None:
    """``name`` as a copy of the read-only index ``source`` (the clone API links its segment files)."""
    if client.indices.exists(index=name):
        client.indices.delete(index=name)
    client.indices.put_settings(index=source, body={"index.blocks.write": True})
    client.indices.clone(index=source, target=name, params={"wait_for_active_shards": "1"})
    client.cluster.health(index=name, wait_for_status="yellow")
    client.indices.put_settings(index=name, body={"index.blocks.write": False, "index.refresh_interval": "-1"})


def write(
    client: OpenSearch, index: str, documents: Iterable[dict], after_first: Callable[[], None] | None = None
) -> int:
    """Bulk-index ``documents`` (each with an ``id``) in batches, retrying what the cluster refuses for
    back-pressure (429); returns how many were written. Any other refusal stops with the reason."""
    from opensearchpy.helpers import streaming_bulk

    actions = ({"_index": index, "_id": doc["id"], "_source": doc} for doc in documents)
    count = 0
    refused: list[dict] = []
    # raise_on_error=False: with it on, the helper raises at the first refused item, 429s included,
    # before it can retry them
    for ok, item in streaming_bulk(
        client,
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


def delete_articles(client: OpenSearch, index: str, articles: Iterable[str]) -> int:
    """Delete every paragraph of ``articles``, found by search (so paragraphs of any version go)."""
    from opensearchpy.helpers import bulk

    wanted = sorted(set(articles))
    if not wanted:
        return 0
    client.indices.refresh(index=index)
    ids = [
        hit["_id"]
        for start in range(0, len(wanted), PAGE)
        for hit in scan(client, index, {"terms": {"article": wanted[start : start + PAGE]}}, [{"id": "asc"}], False)
    ]
    actions = ({"_op_type": "delete", "_index": index, "_id": i} for i in ids)
    bulk(client, actions, chunk_size=BATCH, max_retries=RETRIES, raise_on_error=False)
    return len(ids)


def seal(client: OpenSearch, index: str, replicas: int) -> None:
    """Make a loaded index searchable and read-only, with its replicas, and wait until it answers."""
    client.indices.put_settings(
        index=index, body={"index.refresh_interval": "1s", "index.number_of_replicas": replicas}
    )
    client.indices.refresh(index=index)
    client.indices.put_settings(index=index, body={"index.blocks.write": True})
    client.cluster.health(index=index, wait_for_status="yellow")


def point_alias(client: OpenSearch, alias: str, index: str) -> None:
    """Move ``alias`` onto ``index`` in one atomic request (no moment without an index behind it)."""
    actions: list[dict] = [{"add": {"index": index, "alias": alias}}]
    if client.indices.exists_alias(name=alias):
        actions[:0] = [{"remove": {"index": old, "alias": alias}} for old in client.indices.get_alias(name=alias)]
    client.indices.update_aliases(body={"actions": actions})


def scan(
    client: OpenSearch | ReadClient,
    index: str,
    query: dict,
    sort: list,
    source: object = True,
    highlight: dict | None = None,
) -> Iterator[dict]:
    """Every document matching ``query`` in ``sort`` order (then by id), a page at a time."""
    after = None
    while True:
        body: dict = {"query": query, "size": PAGE, "sort": [*sort, {"id": "asc"}], "_source": source}
        if highlight:
            body["highlight"] = highlight
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        yield from hits
        if len(hits) < PAGE:
            return
        after = hits[-1]["sort"]


def count(client: OpenSearch | ReadClient, index: str) -> int:
    return int(client.count(index=index)["count"])


def size_bytes(client: OpenSearch, index: str) -> int:
    stats = client.indices.stats(index=index, metric="store")
    return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def drop(client: OpenSearch, names: Iterable[str]) -> None:
    for name in names:
        if client.indices.exists(index=name):
            client.indices.delete(index=name)
