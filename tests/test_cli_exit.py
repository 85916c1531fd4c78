"""A reading command ends its process as soon as its output is flushed (``cli.main.end_now``), skipping
Python's teardown: nothing it printed may be lost, a reader that goes away (``| head``) gets no noise,
and writing commands still end the ordinary way."""

from __future__ import annotations

import atexit
import importlib
import json
import subprocess
import sys

import pytest

cli_main = importlib.import_module("searchkit.cli.main")  # the package's ``main`` is the function


def searchkit(home, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "searchkit", "--home", str(home), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_every_line_a_reading_command_prints_arrives(seed_home):
    assert searchkit(seed_home, "query", "x").returncode in (0, 1)  # builds the index
    done = searchkit(seed_home, "query", "*", "--jsonl", "-n", "1000")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(int(r["id"].split("#")[1]) for r in records) == list(range(1, 14))  # all 13, the last too


def test_a_reader_that_stops_early_gets_no_error(seed_home):
    long = "\n\n".join(f"Paragraph {i} of the council minutes, on roads and bridges." for i in range(800))
    (seed_home / "corpus" / "minutes.txt").write_text("Council minutes\n\n" + long, "utf-8")
    assert searchkit(seed_home, "query", "x").returncode in (0, 1)  # builds the index
    reader = subprocess.Popen(["head", "-c", "20"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = searchkit(seed_home, "query", "council", "--jsonl", "-n", "800", stdout=reader.stdin)
    reader.stdin.close()
    reader.wait()
    assert done.returncode == 0 and done.stderr == ""  # ~150 KB into a pipe nobody reads


def test_only_reading_commands_that_finished_end_early(monkeypatch, seed_home, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Council vote\n\nThe council approved the plan.", "utf-8")
    ended = []
    monkeypatch.setattr(cli_main, "end_now", ended.append)
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)  # pytest's own exit handlers
    for args, early in (
        (["query", "security guarantees"], True),
        (["add", str(note)], False),
        (["query", "--help"], False),
    ):
        monkeypatch.setattr(sys, "argv", ["searchkit", "--home", str(seed_home), *args])
        with pytest.raises(SystemExit):
            cli_main.main()
        assert ended == ([0] if early else []), args
        ended.clear()
    monkeypatch.setattr(sys, "argv", ["searchkit", "--home", str(seed_home), "query", "field:("])
    with pytest.raises(SystemExit) as failed:
        cli_main.main()
    assert failed.value.code == 2 and not ended
