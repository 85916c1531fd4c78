"""Articles in, annotated paragraphs out: batching across articles, optional worker processes.

Paragraphs of several articles go through the model together (spaCy is fastest on batches); names
and speakers are then resolved article by article, since canonical names are per article.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain, islice

from ..model import Article, Entity, Paragraph
from .names import aliases as aliases_of
from .names import resolve
from .recall import speaker_mentions
from .records import Mention, ParsedParagraph, Unannotated
from .spacy_model import load_model, parse
from .speakers import attribute

Item = tuple[Article, list[Paragraph]]
_CHUNK = 32  # articles per model batch / per worker task
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


Annotated = list[Paragraph] | Unannotated


def annotate_items(items: Iterable[Item], aliases: Mapping[str, str] | None, workers: int) -> Iterator[Annotated]:
    chunks = _chunks(iter(items), _CHUNK)
    if workers <= 1:
        yield from chain.from_iterable(annotate_each(chunk, aliases) for chunk in chunks)
        return
    # Leaving the block (done, an error, Ctrl-C in this process) terminates the workers.
    with _pool(workers) as pool:
        tasks = ((chunk, aliases) for chunk in chunks)
        yield from chain.from_iterable(pool.imap(_annotate_task, tasks))


@contextmanager
def _pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """The worker pool, its workers forked while this process blocks Ctrl-C, so each is born with it
    blocked until ``_start_worker`` ignores it: a Ctrl-C that reached a worker before its start-up ran
    (on a loaded machine a new process can wait a while for its turn) printed the worker's traceback.
    Blocked, not ignored, in the parent: a Ctrl-C while the workers are forked (many, on a machine with
    many cores) stays pending and arrives as soon as the pool is inside this block, which terminates
    the workers as it leaves; ignored, it was lost and the add ran to the end."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        with multiprocessing.Pool(workers, initializer=_start_worker) as pool:
            yield pool
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.Pool(workers, initializer=_start_worker)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        raise
    with pool:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a pending Ctrl-C is raised here
        yield pool


def _start_worker() -> None:
    """A worker ignores Ctrl-C (the terminal sends it to the whole process group: the parent alone
    decides, and stops the workers, so they print no tracebacks), and dies with its parent, even one
    killed with SIGKILL that could not stop it (Linux), instead of lingering as an orphan."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # born with it blocked (``_pool``); ignored from now on
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:  # it died before prctl took effect
            os._exit(1)
    load_model()


def annotate_each(chunk: list[Item], aliases: Mapping[str, str] | None) -> list[Annotated]:
    """``annotate_chunk``, but an article it fails on becomes ``Unannotated`` (found by annotating the
    chunk's articles one by one) and the others are annotated all the same."""
    try:
        return list(annotate_chunk(chunk, aliases))
    except Exception:
        if len(chunk) == 1:
            return [Unannotated(_reason())]
    results: list[Annotated] = []
    for item in chunk:
        try:
            results += annotate_chunk([item], aliases)
        except Exception:
            results.append(Unannotated(_reason()))
    return results


def _reason() -> str:
    """The exception being handled, as one short line."""
    kind, exc, _ = sys.exc_info()
    text = " ".join(str(exc).split())
    return f"{kind.__name__ if kind else 'error'}: {text[:300]}" if text else (kind.__name__ if kind else "error")


def annotate_chunk(chunk: list[Item], aliases: Mapping[str, str] | None) -> list[list[Paragraph]]:
    parsed = parse([p.text for _, paragraphs in chunk for p in paragraphs])
    results, k = [], 0
    for _, paragraphs in chunk:
        results.append(annotate_article(paragraphs, parsed[k : k + len(paragraphs)], aliases))
        k += len(paragraphs)
    return results


def annotate_article(
    paragraphs: list[Paragraph], parsed: list[ParsedParagraph], aliases: Mapping[str, str] | None
) -> list[Paragraph]:
    texts = [p.text for p in paragraphs]
    mentions: list[Mention] = []
    for i, pp in enumerate(parsed):
        for m in pp.mentions:
            m.para = i
        mentions.extend(pp.mentions)
    speaker_mentions(mentions, texts, [pp.claims for pp in parsed])
    resolve(mentions, texts)
    attributions = attribute(texts, [pp.claims for pp in parsed], mentions)
    written = aliases_of(mentions)
    rename = (lambda name: aliases.get(name.lower(), name)) if aliases else (lambda name: name)
    out = []
    for i, (paragraph, (speakers, quotes)) in enumerate(zip(paragraphs, attributions, strict=False)):
        entities = dict.fromkeys(
            Entity(rename(m.name), m.type, written.get((m.name, m.type), ()))
            for m in mentions
            if m.para == i and m.name
        )
        out.append(
            replace(
                paragraph,
                entities=list(entities),
                speakers=[replace(s, name=rename(s.name)) for s in speakers],
                quotes=[replace(q, speaker=q.speaker and rename(q.speaker)) for q in quotes],
            )
        )
    return out


def _annotate_task(task: tuple[list[Item], Mapping[str, str] | None]) -> list[Annotated]:
    return annotate_each(*task)


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(islice(items, size)):
        yield chunk
