"""The ``searchkit`` command: parse options, call the library, render. Nothing here knows Whoosh or spaCy."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .collection import Collection
from .errors import QueryError, SearchkitError
from .model import ChangeReport
from .output import clean, render_hits, render_report, result_document, write_json, write_records, hit_record


class SearchkitGroup(click.Group):
    """Turns library errors into one line on stderr: exit 1, or 2 for a query that cannot run."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as exc:
            raise BadQuery(clean(str(exc))) from None
        except SearchkitError as exc:
            raise click.ClickException(clean(str(exc))) from None
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise click.ClickException(clean(f"{exc.strerror or exc}{where}; check the path, permissions and free disk space")) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("SEARCHKIT_DEBUG"):
                raise
            raise click.ClickException(clean(
                f"unexpected {type(exc).__name__}: {exc}; please report it (SEARCHKIT_DEBUG=1 shows the traceback)"
            )) from None


class BadQuery(click.ClickException):
    exit_code = 2


def output_options(command: Callable) -> Callable:
    """``--json`` / ``--jsonl`` / ``--csv``: the one set of output flags every record-printing command has."""
    for flag, help_text in (
        ("--csv", "Print CSV (one record a row)."),
        ("--jsonl", "Print JSON Lines (one record a line)."),
        ("--json", "Print one JSON document."),
    ):
        command = click.option(flag, "fmt", flag_value=flag[2:], help=help_text)(command)
    return command


def use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def note(message: str) -> None:
    """Talk goes to stderr, so stdout stays data (cleaned: it can quote file names and article text)."""
    click.echo(clean(message), err=True)


def progress_bar(label: str) -> Callable[[int, int], None]:
    """A progress callback that draws a bar on stderr when it is a terminal."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not sys.stderr.isatty() or total < 20:
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)
        if done >= total:
            state["bar"].__exit__(None, None, None)

    return update


@click.group(cls=SearchkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchkit")
@click.option("--home", metavar="DIR", help="Collection folder (default: $SEARCHKIT_HOME, then the current "
              "folder and its parents). Example: --home ~/news")
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """Full-text search over a folder of news articles: who said what, where, about whom.

    Example: searchkit query "security guarantees"
    """
    ctx.obj = home


def collection(ctx: click.Context) -> Collection:
    coll = Collection.find(ctx.find_root().obj)
    coll.on_note = note
    return coll


def ensure_fresh(coll: Collection) -> None:
    """Bring the index up to date with corpus/ before reading it, saying so on stderr."""
    if not coll.stale():
        return
    note("Updating the index from corpus/ …")
    report, problem = coll.try_sync(progress_bar("indexing"))
    if problem:
        note(f"Warning: {problem}")
    elif report.outcomes:
        note(render_report(report, "Index updated"))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Create an empty collection (corpus/ and index/) in DIRECTORY.

    Example: searchkit init ~/news
    """
    coll = Collection.init(directory)
    note(f"Created a collection in {coll.home}. Add articles with: searchkit --home {coll.home} add PATH")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--title", help="Title of the article (one file only). Example: --title 'Talks in Paris'")
@click.option("--date", help="Publication date, YYYY-MM-DD (one file only). Example: --date 2025-04-17")
@click.option("--source", help="Publisher or agency (one file only). Example: --source Reuters")
@click.option("--url", help="Address of the article (one file only). Example: --url https://example.com/a")
@click.option("--author", "authors", multiple=True, help="An author (repeatable). Example: --author 'Jane Doe'")
@output_options
@click.pass_context
def add(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, **metadata: Any) -> None:
    """Add articles: files, folders (recursively) and globs (.txt, .html, .json, .jsonl).

    Example: searchkit add ~/Downloads/articles/ report.html
    """
    metadata = {k: v for k, v in metadata.items() if v}
    if metadata and (len(paths) > 1 or os.path.isdir(paths[0])):
        raise click.UsageError("--title, --date, --source, --url and --author apply to a single file")
    if "authors" in metadata:
        metadata["authors"] = list(metadata["authors"])
    report = collection(ctx).add(paths, metadata=metadata or None, progress=progress_bar("adding"))
    finish(report, "Added", fmt)


def finish(report: ChangeReport, verb: str, fmt: str | None) -> None:
    """Print a change report (records on stdout when asked), and fail when nothing could be done."""
    if fmt:
        write_records((o.__dict__ for o in report.outcomes), fmt, sys.stdout)
    note(render_report(report, verb))
    if report.count("failed"):
        raise click.exceptions.Exit(1)


@cli.command()
@output_options
@click.pass_context
def rebuild(ctx: click.Context, fmt: str | None) -> None:
    """Rebuild the index from corpus/ (the old index keeps working until the new one is ready).

    Example: searchkit rebuild
    """
    report = collection(ctx).rebuild(progress=progress_bar("indexing"))
    finish(report, "Rebuilt", fmt)


@cli.command()
@click.argument("text", required=False, default="")
@click.option("-n", "--limit", default=10, show_default=True, help="Hits per page. Example: --limit 5")
@click.option("--page", default=1, show_default=True, help="Page of hits to show. Example: --page 2")
@output_options
@click.pass_context
def query(ctx: click.Context, text: str, limit: int, page: int, fmt: str | None) -> None:
    """Search paragraphs. Words are ANDed; OR, NOT, "phrases", wildcards (secur*) and field:value work.

    Example: searchkit query "security guarantees"
    """
    coll = collection(ctx)
    ensure_fresh(coll)
    result = coll.search(text, limit=limit, page=page)
    if not result.hits:
        note(f"No paragraphs match {text!r}." if result.total == 0 else f"No hits on page {page} ({result.total} in all).")
    if fmt == "json":
        write_json(result_document(result, page, limit), sys.stdout)
    elif fmt:
        write_records((hit_record(h, text) for h in result.hits), fmt, sys.stdout)
    elif result.hits:
        note(f"{result.total} paragraphs match; showing {len(result.hits)} (page {page}).")
        click.echo(render_hits(result, use_color(), first_rank=(page - 1) * limit + 1))


@cli.command()
@click.option("--fix", is_flag=True, help="Repair what can be repaired: re-index, rebuild, clean up, clear a stale lock.")
@output_options
@click.pass_context
def doctor(ctx: click.Context, fix: bool, fmt: str | None) -> None:
    """Check the index and the corpus agree, and nothing is left over from a crash; exit 1 on problems.

    Example: searchkit doctor --fix
    """
    checks = collection(ctx).doctor(fix=fix)
    ok = all(c.ok for c in checks)
    if fmt == "json":
        write_json({"ok": ok, "checks": [c.__dict__ for c in checks]}, sys.stdout)
    elif fmt:
        write_records((c.__dict__ for c in checks), fmt, sys.stdout)
    else:
        for c in checks:
            fixed = f" (fixed: {c.fixed})" if c.fixed else ""
            click.echo(clean(f"{'ok' if c.ok else 'PROBLEM':8}{c.check}: {c.detail}{fixed}"))
    if not ok:
        note("Problems remain" + ("; see above." if fix else "; 'searchkit doctor --fix' repairs what it can."))
        raise click.exceptions.Exit(1)


def main() -> None:
    cli(prog_name="searchkit")
