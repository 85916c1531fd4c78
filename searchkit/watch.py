"""Saved searches ("watches"): a query and its filters kept in the collection, which, run again, shows
only the hits in articles added since its last run — for cron jobs and alerts.

Each watch is one file, ``<collection>/watches/NAME.json`` (written atomically), so watches run by
different jobs never overwrite each other. "New" is decided by the time each article was added
(``ArticleInfo.added``): a run remembers the latest such time among the articles it could see
(``seen_until``), and the next run shows articles added after it. Writers are serialised and stamp
articles inside the lock, so an ``add`` still running during a watch run is caught by the next run.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, NotFound
from .model import Record, SearchResult
from .options import OPTIONS

if TYPE_CHECKING:
    from .collection import Collection
    from .model import ArticleInfo

WATCHES = "watches"
#: Options a watch keeps (filters, dates, order); paging and snippets are chosen when it runs.
SAVED_OPTIONS = tuple(option.name for option in OPTIONS if option.saved)
#: Hits a run shows at most, unless told otherwise.
RUN_LIMIT = 1000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass
class Watch(Record):
    """A saved search. ``seen_until`` is the add time of the newest article its last run could see
    (None before its first run: the first run shows everything that matches)."""

    name: str
    query: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    last_run: float | None = None
    seen_until: float | None = None


@dataclass
class WatchRun(Record):
    """What one run of a watch found: the hits in articles added since ``since`` (None: ever)."""

    watch: Watch
    since: float | None
    new_articles: int
    result: SearchResult


class Watches:
    """The saved searches of one collection."""

    def __init__(self, collection: Collection):
        self.collection = collection
        self.folder = collection.home / WATCHES

    def _path(self, name: str) -> Path:
        if not _NAME.fullmatch(name or ""):
            raise InputError(
                f"bad watch name {name!r}: use up to 64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        return self.folder / f"{name}.json"

    def save(self, name: str, query: str = "", *, from_now: bool = False, **options: Any) -> Watch:
        """Save (or replace) a watch. Options are ``SAVED_OPTIONS`` keywords, checked now.

        ``from_now``: the first run shows only articles added after this moment, not everything.
        """
        from .engine.query import check_syntax
        from .options import SearchOptions

        unknown = sorted(set(options) - set(SAVED_OPTIONS))
        if unknown:
            raise TypeError(f"a watch cannot keep option(s) {', '.join(unknown)}; it keeps {', '.join(SAVED_OPTIONS)}")
        kept: dict[str, Any] = {
            k: (list(v) if isinstance(v, (list, tuple)) else v)
            for k, v in options.items()
            if v not in (None, "", (), [])
        }
        SearchOptions(**kept)  # raises QueryError on a bad sort, unit …
        if query.strip():
            check_syntax(query)
        path = self._path(name)
        watch = Watch(name, query, kept, created=time.time())
        if from_now:
            watch.seen_until = max((a.added for a in self._articles()), default=time.time())
        self._write(path, watch)
        return watch

    def get(self, name: str) -> Watch:
        path = self._path(name)
        if not path.exists():
            raise NotFound(f"no watch named {name!r}; see 'searchkit watch --list'")
        try:
            data = json.loads(path.read_text("utf-8"))
            return Watch(**{k: v for k, v in data.items() if k in Watch.__dataclass_fields__})
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path}: unreadable watch ({exc}); fix or delete it") from None

    def list(self) -> list[Watch]:
        """Every saved watch, by name."""
        if not self.folder.is_dir():
            return []
        return [self.get(p.stem) for p in sorted(self.folder.glob("*.json")) if _NAME.fullmatch(p.stem)]

    def delete(self, name: str) -> Watch:
        watch = self.get(name)
        self._path(name).unlink()
        return watch

    def run(self, name: str, record: bool = True, **options: Any) -> WatchRun:
        """The watch's hits in articles added since its last run; with ``record``, remember this run.

        ``options`` (``limit``, ``page``, ``facets``, ``fragment_chars`` …) shape this run's result;
        by default up to ``RUN_LIMIT`` hits and no facets.
        """
        watch = self.get(name)
        infos = list(self._articles())
        since = watch.seen_until
        new = [a.id for a in infos if since is None or a.added > since]
        if watch.options.get("article"):
            new = [i for i in new if i in watch.options["article"]]
        settings = {"limit": RUN_LIMIT, "facets": (), **options}
        if new:
            # Every article new (a first run): no filter of every id (20,000 ids made that run take a
            # minute by article), the query is the same without it.
            everything = len(new) == len(infos) and not watch.options.get("article")
            only = {} if everything else {"article": tuple(new)}
            result = self.collection.search(watch.query, **{**watch.options, **settings, **only})
        else:
            by_article = watch.options.get("by") == "article"
            result = SearchResult(query=watch.query, total=0, hits=[], unit="articles" if by_article else "paragraphs")
        if record:
            watch.last_run = time.time()
            watch.seen_until = max((a.added for a in infos), default=since)
            self._write(self._path(name), watch)
        return WatchRun(watch, since, len(new), result)

    def _articles(self) -> Iterable[ArticleInfo]:
        try:
            return self.collection.articles()
        except FileNotFoundError:
            return []

    def _write(self, path: Path, watch: Watch) -> None:
        from .ingest.corpus import _atomic_write

        _atomic_write(path, json.dumps(watch.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))
