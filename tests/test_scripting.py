"""Issue 8: the Python API, batch queries, saved searches (watch), machine output and CLI conventions.

Most tests use a stand-in for the NLP stage (no speakers or entities) so they run in seconds; the README
example runs the real pipeline, as a reader would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time

import click
import pytest
from click.testing import CliRunner

import searchkit
from searchkit import nlp
from searchkit.batch import read_batch
from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.doctor import Check
from searchkit.errors import InputError, NotFound, QueryError
from searchkit.model import Entity, Speaker

from .conftest import REPO, SEED


def plain(items, aliases=None, workers=1):
    """A stand-in for ``nlp.annotate``: paragraphs as segmented, one speaker where 'Polyakova' appears."""
    for _article, paragraphs in items:
        for p in paragraphs:
            if "Polyakova" in p.text:
                p.speakers = [Speaker("Alina Polyakova")]
                p.entities = [Entity("Alina Polyakova", "person")]
        yield paragraphs


@pytest.fixture
def fast_nlp(monkeypatch):
    monkeypatch.setattr(nlp, "annotate", plain)


@pytest.fixture
def home(empty_home, fast_nlp):
    coll = Collection(empty_home)
    coll.add([SEED], metadata={"date": "2025-04-17", "source": "Agencies"})
    return empty_home


def run(*args, home=None, input=None):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)], input=input)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- 1. Python API ---------------------------------------------------------------------------------------


def test_add_article_stores_article_json_that_a_rebuild_keeps(empty_home, fast_nlp):
    coll = Collection(empty_home)
    report = coll.add_article(
        "The council voted to close the bridge.\n\nRepairs start in spring.",
        title="Bridge vote",
        date="2024-11-02",
        source="City Desk",
        authors=["Jane Doe"],
    )
    assert [o.status for o in report.outcomes] == ["added"] and report.paragraphs == 2
    article_id = report.outcomes[0].article_id
    stored = list((empty_home / "corpus" / "articles").glob("*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text())["authors"] == ["Jane Doe"]
    again = coll.add_article("The council voted to close the bridge.\n\nRepairs start in spring.", title="Bridge vote")
    assert [o.status for o in again.outcomes] == ["skipped"]
    coll.rebuild()
    hit = coll.search("bridge", source="City Desk").hits[0]
    assert (hit.article_id, hit.title, hit.date[:10]) == (article_id, "Bridge vote", "2024-11-02")
    with pytest.raises(InputError):
        coll.add_article("   ")


def test_session_gives_the_same_results_as_one_shot_calls(home):
    coll = Collection(home)
    with coll.session() as session:
        for q in ("security guarantees", "Polyakova", "peace NOT Russia"):
            assert session.search(q).to_dict() == coll.search(q).to_dict()
        assert session.quotes("").to_dict() == coll.quotes("").to_dict()
        info, paragraphs = session.article(coll.articles()[0].id)
        assert len(paragraphs) == info.paragraphs
        with pytest.raises(QueryError):
            session.search("colour:red")


def test_every_public_result_type_converts_to_a_dict():
    for name in searchkit.__all__:
        obj = getattr(searchkit, name)
        if isinstance(obj, type) and hasattr(obj, "__dataclass_fields__"):
            assert hasattr(obj, "to_dict"), name
    assert hasattr(Check, "to_dict")


def test_the_readme_python_examples_run_and_print_what_they_show(tmp_path, monkeypatch, capsys):
    """Every ```python block of README.md runs, in order, in a temporary folder (real NLP), and prints
    the ``# …`` comment lines that follow its print() calls."""
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text("utf-8"), re.S)
    assert blocks, "README.md has no python example"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEARCHKIT_HOME", str(Collection.init(tmp_path / "env-home").home))
    namespace: dict = {}
    for block in blocks:
        expected, after_print = [], False
        for line in block.splitlines():
            if after_print and line.startswith("# "):
                expected.append(line[2:])
            else:
                after_print = "print(" in line
        exec(compile(block, "README.md", "exec"), namespace)
        assert capsys.readouterr().out.splitlines() == expected


# -- 2. batch queries ------------------------------------------------------------------------------------


def test_batch_lines_give_a_record_per_hit_and_an_error_record_per_bad_line(home):
    text = 'security guarantees\n# a comment\n\n"unbalanced\nzzzqqq\nPolyakova\n'
    result = run("query", "--batch", "-", home=home, input=text)
    assert result.exit_code == 1  # one query failed; the others ran
    records = jsonl(result.stdout)
    assert {r["line"] for r in records} == {1, 4, 5, 6}
    assert len({tuple(r) for r in records}) == 1  # the same keys in every record
    bad = [r for r in records if r["line"] == 4][0]
    assert "unclosed quote" in bad["error"] and bad["id"] is None
    empty = [r for r in records if r["line"] == 5][0]
    assert empty["total"] == 0 and empty["id"] is None and empty["error"] is None
    hits = [r for r in records if r["line"] == 6]
    assert len(hits) == hits[0]["total"] == 3 and all(r["query"] == "Polyakova" for r in hits)
    assert "line 4" in result.stderr


def test_batch_csv_with_option_columns(home, tmp_path):
    batch = tmp_path / "queries.csv"
    batch.write_text('query,since,limit,speaker\nsecurity,2026,,\n"peace, talks",,1,\ntalks,,,polyakova;nobody\n')
    result = run("query", "--batch", batch, "--csv", home=home)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_line = {}
    for row in rows:
        by_line.setdefault(row["line"], []).append(row)
    assert by_line["2"][0]["total"] == "0"  # since 2026: nothing
    assert len(by_line["3"]) == 1 and by_line["3"][0]["query"] == "peace, talks"
    assert by_line["4"][0]["id"] and all("Alina Polyakova" in r["speakers"] for r in by_line["4"])


def test_batch_json_document_and_usage_errors(home):
    result = run("query", "--batch", "-", "--json", home=home, input="Polyakova\nzzzqqq\n")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["output_version"] >= 1
    assert [(q["line"], q["total"]) for q in doc["queries"]] == [(1, 3), (2, 0)]
    assert run("query", "--batch", "-", "--fail-if-empty", home=home, input="zzzqqq\n").exit_code == 1
    assert run("query", "--batch", "-", home=home, input="query,colour\nx,red\n").exit_code == 2
    assert run("query", "nato", "--batch", "-", home=home, input="x\n").exit_code == 2


def test_read_batch_detects_csv_only_by_a_query_header():
    assert [q.query for q in read_batch(["oil, gas\n", "nato\n"])] == ["oil, gas", "nato"]
    rows = list(read_batch(["# header next\n", "Query,Limit\n", "oil,x\n", "gas,2\n"]))
    assert [(q.line, q.query, q.options, bool(q.error)) for q in rows] == [
        (3, "oil", {}, True),
        (4, "gas", {"limit": 2}, False),
    ]


# -- 3. saved searches -----------------------------------------------------------------------------------


def test_watch_shows_only_hits_in_articles_added_since_its_last_run(home, tmp_path):
    assert run("watch", "bridges", "bridge OR security", home=home).exit_code == 0
    assert json.loads((home / "watches" / "bridges.json").read_text())["query"] == "bridge OR security"
    first = run("watch", "bridges", "--jsonl", home=home)
    assert first.exit_code == 0 and {r["watch"] for r in jsonl(first.stdout)} == {"bridges"}
    assert len(jsonl(first.stdout)) >= 1  # the first run shows everything that matches
    again = run("watch", "bridges", "--jsonl", "--fail-if-empty", home=home)
    assert again.exit_code == 1 and again.stdout == ""
    time.sleep(0.01)
    new = tmp_path / "bridge.txt"
    new.write_text("Bridge vote\n\nThe council voted to close the bridge for repairs.\n")
    assert run("add", new, home=home).exit_code == 0
    peek = run("watch", "bridges", "--json", "--peek", home=home)
    doc = json.loads(peek.stdout)
    assert doc["new_articles"] == 1 and doc["total"] >= 1 and {h["title"] for h in doc["hits"]} == {"Bridge vote"}
    third = run("watch", "bridges", "--jsonl", home=home)
    assert [r["title"] for r in jsonl(third.stdout)] == ["Bridge vote"] * len(jsonl(third.stdout))
    assert run("watch", "bridges", "--jsonl", home=home).stdout == ""


def test_watch_list_delete_from_now_and_bad_input(home):
    assert run("watch", "talks", "--speaker", "Polyakova", "--from-now", home=home).exit_code == 0
    assert run("watch", "talks", "--csv", "--fail-if-empty", home=home).exit_code == 1  # nothing added since
    listed = json.loads(run("watch", "--list", "--json", home=home).stdout)
    assert [(w["name"], w["options"]) for w in listed] == [("talks", {"speaker": ["Polyakova"]})]
    assert run("watch", "talks", "--delete", home=home).exit_code == 0
    assert run("watch", "talks", home=home).exit_code == 1  # no such watch
    assert run("watch", "../x", "nato", home=home).exit_code == 1
    assert run("watch", "bad", "colour:red", home=home).exit_code == 2
    assert run("watch", home=home).exit_code == 2
    with pytest.raises(NotFound):
        Collection(home).watches.get("talks")


# -- 4. machine output and exit codes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["list"],
        ["speakers"],
        ["entities"],
        ["doctor"],
        ["show", "db1cae1d500b"],
        ["query", "security"],
        ["quotes"],
        ["similar", "db1cae1d500b#7"],
        ["watch", "--list"],
    ],
)
def test_record_commands_print_the_same_keys_in_every_format(home, command):
    if command[0] == "watch":
        run("watch", "w", "security", home=home)
    outputs = {fmt: run(*command, f"--{fmt}", home=home) for fmt in ("json", "jsonl", "csv")}
    assert all(r.exit_code == 0 for r in outputs.values()), {f: r.output for f, r in outputs.items()}
    lines = jsonl(outputs["jsonl"].stdout)
    header = next(csv.reader(io.StringIO(outputs["csv"].stdout)), [])
    if lines:
        assert list(lines[0]) == header
    doc = json.loads(outputs["json"].stdout)
    if isinstance(doc, dict):
        assert "output_version" in doc
    else:
        assert doc == lines


def test_fail_if_empty_and_exit_codes(home):
    assert run("query", "security", "--fail-if-empty", home=home).exit_code == 0
    assert run("query", "zzzqqq", "--fail-if-empty", home=home).exit_code == 1
    assert run("quotes", "zzzqqq", "--fail-if-empty", home=home).exit_code == 1
    assert run("query", "colour:red", home=home).exit_code == 2
    assert run("query", "--no-such-option", home=home).exit_code == 2


# -- 5. CLI conventions ---------------------------------------------------------------------------------


def _commands(group: click.Group):
    for name, command in group.commands.items():
        yield name, command
        if isinstance(command, click.Group):
            yield from _commands(command)


def test_every_command_has_an_example_and_every_option_help():
    ctx = click.Context(cli, info_name="searchkit")
    missing = []
    for name, command in [("searchkit", cli), *_commands(cli)]:
        if not re.search(r"Examples?:", command.help or ""):
            missing.append(f"{name}: no Example in its help")
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{name} {param.opts[0]}: no help")
    assert not missing, missing
    assert run("--version").output.startswith("searchkit, version ")
    assert run("-h").exit_code == 0 and run("query", "--help").exit_code == 0 and ctx


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts(shell):
    env = {**os.environ, "_SEARCHKIT_COMPLETE": f"{shell}_source", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "searchkit"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "_SEARCHKIT_COMPLETE" in out.stdout


def test_completion_offers_commands():
    env = {
        **os.environ,
        "_SEARCHKIT_COMPLETE": "bash_complete",
        "COMP_WORDS": "searchkit wa",
        "COMP_CWORD": "1",
        "PYTHONPATH": str(REPO),
    }
    out = subprocess.run([sys.executable, "-m", "searchkit"], env=env, capture_output=True, text=True, timeout=60)
    assert "plain,watch" in out.stdout
