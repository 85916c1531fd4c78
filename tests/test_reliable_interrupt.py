"""Issue 17, interrupts, with real processes and signals: Ctrl-C during a large add stops the NLP workers
quietly (one line saying what was kept, exit 130), no process of the add outlives it (SIGKILL of the
parent included), and the articles it had stored are indexed by the next writer, while a reader answers
at once from the last complete index and says it is behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchkit.collection import Collection

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads process groups from /proc")

ARTICLES = 160  # over the 100 files a reader indexes itself


@pytest.fixture(autouse=True)
def ctrl_c_heard():
    """Listen for Ctrl-C as a terminal's job does. A shell that started the tests in the background
    (``pytest &``) left it ignored, and every process started from here would inherit that: the add
    would run to the end whatever these tests send (as it should, for a job started that way)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def group(pgid: int) -> list[int]:
    """Live processes of a process group (zombies are dead already, awaiting their parent)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_for(condition, what: str, timeout: float = 300.0) -> None:
    """Poll a condition; the generous timeout only catches a hang (model loads on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def searchkit(home: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "SEARCHKIT_WORKERS": "2", "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "searchkit", "--home", str(home), *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def big(empty_home, tmp_path):
    """A collection with one indexed article, and a folder of many more to add."""
    first = tmp_path / "first.txt"
    first.write_text("The council met about the harbour.\n", "utf-8")
    Collection(empty_home).add([first])
    folder = tmp_path / "wire"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"{i:04d}.txt").write_text(
            f"Bridge report {i}\n\nThe minister Anna Berg{i} said the bridge{i} in Oslo would close.\n\n"
            f"Officials from Norway and the European Union met in Bergen on day {i}, a spokesman said.\n",
            "utf-8",
        )
    return empty_home, folder


def start_add_and_wait_for_workers(home: Path, folder: Path) -> subprocess.Popen:
    add = searchkit(home, "add", str(folder), start_new_session=True)  # its own group, as a terminal's job
    wait_for(lambda: len(group(add.pid)) >= 3 or add.poll() is not None, "the NLP workers to start")
    assert add.poll() is None, add.communicate()
    return add


def test_ctrl_c_during_an_add_stops_quietly_and_the_next_writer_finishes_it(big):
    home, folder = big
    add = start_add_and_wait_for_workers(home, folder)
    # At once: the workers are loading the model, which takes a second even on a fast machine, whereas
    # the whole add of these small articles can finish within two (it did on a fast CI machine).
    time.sleep(0.2)
    os.killpg(add.pid, signal.SIGINT)  # as Ctrl-C in a terminal: to the parent and its workers
    _, err = add.communicate(timeout=120)
    lines = err.strip().splitlines()
    assert add.returncode == 130, err
    assert len(lines) == 1 and lines[0].startswith("Interrupted: the index is as it was;"), err
    assert f"{ARTICLES} articles stored in corpus/" in lines[0]
    wait_for(lambda: not group(add.pid), "the workers to exit", timeout=10)

    query = searchkit(home, "query", "harbour", "--json")  # answers from the last complete index
    out, err = query.communicate(timeout=120)
    assert query.returncode == 0, err
    assert '"total": 1' in out and f"{ARTICLES} files in corpus/ are not indexed yet" in " ".join(err.split())
    assert Collection(home).backlog() == ARTICLES

    report = Collection(home).sync()  # the next writer indexes what the interrupted add stored
    assert report.count("added") == ARTICLES
    assert Collection(home).search("minister bridge").total == ARTICLES
    assert Collection(home).doctor()[-2].ok  # corpus and index agree


def test_a_killed_add_leaves_no_worker_behind(big):
    home, folder = big
    add = start_add_and_wait_for_workers(home, folder)
    workers = [pid for pid in group(add.pid) if pid != add.pid]
    os.kill(add.pid, signal.SIGKILL)  # the parent cannot stop its workers: they must die with it
    add.communicate(timeout=60)
    wait_for(lambda: not group(add.pid), f"the workers {workers} to die with their parent", timeout=20)
    assert Collection(home).search("harbour").total == 1


def test_workers_are_born_deaf_to_ctrl_c(monkeypatch):
    """A Ctrl-C that reaches a worker before it has run its start-up (a loaded machine may not give it
    a turn for a while) must not give it a traceback: it has Ctrl-C blocked from its fork on."""
    from searchkit.nlp import pipeline

    monkeypatch.setattr(pipeline, "_start_worker", lambda: None)  # a start-up that ignores nothing itself
    handler = signal.getsignal(signal.SIGINT)
    with pipeline._pool(2) as pool:
        for worker in pool._pool:  # type: ignore[attr-defined]
            status = Path(f"/proc/{worker.pid}/status").read_text()
            blocked = int(next(line for line in status.splitlines() if line.startswith("SigBlk:")).split()[1], 16)
            assert blocked & (1 << (signal.SIGINT - 1)), f"worker {worker.pid} would get Ctrl-C"
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())  # the parent listens
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_ctrl_c_while_the_workers_are_forked_is_not_lost(monkeypatch):
    """Ctrl-C pressed while the pool is being built (the test sends it from inside the fork of the
    workers) stops the add as soon as the pool exists, instead of being dropped."""
    from searchkit.nlp import pipeline

    real_pool = multiprocessing.Pool

    def pool_interrupted_while_forking(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C arriving during the forks
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_start_worker", lambda: None)
    monkeypatch.setattr(pipeline.multiprocessing, "Pool", pool_interrupted_while_forking)
    with pytest.raises(KeyboardInterrupt):
        with pipeline._pool(2):
            time.sleep(5)  # never reached: the pending Ctrl-C is raised on entering the block
