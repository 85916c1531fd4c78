"""Issue 7.2: any query string gives results or a clear error (exit 2), never a crash."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.cli import cli
from searchkit.collection import Collection
from searchkit.errors import QueryError

from .conftest import SEED

SYNTAX = [
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    '"',
    "*",
    "?",
    "~",
    "~2",
    ":",
    "[",
    "]",
    "{",
    "}",
    "TO",
    "^",
    "^3",
    "-",
    "+",
    "title:",
    "date:",
    "date:>",
    "speaker:",
    "nosuchfield:",
    "\\",
    "'",
    "<",
    ">=",
    "\x00",
    "\x1b[2J",
    " ",
]
queries = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.one_of(
            st.sampled_from(SYNTAX), st.sampled_from(["security", "Macron", "ukr*", "2025"]), st.text(max_size=6)
        ),
        max_size=12,
    ).map(" ".join),
)
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = Collection.init(tmp_path_factory.mktemp("q") / "news").home
    shutil.copy(SEED, home / "corpus" / SEED.name)
    Collection(home).sync()
    return home


@settings(max_examples=300, **SETTINGS)
@given(text=queries)
def test_library_search_answers_or_raises_query_error(home, text):
    try:
        result = Collection(home).search(text, limit=3)
    except QueryError as exc:
        assert str(exc)
        return
    assert result.total >= len(result.hits)


@settings(max_examples=100, **SETTINGS)
@given(text=queries, fmt=st.sampled_from([[], ["--json"], ["--csv"]]))
def test_query_command_exits_0_or_2_with_one_line(home, text, fmt):
    result = CliRunner().invoke(cli, ["--home", str(home), "query", *fmt, "--", text])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "\x1b" not in result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error:")
    elif fmt == ["--json"]:
        assert json.loads(result.stdout)["total"] >= 0
