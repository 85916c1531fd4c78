"""Issue 12: the freshness check every command runs is cheap when nothing changed (one ``stat`` per folder,
and per file when the last look at every file is ``SEARCHKIT_FILE_CHECK_SECONDS`` old, all compared with
one recorded time) and still notices files added, removed or edited in place in corpus/."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from click.testing import CliRunner

from searchkit import sync as sync_module
from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.errors import InputError
from searchkit.ingest.corpus import Corpus


@pytest.fixture
def synced(seed_home, monkeypatch):
    """A synced collection whose check mark is exact (no margin), a moment after the sync."""
    monkeypatch.setattr(sync_module, "CHECK_MARGIN_NS", 0)
    (seed_home / "corpus" / "desk").mkdir()
    (seed_home / "corpus" / "desk" / "note.txt").write_text("Council vote\n\nThe council approved the plan.", "utf-8")
    coll = Collection(seed_home)
    coll.sync()
    time.sleep(0.05)  # later changes get a later change time than the mark
    return coll


def cheap_only(monkeypatch):
    """Make the full comparison fail the test: only the cheap check may run."""

    def forbidden(self):
        raise AssertionError("the full scan ran")

    monkeypatch.setattr(Corpus, "scan_states", forbidden)
    monkeypatch.setattr(Corpus, "scan", forbidden)


def test_unchanged_corpus_is_fresh_by_the_cheap_check(synced, monkeypatch):
    assert synced.index.checked_since() is not None
    cheap_only(monkeypatch)
    assert not synced.stale()


def looked_at_every_file(coll: Collection, monkeypatch) -> None:
    """Record a look at every file, then allow only looks at the recorded folders."""
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "0")
    assert not coll.stale() and coll.index.check_mark()[1] is not None
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "3600")
    monkeypatch.setattr(Corpus, "unchanged_folders", lambda *_: pytest.fail("looked at every file"))
    time.sleep(0.05)


def test_added_removed_and_renamed_files_are_noticed_by_their_folders(synced, monkeypatch):
    desk = synced.corpus.folder / "desk"
    for change in (
        lambda: (desk / "later.txt").write_text("Later\n\nA second note.", "utf-8"),
        lambda: (desk / "later.txt").unlink(),
        lambda: (desk / "note.txt").rename(desk / "renamed.txt"),
        lambda: (desk / "sub").mkdir() or (desk / "sub" / "deep.txt").write_text("Deep\n\nNew folder.", "utf-8"),
        lambda: (
            (desk / "sub" / "deep.txt").write_text("Deeper\n\nIn place.", "utf-8")
            and (desk / "sub" / "other.txt").write_text("Other\n\nBeside it.", "utf-8")
        ),
        lambda: shutil.rmtree(desk / "sub"),
    ):
        with monkeypatch.context() as patch:
            looked_at_every_file(synced, patch)
            change()
            assert synced.stale()
        synced.sync()
    assert not synced.stale()


def append_in_place(coll: Collection) -> None:
    note = coll.corpus.folder / "desk" / "note.txt"
    folder_mtime = (note.parent).stat().st_mtime_ns
    with open(note, "a", encoding="utf-8") as out:
        out.write("\n\nThe mayor objected.")
    assert note.parent.stat().st_mtime_ns == folder_mtime  # only the file changed


def test_an_edit_in_place_is_noticed_though_its_folder_did_not_change(synced, monkeypatch):
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "0")  # every command looks at every file
    append_in_place(synced)
    assert synced.stale()
    assert synced.sync().count("replaced") == 1
    assert synced.search("mayor").total == 1


def test_an_edit_in_place_is_noticed_once_the_file_check_is_due(synced, monkeypatch):
    """Between looks at every file, only folders are looked at; the next look finds the edit."""
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "0.5")
    assert not synced.stale()  # a look at every file (the sync did not record the folders)
    assert synced.index.check_mark()[1] == ["", "desk"]
    time.sleep(0.05)
    append_in_place(synced)
    if time.time_ns() - synced.index.checked_since() < 0.4e9:  # the mark is exact here (no margin)
        assert not synced.stale()  # the folders did not change
    time.sleep(0.55)
    assert synced.stale()
    synced.sync()
    assert synced.search("mayor").total == 1


def test_the_file_check_interval_must_be_seconds(synced, monkeypatch):
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv(sync_module.FILE_CHECK_ENV, bad)
        with pytest.raises(InputError, match="SEARCHKIT_FILE_CHECK_SECONDS must be a number of seconds"):
            synced.stale()
        result = CliRunner().invoke(cli, ["--home", str(synced.home), "query", "council"])
        assert result.exit_code == 1 and "SEARCHKIT_FILE_CHECK_SECONDS" in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_sync_by_a_writer_records_the_check_and_a_match_records_it_again(synced, monkeypatch):
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "0")
    note = synced.corpus.folder / "desk" / "note.txt"
    st = note.stat()
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))  # its change time moves, its size and mtime do not
    assert not synced.stale()  # the full comparison finds the same states and records the check again
    cheap_only(monkeypatch)
    time.sleep(0.05)
    assert not synced.stale()


def test_hidden_folders_are_not_looked_at(synced, monkeypatch):
    monkeypatch.setenv(sync_module.FILE_CHECK_ENV, "0")
    hidden = synced.corpus.folder / ".drafts"
    hidden.mkdir()
    synced.sync()
    time.sleep(0.05)
    (hidden / "draft.txt").write_text("Draft\n\nNot an article yet.", "utf-8")
    cheap_only(monkeypatch)
    assert not synced.stale()
