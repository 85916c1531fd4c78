import json

from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.model import OUTPUT_VERSION

from .conftest import DATA, SEED, need


def run(*args, home=None, **kwargs):
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, *map(str, args)], **kwargs)


def test_query_on_fresh_collection_builds_index_then_answers(seed_home):
    result = run("query", "security guarantees", home=seed_home)
    assert result.exit_code == 0, result.output
    assert "Updating the index" in result.stderr
    first = result.stdout.splitlines()[0]
    assert "Ukraine\u2019s Priorities" in first and "\u00b67" in first and "score" in first
    assert "**security guarantees**" in result.stdout
    assert "Updating" not in run("query", "ceasefire", home=seed_home).stderr


def test_query_json_document(seed_home):
    result = run("query", "security guarantees", "--json", home=seed_home)
    doc = json.loads(result.stdout)
    assert doc["query"] == "security guarantees" and doc["total"] == 1 and doc["output_version"] == OUTPUT_VERSION
    hit = doc["hits"][0]
    assert hit["id"] == hit["article_id"] + "#7" and hit["paragraph"] == 7
    assert hit["section"] == "Ukraine\u2019s Priorities" and hit["score"] > 0
    assert [hit["text"][s:e] for s, e in hit["matches"]] == ["security guarantees"] * 2
    assert [hit["snippet"][s:e] for s, e in hit["snippet_matches"]] == ["security guarantees"] * 2


def test_jsonl_and_csv_have_the_same_keys(seed_home):
    lines = run("query", "Macron", "--jsonl", home=seed_home).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    header = run("query", "Macron", "--csv", home=seed_home).stdout.splitlines()[0]
    assert len(records) >= 2 and header.split(",") == list(records[0])


def test_no_hits_is_not_an_error(seed_home):
    result = run("query", "zzzunknownword", home=seed_home)
    assert result.exit_code == 0 and result.stdout == "" and "No paragraphs match" in result.stderr


def test_stemmed_match_highlights_the_surface_word(seed_home):
    doc = json.loads(run("query", "guarantee", "--json", home=seed_home).stdout)
    hit = doc["hits"][0]
    assert {hit["text"][s:e] for s, e in hit["matches"]} == {"guarantees"}


def test_init_add_query_flow(tmp_path):
    home = tmp_path / "c"
    assert run("init", home).exit_code == 0
    article = tmp_path / "vote.txt"
    article.write_text("Council vote\n\nThe council voted to close the bridge.", "utf-8")
    added = run("add", article, "--title", "Bridge vote", "--date", "2025-04-01", home=home)
    assert added.exit_code == 0 and "1 article added" in added.stderr
    doc = json.loads(run("query", "bridge", "--json", home=home).stdout)
    assert doc["hits"][0]["title"] == "Bridge vote" and doc["hits"][0]["date"].startswith("2025-04-01")
    assert (home / "corpus" / "vote.txt.meta.json").exists()
    rebuilt = run("rebuild", home=home)
    assert rebuilt.exit_code == 0
    assert json.loads(run("query", "bridge", "--json", home=home).stdout)["hits"][0]["title"] == "Bridge vote"


def test_errors_are_one_line_with_exit_1(tmp_path, empty_home):
    not_collection = run("query", "x", home=tmp_path / "nowhere")
    assert not_collection.exit_code == 1 and "searchkit init" in not_collection.stderr
    assert "Traceback" not in not_collection.output and len(not_collection.stderr.strip().splitlines()) == 1
    assert run("query", "x").exit_code == 1  # cwd is a temporary folder, not a collection
    empty = run("query", "x", home=empty_home)
    assert empty.exit_code == 1 and "searchkit add" in empty.stderr
    missing = run("add", tmp_path / "missing.txt", home=empty_home)
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert run("add", "a.txt", "b.txt", "--title", "T", home=empty_home).exit_code == 2


def test_locked_index_is_reported(seed_home, monkeypatch):
    from searchkit.collection import Collection

    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "0.1")
    with Collection(seed_home).index.lock(purpose="searchkit add"):
        result = run("rebuild", home=seed_home)
    assert result.exit_code == 1 and "being written by pid" in result.stderr


def test_help_and_version():
    assert "Example:" in run("-h").stdout
    assert run("--version").stdout.startswith("searchkit")


def test_bbc_folder_end_to_end(tmp_path):
    politics = need(DATA / "bbc-news" / "politics")
    home = tmp_path / "bbc"
    run("init", home)
    files = sorted(politics.glob("*.txt"))[:60]
    result = run("add", *files, home=home)
    assert result.exit_code == 0, result.output
    doc = json.loads(run("query", "prime minister", "--limit", 5, "--json", home=home).stdout)
    assert doc["total"] > 5 and len(doc["hits"]) == 5
    assert all("prime" in h["text"].lower() for h in doc["hits"])
    assert all(h["title"] for h in doc["hits"])


def test_list_show_stats_names_and_remove(seed_home):
    listed = json.loads(run("list", "--json", home=seed_home).stdout)
    assert len(listed) == 1 and listed[0]["source"] == "AGENCIES" and listed[0]["paragraphs"] == 13
    article_id = listed[0]["id"]
    shown = json.loads(run("show", article_id[:6], "--json", home=seed_home).stdout)
    speakers = [[s["name"] for s in p["speakers"]] for p in shown["paragraphs"]]
    assert speakers[6] == ["Volodymyr Zelenskyy"] and len(shown["paragraphs"]) == 13
    text = run("show", article_id, home=seed_home).stdout
    assert "Ukraine\u2019s Priorities" in text and "Marco Rubio [person]" in text
    people = {r["name"]: r for r in json.loads(run("entities", "--type", "person", "--json", home=seed_home).stdout)}
    assert people["Alina Polyakova"]["paragraphs"] == 3 and people["Alina Polyakova"]["articles"] == 1
    said = [r["name"] for r in json.loads(run("speakers", "--prefix", "al", "--json", home=seed_home).stdout)]
    assert said == ["Alina Polyakova"]
    stats = json.loads(run("stats", "--json", home=seed_home).stdout)
    assert (stats["articles"], stats["paragraphs"], stats["sources"]) == (1, 13, 1)
    missing = run("show", "ffffffffffff", home=seed_home)
    assert missing.exit_code == 1 and "searchkit list" in missing.stderr
    assert run("remove", article_id, home=seed_home).exit_code == 0
    assert not (seed_home / "corpus" / SEED.name).exists()
    assert json.loads(run("list", "--json", home=seed_home).stdout) == []


def test_near_duplicates_are_linked_to_the_first_copy(empty_home, tmp_path):
    words = " ".join(f"word{i}" for i in range(200))
    (tmp_path / "a.txt").write_text(f"Wire story\n\nThe agency said {words}.", "utf-8")
    edited = words.replace("word57 ", "wordx57 ")  # a one-word correction in a republished copy
    (tmp_path / "b.txt").write_text(f"Wire story\n\nThe agency said {edited}.", "utf-8")
    run("add", tmp_path / "a.txt", home=empty_home)
    run("add", tmp_path / "b.txt", home=empty_home)
    listed = {r["path"]: r for r in json.loads(run("list", "--json", home=empty_home).stdout)}
    assert listed["b.txt"]["copy_of"] == listed["a.txt"]["id"] and listed["a.txt"]["copy_of"] is None


def test_quotes_of_a_speaker_about_a_word(seed_home):
    """The issue's example: what did Polyakova say about carrots (real NLP on the seed article)."""
    doc = json.loads(run("quotes", "carrots", "--speaker", "Polyakova", "--json", home=seed_home).stdout)
    assert [(q["speaker"], q["quote"].strip("“”,")) for q in doc["quotes"]] == [("Alina Polyakova", "carrots")]


def test_dedupe_hides_near_copies_and_counts_them(empty_home, tmp_path):
    words = " ".join(f"word{i}" for i in range(200))
    for name, text in (("a", words), ("b", words.replace("word57 ", "wordx57 ")), ("c", "other story " + words[:40])):
        (tmp_path / f"{name}.txt").write_text(f"Wire story {name}\n\nThe agency said {text}.", "utf-8")
        assert run("add", tmp_path / f"{name}.txt", home=empty_home).exit_code == 0
    plain = json.loads(run("query", "agency", "--json", home=empty_home).stdout)
    deduped = json.loads(run("query", "agency", "--dedupe", "--json", home=empty_home).stdout)
    assert plain["total"] == 3 and deduped["total"] == 2
    copies = {h["title"]: h["copies"] for h in deduped["hits"]}
    assert copies == {"Wire story a": 1, "Wire story c": 0}


def test_alias_file_applies_on_rebuild(seed_home):
    assert run("query", "x", home=seed_home).exit_code == 0  # indexed without aliases
    (seed_home / "aliases.txt").write_text("# merge and rename\nPresident Zelensky = Volodymyr Zelenskyy\n", "utf-8")
    assert run("rebuild", home=seed_home).exit_code == 0
    said = {r["name"] for r in json.loads(run("speakers", "--json", home=seed_home).stdout)}
    assert "President Zelensky" in said and "Volodymyr Zelenskyy" not in said
    (seed_home / "aliases.txt").write_text("broken line without an equals sign\n", "utf-8")
    broken = run("rebuild", home=seed_home)
    assert broken.exit_code == 1 and "aliases.txt line 1" in broken.stderr
    assert json.loads(run("query", "speaker:zelensky", "--json", home=seed_home).stdout)["total"] == 1  # old index kept
