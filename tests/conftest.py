"""Shared fixtures: collections in temporary folders (never the repo's own corpus/ or index/)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import searchkit.engine.whoosh  # noqa: F401 - its patches to Whoosh apply only before any test module imports Whoosh
from searchkit.collection import Collection

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "2025-paris-ukraine-security-talks.txt"
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
GOLD = SHARED / "gold" / "paris-ukraine-talks.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def need(path: Path) -> Path:
    """Skip the test, with the reason, when ../shared (real articles by others) is not beside the repo."""
    if not path.exists():
        pytest.skip(f"{path} is absent (real-article tests need ../shared/data beside the repo)")
    return path


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when that data is not here."""
    return need(DATA.joinpath(*parts))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test finds the repo's collection by accident: no SEARCHKIT_HOME, cwd in a temporary folder; text
    laid out for 80 columns whatever the terminal running the tests."""
    monkeypatch.delenv("SEARCHKIT_HOME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")  # text output is laid out for the terminal: the same width everywhere
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def empty_home(tmp_path) -> Path:
    return Collection.init(tmp_path / "news").home


@pytest.fixture
def seed_home(empty_home) -> Path:
    """A collection whose corpus holds the seed article, as a fresh clone's does (index not built)."""
    shutil.copy(SEED, empty_home / "corpus" / SEED.name)
    return empty_home


#: An existing cluster for the OpenSearch tests (instead of a node started for the session).
OPENSEARCH_URL_ENV = "SEARCHKIT_TEST_OPENSEARCH_URL"


@pytest.fixture(scope="session")
def opensearch_url(tmp_path_factory) -> Iterator[str]:
    """A real OpenSearch node for the whole test session, started by the launcher the README uses.

    Skips (with the reason) only where Java or Maven is missing; ``$SEARCHKIT_TEST_OPENSEARCH_URL``
    names an existing cluster to use instead.
    """
    given = os.environ.get(OPENSEARCH_URL_ENV)
    if given:
        yield given.rstrip("/")
        return
    from searchkit import localnode as node

    missing = node.missing_tools()
    if missing:
        pytest.skip(f"OpenSearch tests need {' and '.join(missing)} on PATH (Java 17 and Maven)")
    cluster = node.start_anywhere(tmp_path_factory.mktemp("opensearch"))
    try:
        yield cluster.url
    finally:
        cluster.stop()
