"""The ``searchkit`` command: parse options, call the library, render. Nothing here knows Whoosh or spaCy."""

from __future__ import annotations

import atexit
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from .. import __version__
from ..collection import Collection
from ..engine.base import ENGINES
from ..errors import Interrupted, QueryError, SearchkitError
from ..model import OUTPUT_VERSION, ChangeReport, SearchResult
from ..options import OPTIONS, Option
from .layout import terminal_width, truncate
from .pager import emit
from .render import (
    batch_document_entry,
    batch_records,
    clean,
    hit_record,
    match_count,
    paragraph_record,
    plural,
    quote_document,
    quote_record,
    render_article,
    render_articles,
    render_checks,
    render_facets,
    render_fields,
    render_hits,
    render_names,
    render_quotes,
    render_report,
    result_document,
    write_json,
    write_records,
)


class SearchkitGroup(click.Group):
    """Turns library errors into one line on stderr: exit 1, or 2 for a query that cannot run; keeps
    the name of a command that ran to its end (``finished``, for ``main``)."""

    finished: str | None = None

    def invoke(self, ctx: click.Context) -> Any:
        self.finished = None
        try:
            result = super().invoke(ctx)
            self.finished = ctx.invoked_subcommand
            return result
        except QueryError as exc:
            raise BadQuery(clean(str(exc))) from None
        except SearchkitError as exc:
            raise click.ClickException(clean(str(exc))) from None
        except BrokenPipeError:  # the reader of stdout went away (| head): stop quietly
            sys.stderr.close()
            raise click.exceptions.Exit(0) from None
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise click.ClickException(
                clean(f"{exc.strerror or exc}{where}; check the path, permissions and free disk space")
            ) from None
        except KeyboardInterrupt as exc:  # Ctrl-C: one line (an ``Interrupted`` says what was kept)
            note(str(exc) if isinstance(exc, Interrupted) else "Interrupted: the index is as it was")
            raise click.exceptions.Exit(130) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("SEARCHKIT_DEBUG"):
                raise
            raise click.ClickException(
                clean(
                    f"unexpected {type(exc).__name__}: {exc}; please report it (SEARCHKIT_DEBUG=1 shows the traceback)"
                )
            ) from None


class BadQuery(click.ClickException):
    exit_code = 2


def _no_pager(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta["no_pager"] = True


def pager_option(command: Callable) -> Callable:
    """``--no-pager``: print long text output straight to the terminal (also accepted before the command)."""
    return click.option(
        "--no-pager",
        is_flag=True,
        expose_value=False,
        callback=_no_pager,
        help="Do not page long text output (a pager runs only on a terminal: $PAGER, else less).",
    )(command)


def page_text(text: str) -> None:
    """Text output on stdout, paged on a terminal unless --no-pager was given."""
    emit(text, paging=not click.get_current_context().find_root().meta.get("no_pager"))


def output_options(command: Callable) -> Callable:
    """``--json`` / ``--jsonl`` / ``--csv`` (the one set of output flags every record-printing command has),
    and ``--no-pager`` for its text output."""
    command = pager_option(command)
    for flag, help_text in (
        ("--csv", "Print CSV (one record a row)."),
        ("--jsonl", "Print JSON Lines (one record a line)."),
        ("--json", "Print one JSON document."),
    ):
        command = click.option(flag, "fmt", flag_value=flag[2:], help=help_text)(command)
    return command


def fail_if_empty_option(command: Callable) -> Callable:
    """``--fail-if-empty``: exit 1 when nothing matches, for scripts and alerts."""
    return click.option(
        "--fail-if-empty",
        is_flag=True,
        help="Exit 1 when nothing matches (for scripts and alerts). Example: --fail-if-empty",
    )(command)


def exit_if_empty(found: int, fail_if_empty: bool) -> None:
    if fail_if_empty and not found:
        raise click.exceptions.Exit(1)


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
@pager_option
@click.option(
    "--home",
    metavar="DIR",
    help="Collection folder (default: $SEARCHKIT_HOME, then the current "
    "folder and its parents). Example: --home ~/news",
)
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


def fresh_collection(ctx: click.Context) -> Collection:
    """The collection, its index first brought up to date with corpus/ (said on stderr)."""
    coll = collection(ctx)
    ensure_fresh(coll)
    return coll


#: Corpus files a reading command indexes itself before it answers; beyond this it answers from the
#: index as it is and says how far behind it is (at ~0.1-0.3 s of NLP per article, about half a minute).
READER_SYNC_MAX = 100


def ensure_fresh(coll: Collection) -> None:
    """Bring the index up to date with corpus/ before reading it, saying so on stderr."""
    if not coll.stale():
        return
    note("Updating the index from corpus/ …")
    report, problem = coll.try_sync(progress_bar("indexing"), limit=READER_SYNC_MAX)
    if problem:
        note(f"Warning: {problem}")
    elif report.outcomes:
        note(render_report(report, "Index updated"))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    help="Search engine that keeps the index (default whoosh: embedded, no server). Example: --engine opensearch",
)
@click.option(
    "--url",
    help="OpenSearch cluster address (else $SEARCHKIT_OPENSEARCH_URL; credentials only from "
    "$SEARCHKIT_OPENSEARCH_USER/PASSWORD). Example: --url http://127.0.0.1:9200",
)
@click.option("--shards", type=click.IntRange(1), help="OpenSearch primary shards per index (default 1).")
@click.option("--replicas", type=click.IntRange(0), help="OpenSearch copies of each shard (default 0).")
def init(directory: str, engine: str | None, url: str | None, shards: int | None, replicas: int | None) -> None:
    """Create an empty collection (corpus/ and index/) in DIRECTORY, indexed by Whoosh or OpenSearch.

    \b
    Examples:
      searchkit init ~/news
      searchkit init ~/news --engine opensearch --url http://127.0.0.1:9200 --replicas 1
    """
    coll = Collection.init(directory, engine, engine_settings(engine, url, shards, replicas))
    note(f"Created a collection in {coll.home}. Add articles with: searchkit --home {coll.home} add PATH")


def verbose_option(command: Callable) -> Callable:
    """``--verbose``: the report names every skipped or failed item (else the first few of each kind)."""
    return click.option(
        "-v", "--verbose", is_flag=True, help="Name every skipped or failed item (default: the first few of each kind)."
    )(command)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--title", help="Title of the article (one file only). Example: --title 'Talks in Paris'")
@click.option("--date", help="Publication date, YYYY-MM-DD (one file only). Example: --date 2025-04-17")
@click.option("--source", help="Publisher or agency (one file only). Example: --source Reuters")
@click.option("--url", help="Address of the article (one file only). Example: --url https://example.com/a")
@click.option("--author", "authors", multiple=True, help="An author (repeatable). Example: --author 'Jane Doe'")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=KEY",
    help="Read a JSON field from another key (repeatable). Example: --field text=body",
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Also add files that links in a folder point to outside it (skipped by default). Example: --follow-links",
)
@verbose_option
@output_options
@click.pass_context
def add(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    fields: tuple[str, ...],
    verbose: bool,
    follow_links: bool,
    **metadata: Any,
) -> None:
    """Add articles: files, folders (recursively) and globs (.txt, .html, .json, .jsonl).

    Example: searchkit add ~/Downloads/articles/ report.html
    """
    metadata = {k: v for k, v in metadata.items() if v}
    if metadata and (len(paths) > 1 or os.path.isdir(paths[0])):
        raise click.UsageError("--title, --date, --source, --url and --author apply to a single file")
    if "authors" in metadata:
        metadata["authors"] = list(metadata["authors"])
    mapping = dict(field.partition("=")[::2] for field in fields)
    if any(not name or not key for name, key in mapping.items()):
        raise click.BadParameter("use NAME=KEY, for example --field text=body", param_hint="--field")
    options: dict[str, Any] = {"fields": mapping} if mapping else {}
    options["follow_links"] = follow_links
    report = collection(ctx).add(paths, metadata=metadata or None, progress=progress_bar("adding"), **options)
    finish(report, "Added", fmt, verbose)


def finish(report: ChangeReport, verb: str, fmt: str | None, verbose: bool = False) -> None:
    """Print a change report (records on stdout when asked), and fail when nothing could be done."""
    if fmt:
        write_records((o.__dict__ for o in report.outcomes), fmt, sys.stdout)
    note(render_report(report, verb, verbose))
    if report.count("failed"):
        raise click.exceptions.Exit(1)


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    required=True,
    help="The engine to move to. Example: --engine opensearch",
)
@click.option(
    "--url", help="OpenSearch cluster address (else $SEARCHKIT_OPENSEARCH_URL). Example: --url http://127.0.0.1:9200"
)
@click.option("--shards", type=click.IntRange(1), help="OpenSearch primary shards per index (default 1).")
@click.option("--replicas", type=click.IntRange(0), help="OpenSearch copies of each shard (default 0).")
@click.pass_context
def migrate(ctx: click.Context, engine: str, url: str | None, shards: int | None, replicas: int | None) -> None:
    """Move the collection's index to another engine, reusing what is indexed (no NLP run again).

    Example: searchkit migrate --engine opensearch --url http://127.0.0.1:9200
    """
    moved = collection(ctx).migrate(engine, engine_settings(engine, url, shards, replicas))
    note(f"Moved {moved} paragraphs to {engine}.")


def engine_settings(engine: str | None, url: str | None, shards: int | None, replicas: int | None) -> dict | None:
    """The OpenSearch settings given as options (None when none is), refused for another engine."""
    given = {"url": url, "shards": shards, "replicas": replicas}
    settings = {key: value for key, value in given.items() if value is not None}
    if settings and engine != "opensearch":
        raise click.UsageError("--url, --shards and --replicas are settings of --engine opensearch")
    return settings or None


@cli.command()
@verbose_option
@output_options
@click.pass_context
def rebuild(ctx: click.Context, fmt: str | None, verbose: bool) -> None:
    """Rebuild the index from corpus/ (the old index keeps working until the new one is ready).

    Example: searchkit rebuild
    """
    report = collection(ctx).rebuild(progress=progress_bar("indexing"))
    finish(report, "Rebuilt", fmt, verbose)


def option_decorator(option: Option, saving: bool = False) -> Callable:
    """The Click option of one search option (``saving``: as ``watch`` takes it, only to save it)."""
    flag = "--facet" if option.name == "facets" else "--" + option.name.replace("_", "-")
    help_text = option.help
    if saving and option.kind == "choice":
        help_text = "When saving: " + help_text[0].lower() + help_text[1:]
    if option.example:
        help_text += f" Example: {option.example}"
    settings: dict[str, Any] = {"help": help_text}
    if option.kind in ("names", "facets"):
        settings.update(multiple=True, metavar="NAME" if option.kind == "facets" else None)
    elif option.kind == "flag":
        settings.update(is_flag=True)
    elif option.kind == "date":
        settings.update(metavar="DATE")
    elif option.kind == "choice":
        settings.update(type=click.Choice(option.choices))
    if option.kind in ("choice", "int") and not saving:
        settings.update(default=option.default, show_default=True)
    return click.option(*filter(None, (option.short, flag)), option.name, **settings)


def search_options(command_name: str) -> Callable[[Callable], Callable]:
    """The search options ``command_name`` takes, each a keyword of ``Collection.search`` under the same
    name (``options.OPTIONS``: the one definition of them)."""

    def decorate(command: Callable) -> Callable:
        for option in reversed(OPTIONS):
            if command_name in option.commands:
                command = option_decorator(option)(command)
        return command

    return decorate


def saved_options(command: Callable) -> Callable:
    """The options a watch saves, as ``watch`` takes them."""
    for option in reversed(OPTIONS):
        if option.saved:
            command = option_decorator(option, saving=True)(command)
    return command


def library_options(options: dict[str, Any]) -> dict[str, Any]:
    """CLI option values as ``SearchOptions`` keywords (``--facet none`` means no facets)."""
    facets = options.pop("facets", ())
    if facets:
        options["facets"] = () if facets == ("none",) else facets
    return options


def show_result(result: SearchResult, fmt: str | None, page: int, limit: int, explain: bool = False) -> None:
    """Hits on stdout (text or records), then facet counts; warnings and the parsed query on stderr."""
    for warning in result.warnings:
        note(f"Warning: {warning}")
    if explain:
        note(f"Parsed query: {result.parsed}")
    unit = result.unit
    if not result.hits:
        what = f" {result.query!r}" if result.query.strip() else " these filters"
        note(
            f"No {unit} match{what}."
            if result.total == 0
            else f"No hits on page {page} ({plural(result.total, unit.removesuffix('s'))} in all)."
        )
    if fmt == "json":
        write_json(result_document(result, page, limit), sys.stdout)
    elif fmt:
        write_records((hit_record(h, result.query) for h in result.hits), fmt, sys.stdout)
    elif result.hits:
        note(f"{match_count(result.total, unit)}; showing {len(result.hits)} (page {page}).")
        text = render_hits(result, use_color(), first_rank=(page - 1) * limit + 1)
        if result.facets:
            text += "\n" + render_facets(result.facets, use_color())
        page_text(text)


@cli.command()
@click.argument("text", required=False, default="")
@search_options("query")
@click.option("--explain", is_flag=True, help="Print the parsed query and filters on stderr.")
@click.option(
    "--batch",
    "batch",
    type=click.File("r", encoding="utf-8-sig"),
    metavar="FILE",
    help="Run many queries, one a line (or CSV with a 'query' column and option columns; '-' reads "
    "stdin), on one opened index; prints JSON Lines unless --csv/--json. Example: --batch queries.txt",
)
@fail_if_empty_option
@output_options
@click.pass_context
def query(
    ctx: click.Context, text: str, fmt: str | None, explain: bool, batch: Any, fail_if_empty: bool, **options: Any
) -> None:
    """Search paragraphs (TEXT may be left out when filters are given).

    \b
    Query language (fails loudly: an unknown field or an unbalanced quote,
    parenthesis or bracket, or a bad date exits 2 naming it; --lenient warns):
      security guarantees      both words, stemmed; a longer query needs any one,
                               more matched rank higher (stop words ignored);
                               --match all: every word
      ceasefire OR truce       either; NOT excludes: peace NOT Russia; +must -not
      "security guarantees"    a phrase; "peace process"~3 allows 3 words between
      secur*  guarant?e        wildcards;  Polyakva~  fuzzy (one edit; ~2: two)
      title:Paris  speaker:Polyakova  org:NATO  section:"Ukraine’s Priorities"
      date:2025  date:[2025-01 to 2025-03]  date:>2025-03-01
    Fields: text title section source date speaker person org place entity
    article id url author quote.

    \b
    Examples:
      searchkit query "security guarantees" --facet speaker --json
      searchkit query --speaker "Alina Polyakova"
      searchkit query nato --org NATO --since 2025-03 --by article
      searchkit query --batch queries.csv --csv > hits.csv
    """
    coll = fresh_collection(ctx)
    if batch is not None:
        if text:
            raise click.UsageError("give queries either as TEXT or in --batch FILE, not both")
        run_batch_command(coll, batch, fmt or "jsonl", fail_if_empty, library_options(options))
        return
    result = coll.search(text, **library_options(options))
    show_result(result, fmt, options["page"], options["limit"], explain)
    exit_if_empty(result.total, fail_if_empty)


def run_batch_command(coll: Collection, source: Any, fmt: str, fail_if_empty: bool, options: dict[str, Any]) -> None:
    """``query --batch``: every query on one opened index; exit 1 at the end if any query failed."""
    from ..batch import read_batch, run_batch
    from ..errors import InputError

    if fmt != "json":
        options.setdefault("facets", ())  # not printed in JSON Lines or CSV: not counted
    try:
        queries = list(read_batch(source))
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="--batch") from None
    results = []
    for item in run_batch(coll, queries, **options):
        results.append(item)
        if item.error:
            note(f"Error: line {item.line}: {item.error}")
        if fmt == "jsonl":
            write_records(batch_records(item), fmt, sys.stdout)
            sys.stdout.flush()
    if fmt == "csv":
        write_records((r for item in results for r in batch_records(item)), fmt, sys.stdout)
    elif fmt == "json":
        write_json(
            {"output_version": OUTPUT_VERSION, "queries": [batch_document_entry(i) for i in results]}, sys.stdout
        )
    failed = sum(1 for item in results if item.error)
    note(f"{len(results)} queries, {failed} failed.")
    if failed:
        raise click.exceptions.Exit(1)
    exit_if_empty(sum(item.result.total for item in results if item.result), fail_if_empty)


@cli.command()
@click.argument("paragraph_id")
@search_options("similar")
@fail_if_empty_option
@output_options
@click.pass_context
def similar(ctx: click.Context, paragraph_id: str, fmt: str | None, fail_if_empty: bool, **options: Any) -> None:
    """Paragraphs most like PARAGRAPH_ID (more like this), under the same filters as query.

    Example: searchkit similar db1cae1d500b#7 --limit 5
    """
    coll = fresh_collection(ctx)
    result = coll.similar(paragraph_id, **library_options(options))
    show_result(result, fmt, options["page"], options["limit"])
    exit_if_empty(result.total, fail_if_empty)


@cli.command()
@click.argument("text", required=False, default="")
@search_options("quotes")
@fail_if_empty_option
@output_options
@click.pass_context
def quotes(ctx: click.Context, text: str, fmt: str | None, fail_if_empty: bool, **options: Any) -> None:
    """List quotations (speaker, quote, article, date); TEXT searches the quoted words.

    Example: searchkit quotes carrots --speaker Polyakova
    """
    coll = fresh_collection(ctx)
    result = coll.quotes(text, **library_options(options))
    for warning in result.warnings:
        note(f"Warning: {warning}")
    if not result.quotes:
        note(
            "No quotations match."
            if result.total == 0
            else f"No quotations on page {options['page']} ({result.total} in all)."
        )
    if fmt == "json":
        write_json(quote_document(result, options["page"], options["limit"]), sys.stdout)
    elif fmt:
        write_records((quote_record(q) for q in result.quotes), fmt, sys.stdout)
    elif result.quotes:
        note(f"{plural(result.total, 'quotation')}; showing {len(result.quotes)} (page {options['page']}).")
        page_text(render_quotes(result.quotes, use_color(), first_rank=(options["page"] - 1) * options["limit"] + 1))
    exit_if_empty(result.total, fail_if_empty)


@cli.command()
@click.option(
    "--fix", is_flag=True, help="Repair what can be repaired: re-index, rebuild, clean up, clear a stale lock."
)
@output_options
@click.pass_context
def doctor(ctx: click.Context, fix: bool, fmt: str | None) -> None:
    """Check the index and the corpus agree, and nothing is left over from a crash; exit 1 on problems.

    Example: searchkit doctor --fix
    """
    checks = collection(ctx).doctor(fix=fix)
    ok = all(c.ok for c in checks)
    if fmt == "json":
        write_json({"output_version": OUTPUT_VERSION, "ok": ok, "checks": [c.to_dict() for c in checks]}, sys.stdout)
    elif fmt:
        write_records((c.to_dict() for c in checks), fmt, sys.stdout)
    else:
        click.echo(render_checks(checks))
    if not ok:
        note("Problems remain" + ("; see above." if fix else "; 'searchkit doctor --fix' repairs what it can."))
        raise click.exceptions.Exit(1)


@cli.command(name="list")
@click.option("--source", help="Only articles from this source. Example: --source Reuters")
@click.option(
    "--path",
    "path_prefix",
    default="",
    help="Only articles whose corpus path starts so. Example: --path bbc-news/sport",
)
@output_options
@click.pass_context
def list_articles(ctx: click.Context, source: str | None, path_prefix: str, fmt: str | None) -> None:
    """List the articles: id, title, source, date, paragraphs, and the file or record they came from.

    Example: searchkit list --path bbc-news/politics --json
    """
    coll = fresh_collection(ctx)
    infos = [
        a
        for a in coll.articles()
        if a.path.startswith(path_prefix) and (source is None or (a.source or "").casefold() == source.casefold())
    ]
    records = [{k: v for k, v in a.to_dict().items() if k not in ("hash", "simhash")} for a in infos]
    if fmt:
        write_records(records, fmt, sys.stdout)
        return
    if infos:
        page_text(render_articles(infos))
    note(f"{plural(len(infos), 'article')}.")


@cli.command()
@click.argument("article")
@output_options
@click.pass_context
def show(ctx: click.Context, article: str, fmt: str | None) -> None:
    """Print an article paragraph by paragraph with its section, speakers and entities.

    Example: searchkit show db1cae1d500b
    """
    coll = fresh_collection(ctx)
    info, paragraphs = coll.article(article)
    if fmt == "json":
        write_json(
            {
                "output_version": OUTPUT_VERSION,
                "article": info.to_dict(),
                "paragraphs": [p.to_dict() for p in paragraphs],
            },
            sys.stdout,
        )
    elif fmt:
        write_records((paragraph_record(info, p) for p in paragraphs), fmt, sys.stdout)
    else:
        page_text(render_article(info, paragraphs, use_color()))


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@verbose_option
@output_options
@click.pass_context
def remove(ctx: click.Context, articles: tuple[str, ...], fmt: str | None, verbose: bool) -> None:
    """Remove articles (by id or corpus path) from the corpus and the index together.

    Example: searchkit remove db1cae1d500b
    """
    finish(collection(ctx).remove(articles), "Removed", fmt, verbose)


@cli.command()
@output_options
@click.pass_context
def stats(ctx: click.Context, fmt: str | None) -> None:
    """Articles, paragraphs, sources, date range, near-duplicates, index size and schema version.

    Example: searchkit stats --json
    """
    coll = fresh_collection(ctx)
    numbers = coll.stats()
    if fmt == "json":
        write_json({"output_version": OUTPUT_VERSION, **numbers}, sys.stdout)
    elif fmt:
        write_records([numbers], fmt, sys.stdout)
    else:
        click.echo(render_fields(numbers))


def name_command(kinds: tuple[str, ...], what: str, example: str) -> Callable:
    """``entities`` and ``speakers``: canonical names with their paragraph and article counts."""

    @click.option("--type", "types", multiple=True, type=click.Choice(kinds), help="Only this type (repeatable).")
    @click.option("--prefix", default="", help="Only names starting so (case-insensitive). Example: --prefix Mar")
    @click.option("-n", "--limit", default=50, show_default=True, help="Names to show. Example: -n 20")
    @output_options
    @click.pass_context
    def command(ctx: click.Context, types: tuple[str, ...], prefix: str, limit: int, fmt: str | None) -> None:
        coll = fresh_collection(ctx)
        names = coll.names(types or kinds, prefix)[:limit]
        if fmt:
            write_records((n.to_dict() for n in names), fmt, sys.stdout)
            return
        if names:
            page_text(render_names(names))

    command.__doc__ = f"List {what} with paragraph and article counts.\n\n    Example: {example}\n    "
    return command


cli.command(name="entities")(
    name_command(
        ("person", "org", "place"),
        "named people, organisations and places",
        "searchkit entities --type person --prefix Mac",
    )
)
cli.command(name="speakers")(
    name_command(("speaker",), "speakers (people whose words paragraphs carry)", "searchkit speakers --json")
)


@cli.command()
@click.argument("name", required=False)
@click.argument("text", required=False, default="")
@click.option("--list", "list_", is_flag=True, help="List the saved watches. Example: searchkit watch --list")
@click.option("--delete", is_flag=True, help="Delete the watch NAME. Example: searchkit watch --delete ukraine")
@click.option(
    "--from-now",
    is_flag=True,
    help="When saving: the first run shows only articles added from now on "
    "(default: everything that matches). Example: --from-now",
)
@click.option("--peek", is_flag=True, help="Run without recording the run: the next run shows the same new hits.")
@saved_options
@click.option("-n", "--limit", default=1000, show_default=True, help="Most hits a run shows. Example: -n 50")
@fail_if_empty_option
@output_options
@click.pass_context
def watch(
    ctx: click.Context,
    name: str | None,
    text: str,
    list_: bool,
    delete: bool,
    from_now: bool,
    peek: bool,
    limit: int,
    fail_if_empty: bool,
    fmt: str | None,
    **filters: Any,
) -> None:
    """Save a search (NAME "query" [filters]) or run it (NAME): show only hits in articles added since its
    last run (the first run shows everything that matches). Saved in the collection's watches/ folder.

    \b
    Examples:
      searchkit watch ukraine "security guarantees" --speaker Zelenskyy
      searchkit watch ukraine --jsonl --fail-if-empty
      searchkit watch --list
    """
    coll = collection(ctx)
    watches = coll.watches
    saving = {k: v for k, v in filters.items() if v}
    if list_:
        records = [w.to_dict() for w in watches.list()]
        width = terminal_width()
        write_records(records, fmt, sys.stdout) if fmt else click.echo(
            "\n".join(
                truncate(clean(f"{r['name']}  {r['query']!r}  {json.dumps(r['options'], ensure_ascii=False)}"), width)
                for r in records
            )
        )
        return
    if not name:
        raise click.UsageError(
            "name a watch: 'searchkit watch NAME \"query\"' saves one, 'searchkit watch NAME' runs it"
        )
    if delete:
        gone = watches.delete(name)
        write_records([gone.to_dict()], fmt, sys.stdout) if fmt else note(f"Deleted the watch {name!r}.")
        return
    if text or saving:
        saved = watches.save(name, text, from_now=from_now, **saving)
        write_records([saved.to_dict()], fmt, sys.stdout) if fmt else note(
            f"Saved the watch {name!r}; run it with: searchkit watch {name}"
        )
        return
    ensure_fresh(coll)
    run = watches.run(name, record=not peek, limit=limit)
    show_watch_run(run, fmt, limit)
    exit_if_empty(run.result.total, fail_if_empty)


def show_watch_run(run: Any, fmt: str | None, limit: int) -> None:
    """A watch run: its new hits as ``query`` prints them, plus the watch's name and the time it looked from."""
    since = "ever" if run.since is None else datetime.fromtimestamp(run.since).isoformat(timespec="seconds")
    note(f"Watch {run.watch.name!r}: {run.new_articles} article(s) added since {since}.")
    if fmt == "json":
        write_json(
            {
                **result_document(run.result, 1, limit),
                "watch": run.watch.name,
                "since": run.since,
                "new_articles": run.new_articles,
            },
            sys.stdout,
        )
    elif fmt:
        write_records(
            ({"watch": run.watch.name, **hit_record(h, run.result.query)} for h in run.result.hits), fmt, sys.stdout
        )
    else:
        show_result(run.result, None, 1, limit)


@cli.group()
def opensearch() -> None:
    """A local OpenSearch cluster for collections made with ``init --engine opensearch`` (needs Java 17 and
    Maven; the server jars come from Maven Central).

    Example: searchkit opensearch start --port 9200 --data ~/opensearch-data
    """


@opensearch.command(name="start")
@click.option("--port", default=9200, show_default=True, help="HTTP port of the first node (node i: PORT+i).")
@click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for the nodes' data and logs (kept across restarts). Example: --data ~/opensearch-data",
)
@click.option("--nodes", default=1, show_default=True, type=click.IntRange(1, 3), help="Nodes in the cluster.")
@click.option("--heap", help="Java heap of each node (default 1g). Example: --heap 2g")
def opensearch_start(port: int, data: str, nodes: int, heap: str | None) -> None:
    """Start a local cluster on 127.0.0.1 and keep it running until Ctrl-C (or the process is stopped).

    Example: searchkit opensearch start --port 9200 --data ~/opensearch-data
    """
    import signal
    import time

    from .. import localnode as node

    if node.is_built():
        note("Starting OpenSearch …")
    else:
        note("Building the OpenSearch launcher (the first time downloads ~110 MB from Maven Central) …")
    started_at = time.monotonic()
    cluster = node.start(os.path.expanduser(data), http_port=port, nodes=nodes, heap=heap)
    took = time.monotonic() - started_at
    note(f"OpenSearch is ready at {cluster.url} ({nodes} node(s), {took:.0f} s); Ctrl-C stops it.")
    click.echo(cluster.url)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a plain kill stops the nodes too
    try:
        while all(n.running() for n in cluster.nodes):
            time.sleep(1)
        note("An OpenSearch node exited; stopping the others.")
    except KeyboardInterrupt:
        note("Stopping OpenSearch …")
    finally:
        cluster.stop()


#: Commands that write nothing of their own: the index update a reading command may run first goes
#: through writers that close what they write before the command reads.
READING_COMMANDS = frozenset({"query", "similar", "quotes", "show", "list", "stats", "entities", "speakers"})


def main() -> None:
    """The ``searchkit`` command.

    After a reading command that ran to its end, the process ends as soon as its output is flushed
    (``os._exit``) rather than through Python's teardown, which frees every module and object one by
    one: ~20 ms of a one-shot query's ~140 ms of CPU, for memory the system takes back anyway. Only
    when no exit handler is registered (an index update may have started NLP workers), and never
    after a writing command, whose files must be closed by their owners.
    """
    try:
        cli(prog_name="searchkit")
    except SystemExit as done:
        if cli.finished in READING_COMMANDS and isinstance(done.code, int | None) and not atexit._ncallbacks():
            end_now(done.code or 0)
        raise


def end_now(code: int) -> None:
    """Flush the output and end the process with ``code``, skipping Python's teardown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away (| head), or the stream was closed
            pass
    os._exit(code)
