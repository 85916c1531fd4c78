"""Issue 12: the freshness check every command runs is cheap when nothing changed (one ``stat`` per file,
compared with one recorded time) and still notices files added, removed or edited in place in corpus/."""

from __future__ import annotations

import os
import time

import pytest

from searchkit import sync as sync_module
from searchkit.collection import Collection
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


def test_added_removed_and_renamed_files_are_noticed(synced):
    desk = synced.corpus.folder / "desk"
    (desk / "later.txt").write_text("Later\n\nA second note.", "utf-8")
    assert synced.stale()
    synced.sync()
    time.sleep(0.05)
    (desk / "later.txt").unlink()
    assert synced.stale()
    synced.sync()
    time.sleep(0.05)
    (desk / "note.txt").rename(desk / "renamed.txt")
    assert synced.stale()


def test_an_edit_in_place_is_noticed_though_its_folder_did_not_change(synced):
    note = synced.corpus.folder / "desk" / "note.txt"
    folder_mtime = (note.parent).stat().st_mtime_ns
    with open(note, "a", encoding="utf-8") as out:
        out.write("\n\nThe mayor objected.")
    assert note.parent.stat().st_mtime_ns == folder_mtime  # only the file changed
    assert synced.stale()
    assert synced.sync().count("replaced") == 1
    assert synced.search("mayor").total == 1


def test_a_sync_by_a_writer_records_the_check_and_a_match_records_it_again(synced, monkeypatch):
    note = synced.corpus.folder / "desk" / "note.txt"
    st = note.stat()
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))  # its change time moves, its size and mtime do not
    assert not synced.stale()  # the full comparison finds the same states and records the check again
    cheap_only(monkeypatch)
    time.sleep(0.05)
    assert not synced.stale()


def test_hidden_folders_are_not_looked_at(synced, monkeypatch):
    hidden = synced.corpus.folder / ".drafts"
    hidden.mkdir()
    synced.sync()
    time.sleep(0.05)
    (hidden / "draft.txt").write_text("Draft\n\nNot an article yet.", "utf-8")
    cheap_only(monkeypatch)
    assert not synced.stale()
