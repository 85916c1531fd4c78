"""Issue 7.6: hostile text never reaches the terminal raw; JSON and CSV stay valid and inert; no path in
metadata or records leads outside the collection."""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.cli import cli
from searchkit.cli.render import clean, write_records
from searchkit.errors import InputError
from searchkit.ingest.corpus import safe_relpath

OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = {
    "csi": "\x1b[2J\x1b[31mred\x1b[0m",
    "osc8": OSC8,
    "osc-bel": "\x1b]0;pwned title\x07",
    "c1-csi": "\x9b31m",
    "cr": "safe\rEVIL",
    "bidi": "abc\u202etxt.exe\u2066x\u2069\u200f",
    "backspace": "ab\x08\x08XY",
}
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BAD_CHARS = ["\x1b", "\x07", "\x9b", "\r", "\u202e", "\u2066", "\u2069", "\u200f", "\x08"]


def run(*args, home=None):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)])


@pytest.mark.parametrize("name", HOSTILE)
def test_clean_leaves_no_control_or_bidi_character(name):
    shown = clean(HOSTILE[name])
    assert not any(ch in shown for ch in BAD_CHARS)
    assert shown.isprintable()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_output_has_no_control_or_bidi_character(text):
    shown = clean(text)
    assert not [ch for ch in shown if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    assert not set(shown) & BIDI


@pytest.fixture
def hostile_home(empty_home, tmp_path):
    body = " ".join(f"{k} {v}" for k, v in HOSTILE.items())
    src = tmp_path / "evil.txt"
    src.write_text(
        f"Headline {HOSTILE['osc8']} {HOSTILE['bidi']}\n\nThe bridge story {body} ends here.\n"
        f'\n=HYPERLINK("http://x") bridge formula\n\n' + "An ordinary sentence of the article. " * 60,
        "utf-8",
    )
    added = run(
        "add", src, "--source", "@SUM(1+1)\x1b[5m", "--url", "-2+3", "--author", "\x1b]8;;x\x1b\\a", home=empty_home
    )
    assert added.exit_code == 0, added.output
    return empty_home


def test_text_output_never_passes_escapes(hostile_home):
    result = run("query", "bridge", home=hostile_home)
    assert result.exit_code == 0
    assert not any(ch in result.output for ch in BAD_CHARS), repr(result.output)
    assert "evil.example" not in result.stdout  # the sequence was dropped whole at ingest, not left as words
    assert "Headline click abctxt.exex" in result.stdout


def test_json_and_jsonl_are_valid_and_keep_the_text(hostile_home):
    out = run("query", "bridge", "--json", home=hostile_home).stdout
    assert not any(ch in out for ch in BAD_CHARS), repr(out)
    doc = json.loads(out)
    # the words stay, the codes go (without them the short first line reads as a heading)
    assert any("csi red osc8 click osc-bel" in (h["section"] or "") + h["text"] for h in doc["hits"])
    for line in run("query", "bridge", "--jsonl", home=hostile_home).stdout.splitlines():
        json.loads(line)


def test_csv_is_valid_and_formulas_are_neutralised(hostile_home):
    out = run("query", "bridge", "--csv", home=hostile_home).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) >= 2
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)
    assert any(r["text"].startswith("'=HYPERLINK") for r in rows)
    assert all(r["source"].startswith("'@SUM") for r in rows)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.dictionaries(st.sampled_from(["title", "text", "url"]), st.text(max_size=20), min_size=1), max_size=4)
)
def test_csv_records_round_trip_and_never_start_with_a_formula(records):
    keys = ["title", "text", "url"]
    rows = [{k: r.get(k, "") for k in keys} for r in records]
    stream = io.StringIO()
    write_records(rows, "csv", stream)
    back = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert len(back) == len(rows)
    for row in back:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


path_parts = st.one_of(
    st.text(max_size=40), st.sampled_from(["..", ".", "/", "\\", "~", "//", "\x00", "..\\..", ".hidden"])
)


@settings(max_examples=500, deadline=None)
@given(st.lists(path_parts, max_size=8).map("/".join))
def test_safe_relpath_never_leaves_the_corpus(raw):
    try:
        rel = safe_relpath(raw)
    except InputError:
        return
    root = Path("/collection/corpus")
    assert not rel.startswith("/") and "\x00" not in rel
    assert all(part not in ("", ".", "..") and not part.startswith(".") for part in rel.split("/"))
    assert all(len(part.encode()) <= 255 for part in rel.split("/"))
    assert os.path.normpath(root / rel).startswith(str(root) + "/")


@pytest.mark.parametrize(
    "key",
    ["../../etc/passwd", "/etc/passwd", "..\\..\\boot.ini", "a/../../../x", "~root/.ssh/x", "x" * 400, "\x1b[2J", ".."],
)
def test_hostile_record_keys_stay_inside(key, tmp_path):
    rel = safe_relpath(f"feed/{key}.json")
    assert rel.startswith("feed/") and ".." not in rel.split("/")
    target = tmp_path / "corpus" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("{}")  # the file system accepts it (no over-long names)
    assert tmp_path / "corpus" in target.resolve().parents


def test_adding_a_file_with_a_hostile_name_keeps_it_inside_and_shows_it_cleanly(tmp_path, empty_home):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = folder / "\x1b[2Jevil\u202e.txt"
    evil.write_text("Name test\n\nThe bridge closed.\n", "utf-8")
    (folder / "bin\x1b]0;x\x07.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run("add", folder, home=empty_home)
    assert result.exit_code == 1  # the binary one fails, its name shown cleaned
    assert not any(ch in result.output for ch in BAD_CHARS)
    stored = [p for p in (empty_home / "corpus").rglob("*") if p.is_file()]
    assert len(stored) == 1 and empty_home / "corpus" in stored[0].parents
