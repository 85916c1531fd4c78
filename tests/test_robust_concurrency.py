"""Issue 7.3: queries during writes see the old state or the new, never a broken one; a second writer
waits for the lock, then fails naming a live holder; a killed holder's lock is free again at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from searchkit.collection import Collection
from searchkit.errors import IndexLocked

from .robust_helpers import article, cli_env, sk

READERS = 3
BATCHES = 3
PER_BATCH = 4

HOLD = """
import sys, time
from pathlib import Path
from searchkit.collection import Collection
with Collection(Path(sys.argv[1]).parent).index.lock(purpose="test holder"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(home, seconds):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home / "index"), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_queries_during_adds_always_answer_with_a_consistent_count(empty_home, tmp_path):
    Collection(empty_home).add([article(tmp_path / "seed", "s.txt", "seedword")])
    batches = [
        [article(tmp_path / f"b{b}", f"n{b}-{i}.txt", f"word{b}x{i}") for i in range(PER_BATCH)] for b in range(BATCHES)
    ]
    done = threading.Event()
    seen: list[list[int]] = [[] for _ in range(READERS)]
    errors: list[str] = []

    def reader(k):
        while not done.is_set():
            proc = sk(empty_home, "query", "council", "--json", "-n", 1)
            if proc.returncode != 0:
                errors.append(proc.stderr)
                continue
            seen[k].append(json.loads(proc.stdout)["total"])

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
    for t in threads:
        t.start()
    try:
        for batch in batches:
            sk(empty_home, "add", *batch, check=True)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    final = 1 + BATCHES * PER_BATCH
    for totals in seen:
        assert totals, "a reader never ran"
        assert totals == sorted(totals), totals  # never goes back to an older state
        assert all((t - 1) % PER_BATCH == 0 and 1 <= t <= final for t in totals), totals  # whole adds only
    assert sum(len(s) for s in seen) >= READERS
    assert json.loads(sk(empty_home, "query", "council", "--json").stdout)["total"] == final


def test_second_writer_waits_then_fails_naming_the_holder(seed_home):
    holder = hold_lock(seed_home, 3)
    try:
        start = time.monotonic()
        proc = sk(seed_home, "rebuild", SEARCHKIT_LOCK_TIMEOUT="0.6")
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 1
    assert f"being written by pid {holder.pid} " in proc.stderr and "(test holder)" in proc.stderr
    assert "SEARCHKIT_LOCK_TIMEOUT (now 0.6 s)" in proc.stderr and waited >= 0.6
    assert len(proc.stderr.strip().splitlines()) == 1


def test_second_writer_waits_for_a_holder_that_finishes(seed_home):
    holder = hold_lock(seed_home, 0.8)
    proc = sk(seed_home, "rebuild", SEARCHKIT_LOCK_TIMEOUT="20")
    holder.wait()
    assert proc.returncode == 0, proc.stderr


def test_killed_holder_leaves_no_lock_and_is_never_named(seed_home):
    holder = hold_lock(seed_home, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    store = Collection(seed_home).index
    held, text = store.lock_state()
    assert not held and f"pid {holder.pid}" in text  # the kernel released it; only its line is left
    doctor = sk(seed_home, "doctor")
    assert "ok lock: free (the lock file still names" in " ".join(doctor.stdout.split())  # harmless
    # No wait allowed: a lock still held (by anyone) would fail at once, however slow the machine.
    rebuilt = sk(seed_home, "rebuild", SEARCHKIT_LOCK_TIMEOUT="0")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert store.lock_state() == (False, "")  # a finished writer erases its line
    # A live process that has taken the lock but not yet written its line over a dead one's:
    (seed_home / "index" / "LOCK").write_text(f"pid {holder.pid} on {os.uname().nodename} (searchkit add) since x\n")
    import fcntl

    with open(seed_home / "index" / "LOCK", "a+") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(IndexLocked) as info:
            with store.lock(0):
                pass
    assert str(holder.pid) not in str(info.value) and "another process" in str(info.value)


def test_doctor_fix_clears_a_stale_lock_line(seed_home):
    Collection(seed_home).sync()
    (seed_home / "index" / "LOCK").write_text("pid 999999 on nowhere (searchkit add) since then\n")
    fixed = sk(seed_home, "doctor", "--fix")
    assert fixed.returncode == 0 and "cleared the stale holder line" in " ".join(fixed.stdout.split())
    assert Collection(seed_home).index.lock_state() == (False, "")
