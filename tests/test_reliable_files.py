"""Issue 17, files as found on disk: mixed and wide encodings, unreadable files, names that are not UTF-8."""

from __future__ import annotations

import codecs
import json
import os
import time

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.errors import InputError
from searchkit.ingest.readers import read_bytes
from searchkit.ingest.readers.text import decode

TEXT = "Café owners in Zürich said prices “rose” by 5 €.\n\nThe mayor’s office disagreed.\n"


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def words(result) -> str:
    return " ".join(result.output.split())


def test_a_file_mixing_utf8_and_cp1252_is_decoded_line_by_line():
    data = "Café in UTF-8 — first line\n".encode() + "Caf\u00e9 in cp1252 \u201cquoted\u201d\n".encode("cp1252")
    data += "Straße again in UTF-8\n".encode() + b"undefined in cp1252: \x81\n"
    assert decode(data, "m.txt").splitlines() == [
        "Café in UTF-8 — first line",
        "Café in cp1252 “quoted”",
        "Straße again in UTF-8",
        "undefined in cp1252: \x81",
    ]


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_wide_encodings_are_read_with_or_without_a_bom(encoding, bom):
    assert decode(bom + TEXT.encode(encoding), "w.txt") == TEXT


@pytest.mark.parametrize(
    "data", [bytes(range(256)) * 8, b"\x00\x01\x02" * 50, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500)]
)
def test_binary_files_are_still_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode(data, "b.txt")


def test_utf16_and_mixed_files_are_added_and_found(empty_home, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wide.txt").write_bytes(TEXT.replace("Zürich", "Geneva").encode("utf-16-le"))
    (folder / "mixed.txt").write_bytes(
        "Zürich news\n\n".encode() + "Caf\u00e9 prices fell in Basel.\n".encode("cp1252")
    )
    result = run(empty_home, "add", folder)
    assert result.exit_code == 0, result.output
    coll = Collection(empty_home)
    assert len(coll.articles()) == 2 and coll.search("mayor office").hits[0].title.startswith("Café owners in Geneva")
    assert coll.search("basel").hits[0].text == "Café prices fell in Basel."


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "zinc.txt").write_text("Zinc rose in Lima.\n", "utf-8")
    (src / "tin.txt").write_text("Tin fell in Bolivia.\n", "utf-8")
    return src


def _unreadable_added(home, folder) -> None:
    result = run(home, "add", folder)
    assert result.exit_code == 1, result.output
    said = words(result)
    assert "1 article added, 1 failed" in said and "tin.txt" in said and "Permission denied" in said
    assert "check its permissions" in said and "unexpected" not in said
    assert Collection(home).search("zinc").total == 1


def test_an_unreadable_file_is_named_and_the_rest_added(empty_home, folder, monkeypatch):
    """Tests run as root, whom chmod 000 does not stop: the read itself is made to fail."""
    import pathlib

    real = pathlib.Path.read_bytes

    def read_bytes(self):
        if self.name == "tin.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    _unreadable_added(empty_home, folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode; the test above covers it")
def test_an_unreadable_file_on_disk_is_named_and_the_rest_added(empty_home, folder):
    (folder / "tin.txt").chmod(0)
    _unreadable_added(empty_home, folder)


def test_a_file_name_that_is_not_utf8_is_reported_and_stored_safely(empty_home, folder):
    name = os.fsdecode(b"caf\xe9 news.txt")
    (folder / name).write_text("Copper rose in Chile.\n", "utf-8")
    result = run(empty_home, "add", folder, "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert any(r["where"].endswith("caf\\xe9 news.txt") and r["status"] == "added" for r in records)
    coll = Collection(empty_home)
    assert coll.search("copper").total == 1 and coll.articles()[0].path == "in/caf_ news.txt"
    assert run(empty_home, "doctor").exit_code == 0


def test_a_file_with_such_a_name_put_in_corpus_by_hand_is_named_and_passed_over(empty_home, folder):
    assert run(empty_home, "add", folder).exit_code == 0
    (empty_home / "corpus" / os.fsdecode(b"h\xe9nd.txt")).write_text("Lead rose.\n", "utf-8")
    query = run(empty_home, "query", "zinc", "--json")
    assert query.exit_code == 0 and json.loads(query.stdout)["total"] == 1
    assert "h\\xe9nd.txt: the file name is not valid UTF-8; rename it" in words(query)
    doctor = run(empty_home, "doctor", "--json")
    assert doctor.exit_code == 1 and "h\\\\xe9nd.txt" in doctor.stdout and "unexpected" not in doctor.output
    for args in (("doctor", "--fix"), ("rebuild",), ("stats",), ("list",)):
        result = run(empty_home, *args)
        assert "unexpected" not in result.output and "Traceback" not in result.output, (args, result.output)


def _cpu_seconds(data: bytes, name: str) -> float:
    started = time.process_time()
    try:
        read_bytes(data, name)
    except InputError:
        pass
    return time.process_time() - started


def test_reading_a_page_is_linear_in_its_paragraphs_and_its_depth():
    """100,000 tiny paragraphs (1.3 MB) took over 15 minutes and 20,000 nested divs 175 s when this grew
    with the square of the size; the bound is generous (a square would give 16 for four times the size)."""
    tiny = [
        ("<html><body>" + "".join(f"<p>w{i}</p>" for i in range(n)) + "</body></html>").encode() for n in (4000, 16000)
    ]
    small, large = (_cpu_seconds(data, "tiny.html") for data in tiny)
    assert large < 8 * max(small, 0.05), (small, large)
    text = "Zinc prices rose sharply in London on Monday as traders bought more metal."
    for depth in (8000, 20000):
        deep = f"<html><body>{'<div>' * depth}<p>{text}</p>{'</div>' * depth}</body></html>".encode()
        assert _cpu_seconds(deep, "deep.html") < 10
        assert read_bytes(deep, "deep.html").articles[0].blocks[0].text == text  # flattened, not lost
