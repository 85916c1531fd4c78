"""Issue 18: at the terminal. Hits show why they matched (phrases as phrases, title-only matches said),
snippets are the densest fragments and never repeat, text fits the terminal width (80 columns in these
tests), long output goes through a pager on a terminal, reports summarise, single records are one JSON
object, wire titles keep their acronyms, ``field:*`` skips empty fields, headings read like headings."""

from __future__ import annotations

import json
import re
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import nlp
from searchkit.cli import cli, pager
from searchkit.cli.layout import cells, fill, truncate, truncate_left, wrap
from searchkit.cli.render import render_report
from searchkit.collection import Collection
from searchkit.engine.shown import snippet
from searchkit.engine.whoosh.highlight import Terms, match_spans
from searchkit.engine.whoosh.schema import text_analyzer
from searchkit.ingest.readers.jsonl import _readable_title
from searchkit.ingest.readers.text import split_blocks
from searchkit.ingest.segment import _is_heading, looks_like_heading
from searchkit.model import OUTPUT_VERSION, Block, ChangeReport, Outcome

from .conftest import SEED
from .test_search_cli import annotate

WIDTH = 80
LONG_TITLE = (
    "Finance ministers of the largest economies agree on a framework for coordinated oil prices "
    "monitoring and reporting after a week of talks"
)
OIL = (
    "Oil prices rose on Monday. The domestic oil industry said prices at the pump would follow, "
    "and analysts expected oil prices to stay high through the winter months while stocks fell."
)


def run(*args, home=None, columns=WIDTH, **kwargs):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)], env={"COLUMNS": str(columns)}, **kwargs)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("terminal")
    source = tmp_path_factory.mktemp("in")

    def stand_in(items, aliases=None, workers=1):
        return ([annotate(p) for p in paragraphs] for _article, paragraphs in items)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nlp, "annotate", stand_in)
        coll = Collection.init(home)
        coll.add([SEED], metadata={"date": "2025-04-17", "source": "Agencies"})
        long = source / "long.txt"
        long.write_text(
            f"{LONG_TITLE}\n\nThe Center for European Policy Analysis in Paris and NATO met in London. "
            + "Tony Blair spoke about supercalifragilisticexpialidociousnessandmoreandmoreandmoreletters. " * 3
            + f"\n\n{OIL}\n\nIt ended there.",
            "utf-8",
        )
        coll.add([long], metadata={"url": "https://example.com/" + "very-long-path/" * 8, "source": "Wire"})
        turkish = source / "turkish.txt"
        turkish.write_text(
            "Leaders meet over Turkish bid\n\nThe talks covered a range of topics.\n\nThey end today.", "utf-8"
        )
        coll.add([turkish])
        coll.watches.save(
            "talks", 'security guarantees OR ceasefire OR "peace process" OR truce', speaker=("Zelenskyy",)
        )
    return home


def lines_over(text: str, width: int = WIDTH) -> list[str]:
    return [line for line in text.splitlines() if cells(line) > width and "://" not in line]


# -- 7. every command's text output at 80 columns ------------------------------------------------------


COMMANDS = [
    ("query", "security guarantees"),
    ("query", '"oil prices"'),
    ("query", "Turkish"),
    ("query", "Blair", "--by", "article", "--facet", "entity", "--facet", "section"),
    ("query", "--source", "Wire"),
    ("similar", "{seed}#7"),
    ("quotes",),
    ("show", "{long}"),
    ("show", "{seed}"),
    ("list",),
    ("entities",),
    ("speakers",),
    ("stats",),
    ("doctor",),
    ("watch", "--list"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_fits_80_columns(home, args):
    ids = {a.title[:4]: a.id for a in Collection(home).articles()}
    filled = [a.format(seed=ids["2025"], long=ids["Fina"]) for a in args]
    result = run(*filled, home=home)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip(), result.stderr
    assert lines_over(result.stdout) == [] and lines_over(result.stderr) == []


def test_reports_fit_80_columns_and_say_each_kind_once(home, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for i in range(40):
        (feed / f"{i:03d}.txt").write_text(f"Item {i}\n\nThe council met about the bridge {i}.\n", "utf-8")
    (feed / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    records = "\n".join(json.dumps({"title": f"T{i}", "text": "" if i % 2 else "Body."}) for i in range(30))
    (feed / "wire.jsonl").write_text(records + "\n", "utf-8")
    first = run("add", feed, home=home)
    assert first.exit_code == 1  # binary.txt failed
    assert lines_over(first.stderr) == []
    assert "Added: 55 articles added, 15 skipped, 1 failed; 55 paragraphs indexed" in first.stderr
    assert "binary.txt: binary.txt" not in first.stderr and "failed: feed/binary.txt: " in first.stderr
    skipped = [line for line in first.stderr.splitlines() if line.startswith("  skipped")]
    assert skipped == ["  skipped 15: no body:"]  # one line for the kind, the names on the next
    again = run("add", feed, home=home)
    assert "Added: nothing new; 70 skipped, 1 failed" in again.stderr
    assert len(again.stderr.splitlines()) <= 9 and lines_over(again.stderr) == []
    assert "+" in again.stderr and "--verbose" in again.stderr
    verbose = run("add", feed, "--verbose", home=home)
    assert all(f"{i:03d}.txt" in verbose.stderr for i in range(40))
    listed = json.loads(run("add", feed, "--json", home=home).stdout)
    assert sum(1 for r in listed if r["status"] == "skipped") == 70  # the full list in the JSON report


def test_report_grammar():
    one = ChangeReport([Outcome("a.txt", "added", article_id="x")], paragraphs=1)
    assert render_report(one, "Added", width=80) == "Added: 1 article added; 1 paragraph indexed"
    none = ChangeReport([Outcome("a.txt", "skipped", "already in the corpus")])
    assert (
        render_report(none, "Added", width=80)
        == "Added: nothing new; 1 skipped\n  skipped: a.txt: already in the corpus"
    )


def test_result_counts_agree_in_number_and_filter_only_hits_have_no_score(home):
    assert "1 paragraph matches;" in run("query", "security guarantees", home=home).stderr
    assert "2 paragraphs match;" in run("query", "Turkish", home=home).stderr
    assert "2 articles match;" in run("query", "Blair OR Turkish", "--by", "article", home=home).stderr
    filtered = run("query", "--source", "Wire", home=home)
    assert filtered.exit_code == 0 and "¶1" in filtered.stdout and "score" not in filtered.stdout
    assert "score" in run("query", "bridge", home=home).stdout


# -- 1, 2. why a hit matched --------------------------------------------------------------------------


def test_title_only_match_says_so_with_the_title_highlighted(home):
    doc = json.loads(run("query", "Turkish", "--json", home=home).stdout)
    assert doc["total"] == 2
    for hit in doc["hits"]:
        assert hit["matched_in"] == ["title"] and hit["snippet"].startswith("matched in the title: ")
        (start, end), *_ = hit["snippet_matches"]
        assert hit["snippet"][start:end] == "Turkish"
    text = run("query", "Turkish", "--facet", "none", home=home).stdout
    assert "matched in the title: Leaders meet over **Turkish** bid" in " ".join(text.split())


def test_phrase_highlighted_as_the_phrase_only(home):
    doc = json.loads(run("query", '"oil prices"', "--fragments", "0", "--json", home=home).stdout)
    spans = [hit["text"][a:b] for hit in doc["hits"] for a, b in hit["matches"]]
    assert spans and {s.lower() for s in spans} == {"oil prices"}  # never a lone "oil" or "prices"
    assert not any("**oil** industry" in line for line in run("query", '"oil prices"', home=home).stdout.splitlines())


def test_match_spans_phrase_with_slop_and_loose_words():
    text = "Oil prices rose; the oil industry and prices of oil fell. Peace in the process."
    phrase = Terms(phrases=((("oil", "price"), 1),))
    assert [m.term for m in match_spans(text, phrase)] == ["Oil prices"]
    words = Terms(frozenset({"oil"}))
    assert [m.term for m in match_spans(text, words)] == ["Oil", "oil", "oil"]
    near = Terms(phrases=((("peac", "process"), 3),))
    assert [m.term for m in match_spans(text, near)] == ["Peace in the process"]


@settings(deadline=2000, max_examples=150)
@given(
    st.lists(
        st.sampled_from(["alpha", "beta", "gamma", "oil", "prices", "x", "yy", "—", "zed"]), min_size=5, max_size=300
    ),
    st.sets(st.sampled_from(["alpha", "oil", "gamma", "zed"]), min_size=1),
    st.integers(min_value=20, max_value=200),
    st.integers(min_value=1, max_value=4),
)
def test_fragments_never_overlap_or_repeat(tokens, wanted, size, count):
    text = " ".join(tokens)
    spans = match_spans(text, Terms(frozenset(wanted)))
    shown, moved = snippet(text, spans, size, count)
    pieces = [p.strip("…") for p in shown.split(" … ")]
    after = 0
    for piece in pieces:
        # Each fragment is a piece of the text lying wholly after the previous one (so in order and never
        # overlapping); searching from the previous end keeps a repeated fragment from matching its first copy.
        at = text.find(piece, after)
        assert at >= 0
        after = at + len(piece) + 1
    assert all(shown[m.start : m.end] == m.term for m in moved)


def test_fragment_is_the_densest_window():
    text = "oil " + "filler words here " * 30 + "oil prices and gas and oil again " + "more filler " * 30
    stems = frozenset(t.text for t in text_analyzer()("oil prices gas"))
    spans = match_spans(text, Terms(stems))
    shown, moved = snippet(text, spans, 60, 1)
    assert [m.term for m in moved] == ["oil prices", "gas", "oil"]  # not the lone "oil" at the start


# -- 3. width and pager --------------------------------------------------------------------------------


def test_wrap_counts_visible_columns_and_keeps_units_whole():
    styled = fill([("word " * 30, None), ("match", "1;33")], 40, color=True, indent="   ")
    assert all(cells(re.sub(r"\x1b\[[\d;]*m", "", line)) <= 40 for line in styled)
    assert "\x1b[1;33mmatch\x1b[0m" in styled[-1]
    units = [[(f"Bank of Japan {i}", None)] for i in range(12)]
    for line in wrap(units, 40, False, "  org: ", "    ", sep=" · "):
        assert cells(line) <= 40 and all(
            re.fullmatch(r"Bank of Japan \d+", u) for u in line.split(":")[-1].strip().split(" · ")
        )
    assert truncate("Ad sales boost Time Warner profit", 12) == "Ad sales bo…"
    assert truncate_left("bbc/business/001.txt", 10) == "…s/001.txt"
    assert cells("日本") == 4


def test_show_wraps_on_word_boundaries(home):
    long = next(a.id for a in Collection(home).articles() if a.title.startswith("Fina"))
    text = run("show", long, home=home).stdout
    words = set(" ".join(Collection(home).article(long)[1][1].text.split()).split())
    shown = {w for line in text.splitlines() for w in line.split()}
    assert {w for w in words if len(w) < 60} <= shown  # no word cut at the edge
    wide = run("show", long, home=home, columns=200).stdout
    assert max(cells(line) for line in wide.splitlines() if "://" not in line) > WIDTH


def test_pager_on_a_terminal_only_and_off_with_no_pager(home, tmp_path, monkeypatch):
    out = tmp_path / "paged.txt"
    script = f"import sys, os; open({str(out)!r}, 'w').write(os.environ['LESS'] + chr(10) + sys.stdin.read())"
    monkeypatch.setenv("PAGER", f'{sys.executable} -c "{script}"')
    monkeypatch.delenv("LESS", raising=False)
    monkeypatch.setattr(pager.sys.stdout, "isatty", lambda: True, raising=False)
    pager.emit("one\ntwo", paging=True)
    assert out.read_text() == "FRX\none\ntwo\n"
    out.unlink()
    pager.emit("three", paging=False)
    assert not out.exists()
    monkeypatch.setenv("PAGER", "cat")
    assert pager.pager_command() is None
    monkeypatch.setenv("PAGER", "no-such-pager-anywhere")
    assert pager.pager_command() is None
    assert run("--no-pager", "list", home=home).exit_code == 0
    assert run("list", "--no-pager", home=home).exit_code == 0


# -- 5. single records are one JSON object -----------------------------------------------------------


def test_stats_and_doctor_print_one_object(home):
    stats = json.loads(run("stats", "--json", home=home).stdout)
    assert isinstance(stats, dict) and stats["articles"] == len(Collection(home).articles())
    assert stats["output_version"] == OUTPUT_VERSION >= 2
    doctor = json.loads(run("doctor", "--json", home=home).stdout)
    assert isinstance(doctor, dict) and doctor["ok"] is True


# -- 6. acronyms, empty fields, headings ---------------------------------------------------------------


def test_wire_titles_keep_acronyms():
    body = "The OECD said NATO members and the U.S. would cut OPEC's share. Bahia cocoa rose."
    assert (
        _readable_title("OECD SAYS NATO AND U.S. CUT OPEC'S SHARE", body)[0]
        == "OECD Says NATO and U.S. Cut OPEC's Share"
    )
    assert _readable_title("BAHIA COCOA REVIEW", body)[0] == "Bahia Cocoa Review"
    assert _readable_title("NTSB PROBES CRASH", "")[0] == "NTSB Probes Crash"
    assert _readable_title("Already Mixed Case OECD", body)[0] == "Already Mixed Case OECD"


def test_field_star_on_an_empty_field_matches_nothing(home):
    with_url = json.loads(run("query", "url:*", "--json", home=home).stdout)
    assert {h["url"] for h in with_url["hits"]} == {"https://example.com/" + "very-long-path/" * 8}
    assert with_url["total"] == 4  # the paragraphs of the one article with a URL
    assert json.loads(run("query", "author:*", "--json", home=home).stdout)["total"] == 0


def test_a_heading_reads_like_one():
    assert not looks_like_heading("The men's 800m went to form in Sheffield as")
    assert not looks_like_heading("Talks on the future of")
    assert looks_like_heading("Ukraine’s Priorities")
    blocks = split_blocks("Intro paragraph here.\n\nThe race went to form in Sheffield\n\nwhen he won it.\n\nEnd.")
    assert not _is_heading(blocks[1], blocks[2])
    assert _is_heading(Block("Ukraine’s Priorities"), Block("Zelenskyy said …"))
