"""Batch queries: many queries from a file, run in one process on one opened index.

Input is one query a line, or CSV whose header names a ``query`` column and, optionally, columns named
like the search options (``speaker``, ``since``, ``limit`` …) that set those options for their row. A bad
row becomes an error result carrying its line number; it never stops the others.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import InputError, SearchkitError
from .model import SearchResult
from .options import OPTIONS

if TYPE_CHECKING:
    from .collection import Collection

#: CSV columns besides ``query``: each sets the search option of the same name for its row.
OPTION_COLUMNS = tuple(option.name for option in OPTIONS if option.column)
_NUMBERS = tuple(option.name for option in OPTIONS if option.column and option.kind == "int")
_MANY = tuple(option.name for option in OPTIONS if option.column and option.kind == "names")
#: Several values in one filter cell (ORed, as a repeated option) are separated so.
VALUE_SEPARATOR = ";"


@dataclass
class BatchQuery:
    """One query of a batch: its line in the input, its text and its own options (from CSV columns)."""

    line: int
    query: str
    options: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "query": self.query, "options": self.options, "error": self.error}


@dataclass
class BatchResult:
    """A query of a batch and what it found; ``result`` is None when it failed, and ``error`` says why."""

    line: int
    query: str
    result: SearchResult | None = None
    error: str | None = None
    #: The options the query ran with (the batch's, then its row's).
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "query": self.query,
            "error": self.error,
            "result": self.result.to_dict() if self.result else None,
        }


def read_batch(lines: Iterable[str]) -> Iterator[BatchQuery]:
    """Queries from lines: blank lines and ``#`` comments are skipped; line numbers count from 1.

    The input is CSV when its first such line is a header naming a ``query`` column (and otherwise only
    ``OPTION_COLUMNS``); an unknown column raises InputError before anything runs.
    """
    numbered = [(n, line.rstrip("\r\n")) for n, line in enumerate(lines, 1)]
    content = [(n, line) for n, line in numbered if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        return
    header = [cell.strip().casefold() for cell in next(csv.reader([content[0][1]]))]
    if "query" not in header:
        for n, line in content:
            yield BatchQuery(n, line.strip())
        return
    unknown = [c for c in header if c not in ("query", *OPTION_COLUMNS)]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r} in the batch header; columns: query, {', '.join(OPTION_COLUMNS)}"
        )
    yield from _csv_queries(content[0][0], header, numbered[content[0][0] :])


def _csv_queries(header_line: int, header: list[str], rows: list[tuple[int, str]]) -> Iterator[BatchQuery]:
    reader = csv.reader(line for _n, line in rows)
    for cells in reader:
        n = header_line + reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        values = dict(zip(header, (c.strip() for c in cells), strict=False))  # a length mismatch is reported below
        item = BatchQuery(n, values.pop("query", ""))
        if len(cells) > len(header):
            item.error = f"{len(cells)} cells but {len(header)} columns; quote a cell that holds a comma"
        for name, value in values.items():
            if not value:
                continue
            if name in _NUMBERS:
                if not value.isdigit():
                    item.error = f"{name} {value!r} is not a whole number"
                    continue
                item.options[name] = int(value)
            elif name in _MANY:
                item.options[name] = tuple(v.strip() for v in value.split(VALUE_SEPARATOR) if v.strip())
            else:
                item.options[name] = value
        yield item


def run_batch(collection: Collection, queries: Iterable[BatchQuery], **options: Any) -> Iterator[BatchResult]:
    """Run each query (``options`` for all, a row's own options over them) on one opened index.

    Results come as each query finishes, in input order. A query that cannot run (bad syntax, a bad
    date, an unknown option value) yields an error result; the rest still run.
    """
    session = collection.session()
    try:
        for item in queries:
            if item.error:
                yield BatchResult(item.line, item.query, error=item.error)
                continue
            merged = {**options, **item.options}
            try:
                try:
                    result = session.search(item.query, **merged)
                except OSError:  # a rebuild swapped generations and removed the one open here
                    session.close()
                    session = collection.session()
                    result = session.search(item.query, **merged)
            except SearchkitError as exc:
                yield BatchResult(item.line, item.query, error=str(exc), options=merged)
            except Exception as exc:  # a bug must not cost the lines after it their answers
                error = f"unexpected {type(exc).__name__}: {exc}; please report it"
                yield BatchResult(item.line, item.query, error=error, options=merged)
            else:
                yield BatchResult(item.line, item.query, result, options=merged)
    finally:
        session.close()
