"""The local OpenSearch cluster: real nodes started by the launcher (no mock), one and two of them."""

from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import localnode as node
from searchkit.engine.opensearch import store
from searchkit.engine.opensearch.client import connect


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def send(url: str, method: str, body: object | None = None, ndjson: bool = False) -> dict:
    data = None
    if body is not None:
        data = ("".join(json.dumps(line) + "\n" for line in body) if ndjson else json.dumps(body)).encode()
    kind = "application/x-ndjson" if ndjson else "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": kind})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_session_node_serves_opensearch(opensearch_url):
    about = get(opensearch_url)
    assert about["version"]["distribution"] == "opensearch"
    assert about["version"]["number"] == "2.19.6"
    assert get(f"{opensearch_url}/_cluster/health")["status"] in ("green", "yellow")


def test_session_node_has_english_stemming_and_name_analysis(opensearch_url):
    """The analysers the mapping relies on come from the analysis-common plugin handed to the node."""
    tokens = send(
        f"{opensearch_url}/_analyze",
        "POST",
        {"tokenizer": "standard", "filter": ["lowercase", "porter_stem", "asciifolding"], "text": "Talks Résumés"},
    )
    assert [t["token"] for t in tokens["tokens"]] == ["talk", "resume"]


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory):
    """A two-node cluster whose write queue is tiny, so bulk loads meet real back-pressure (429)."""
    if node.missing_tools():
        pytest.skip(f"needs {' and '.join(node.missing_tools())} on PATH (Java 17 and Maven)")
    tight = {"thread_pool.write.size": "1", "thread_pool.write.queue_size": "2"}
    with node.start_anywhere(tmp_path_factory.mktemp("cluster"), nodes=2, settings=tight) as cluster:
        yield cluster


def test_bulk_writes_are_retried_on_back_pressure(two_nodes, monkeypatch):
    url = two_nodes.url
    monkeypatch.setattr(store, "BATCH", 20)
    client = connect(url)
    store.create(client, "pressure-gen-1", shards=1, replicas=0)
    rejected_before = _rejected_writes(url)

    def load(part: int) -> int:
        docs = ({"id": f"{part}-{i}", "text": f"paragraph {i} of part {part}"} for i in range(400))
        return store.write(client, "pressure-gen-1", docs)

    with ThreadPoolExecutor(4) as pool:
        written = sum(pool.map(load, range(4)))
    store.seal(client, "pressure-gen-1", replicas=0)
    assert written == 1600
    assert store.count(client, "pressure-gen-1") == 1600
    assert _rejected_writes(url) > rejected_before, "the write queue never refused: the test proved nothing"


def _rejected_writes(url: str) -> int:
    stats = get(f"{url}/_nodes/stats/thread_pool")["nodes"].values()
    return sum(n["thread_pool"]["write"]["rejected"] for n in stats)


def test_two_nodes_one_replica_keeps_answering_when_a_node_stops(two_nodes):
    cluster = two_nodes
    url = cluster.url
    send(f"{url}/parity", "PUT", {"settings": {"number_of_shards": 2, "number_of_replicas": 1}})
    lines = []
    for i in range(40):
        lines += [{"index": {"_index": "parity", "_id": str(i)}}, {"text": f"paragraph {i} about talks"}]
    assert not send(f"{url}/_bulk?refresh=true", "POST", lines, ndjson=True)["errors"]
    health = get(f"{url}/_cluster/health/parity?wait_for_status=green&timeout=60s")
    assert health["status"] == "green" and health["active_shards"] == 4
    shards = get(f"{url}/_cat/shards/parity?format=json")
    assert {s["node"] for s in shards} == {"searchkit-1", "searchkit-2"}
    assert any(s["node"] == "searchkit-2" and s["prirep"] == "p" for s in shards)

    cluster.nodes[1].stop()
    assert not cluster.nodes[1].running()
    get(f"{url}/_cluster/health?wait_for_nodes=1&timeout=60s")
    found = send(f"{url}/parity/_search", "POST", {"query": {"match": {"text": "talks"}}, "size": 0})
    assert found["_shards"]["failed"] == 0
    assert found["hits"]["total"]["value"] == 40


def test_start_command_serves_until_a_plain_kill_stops_it(opensearch_url, tmp_path):
    """The README's ``searchkit opensearch start … &``, later stopped with ``kill %1`` (SIGTERM): the
    launcher is built already (the session's node), so it says it is starting, not building."""
    import signal
    import subprocess
    import sys

    port = node.free_port()
    command = [sys.executable, "-m", "searchkit", "opensearch", "start", "--port", str(port), "--data", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()  # printed once the node answers
        assert url == f"http://127.0.0.1:{port}"
        assert get(url)["version"]["distribution"] == "opensearch"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    assert "Starting OpenSearch" in err and "Building" not in err and "Traceback" not in err
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}")  # the node went with it


def test_text_analysis_stems_as_the_whoosh_engine(opensearch_url):
    """The mapping's text analyser (Lucene's Porter stemmer, the spelling synonyms) gives the words of
    real abstracts ("IL-1β", "HLA-A*02:01", "3.5"), British spellings and dotted acronyms the same tokens as the Whoosh
    engine's (``engine/whoosh/porter.py``, ``WrittenFormFilter``), so both engines match the same forms."""
    from searchkit.engine.whoosh.schema import text_analyzer

    from .conftest import shared_data

    with (shared_data("scifact-train") / "corpus.jsonl").open(encoding="utf-8") as handle:
        abstracts = [json.loads(next(handle)) for _ in range(300)]
    words = sorted({w for a in abstracts for w in a["text"].split()})
    words += "cutting planning activated activation acylation nominated hopping".split()
    words += "Programme programmes defence Organisations centre labour tonnes".split()  # spellings
    words += "U.S. U.K.-based U.S.A. e.coli bbc.co.uk j.k.rowling 3.5".split()  # acronyms' dots
    for start in range(0, len(words), 2000):  # _analyze stops at 10,000 tokens a request
        text = " ".join(words[start : start + 2000])
        assert node_tokens(opensearch_url, text) == [t.text for t in text_analyzer()(text)]


def node_tokens(url: str, text: str) -> list[str]:
    """``text`` analysed by the node as the mapping's text analyser does (its own filters, the spelling
    synonyms, sent with it, as an index defines them)."""
    from searchkit.engine.opensearch.mapping import analysis

    analysers = analysis()
    filters = [analysers["filter"].get(name, name) for name in analysers["analyzer"]["sk_text"]["filter"]]
    body = {"tokenizer": analysers["tokenizer"]["sk_words"], "filter": filters, "text": text}
    return [t["token"] for t in send(f"{url}/_analyze", "POST", body)["tokens"]]


#: Pieces of text around the analysers' written forms: letters and dots of acronyms, numbers, British
#: spellings (whole and inside longer words), hyphens, accents and letters folded to two ("ß", "æ").
_WRITTEN = st.sampled_from(
    ["U", "S", "K", "u", "s", "a", "e", ".", ".", "-", " ", " ", "3", "5", "coli", "Programme", "colour"]
    + ["labour", "Organisations", "centre", "é", "İ", "ı", "’", "stanbul", "ß", "æ", "Œ", "ﬁ", "ø", "Ħ"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WRITTEN, max_size=40).map("".join))
def test_written_forms_analyse_as_the_whoosh_engine(opensearch_url, text):
    """Acronyms' dots and British spellings, in any arrangement, give the same tokens on both engines."""
    from searchkit.engine.whoosh.schema import text_analyzer

    assert node_tokens(opensearch_url, text) == [t.text for t in text_analyzer()(text)]
