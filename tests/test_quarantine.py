"""Issue 17, quarantine: an article the NLP or the engine fails on is reported with its reason and left out
of the index; it stays in corpus/ marked in the manifest, ``doctor`` names it, every other command keeps
working, and ``doctor --fix`` and ``rebuild`` get past it (and index it once the fault is gone)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.engine.whoosh import engine as whoosh_engine
from searchkit.ingest.segment import segment
from searchkit.model import Article, Block
from searchkit.nlp import Unannotated, pipeline

GOOD = "Oil prices rose as OPEC met in Vienna.\n\nOPEC said output would be cut, according to the minister.\n"
BAD = "Palladium fell sharply in London.\n\nTraders said palladium stocks were high.\n"
ALSO = "Copper rose in Chile as miners went on strike.\n"


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def words(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, text in (("good.txt", GOOD), ("bad.txt", BAD), ("also.txt", ALSO)):
        (src / name).write_text(text, "utf-8")
    return src


def fail_nlp(monkeypatch):
    """The rules raise on the palladium article only (as a model bug or a hostile text would)."""
    real = pipeline.annotate_article

    def annotate_article(paragraphs, parsed, aliases):
        if any("palladium" in p.text.lower() for p in paragraphs):
            raise RuntimeError("the model choked on this text")
        return real(paragraphs, parsed, aliases)

    monkeypatch.setattr(pipeline, "annotate_article", annotate_article)


def fail_index(monkeypatch):
    """Whoosh cannot take one paragraph of the palladium article."""
    real = whoosh_engine.to_whoosh

    def to_whoosh(doc):
        fields = real(doc)
        if "stocks were high" in doc.text:
            fields["text"] = b"\xff not text"  # the text field's analyser refuses bytes
        return fields

    monkeypatch.setattr(whoosh_engine, "to_whoosh", to_whoosh)


@pytest.mark.parametrize("fault, reason", [(fail_nlp, "could not be annotated (RuntimeError"), (fail_index, "")])
def test_an_article_that_fails_is_quarantined_and_the_collection_keeps_working(
    empty_home, folder, monkeypatch, fault, reason
):
    fault(monkeypatch)
    added = run(empty_home, "add", folder)
    said = words(added)
    assert added.exit_code == 1, said
    assert "2 articles added, 1 failed" in said and "bad.txt" in said and reason in said
    assert "kept in corpus/ but not indexed" in said and "unexpected" not in said
    assert (empty_home / "corpus" / "in" / "bad.txt").exists()

    coll = Collection(empty_home)
    assert {a.path for a in coll.articles()} == {"in/good.txt", "in/also.txt"}
    assert coll.search("opec").total == 2 and coll.search("copper").total == 1
    assert coll.search("palladium").total == 0
    for args in (("stats",), ("query", "opec"), ("list",)):
        result = run(empty_home, *args)
        assert "unexpected" not in result.output and "Traceback" not in result.output, (args, result.output)
        assert result.exit_code == 0, (args, result.output)
    again = run(empty_home, "add", folder)  # tried again, failing the same way, the others skipped
    assert "2 skipped, 1 failed" in words(again) and "unexpected" not in again.output

    doctor = run(empty_home, "doctor")
    assert doctor.exit_code == 1 and "in/bad.txt" in words(doctor) and reason in words(doctor)
    assert "opens, 3 paragraphs" in words(doctor)  # the manifest counts only what was indexed

    fixed = run(empty_home, "doctor", "--fix")
    assert "unexpected" not in fixed.output and "in/bad.txt" in words(fixed)
    rebuilt = run(empty_home, "rebuild")
    assert rebuilt.exit_code == 1 and "in/bad.txt" in words(rebuilt) and "unexpected" not in rebuilt.output
    assert Collection(empty_home).search("opec").total == 2

    monkeypatch.undo()  # the fault is gone: a rebuild indexes the article, doctor is content
    assert run(empty_home, "rebuild").exit_code == 0
    assert Collection(empty_home).search("palladium").total == 2
    assert run(empty_home, "doctor").exit_code == 0


def test_a_quarantined_file_is_tried_again_once_it_changes(empty_home, folder, monkeypatch):
    fail_nlp(monkeypatch)
    assert run(empty_home, "add", folder).exit_code == 1
    (empty_home / "corpus" / "in" / "bad.txt").write_text("Zinc rose in Lima.\n", "utf-8")
    result = run(empty_home, "query", "zinc", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 1
    assert run(empty_home, "doctor").exit_code == 0


def test_one_article_failing_leaves_the_rest_of_its_batch_annotated(monkeypatch):
    fail_nlp(monkeypatch)
    texts = [GOOD, BAD, ALSO]
    items = [
        segment(Article(blocks=[Block(t) for t in text.split("\n\n")], id=f"a{i}")) for i, text in enumerate(texts)
    ]
    results = pipeline.annotate_each(items, None)
    assert isinstance(results[1], Unannotated) and "the model choked" in results[1].reason
    assert [len(r) for r in (results[0], results[2]) if isinstance(r, list)] == [2, 1]
    assert any(e.name == "OPEC" for p in results[0] for e in p.entities)  # type: ignore[union-attr]


def test_a_lone_surrogate_in_a_record_becomes_a_replacement_character(empty_home, tmp_path):
    """JSON can spell half a UTF-16 pair ("\\ud800"); no UTF-8 file or index term can hold one."""
    feed = tmp_path / "s.json"
    feed.write_text('{"title": "Bad \\ud800 title", "blocks": [{"text": "Zinc \\udc80 rose in Lima."}]}', "ascii")
    result = run(empty_home, "add", feed)
    assert result.exit_code == 0, result.output
    hit = Collection(empty_home).search("zinc").hits[0]
    assert hit.title == "Bad \ufffd title" and "\ufffd" in hit.text
