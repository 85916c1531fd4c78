"""The module rules of ../shared/design.md, kept true: each third-party library behind its own modules,
each search engine behind the engine seam, nothing imports the CLI, no import cycles, and the query
path loads neither the HTML parser nor the NLP model."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "searchkit"

ALLOWED = {
    "whoosh": "engine/whoosh/",
    "opensearchpy": "engine/opensearch/",
    "click": "cli/",
    "trafilatura": "ingest/readers/",
    "lxml": "ingest/readers/",
    "spacy": "nlp/spacy_model.py",
}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside functions, as written (relative or not)."""
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(("." * node.level) + node.module)
    return names


def module_name(path: Path) -> str:
    parts = ["searchkit", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """The searchkit modules ``path`` imports when it runs (anywhere, also inside functions), resolved
    to full names; imports under ``if TYPE_CHECKING:`` are for the type checker only and left out."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
        for n in ast.walk(block)
    }
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("searchkit")}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if not target.startswith("searchkit"):
                continue
            for alias in node.names:  # ``from . import gazetteer`` imports a module
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {name for name in found if name in MODULES}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


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


def test_query_path_loads_no_html_parser_nlp_model_or_unused_library(seed_home):
    """A query is a one-shot process: what it imports is most of its time (besides the HTML parser and
    the model, the stdlib and Whoosh modules it never uses: see engine/whoosh/patches.py)."""
    subprocess.run(
        [sys.executable, "-m", "searchkit", "--home", str(seed_home), "query", "x"], check=True, capture_output=True
    )  # builds the index first (that may load anything)
    probe = (
        "import sys, runpy, importlib\n"
        "sys.argv = ['searchkit', '--home', sys.argv[1], 'query', 'security guarantees']\n"
        "importlib.import_module('searchkit.cli.main').end_now = lambda code: None  # live on to look\n"
        "try:\n    runpy.run_module('searchkit', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "unused = ('email', 'asyncio', 'urllib.request', 'whoosh.lang.morph_en')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'trafilatura', 'lxml', 'thinc', 'numpy')"
        " or m in unused))"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(seed_home)], check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_meaning_code_is_imported_only_where_it_is_used():
    """``searchkit.meaning`` loads numpy and a 90 MB model: outside its package, a module imports it
    inside the function that ranks by meaning (or for type checking only), never at its top, so that
    importing a module that could rank by meaning costs nothing when it does not."""
    for name, path in MODULES.items():
        if name.startswith("searchkit.meaning"):
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level else ""
                module = ".".join(filter(None, [base, node.module or ""]))
                targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            else:
                continue
            assert not any(t == "searchkit.meaning" or t.startswith("searchkit.meaning.") for t in targets), (
                f"{name} imports searchkit.meaning at its top"
            )


def test_no_import_cycles():
    graph = {name: runtime_imports(path) - {name} for name, path in MODULES.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for child in sorted(graph[name]):
            assert state.get(child) != 1, "import cycle: " + " -> ".join([*path, name, child])
            if child not in state:
                visit(child, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_the_application_reaches_engines_only_through_the_seam():
    """Above ``engine/``, no module imports an engine's package (``engine/whoosh/``): the collection picks
    one by name (``engine.base.load``), so swapping the search engine is a change inside ``engine/`` alone.
    The engine-neutral modules directly in ``engine/`` (the interface, the query language) are for all."""
    engines = {p.parent.name for p in (PACKAGE / "engine").glob("*/__init__.py")}
    assert "whoosh" in engines
    for name, path in MODULES.items():
        if name.startswith("searchkit.engine"):
            continue
        used = {m for m in runtime_imports(path) if m.split(".")[2:3] and m.split(".")[2] in engines}
        assert not used, f"{name} imports {sorted(used)}"


def test_importing_searchkit_and_its_pure_modules_loads_no_engine():
    probe = (
        "import sys, searchkit, searchkit.collection, searchkit.options, searchkit.ingest.dates, "
        "searchkit.nlp.gazetteer, searchkit.engine.base\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'opensearchpy', 'click')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_search_options_have_one_definition():
    """``options.OPTIONS`` defines every search option once; the library's values, the CLI's options,
    the batch columns and the saved-search keys are all made from it, and errors name options, not flags."""
    from dataclasses import fields

    import pytest

    from searchkit.batch import OPTION_COLUMNS
    from searchkit.cli.main import cli
    from searchkit.errors import QueryError
    from searchkit.options import OPTIONS, SearchOptions
    from searchkit.watch import SAVED_OPTIONS

    assert {o.name for o in OPTIONS} == {f.name for f in fields(SearchOptions)}
    for command in ("query", "similar", "quotes"):
        params = {p.name for p in cli.commands[command].params}
        assert {o.name for o in OPTIONS if command in o.commands} <= params
    watch_params = {p.name for p in cli.commands["watch"].params}
    assert set(SAVED_OPTIONS) <= watch_params and set(SAVED_OPTIONS) == {o.name for o in OPTIONS if o.saved}
    assert set(OPTION_COLUMNS) == {o.name for o in OPTIONS if o.column}
    for defaults in (o for o in OPTIONS if o.kind in ("int", "choice")):
        assert getattr(SearchOptions(), defaults.name) == defaults.default
    with pytest.raises(QueryError, match=r"^sort must be one of relevance, date, -date; limit must be 1 or more$"):
        SearchOptions(limit=0, sort="newest")


def test_a_plain_install_ships_every_module() -> None:
    """``pip install .`` (or pipx) packs what setup.cfg's ``packages = find:`` finds, and that finds only
    folders with an ``__init__.py``: a folder without one installs nothing, and the installed command
    fails at its first import although an editable install works."""
    from setuptools import find_packages

    packed = set(find_packages(str(PACKAGE.parent), include=["searchkit", "searchkit.*"]))
    modules = {module_name(path) for path in PACKAGE.rglob("*.py") if path.name != "__init__.py"}
    unpacked = sorted(name for name in modules if name.rsplit(".", 1)[0] not in packed)
    assert not unpacked
