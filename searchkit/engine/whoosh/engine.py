"""The Whoosh engine: a generation's searchable index is a Whoosh index in the generation folder."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable
from contextlib import nullcontext
from itertools import groupby
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.writing import IndexWriter

from ...catalogue import crash_point
from ...model import Paragraph, QuoteResult, SearchResult
from ...options import SearchOptions
from ..base import ParagraphDoc, Reject
from .documents import to_whoosh
from .ranking import LuceneBM25
from .schema import CONVERTS_FROM, SCHEMA_VERSION, build_schema

#: Segments as separate files: a compound segment is copied into memory by every searcher that opens it
#: (``searchkit query`` open + query at 20,000 paragraphs: 171 ms compound, 122 ms separate files).
COMPOUND = False
#: Whoosh's own lock file inside a generation; never carried into a new generation.
_WHOOSH_LOCK = "MAIN_WRITELOCK"


class WhooshEngine:
    """Whoosh 2.7 (pure Python, embedded): one index folder per generation."""

    name = "whoosh"
    schema_version = SCHEMA_VERSION
    converts_from = CONVERTS_FROM

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def write(
        self,
        gen: Path,
        base: Path | None,
        remove_ids: Iterable[str],
        documents: Iterable[ParagraphDoc],
        reject: Reject | None = None,
    ) -> int:
        """Copy-on-write: Whoosh's incremental writer is not crash-safe across files, so a change starts
        ``gen`` as hard links to ``base``'s files (Whoosh never rewrites a file in place: new segments,
        new TOC renamed into place) and writes there."""
        if base is None:
            ix = whoosh_index.create_in(str(gen), build_schema())
        else:
            _link_tree(base, gen)
            ix = whoosh_index.open_dir(str(gen))
        writer = ix.writer(limitmb=256, compound=COMPOUND)
        try:
            for article in set(remove_ids):
                writer.delete_by_term("article", article)
            count = _add_all(writer, documents, reject)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def open(self, gen: Path) -> WhooshReader:
        return WhooshReader(whoosh_index.open_dir(str(gen), readonly=True))

    def problem(self, gen: Path, expected: int) -> str | None:
        """Opens every segment and checks the document count, so a generation left damaged by a crash or
        a disk fault is caught before a query misreads it."""
        reader = self.open(gen)
        try:
            found = reader.count()
        finally:
            reader.close()
        if found != expected:
            return f"the index is damaged (it holds {found} paragraphs, its manifest {expected})"
        return None

    def size_bytes(self, gen: Path) -> int:
        return sum(p.stat().st_size for p in gen.iterdir() if p.is_file())

    def drop(self, gen: Path) -> None:
        """Nothing: a Whoosh generation is only its folder."""


class WhooshReader:
    """An opened Whoosh index with one searcher, shared by every query made through it.

    The functions of ``search`` take an index and open ``with ix.searcher()``; given this, they all run on
    the same searcher, so reader set-up is paid once per reader (once per session), not once per query.
    """

    def __init__(self, ix: whoosh_index.Index) -> None:
        self.index = ix
        self.schema = ix.schema
        self._searcher = ix.searcher(weighting=LuceneBM25())

    def searcher(self, **_kwargs: Any) -> nullcontext:
        return nullcontext(self._searcher)

    def count(self) -> int:
        return int(self._searcher.doc_count())

    def search(self, query: str, options: SearchOptions) -> SearchResult:
        from .search import search

        return search(self, query, options)

    def similar(self, paragraph_id: str, options: SearchOptions) -> SearchResult:
        from .search import similar

        return similar(self, paragraph_id, options)

    def quotes(self, query: str, options: SearchOptions) -> QuoteResult:
        from .search import quotes

        return quotes(self, query, options)

    def article_paragraphs(self, article_id: str) -> list[Paragraph]:
        from .search import article_paragraphs

        return article_paragraphs(self, article_id)

    def article_vectors(self, article_id: str) -> list[bytes]:
        from .meaning import article_vectors

        return article_vectors(self.index, article_id)

    def close(self) -> None:
        self._searcher.close()
        self.index.close()


def _add_all(writer: IndexWriter, documents: Iterable[ParagraphDoc], reject: Reject | None) -> int:
    count = 0
    for article, docs in groupby(documents, key=lambda doc: doc.article):
        try:
            prepared = [_analysed(writer.schema, to_whoosh(doc)) for doc in docs]
        except Exception as exc:
            if reject is None:
                raise
            reject(article, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
            continue
        for fields, postings in prepared:
            _add_analysed(writer, fields, postings)
            count += 1
            if count == 1:
                crash_point("mid-index-write")
    return count


def _analysed(schema: Schema, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """``fields``, and each indexed field's postings as ``add_document`` computes them. A Whoosh writer
    that fails half way through a document keeps the postings it already pooled (they would land on the
    next document), so every paragraph of an article is analysed before any is written."""
    postings = {}
    for name, value in fields.items():
        field = schema[name]
        if field.indexed and value is not None:
            postings[name] = list(field.index(value))
    return fields, postings


def _add_analysed(writer: IndexWriter, fields: dict[str, Any], postings: dict[str, list]) -> None:
    """``writer.add_document(**fields)`` with the postings ``_analysed`` computed, not analysing the text
    a second time: for the call, each field's ``index`` (the one method ``add_document`` asks for them)
    is shadowed on the field object by one that hands them back (4,000 BBC + Reuters paragraphs: 9.1 s
    of CPU, 11.2 s analysing twice; the same index bytes). Removed before the commit pickles the schema."""
    schema = writer.schema
    for name, items in postings.items():
        schema[name].index = lambda _value, _items=items, **_options: _items
    try:
        writer.add_document(**fields)
    finally:
        for name in postings:
            del vars(schema[name])["index"]


def _link_tree(source: Path, target: Path) -> None:
    """Fill ``target`` with hard links to ``source``'s files (copies where links are not possible)."""
    for path in source.iterdir():
        if path.name == _WHOOSH_LOCK or path.name.startswith(".") or not path.is_file():
            continue
        try:
            os.link(path, target / path.name)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(path, target / path.name)
