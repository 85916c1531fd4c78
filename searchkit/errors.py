"""Typed errors. Each message says what is wrong and what to do next; the CLI prints it as one line."""

from __future__ import annotations


class SearchkitError(Exception):
    """Base of every error searchkit raises on purpose."""


class InputError(SearchkitError):
    """A file or record cannot be read as an article (missing, binary, empty, malformed)."""


class CollectionNotFound(SearchkitError):
    """No collection (a folder with ``corpus/``) where one was looked for."""


class EmptyCollection(SearchkitError):
    """The collection has no articles to search."""


class IndexLocked(SearchkitError):
    """Another process is writing to the index."""


class IndexOutdated(SearchkitError):
    """The index was built by another schema version or is damaged; it must be rebuilt from the corpus."""


class QueryError(SearchkitError):
    """A query that cannot be run as typed. ``position`` is the character offset of the problem, if known."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class NotFound(SearchkitError):
    """An article or paragraph id that the collection does not hold."""


class EngineUnavailable(SearchkitError):
    """The search engine cannot be reached or started (a server down, Java or Maven missing)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a change; the message says what was kept. A ``KeyboardInterrupt``, so that a
    program using the library stops as it would anyway."""


class ModelMissing(SearchkitError):
    """The sentence model that ranks by meaning is not installed (or its files are damaged)."""
