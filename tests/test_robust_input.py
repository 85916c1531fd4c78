"""Issue 7.1: bad files are reported one line each, good ones added, nothing partial is kept; readers and
the segmenter take arbitrary bytes and text and raise nothing but searchkit's own errors."""

from __future__ import annotations

import codecs
import gzip
import importlib.util
import json
import re

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.errors import SearchkitError
from searchkit.ingest.readers import read_bytes
from searchkit.ingest.segment import segment
from searchkit.model import Article, Block

EXAMPLES = 300
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["x.txt", "x.md"] + [
    n
    for n, mod in (("x.html", "html"), ("x.json", "jsonl"), ("x.jsonl", "jsonl"))
    if importlib.util.find_spec(f"searchkit.ingest.readers.{mod}")
]


def run(*args, home=None):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)])


@FAST
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_readers_raise_only_searchkit_errors_on_any_bytes(data, name):
    try:
        reading = read_bytes(data, name)
    except SearchkitError:
        return
    for art in reading.articles:
        assert art.blocks and all(isinstance(b.text, str) for b in art.blocks)


text_like = st.lists(
    st.one_of(
        st.text(max_size=200),
        st.sampled_from(
            [
                "\n",
                "\n\n",
                "\r\n",
                "   ",
                "\t",
                "SOURCE : X | Facebook",
                "Paris, France — ",
                "Follow us",
                "\x1b[31m",
                "\u202e",
                "\x00",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@FAST
@given(text=text_like)
def test_text_reader_and_segmenter_take_any_text(text):
    try:
        reading = read_bytes(text.encode("utf-8", "surrogatepass"), "x.txt")
    except SearchkitError:
        return
    for art in reading.articles:
        art.id = "a"
        _, paragraphs = segment(art)
        assert all(p.text.strip() for p in paragraphs)


@FAST
@given(blocks=st.lists(st.tuples(st.text(max_size=120), st.sampled_from([None, True, False])), max_size=12))
def test_segmenter_takes_any_blocks(blocks):
    art = Article(blocks=[Block(t, h) for t, h in blocks], id="a")
    _, paragraphs = segment(art)
    assert [p.n for p in paragraphs] == list(range(1, len(paragraphs) + 1))


BAD = {
    "binary.txt": bytes(range(256)) * 8,
    "empty.txt": b"",
    "blank.txt": b" \n\n \t\n",
    "nul.txt": b"Title\n\nSome text\x00with a NUL byte in it.\n",
    "gzip.html.gz": gzip.compress(b"<html><body><p>x</p></body></html>")[:20],
}
GOOD_ODD = {
    "latin1.txt": "Caf\xe9 talks\n\nThe caf\xe9 owners met the mayor on Monday.\n".encode("latin-1"),
    "utf16.txt": codecs.BOM_UTF16_LE + "Bridge vote\n\nThe council voted to close the bridge.\n".encode("utf-16-le"),
    "cp1252.txt": "Quotes \x93here\x94\n\nThe minister said \x93no\x94 to the plan.\n".encode("latin-1"),
    "utf32.txt": "Title\n\nText in UTF-32 without a BOM.\n".encode("utf-32-le"),
    "truncated.txt": b"Cut short\n\nThe council met and then the file en" + "é".encode()[:1],
}


def test_folder_of_thousands_with_bad_files(tmp_path, empty_home):
    folder = tmp_path / "feed"
    folder.mkdir()
    good = 1200
    for i in range(good):
        (folder / f"{i:05d}.txt").write_text(f"Item {i}\n\nThe council met about item{i} and the bridge.\n", "utf-8")
    for name, data in {**BAD, **GOOD_ODD}.items():
        (folder / name).write_bytes(data)
    result = run("add", folder, "--json", home=empty_home)
    assert result.exit_code == 1, result.output
    records = json.loads(result.stdout)
    failed = {r["where"].rsplit("/", 1)[-1]: r["reason"] for r in records if r["status"] == "failed"}
    expected_bad = (
        set(BAD) - {"gzip.html.gz"} if not importlib.util.find_spec("searchkit.ingest.readers.html") else set(BAD)
    )
    assert expected_bad <= set(failed), failed
    assert all(reason and "\n" not in reason for reason in failed.values())
    # each kind of failure once, with its count and reason (a lone failure: its name and reason)
    kinds = [re.match(r"\s*failed( [\d,]+)?:", line) for line in result.stderr.splitlines()]
    assert sum(int(k.group(1) or 1) for k in kinds if k) == len(failed)
    assert "binary.txt: binary.txt" not in result.stderr  # the name is said once
    added = [r for r in records if r["status"] == "added"]
    assert len(added) == good + len(GOOD_ODD)
    corpus = empty_home / "corpus" / "feed"
    stored = {p.name for p in corpus.iterdir()}
    assert not stored & set(failed) and not [n for n in stored if n.startswith(".")]  # nothing partial
    coll = Collection(empty_home)
    assert coll.search("bridge", limit=1).total == good + 1
    assert coll.search("item77").total == 1 and coll.search("cafe").total == 1
    assert len(coll.articles()) == good + len(GOOD_ODD)


def test_size_guard_refuses_a_200_mb_file_without_reading_it(tmp_path, empty_home, monkeypatch):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    small = tmp_path / "ok.txt"
    small.write_text("Fine\n\nA normal article about the bridge.\n", "utf-8")
    result = run("add", big, small, home=empty_home)
    assert result.exit_code == 1
    assert "200.0 MB is more than the 64 MB" in result.stderr and "SEARCHKIT_MAX_FILE_MB" in result.stderr
    assert "1 article added" in result.stderr
    assert sorted(p.name for p in (empty_home / "corpus").iterdir()) == ["ok.txt"]
    monkeypatch.setenv("SEARCHKIT_MAX_FILE_MB", "0.00001")
    lowered = run("add", tmp_path / "ok.txt", home=empty_home)
    assert lowered.exit_code == 1 and "more than the 1e-05 MB" in lowered.stderr
