"""Writing to an OpenSearch collection: init from the command line, add, remove, rebuild (a new index
behind the alias), doctor, and a writer killed at each step, against the session's real node."""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.collection import Collection

from . import test_robust_crash as crash
from .conftest import SEED


def run(*args, home=None):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)])


def get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def empty_home(tmp_path, opensearch_url):
    """An empty OpenSearch collection with an index prefix of its own on the session's node."""
    settings = {"url": opensearch_url, "prefix": f"test-{secrets.token_hex(4)}"}
    return Collection.init(tmp_path / "news", "opensearch", settings).home


# The crash tests of the Whoosh engine, on OpenSearch: a writer killed at each step of add and rebuild.
home = crash.home
test_add_killed_at_each_point = crash.test_add_killed_at_each_point
test_rebuild_killed_at_each_point = crash.test_rebuild_killed_at_each_point


def test_init_add_query_remove_rebuild_from_the_command_line(tmp_path, opensearch_url, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_OPENSEARCH_URL", opensearch_url)
    home = tmp_path / "news"
    made = run("init", home, "--engine", "opensearch", "--shards", "2")
    assert made.exit_code == 0, made.output
    config = json.loads((home / "searchkit.json").read_text("utf-8"))
    assert config == {"engine": "opensearch", "opensearch": {"shards": 2}}  # the address stays in the environment
    assert run("add", SEED, home=home).exit_code == 0
    doc = json.loads(run("query", "security guarantees", "--facet", "speaker", "--json", home=home).stdout)
    assert doc["total"] == 1 and doc["hits"][0]["matches"]

    engine = Collection(home).index.engine
    live = engine.index_name(Collection(home).index.generation())
    settings = get(f"{opensearch_url}/{live}/_settings")[live]["settings"]["index"]
    assert settings["number_of_shards"] == "2" and settings["blocks"]["write"] == "true"
    alias = engine.prefix(Collection(home).index.generation())
    assert list(get(f"{opensearch_url}/_alias/{alias}")) == [live]

    rebuilt = run("rebuild", home=home)
    assert rebuilt.exit_code == 0, rebuilt.output
    new = engine.index_name(Collection(home).index.generation())
    assert new != live and list(get(f"{opensearch_url}/_alias/{alias}")) == [new]
    assert list(get(f"{opensearch_url}/{alias}-*")) == [new]  # the old index is dropped
    stats = json.loads(run("stats", "--json", home=home).stdout)
    assert stats["paragraphs"] == 13 and stats["index_bytes"] > 0
    article = stats and json.loads(run("list", "--json", home=home).stdout)[0]["id"]
    assert run("remove", article, home=home).exit_code == 0
    assert run("query", "Paris", home=home).exit_code == 1  # an empty collection says so
    checks = json.loads(run("doctor", "--json", home=home).stdout)
    assert checks["ok"], checks


def test_an_index_deleted_behind_our_back_is_found_and_rebuilt(empty_home, opensearch_url):
    coll = Collection(empty_home)
    coll.add([SEED])
    live = coll.index.engine.index_name(coll.index.generation())
    request = urllib.request.Request(f"{opensearch_url}/{live}", method="DELETE")
    urllib.request.urlopen(request, timeout=30).close()
    query = run("query", "carrots", home=empty_home)  # the read path's own HTTP client says so in one line
    assert query.exit_code != 0 and "doctor --fix" in query.stderr and "Traceback" not in query.output
    doctor = run("doctor", "--json", home=empty_home)
    index_check = next(c for c in json.loads(doctor.stdout)["checks"] if c["check"] == "index")
    assert doctor.exit_code == 1 and "missing" in index_check["detail"]
    fixed = run("doctor", "--fix", "--json", home=empty_home)
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(run("query", "carrots", "--json", home=empty_home).stdout)["total"] == 1


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--url", "http://user:secret@127.0.0.1:9200"], "put no credentials in the OpenSearch address"),
        (["--url", "ftp://127.0.0.1"], "is not an OpenSearch address"),
        (["--shards", "0"], "Invalid value for '--shards'"),
    ],
)
def test_init_refuses_bad_settings_in_one_line(tmp_path, args, expected):
    result = run("init", tmp_path / "news", "--engine", "opensearch", *args)
    assert result.exit_code != 0 and expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "news" / "searchkit.json").exists()


def test_an_unreachable_cluster_is_one_line_that_says_what_to_do(tmp_path):
    from searchkit.localnode import free_port

    home = Collection.init(tmp_path / "news", "opensearch", {"url": f"http://127.0.0.1:{free_port()}"}).home
    result = run("add", SEED, home=home)
    assert result.exit_code == 1 and "cannot reach OpenSearch at http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.output
    assert Collection(home).index.generation() is None  # nothing half-done to reconcile


def test_without_opensearch_py_init_says_how_to_install_it(tmp_path, monkeypatch):
    """The set-up command installs no opensearch-py: ``init`` must say so, not the first ``add`` (which
    used to stop with "unexpected ModuleNotFoundError")."""
    from searchkit.engine.opensearch import client

    monkeypatch.setattr(client, "find_spec", lambda name: None if name == "opensearchpy" else object())
    result = run("init", tmp_path / "news", "--engine", "opensearch", "--url", "http://127.0.0.1:9200")
    assert result.exit_code == 1 and "pip install 'searchkit[opensearch]'" in result.stderr
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert not (tmp_path / "news" / "searchkit.json").exists()


def test_migrate_moves_a_whoosh_collection_to_opensearch_without_running_nlp(seed_home, opensearch_url, monkeypatch):
    from searchkit import nlp

    before = json.loads(run("query", "security guarantees", "--facet", "speaker", "--json", home=seed_home).stdout)

    def total(query):
        return json.loads(run("query", query, "--json", home=seed_home).stdout)["total"]

    aliases = {q: total(q) for q in ("org:CEPA", "CEPA", "US")}  # the aliases the NLP stage gave
    assert aliases["CEPA"] == aliases["org:CEPA"] > 0

    def no_nlp(*args, **kwargs):
        raise AssertionError("migrate ran the NLP stage again")

    monkeypatch.setattr(nlp, "annotate", no_nlp)
    moved = run("migrate", "--engine", "opensearch", "--url", opensearch_url, home=seed_home)
    assert moved.exit_code == 0, moved.output
    assert "Moved 13 paragraphs to opensearch." in moved.stderr
    assert json.loads((seed_home / "searchkit.json").read_text("utf-8"))["engine"] == "opensearch"
    after = json.loads(run("query", "security guarantees", "--facet", "speaker", "--json", home=seed_home).stdout)
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    assert after["facets"] == before["facets"] and after["total"] == before["total"] == 1
    assert {q: total(q) for q in aliases} == aliases  # stored with each paragraph, so migrated too
    assert json.loads(run("doctor", "--json", home=seed_home).stdout)["ok"]
    assert not list((seed_home / "index").glob("gen-*/*.seg")) and not list((seed_home / "index").glob("gen-*/*.toc"))
