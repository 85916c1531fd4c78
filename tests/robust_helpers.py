"""Helpers for the robustness tests: run the real CLI in a subprocess, as a user (or a crash) would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def sk(home: Path, *args: str, check: bool = False, **env: str) -> subprocess.CompletedProcess:
    """``searchkit --home HOME ARGS`` in a real process."""
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        env=cli_env(**env),
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def spawn(home: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "searchkit", "--home", str(home), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
    )


def total(home: Path, query: str) -> int:
    proc = sk(home, "query", query, "--json", check=True)
    return json.loads(proc.stdout)["total"]


def article(folder: Path, name: str, words: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Report {name}\n\nThe council discussed {words} at length on Monday.\n", "utf-8")
    return path
