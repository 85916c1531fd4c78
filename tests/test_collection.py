import os
import shutil

import pytest

from searchkit.collection import Collection
from searchkit.errors import CollectionNotFound, EmptyCollection, IndexLocked

from .conftest import SEED


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_find_by_option_env_and_parents(seed_home, monkeypatch, tmp_path):
    assert Collection.find(seed_home).home == seed_home
    monkeypatch.setenv("SEARCHKIT_HOME", str(seed_home))
    assert Collection.find().home == seed_home
    monkeypatch.delenv("SEARCHKIT_HOME")
    inner = seed_home / "corpus" / "deep"
    inner.mkdir()
    assert Collection.find(start=inner).home == seed_home
    with pytest.raises(CollectionNotFound, match="searchkit init"):
        Collection.find(start=tmp_path)
    with pytest.raises(CollectionNotFound, match="--home"):
        Collection.find(tmp_path / "nowhere")


def test_first_query_builds_the_index(seed_home):
    coll = Collection(seed_home)
    assert coll.stale()
    report = coll.sync()
    assert report.count("added") == 1 and report.paragraphs == 13
    assert not coll.stale()
    result = coll.search("security guarantees")
    assert result.hits[0].section == "Ukraine\u2019s Priorities"
    assert result.hits[0].text.startswith("Ukrainian President Volodymyr Zelenskyy")


def test_empty_collection_is_an_error(empty_home):
    coll = Collection(empty_home)
    coll.sync()
    with pytest.raises(EmptyCollection, match="searchkit add"):
        coll.search("anything")


def test_add_skips_exact_duplicates_and_replaces_changed_versions(empty_home, tmp_path):
    coll = Collection(empty_home)
    one = write(tmp_path / "in" / "one.txt", "Budget row\n\nThe minister said the budget was fair.\n")
    twin = write(tmp_path / "in" / "sub" / "twin.txt", "Budget   row\n\nThe minister said the budget was fair.")
    report = coll.add([tmp_path / "in"])
    assert (report.count("added"), report.count("skipped")) == (1, 1)
    assert "duplicate of in/" in [o.reason for o in report.outcomes if o.status == "skipped"][0]
    assert coll.add([one]).outcomes[-1].reason == "duplicate of in/one.txt"
    assert "already in the corpus" in [o.reason for o in coll.add([tmp_path / "in"]).outcomes]

    write(one, "Budget row\n\nThe minister said the budget was unfair.\n")
    report = coll.add([tmp_path / "in"])
    assert report.count("replaced") == 1
    assert coll.search("unfair").total == 1 and coll.search("fair").total == 1
    assert twin.exists() and len(coll.articles()) == 2  # the twin is no longer a duplicate: added now


def test_one_bad_file_does_not_stop_the_others(empty_home, tmp_path):
    coll = Collection(empty_home)
    write(tmp_path / "in" / "good.txt", "Good news\n\nEverything went well today.")
    write(tmp_path / "in" / "README.TXT", "About this folder\n\nArticles collected in 2025.")  # passed over
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    report = coll.add([tmp_path / "in", tmp_path / "missing.txt"])
    assert report.count("added") == 1 and report.count("failed") == 3
    reasons = " ".join(o.reason for o in report.outcomes if o.status == "failed")
    assert "binary" in reasons and "empty" in reasons and "no such file" in reasons
    assert sorted(p.name for p in (empty_home / "corpus").rglob("*.txt")) == ["good.txt"]


def test_hand_edits_in_corpus_are_picked_up(seed_home):
    coll = Collection(seed_home)
    coll.sync()
    write(seed_home / "corpus" / "note.txt", "Local note\n\nThe council approved the zoning plan.")
    assert coll.stale()
    report = coll.sync()
    assert report.count("added") == 1 and coll.search("zoning").total == 1
    (seed_home / "corpus" / "note.txt").unlink()
    report = coll.sync()
    assert report.count("removed") == 1 and coll.search("zoning").total == 0


def test_article_ids_are_stable_whatever_the_order(tmp_path):
    files = [write(tmp_path / "in" / f"{name}.txt", f"{name} title\n\nText about {name}.") for name in ("a", "b")]
    first = Collection.init(tmp_path / "one")
    first.add(files)
    second = Collection.init(tmp_path / "two")
    second.add(reversed(files))
    assert {(a.path, a.id) for a in first.articles()} == {(a.path, a.id) for a in second.articles()}


def test_rebuild_swaps_and_an_interrupted_rebuild_keeps_the_old_index(seed_home, monkeypatch):
    coll = Collection(seed_home)
    coll.sync()
    old_generation = coll.index.generation()
    coll.rebuild()
    assert coll.index.generation() != old_generation and not old_generation.exists()
    assert coll.search("security guarantees").total == 1

    def crash(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("searchkit.ingest.segment.segment", crash)
    live = coll.index.generation()
    with pytest.raises(KeyboardInterrupt):
        coll.rebuild()
    assert coll.index.generation() == live
    assert sorted(p.name for p in (seed_home / "index").glob("gen-*")) == [live.name]
    assert coll.search("security guarantees").total == 1


def test_second_writer_waits_then_says_who_holds_the_lock(seed_home):
    coll = Collection(seed_home)
    with coll.index.lock(purpose="searchkit add"):
        with pytest.raises(IndexLocked, match=f"pid {os.getpid()}.*searchkit add"):
            Collection(seed_home).sync(wait=0.2)
        report, problem = Collection(seed_home).try_sync()
        assert problem and "not up to date" in problem


def test_seed_copy_in_corpus_is_not_duplicated_by_adding_it_again(seed_home):
    coll = Collection(seed_home)
    report = coll.add([SEED])
    assert report.count("added") == 1  # the sync picked up the corpus copy
    assert report.outcomes[-1].status == "skipped"
    shutil.rmtree(seed_home / "index")
    (seed_home / "index").mkdir()
    assert coll.sync().count("added") == 1 and coll.search("Polyakova").total >= 1


def test_freshness_digest_agrees_with_the_manifest(seed_home):
    coll = Collection(seed_home)
    coll.sync()
    assert coll.index.states_digest() is not None and not coll.stale()
    target = next((seed_home / "corpus").rglob("*.txt"))
    target.write_text(target.read_text() + "\n\nA paragraph added by hand.")
    assert coll.stale()
    (coll.index.generation() / "states.sha1").unlink()  # an index written before the digest existed
    assert coll.stale()
    coll.sync()
    assert not coll.stale()


def test_a_collection_names_its_engine_and_keeps_it(tmp_path):
    import json

    from searchkit.errors import InputError

    coll = Collection.init(tmp_path / "c")
    assert json.loads((tmp_path / "c" / "searchkit.json").read_text()) == {"engine": "whoosh"}
    assert coll.index.engine.name == "whoosh"
    with pytest.raises(InputError, match="unknown search engine 'lucene'; engines: whoosh"):
        Collection.init(tmp_path / "d", engine="lucene")
    (tmp_path / "c" / "searchkit.json").write_text('{"engine": "whoosh",')
    with pytest.raises(InputError, match="is not valid JSON"):
        Collection(tmp_path / "c").config()
    (tmp_path / "c" / "searchkit.json").unlink()  # a collection made before the file existed: Whoosh
    assert Collection(tmp_path / "c").index.engine.name == "whoosh"
