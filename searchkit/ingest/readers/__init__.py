"""Readers: bytes of one file → articles. One module per format; this module only dispatches.

Each format module exposes ``read(data: bytes, name: str, **options) -> Reading`` and raises
``InputError`` when the whole file cannot be read (a bad record inside a feed is a ``ReadProblem``).
Format modules are imported only when a file of their kind is read, so that the query path never loads an HTML parser.
"""

from __future__ import annotations

import gzip
import importlib
import os
from pathlib import Path

from ...errors import InputError
from ...model import Reading, ReadProblem

#: File suffix → reader module (within this package).
READERS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    ".json": "jsonl",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Files that sit beside articles in the corpus and are not articles themselves.
SIDECAR_SUFFIX = ".meta.json"


def suffix_of(name: str) -> str:
    """The reader suffix of a file name ('.html.gz' counts as one), lower-cased."""
    lower = name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    return Path(lower).suffix


#: A folder's own documentation, never an article (matched on the file name's stem, any case).
FOLDER_DOCS = ("readme", "license", "licence", "copying", "changelog", "contributing", "authors")


def is_folder_doc(name: str) -> bool:
    """True for README.txt, LICENSE.md and the like, which ``add FOLDER`` passes over."""
    return name.split(".")[0].lower() in FOLDER_DOCS


def is_article_file(name: str) -> bool:
    return not name.lower().endswith(SIDECAR_SUFFIX) and suffix_of(name) in READERS and not name.startswith(".")


def read_bytes(data: bytes, name: str, **options: object) -> Reading:
    """Read the articles in ``data``, a file called ``name`` (its suffix picks the reader).

    ``options`` go to the format's reader (``fields={"text": "body"}`` for JSON).
    """
    suffix = suffix_of(name)
    module_name = READERS.get(suffix)
    if module_name is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'!r}; searchkit reads {known}")
    if suffix.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name}: not a readable gzip file ({exc}); re-save it uncompressed") from None
    module = importlib.import_module(f".{module_name}", __name__)
    return checked(module.read(data, name, **options), name)


def checked(reading: Reading, name: str) -> Reading:
    """The reading with each article checked and cleaned (``checks.check_article``); an article that fails
    becomes a problem of its own, and a file whose only article fails is an ``InputError``."""
    from ..checks import check_article

    articles = []
    problems = list(reading.problems)
    for article in reading.articles:
        where = article.origin if len(reading.articles) > 1 and article.origin else name
        try:
            articles.append(check_article(article, where))
        except InputError as exc:
            if len(reading.articles) == 1 and not reading.problems:
                raise
            problems.append(ReadProblem(where, str(exc).removeprefix(f"{where}: ")))
    return Reading(articles, problems)


#: Largest file searchkit reads, in MB (``SEARCHKIT_MAX_FILE_MB`` overrides): a guard against a video
#: or a database dump named .txt, which would otherwise be read whole into memory and indexed.
MAX_FILE_MB = 64.0
MAX_FILE_ENV = "SEARCHKIT_MAX_FILE_MB"


def max_file_mb() -> float:
    try:
        return float(os.environ.get(MAX_FILE_ENV, MAX_FILE_MB))
    except ValueError:
        return MAX_FILE_MB


def check_size(path: Path) -> None:
    """Refuse, with an ``InputError`` that says what to do, a file over the size limit."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    limit = max_file_mb()
    if size > limit * 1048576:
        raise InputError(
            f"{path}: {size / 1048576:.1f} MB is more than the {limit:g} MB searchkit reads from one "
            f"file; split it, or raise the limit with {MAX_FILE_ENV}"
        )


def read_file(path: Path, **options: object) -> Reading:
    """Read the articles in a file; every failure (over the size limit too) is an ``InputError`` naming it."""
    check_size(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    return read_bytes(data, path.name, **options)
