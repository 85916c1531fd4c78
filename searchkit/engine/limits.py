"""Limits that keep one query from running away, whichever engine runs it.

Measured before these limits on BBC + Reuters (98,077 paragraphs): ``oil~99`` took 16 s, ``*a* *e* *i* *o*``
9 s, an unknown 10,000-character word 10.8 s (100,000 characters: over 9 minutes). Each limit is an error
that says what to change, as Elasticsearch refuses a wildcard that expands past ``max_clause_count``; the
time budget is the backstop for whatever slips past them.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import QueryError

#: Longest query, in characters (a pasted paragraph fits; a pasted article does not).
MAX_QUERY_CHARS = 2000
#: Longest word (the longest English words have ~45 letters; URLs and ids fit).
MAX_WORD_CHARS = 200
#: Largest edit distance of ``word~N`` (Lucene's limit too: beyond 2 nearly every word matches).
MAX_FUZZY_DISTANCE = 2
#: Most indexed words one wildcard or fuzzy word may stand for.
MAX_EXPANSION = 1024
#: Seconds of CPU time one query may use (``SEARCHKIT_QUERY_SECONDS`` overrides; 0 turns the budget off).
QUERY_SECONDS = 5.0
QUERY_SECONDS_ENV = "SEARCHKIT_QUERY_SECONDS"

_WORD = re.compile(r'[^\s()"]+')
_FUZZY = re.compile(r"^(.*\w)~(\d+)")


class QueryTimeout(QueryError):
    """The query ran past its time budget."""


def check_text(text: str) -> None:
    """QueryError when the query or one of its words is longer than searchkit searches."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long; searchkit searches at most {MAX_QUERY_CHARS:,} "
            "(search for its key words)"
        )
    for match in _WORD.finditer(text):
        fuzzy = _FUZZY.search(match.group())
        if fuzzy:
            check_fuzzy(fuzzy.group(1), int(fuzzy.group(2)))
        if len(match.group()) > MAX_WORD_CHARS:
            raise QueryError(
                f"the word at position {match.start() + 1} is {len(match.group()):,} characters long; "
                f"words are at most {MAX_WORD_CHARS}",
                match.start(),
            )


def check_fuzzy(word: str, distance: int) -> None:
    if distance > MAX_FUZZY_DISTANCE:
        raise QueryError(
            f"{word}~{distance}: the edit distance of a fuzzy word is at most {MAX_FUZZY_DISTANCE} "
            f"(write {word}~ or {word}~{MAX_FUZZY_DISTANCE})"
        )


def check_expansion(word: str, count: int) -> None:
    """``count`` is how many indexed words ``word`` stood for, counted up to one past the limit."""
    if count > MAX_EXPANSION:
        raise QueryError(
            f"{word!r} stands for more than {MAX_EXPANSION:,} indexed words; "
            "put more letters before the * or ? (or drop the ~)"
        )


def query_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(QUERY_SECONDS_ENV, QUERY_SECONDS)))
    except ValueError:
        return QUERY_SECONDS


#: The wall-clock backstop, as a multiple of the CPU budget: a query waiting for a core on a busy machine
#: is not running away, but one waiting that long is stopped all the same.
WALL_FACTOR = 4


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Stop the work inside with ``QueryTimeout`` after ``seconds`` (default ``query_seconds()``) of CPU
    time, or ``WALL_FACTOR`` times as long on the clock.

    CPU time, not the clock: on a machine shared by other work (load 10 on 2 cores) a query of 0.4 s of
    CPU took over 5 s of wall time and was stopped as a runaway. Interval timers stop any Python code
    (query expansion, matching, facet counting, highlights); they only work in the main thread, elsewhere
    the other limits must do.
    """
    seconds = query_seconds() if seconds is None else seconds
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        if signum == signal.SIGPROF:
            said = f"used more than {seconds:g} s of CPU time"
        else:
            said = f"took longer than {seconds * WALL_FACTOR:g} s (the machine is busy)"
        raise QueryTimeout(
            f"the query {said} and was stopped; make it more specific "
            f"(fewer wildcards, more words) or allow more time with {QUERY_SECONDS_ENV}"
        )

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
