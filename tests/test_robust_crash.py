"""Issue 7.4 and 7.7: a writer killed (SIGKILL) at any step, or at a random moment, leaves a collection that
opens, answers and agrees with its corpus once the next command has run (which says what it did);
an index of another schema version is rebuilt from the corpus, never misread."""

from __future__ import annotations

import json
import random
import signal
import time

import pytest
from click.testing import CliRunner

from searchkit import nlp
from searchkit.cli import cli
from searchkit.collection import Collection

from .robust_helpers import article, sk, spawn

ADD_POINTS = ["after-corpus-write", "mid-index-write", "before-manifest", "before-current-swap", "after-current-swap"]
REBUILD_POINTS = ["mid-index-write", "before-manifest", "before-current-swap", "after-current-swap"]


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


@pytest.fixture
def home(empty_home, tmp_path):
    first = [article(tmp_path / "first", f"a{i}.txt", f"topic{i}") for i in range(3)]
    Collection(empty_home).add(first)
    return empty_home


def assert_healthy(home, expected_articles):
    """The next command answers and reconciles; then doctor finds nothing; nothing is lost."""
    first = run(home, "query", "council", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["total"] == expected_articles
    doctor = run(home, "doctor", "--json")
    assert doctor.exit_code == 0, doctor.stdout
    assert json.loads(doctor.stdout)["ok"]
    corpus_files = sorted(p.name for p in (home / "corpus").rglob("*.txt"))
    assert len(corpus_files) == expected_articles
    assert not [p for p in home.rglob(".tmp-*")]
    return first


@pytest.mark.parametrize("point", ADD_POINTS)
def test_add_killed_at_each_point(point, home, tmp_path):
    new = article(tmp_path / "new", "b.txt", "newtopic")
    proc = sk(home, "add", new, SEARCHKIT_TEST_KILL_AT=point)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    stored = (home / "corpus" / "b.txt").exists()
    assert stored  # the corpus is written first: the article is never lost once add has started writing
    first = assert_healthy(home, 4)
    if point in ("after-corpus-write", "mid-index-write", "before-manifest", "before-current-swap"):
        assert "Index updated: 1 article added" in first.stderr  # the next command caught up, and said so
    again = run(home, "add", new)  # the user retries: nothing is doubled
    assert again.exit_code == 0 and "already in the corpus" in again.stderr
    assert json.loads(run(home, "query", "newtopic", "--json").stdout)["total"] == 1


@pytest.mark.parametrize("point", REBUILD_POINTS)
def test_rebuild_killed_at_each_point(point, home):
    proc = sk(home, "rebuild", SEARCHKIT_TEST_KILL_AT=point)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert json.loads(run(home, "query", "topic1", "--json").stdout)["total"] == 1  # old or new index answers
    assert_healthy(home, 3)


def stored_in(folder) -> int:
    return len([p for p in folder.glob("*.txt") if not p.name.startswith(".")]) if folder.exists() else 0


def test_add_killed_at_random_moments(home, tmp_path):
    """Killed once it has stored a random number of the 25 files (0: still starting; 25: annotating or
    indexing them), whatever the machine's load: the moment is a condition, not a time."""
    rng = random.Random(7)
    expected = 3
    for attempt, after in enumerate([0, rng.randint(1, 24), 25]):
        files = [
            article(tmp_path / f"batch{attempt}", f"c{attempt}-{i}.txt", f"batch{attempt} item{i}") for i in range(25)
        ]
        folder = home / "corpus" / f"batch{attempt}"
        proc = spawn(home, "add", tmp_path / f"batch{attempt}")
        deadline = time.monotonic() + 300  # only a hang ends the wait
        while stored_in(folder) < after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        if proc.returncode == 0:  # it finished before the kill: nothing to recover, still a fine case
            assert stored_in(folder) == 25
        stored_now = stored_in(folder)
        assert_healthy(home, expected + stored_now)
        retry = run(home, "add", tmp_path / f"batch{attempt}")
        assert retry.exit_code == 0, retry.output
        expected += len(files)
        assert json.loads(run(home, "query", f"batch{attempt}", "--json", "-n", 1).stdout)["total"] == 25
    assert_healthy(home, expected)


def test_index_of_another_schema_is_rebuilt_not_misread(home):
    gen = Collection(home).index.generation()
    (gen / "VERSION").write_text("0", "ascii")
    doctor = run(home, "doctor")
    version = Collection(home).index.engine.schema_version
    assert doctor.exit_code == 1 and f"PROBLEM schema: schema 0; this searchkit reads {version}" in doctor.stdout
    result = run(home, "query", "topic2", "--json")
    assert result.exit_code == 0, result.output
    assert "Rebuilding the index from corpus/: the index was built by another searchkit (schema 0" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert Collection(home).index.version() == version
    (Collection(home).index.generation() / "VERSION").write_text("99", "ascii")
    with Collection(home).index.lock(purpose="someone else"):  # cannot rebuild now: told, never misread
        blocked = run(home, "query", "topic2")
    assert blocked.exit_code == 1 and "searchkit rebuild" in blocked.stderr


def test_index_of_a_convertible_schema_is_converted_without_the_nlp_stage(home, monkeypatch):
    """An index whose version differs from this searchkit's in analysis only (``Engine.converts_from``)
    is rewritten from its stored paragraphs, speakers and entities as they were: only an article added
    to corpus/ since goes through the NLP stage."""
    before = {hit["id"]: hit for hit in json.loads(run(home, "query", "council", "--json", "-n", 50).stdout)["hits"]}
    index = Collection(home).index
    (index.generation() / "VERSION").write_text(str(min(index.engine.converts_from)), "ascii")
    article(home / "corpus", "later.txt", "latertopic")
    annotated: list[str] = []
    real = nlp.annotate

    def counted(items, *args, **kwargs):
        items = list(items)
        annotated.extend(art.path for art, _paragraphs in items)
        return real(iter(items), *args, **kwargs)

    monkeypatch.setattr(nlp, "annotate", counted)
    result = run(home, "query", "council", "--json", "-n", 50)
    assert result.exit_code == 0, result.output
    assert "Converting the index from its stored paragraphs" in result.stderr
    assert "Rebuilding" not in result.stderr
    assert annotated == ["later.txt"]
    after = {hit["id"]: hit for hit in json.loads(result.stdout)["hits"]}
    assert len(after) == 4 and set(before) < set(after)
    for key in ("speakers", "entities", "text", "title"):
        assert [after[i][key] for i in before] == [before[i][key] for i in before]
    assert Collection(home).index.version() == index.engine.schema_version
    assert_healthy(home, 4)


def test_a_convertible_index_that_cannot_be_read_is_rebuilt(home):
    index = Collection(home).index
    gen = index.generation()
    (gen / "VERSION").write_text(str(min(index.engine.converts_from)), "ascii")
    for segment in [p for p in gen.glob("*") if p.suffix in (".seg", ".trm", ".pst")]:
        segment.write_bytes(b"garbage")
    result = run(home, "query", "topic2", "--json")
    assert result.exit_code == 0, result.output
    assert "The old index could not be read" in result.stderr and "Rebuilding the index from corpus/" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert_healthy(home, 3)


def test_damaged_generation_is_found_and_fixed_by_doctor(home):
    gen = Collection(home).index.generation()
    segment_files = [p for p in gen.glob("*") if p.suffix in (".seg", ".trm", ".pst")]
    assert segment_files
    for seg in segment_files:  # compound segments (.seg) or separate files (.trm, .pst)
        seg.write_bytes(b"garbage")
    doctor = run(home, "doctor", "--json")
    assert doctor.exit_code == 1
    index_check = next(c for c in json.loads(doctor.stdout)["checks"] if c["check"] == "index")
    assert not index_check["ok"] and "damaged" in index_check["detail"]
    fixed = run(home, "doctor", "--fix", "--json")
    assert fixed.exit_code == 0, fixed.output
    assert (
        "rebuilt from corpus/" in next(c for c in json.loads(fixed.stdout)["checks"] if c["check"] == "index")["fixed"]
    )
    assert_healthy(home, 3)


def test_a_temporary_file_of_a_killed_writer_is_cleaned_up_by_the_next_command(home):
    """Killed while writing its first corpus file, an add leaves only that file's temporary copy."""
    leftover = home / "corpus" / ".writing" / ".tmp-x1y2.txt"
    leftover.parent.mkdir(exist_ok=True)  # the add that made the collection wrote through it
    leftover.write_text("half an art", "utf-8")
    first = run(home, "query", "council", "--json")
    assert first.exit_code == 0 and "Cleaned up 1 leftover(s) of an interrupted write" in first.stderr
    assert not leftover.exists()
    assert json.loads(run(home, "doctor", "--json").stdout)["ok"]


def test_a_killed_writers_index_marker_temp_is_cleaned_up_by_the_next_command(home):
    """Killed while recording its check of corpus/ (the add had finished: a fast machine gets there
    within the random-kill test's window), a writer leaves the marker's temporary file in index/; a
    reader that finds nothing else to do must still have it cleaned, or doctor reports it."""
    leftover = home / "index" / ".CHECKED.4242.tmp"
    leftover.write_text("gen-000001 1", "ascii")
    first = run(home, "query", "council", "--json")
    assert first.exit_code == 0 and "Cleaned up 1 leftover(s) of an interrupted write" in first.stderr
    assert not leftover.exists()
    assert json.loads(run(home, "doctor", "--json").stdout)["ok"]
