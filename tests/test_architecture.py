"""The module rules of ../shared/design.md, kept true: each third-party library behind its own modules,
nothing imports the CLI, and the query path loads neither the HTML parser nor the NLP model."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "searchkit"

ALLOWED = {
    "whoosh": "engine/whoosh/",
    "click": "cli/",
    "trafilatura": "ingest/readers/",
    "lxml": "ingest/readers/",
    "spacy": "nlp/spacy_model.py",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(("." * node.level) + node.module)
    return names


def test_third_party_libraries_stay_behind_their_modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        for name in imports(path):
            top = name.split(".")[0]
            if top in ALLOWED:
                assert rel.startswith(ALLOWED[top]), f"{rel} imports {name}"


def test_nothing_imports_the_cli():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith("cli/") and rel != "__main__.py":
            assert not any("cli" in name.split(".") for name in imports(path)), path


def test_query_path_loads_no_html_parser_or_nlp_model(seed_home):
    subprocess.run(
        [sys.executable, "-m", "searchkit", "--home", str(seed_home), "query", "x"], check=True, capture_output=True
    )  # builds the index first (that may load anything)
    probe = (
        "import sys, runpy; sys.argv = ['searchkit', '--home', sys.argv[1], 'query', 'security guarantees'];\n"
        "try:\n    runpy.run_module('searchkit', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'trafilatura', 'lxml', 'thinc', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(seed_home)], check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
