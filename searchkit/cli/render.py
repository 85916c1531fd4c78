"""Rendering for people (text, colour on a terminal) and for scripts (JSON, JSON Lines, CSV).

Every record-printing command goes through ``write_records`` so that the keys are the same in every
format. Text for a terminal is cleaned of control sequences that an article could carry.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import IO, Any

from ..model import (
    OUTPUT_VERSION,
    ArticleInfo,
    ChangeReport,
    Facet,
    Hit,
    Match,
    Paragraph,
    QuoteHit,
    QuoteResult,
    SearchResult,
)
from .layout import Piece, cells, fill, style, terminal_width, truncate, truncate_left, words, wrap

FORMATS = ("text", "json", "jsonl", "csv")
#: C0 and C1 controls (ESC starts CSI/OSC sequences; with it escaped a sequence is inert text), and the
#: bidirectional marks, embeddings, overrides and isolates that can reorder what a terminal shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")
BOLD, DIM, MATCH = "1", "2", "1;33"


def clean(text: str) -> str:
    """Make control characters and bidi overrides visible (``\\x1b``) instead of sending them to a terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def hit_record(hit: Hit, query: str | None = None) -> dict[str, Any]:
    """A hit as a flat record: the keys every format uses."""
    record = {
        "id": hit.id,
        "article_id": hit.article_id,
        "title": hit.title,
        "section": hit.section,
        "paragraph": hit.n,
        "score": hit.score,
        "source": hit.source,
        "date": hit.date,
        "url": hit.url,
        "speakers": hit.speakers,
        "entities": [{"name": e.name, "type": e.type} for e in hit.entities],
        "snippet": hit.snippet,
        "snippet_matches": [[m.start, m.end] for m in hit.snippet_matches],
        "text": hit.text,
        "matches": [[m.start, m.end] for m in hit.matches],
        "matched_in": hit.matched_in,
        "matching_paragraphs": hit.matching_paragraphs,
        "copies": hit.copies,
    }
    return {"query": clean(query), **record} if query is not None else record


def result_document(result: SearchResult, page: int, limit: int) -> dict[str, Any]:
    """The one JSON document ``query --json`` prints."""
    return {
        "output_version": OUTPUT_VERSION,
        "query": result.query,
        "parsed": result.parsed,
        "unit": result.unit,
        "total": result.total,
        "page": page,
        "limit": limit,
        "hits": [hit_record(hit) for hit in result.hits],
        "facets": facet_records(result.facets),
        "warnings": result.warnings,
        "suggestion": result.suggestion,
    }


def facet_records(facets: Sequence[Facet]) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "unit": f.unit, "values": [{"value": v.value, "count": v.count} for v in f.values]}
        for f in facets
    ]


def quote_record(quote: QuoteHit) -> dict[str, Any]:
    """A quotation as a flat record: the keys every format uses."""
    return {
        "speaker": quote.speaker,
        "quote": quote.text,
        "article_id": quote.article_id,
        "paragraph_id": quote.paragraph_id,
        "title": quote.title,
        "date": quote.date,
        "source": quote.source,
        "start": quote.start,
        "end": quote.end,
        "matches": [[m.start, m.end] for m in quote.matches],
    }


def quote_document(result: QuoteResult, page: int, limit: int) -> dict[str, Any]:
    """The one JSON document ``quotes --json`` prints."""
    return {
        "output_version": OUTPUT_VERSION,
        "query": result.query,
        "total": result.total,
        "page": page,
        "limit": limit,
        "quotes": [quote_record(q) for q in result.quotes],
        "facets": facet_records(result.facets),
        "warnings": result.warnings,
    }


def write_json(document: Any, stream: IO[str]) -> None:
    stream.write(to_json(document, indent=2) + "\n")


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON with every control and bidi character escaped (``\\u009b``), not only those JSON requires:
    ``jq`` or ``cat`` on a terminal must not receive an 8-bit CSI or a U+202E raw."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=indent))


def write_records(records: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> None:
    """Records as JSON (a list), JSON Lines or CSV; nested values become JSON (lists of names: "; ")."""
    if fmt == "json":
        write_json(list(records), stream)
    elif fmt == "jsonl":
        for record in records:
            stream.write(to_json(record) + "\n")
    elif fmt == "csv":
        import csv  # --csv only

        rows = list(records)
        writer = csv.writer(stream)
        shown = clean if _is_terminal(stream) else str
        if rows:
            writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(shown(_csv_cell(value)) for value in row.values())
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "; ".join(value)
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(_CSV_RISKY) else text


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 paragraph``, ``3 paragraphs`` (thousands grouped)."""
    return f"{count:,} {noun if count == 1 else plural_form or noun + 's'}"


def match_count(total: int, unit: str) -> str:
    """``1 paragraph matches``, ``3 articles match`` (``unit`` is a plural: paragraphs, articles)."""
    return f"{plural(total, unit.removesuffix('s'))} {'matches' if total == 1 else 'match'}"


def render_hits(result: SearchResult, color: bool, width: int | None = None, first_rank: int = 1) -> str:
    """Hits for a person: rank, title, section, paragraph (and score when ranked by one), the snippet with
    its matches highlighted, then id, source, date and speakers; each wrapped to ``width``."""
    width = width or terminal_width()
    ranked = bool(result.query.strip())
    lines: list[str] = []
    for rank, hit in enumerate(result.hits, first_rank):
        head: list[Piece] = [(f"{rank}. ", None), (clean(hit.title or "(untitled)"), BOLD)]
        if hit.section:
            head.append((f" — {clean(hit.section)}", None))
        about_hit = [f"¶{hit.n}"]  # each kept whole on one line
        if ranked and hit.score:
            about_hit.append(f"score {hit.score:.2f}")
        if hit.copies:
            about_hit.append(f"({plural(hit.copies, 'near-copy', 'near-copies')} hidden)")
        if hit.matching_paragraphs is not None:
            about_hit.append(f"({plural(hit.matching_paragraphs, 'matching paragraph')})")
        lines += wrap(words(head) + [[(item, None)] for item in about_hit], width, color, hanging="   ")
        lines += fill(highlight_pieces(hit.snippet, hit.snippet_matches, color), width, color, "   ")
        about = " · ".join(clean(v) for v in (hit.id, hit.source, hit.date and hit.date[:10]) if v)
        if hit.speakers:
            about += f" · speakers: {', '.join(clean(s) for s in hit.speakers)}"
        lines += fill([(about, DIM)], width, color, "   ")
        lines.append("")
    return "\n".join(lines)


def render_facets(facets: Sequence[Facet], color: bool, width: int | None = None) -> str:
    """Facet counts, one facet a paragraph: ``speaker: Alina Polyakova 3 · Volodymyr Zelenskyy 1``; a
    value stays on one line with its count (cut with "…" if it cannot fit a line)."""
    width = width or terminal_width()
    shown = [f for f in facets if f.values]
    if not shown:
        return ""
    lines = [style(f"Facets (counting {shown[0].unit}):", BOLD, color)]
    for facet in shown:
        indent, hanging = f"  {facet.name}: ", "    "
        room = width - max(cells(indent), cells(hanging))
        atoms = []
        for v in facet.values:
            count = f" {v.count:,}"
            atoms.append([(truncate(clean(v.value), room - cells(count)) + count, None)])
        lines += wrap(atoms, width, color, indent, hanging, sep=" · ")
    return "\n".join(lines)


def render_quotes(quotes: Sequence[QuoteHit], color: bool, width: int | None = None, first_rank: int = 1) -> str:
    """Quotations for a person: rank, speaker, the quote (matches highlighted), then article and date."""
    width = width or terminal_width()
    lines: list[str] = []
    for rank, quote in enumerate(quotes, first_rank):
        body: list[Piece] = [(f"{rank}. ", None), (clean(quote.speaker or "(unattributed)"), BOLD), (": “", None)]
        body += highlight_pieces(quote.text, quote.matches, color) + [("”", None)]
        lines += fill(body, width, color, hanging="   ")
        about = " · ".join(clean(v) for v in (quote.title, quote.paragraph_id, quote.date and quote.date[:10]) if v)
        lines += fill([(about, DIM)], width, color, "   ")
    return "\n".join(lines)


def highlight_pieces(text: str, spans: Sequence[Match], color: bool) -> list[Piece]:
    """``text`` with its matched spans marked: bold colour on a terminal, ``**word**`` when piped."""
    pieces: list[Piece] = []
    last = 0
    for span in spans:
        pieces.append((clean(text[last : span.start]), None))
        word = clean(text[span.start : span.end])
        pieces.append((word, MATCH) if color else (f"**{word}**", None))
        last = span.end
    pieces.append((clean(text[last:]), None))
    return pieces


def render_report(report: ChangeReport, verb: str, verbose: bool = False, width: int | None = None) -> str:
    """A change summary for stderr: one line of counts, then each kind of skip or failure once, with its
    count, its reason and the first names that fit on a line (``verbose``: every name, one a line).
    Paths are shown from the current folder; in a group, later names without the start they share."""
    width = width or terminal_width()
    lines = fill([(f"{verb}: {report_counts(report)}", None)], width, False, hanging="  ")
    kinds = outcome_kinds(report)
    cut = False
    for (status, reason), items in kinds.items():
        if len(items) == 1:
            name, detail = items[0]
            lines += fill([(f"{_display_name(name)}: {detail or reason}", None)], width, False, f"  {status}: ", "    ")
            continue
        lines += fill([(f"{reason}:", None)], width, False, f"  {status} {len(items):,}: ", "    ")
        if verbose:
            lines += [f"    {name}" + (f" ({detail})" if detail else "") for name, detail in items]
        else:
            lines.append(_first_names("    ", short_names([_display_name(name) for name, _ in items]), width))
            cut = cut or lines[-1].endswith(" more")
    if cut:
        lines.append("  (--verbose names every one)")
    return "\n".join(lines)


def report_counts(report: ChangeReport) -> str:
    """``263 articles added, 35 skipped; 2,517 paragraphs indexed``, or ``nothing new; 300 skipped``."""
    changed = [f"{report.count(s):,} {s}" for s in ("added", "replaced", "removed") if report.count(s)]
    if changed:
        first = report.count(changed[0].split()[-1])
        changed[0] = f"{plural(first, 'article')} {changed[0].split()[-1]}"
    other = [f"{report.count(s):,} {s}" for s in ("skipped", "failed") if report.count(s)]
    text = ", ".join(changed + other) if changed else "; ".join(filter(None, ["nothing new", ", ".join(other)]))
    if changed and report.paragraphs:
        text += f"; {plural(report.paragraphs, 'paragraph')} indexed"
    return text


def outcome_kinds(report: ChangeReport) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Skipped and failed items grouped by status and reason (the reason without the item's own name),
    each as (name, detail): a duplicate's twin is its detail rather than a group of its own."""
    kinds: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for outcome in report.outcomes:
        if outcome.status not in ("skipped", "failed") and not outcome.reason:
            continue  # an added article is listed only when something about it needs saying (renamed)
        name = clean(outcome.where)
        reason = _without_name(clean(outcome.reason or ""), name)
        detail = ""
        if reason.startswith("duplicate of "):
            detail, reason = reason, "duplicates"
        kinds.setdefault((outcome.status, reason), []).append((name, detail))
    return kinds


def _without_name(reason: str, where: str) -> str:
    """ "binary.txt: not text" → "not text" for the item binary.txt (the report names it already)."""
    for name in (where, PurePath(where.split(":")[0]).name):
        if name and reason.startswith(name + ": "):
            return reason[len(name) + 2 :]
    return reason


def short_names(names: Sequence[str]) -> list[str]:
    """The first name whole, the others without the start they all share (a folder, or "feed.jsonl
    line "): "feed.jsonl line 30, 31, 76". In a summary the part that differs is what tells them apart."""
    if len(names) < 2:
        return list(names)
    shared = os.path.commonprefix(list(names))
    cut = max(shared.rfind("/"), shared.rfind(" ")) + 1
    return [names[0]] + [name[cut:] for name in names[1:]]


def _display_name(name: str) -> str:
    """A reported path as a summary shows it: relative to the current folder when inside it, else its
    folder and file name ("…/feed/binary.txt"); ``--verbose`` and ``--json`` give it whole."""
    if not name.startswith("/"):
        return name
    try:
        return str(PurePath(name).relative_to(os.getcwd()))
    except ValueError:
        parts = PurePath(name).parts
        return "…/" + "/".join(parts[-2:]) if len(parts) > 3 else name


def _first_names(label: str, names: Sequence[str], width: int) -> str:
    """``label`` and as many names as fit in ``width``, then "… +N more"."""
    for shown in range(len(names), 0, -1):
        more = len(names) - shown
        line = label + ", ".join(names[:shown]) + (f" … +{more:,} more" if more else "")
        if cells(line) <= width:
            return line
    tail = f" … +{len(names) - 1:,} more" if len(names) > 1 else ""
    return label + truncate_left(names[0], max(8, width - cells(label) - cells(tail))) + tail


def paragraph_record(info: ArticleInfo, paragraph: Paragraph) -> dict[str, Any]:
    """A paragraph of ``show`` as a flat record."""
    return {
        "id": paragraph.id,
        "article_id": info.id,
        "title": info.title,
        "paragraph": paragraph.n,
        "section": paragraph.section,
        "speakers": [s.name for s in paragraph.speakers],
        "entities": [{"name": e.name, "type": e.type} for e in paragraph.entities],
        "text": paragraph.text,
    }


def render_article(info: ArticleInfo, paragraphs: Sequence[Paragraph], color: bool, width: int | None = None) -> str:
    """An article for a person: its metadata, then each paragraph under its section, wrapped to ``width``."""
    width = width or terminal_width()
    lines = fill([(clean(info.title or "(untitled)"), BOLD)], width, color)
    for key, value in (
        ("id", info.id),
        ("source", info.source),
        ("by", ", ".join(info.authors)),
        ("date", info.date),
        ("url", info.url),
        ("file", info.path),
        ("copy of", info.copy_of),
    ):
        if value:
            lines += fill([(clean(str(value)), None)], width, color, f"{key}: ", "  ")
    lines.append("")
    section = None
    for p in paragraphs:
        if p.section != section and p.section:
            lines += fill([(clean(p.section), BOLD)], width, color) + [""]
        section = p.section
        lines += fill([(clean(p.text), None)], width, color, f"¶{p.n}  ")
        for label, names in (
            ("speakers", [f"{clean(s.name)} ({s.how})" for s in p.speakers]),
            ("entities", [f"{clean(e.name)} [{e.type}]" for e in p.entities]),
        ):
            if names:  # a name stays on one line with its kind
                atoms = [[(truncate(name, width - 8), DIM)] for name in names]
                lines += wrap(atoms, width, color, style(f"    {label}: ", DIM, color), "      ", sep=", ")
        lines.append("")
    return "\n".join(lines)


def render_articles(infos: Sequence[ArticleInfo], width: int | None = None) -> str:
    """``list`` for a person: id, date, paragraphs, source (columns as wide as their values need), the
    title, then the corpus path when the whole line fits; else the path is left out (``--json`` has it)
    and the title is cut with "…" if it still does not fit."""
    width = width or terminal_width()
    dated = any(a.date for a in infos)
    source_width = min(12, max((cells(clean(a.source or "-")) for a in infos), default=1))
    lines = []
    for a in infos:
        date = f"{(a.date or '')[:10]:10}  " if dated else ""
        source = truncate(clean(a.source or "-"), source_width)
        start = f"{a.id}  {date}{a.paragraphs:3}¶  {source}{' ' * (source_width - cells(source))}  "
        title = clean(a.title or "(untitled)")
        tail = f"  [{clean(a.path)}]" + (f" (copy of {a.copy_of})" if a.copy_of else "")
        if cells(start + title + tail) > width:
            tail = f"  (copy of {a.copy_of})" if a.copy_of else ""
            title = truncate(title, max(8, width - cells(start) - cells(tail)))
        lines.append(start + title + tail)
    return "\n".join(lines)


def render_names(names: Sequence[Any], width: int | None = None) -> str:
    """``entities`` / ``speakers`` for a person: counts, type, then the name (cut to fit)."""
    width = width or terminal_width()
    lines = []
    for n in names:
        start = f"{n.paragraphs:6} ¶ {n.articles:5} art.  {n.type:7}  "
        lines.append(start + truncate(clean(n.name), width - cells(start)))
    return "\n".join(lines)


def render_fields(record: dict[str, Any], width: int | None = None) -> str:
    """A single record (``stats``) for a person: ``name: value`` lines."""
    width = width or terminal_width()
    lines = []
    for key, value in record.items():
        lines += fill([(clean(str(value)), None)], width, False, f"{key.replace('_', ' ')}: ", "  ")
    return "\n".join(lines)


def render_checks(checks: Sequence[Any], width: int | None = None) -> str:
    """``doctor`` for a person: ok or PROBLEM, the check, and what it found (wrapped under it)."""
    width = width or terminal_width()
    lines = []
    for c in checks:
        fixed = f" (fixed: {c.fixed})" if c.fixed else ""
        status = f"{'ok' if c.ok else 'PROBLEM':8}"
        lines += fill([(clean(f"{c.check}: {c.detail}{fixed}"), None)], width, False, status)
    return "\n".join(lines)


def _blank_hit_record() -> dict[str, Any]:
    blank = Hit(id="", article_id="", title=None, section=None, n=0, score=0.0, text="", snippet="")
    return dict.fromkeys(hit_record(blank))


def batch_records(item: Any) -> list[dict[str, Any]]:
    """One ``query --batch`` result as flat records, all with the same keys: ``line``, ``query``,
    ``total``, ``error``, then a hit's keys. A query with no hits, or one that failed, still gets one
    record (its hit keys empty), so every input line is accounted for."""
    head = {
        "line": item.line,
        "query": item.query,
        "total": item.result.total if item.result else None,
        "error": item.error,
    }
    if item.result is None or not item.result.hits:
        return [{**head, **_blank_hit_record()}]
    return [{**head, **hit_record(hit)} for hit in item.result.hits]


def batch_document_entry(item: Any) -> dict[str, Any]:
    """One query of ``query --batch --json``: its line, error, and the document ``query --json`` prints."""
    page, limit = item.options.get("page", 1), item.options.get("limit", 10)
    document = result_document(item.result, page, limit) if item.result else {"query": item.query}
    document.pop("output_version", None)
    return {"line": item.line, "error": item.error, **document}
