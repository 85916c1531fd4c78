"""Issue 5 end to end through the CLI: real HTML pages and a slice of the Reuters feed (skipped without
../shared/data), metadata on the command line kept across a rebuild, and the corpus layout."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from searchkit.cli import cli

from .conftest import DATA, need


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def test_reuters_slice_with_bad_lines_and_records_without_body(empty_home, tmp_path):
    source = need(DATA / "reuters-21578" / "reuters21578.jsonl")
    lines = source.read_text("utf-8").splitlines()[:40]
    feed = tmp_path / "wire.jsonl"
    feed.write_text("\n".join(lines[:20] + ["{broken json"] + lines[20:]) + "\n", "utf-8")
    result = run(empty_home, "add", feed, "--json")
    assert result.exit_code == 1  # a bad line is a failure, reported by line number; the rest are added
    outcomes = json.loads(result.stdout)
    failed = [o for o in outcomes if o["status"] == "failed"]
    assert len(failed) == 1 and "line 21" in failed[0]["where"]
    added = [o for o in outcomes if o["status"] == "added"]
    skipped = [o for o in outcomes if o["status"] == "skipped"]
    assert len(added) + len(skipped) == 40 and any("no body" in o["reason"] for o in skipped)
    listed = json.loads(run(empty_home, "list", "--json").stdout)
    assert len(listed) == len(added) and all(a["date"].startswith("1987-") for a in listed)
    assert all(a["path"].startswith("wire/") and a["path"].endswith(".json") for a in listed)
    stored = json.loads((empty_home / "corpus" / listed[0]["path"]).read_text("utf-8"))
    assert stored["blocks"] and stored["date"].startswith("1987-")  # the corpus holds the extracted article
    cocoa = json.loads(run(empty_home, "query", "cocoa", "--json").stdout)
    assert cocoa["total"] >= 1 and "Reuter" not in cocoa["hits"][0]["text"][-8:]
    shutil.rmtree(empty_home / "index")
    (empty_home / "index").mkdir()
    assert json.loads(run(empty_home, "query", "cocoa", "--json").stdout)["total"] == cocoa["total"]


def test_html_pages_with_metadata(empty_home, tmp_path):
    pages = sorted(need(DATA / "zyte-articles" / "html").glob("*.html"))[:4]
    folder = tmp_path / "saved"
    folder.mkdir()
    for page in pages:
        shutil.copy(page, folder / page.name)
    result = run(empty_home, "add", folder)
    assert result.exit_code == 0, result.output
    listed = json.loads(run(empty_home, "list", "--json").stdout)
    assert len(listed) == 4 and all(a["title"] and a["paragraphs"] > 0 for a in listed)
    assert all((empty_home / "corpus" / a["path"]).suffix == ".html" for a in listed)  # the original page


def test_command_line_metadata_survives_rebuild(empty_home, tmp_path):
    page = tmp_path / "note.txt"
    page.write_text("Harbour plan\n\nThe port authority said the harbour would reopen in May.", "utf-8")
    added = run(
        empty_home,
        "add",
        page,
        "--source",
        "Port Gazette",
        "--date",
        "2024-05-02",
        "--url",
        "https://example.org/harbour",
        "--author",
        "A. Writer",
    )
    assert added.exit_code == 0, added.output
    assert run(empty_home, "rebuild").exit_code == 0
    info = json.loads(run(empty_home, "list", "--json").stdout)[0]
    assert (info["source"], info["date"][:10], info["url"]) == (
        "Port Gazette",
        "2024-05-02",
        "https://example.org/harbour",
    )
    assert json.loads(run(empty_home, "query", "--source", "port gazette", "--json").stdout)["total"] == 1


def test_an_article_left_without_text_fails_with_the_reason(empty_home, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"title": "Only furniture", "text": "© 2013 Example Media. All rights reserved."},
        {"title": "Reappraisal", "text": "© Joanna Moncrieff 2013. All rights reserved. A challenging reappraisal."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    result = run(empty_home, "add", feed, "--jsonl")
    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["status"] for o in outcomes] == ["failed", "added"] and result.exit_code == 1
    assert "no paragraph of text is left" in outcomes[0]["reason"]
    found = json.loads(run(empty_home, "query", "reappraisal", "--json").stdout)
    assert found["total"] == 1 and found["hits"][0]["text"] == "A challenging reappraisal."
