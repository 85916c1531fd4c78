"""Rendering for people (text, colour on a terminal) and for scripts (JSON, JSON Lines, CSV).

Every record-printing command goes through ``write_records`` so that the keys are the same in every
format. Text for a terminal is cleaned of control sequences that an article could carry.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import textwrap
from collections.abc import Iterable, Sequence
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
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_records(records: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> None:
    """Records as JSON (a list), JSON Lines or CSV; nested values become JSON (lists of names: "; ")."""
    if fmt == "json":
        write_json(list(records), stream)
    elif fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        rows = list(records)
        writer = csv.writer(stream)
        if rows:
            writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(_csv_cell(value) for value in row.values())
    else:
        raise ValueError(f"unknown format {fmt!r}")


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


def render_hits(result: SearchResult, color: bool, width: int | None = None, first_rank: int = 1) -> str:
    """Hits for a person: rank, title, section, paragraph, score, then the highlighted snippet."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    lines: list[str] = []
    for rank, hit in enumerate(result.hits, first_rank):
        title = clean(hit.title or "(untitled)")
        where = f" — {clean(hit.section)}" if hit.section else ""
        head = f"{rank}. {_style(title, color, BOLD)}{where}  ¶{hit.n}  score {hit.score:.2f}"
        if hit.copies:
            head += f"  ({hit.copies} near-cop{'ies' if hit.copies != 1 else 'y'} hidden)"
        if hit.matching_paragraphs is not None:
            head += f"  ({hit.matching_paragraphs} matching paragraph{'s' if hit.matching_paragraphs != 1 else ''})"
        lines.append(head)
        body = highlight(hit.snippet, hit.snippet_matches, color)
        lines += textwrap.wrap(
            body, width=max(40, width - 3), initial_indent="   ", subsequent_indent="   ", break_on_hyphens=False
        )
        about = " · ".join(clean(v) for v in (hit.id, hit.source, hit.date and hit.date[:10]) if v)
        speakers = f" · speakers: {', '.join(clean(s) for s in hit.speakers)}" if hit.speakers else ""
        lines.append("   " + _style(about + speakers, color, DIM))
        lines.append("")
    return "\n".join(lines)


def render_facets(facets: Sequence[Facet], color: bool, width: int | None = None) -> str:
    """Facet counts, one line a facet: ``speaker: Alina Polyakova 3 · Volodymyr Zelenskyy 1``."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    shown = [f for f in facets if f.values]
    if not shown:
        return ""
    lines = [_style(f"Facets (counting {shown[0].unit}):", color, BOLD)]
    for facet in shown:
        values = " · ".join(f"{clean(v.value)} {v.count}" for v in facet.values)
        lines += textwrap.wrap(
            f"{facet.name}: {values}",
            width=max(40, width - 2),
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def render_quotes(quotes: Sequence[QuoteHit], color: bool, width: int | None = None, first_rank: int = 1) -> str:
    """Quotations for a person: rank, speaker, the quote (matches highlighted), then article and date."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    lines: list[str] = []
    for rank, quote in enumerate(quotes, first_rank):
        speaker = clean(quote.speaker or "(unattributed)")
        body = f"{rank}. {_style(speaker, color, BOLD)}: “{highlight(quote.text, quote.matches, color)}”"
        lines += textwrap.wrap(body, width=max(40, width - 3), subsequent_indent="   ", break_on_hyphens=False)
        about = " · ".join(clean(v) for v in (quote.title, quote.paragraph_id, quote.date and quote.date[:10]) if v)
        lines.append("   " + _style(about, color, DIM))
    return "\n".join(lines)


def highlight(text: str, spans: Sequence[Match], color: bool) -> str:
    """Mark the spans: bold colour on a terminal, ``**word**`` when piped."""
    out: list[str] = []
    last = 0
    for span in spans:
        out.append(clean(text[last : span.start]))
        word = clean(text[span.start : span.end])
        out.append(_style(word, color, MATCH) if color else f"**{word}**")
        last = span.end
    out.append(clean(text[last:]))
    return "".join(out)


def _style(text: str, color: bool, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_report(report: ChangeReport, verb: str) -> str:
    """A change summary for stderr: the counts, then one line per skipped or failed item with its reason."""
    lines = [f"{verb}: {report.summary()} ({report.paragraphs} paragraphs indexed)"]
    for outcome in report.outcomes:
        if outcome.status in ("skipped", "failed"):
            lines.append(f"  {outcome.status}: {clean(outcome.where)}: {clean(outcome.reason or '')}")
    return "\n".join(lines)


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


def render_article(info: ArticleInfo, paragraphs: Sequence[Paragraph], color: bool) -> str:
    """An article for a person: its metadata, then each paragraph under its section."""
    head = [_style(clean(info.title or "(untitled)"), color, BOLD)]
    head += [
        f"{key}: {clean(str(value))}"
        for key, value in (
            ("id", info.id),
            ("source", info.source),
            ("by", ", ".join(info.authors)),
            ("date", info.date),
            ("url", info.url),
            ("file", info.path),
            ("copy of", info.copy_of),
        )
        if value
    ]
    lines = head + [""]
    section = None
    for p in paragraphs:
        if p.section != section and p.section:
            lines += [_style(clean(p.section), color, BOLD), ""]
        section = p.section
        lines.append(f"¶{p.n}  {clean(p.text)}")
        about = []
        if p.speakers:
            about.append("speakers: " + ", ".join(f"{clean(s.name)} ({s.how})" for s in p.speakers))
        if p.entities:
            about.append("entities: " + ", ".join(f"{clean(e.name)} [{e.type}]" for e in p.entities))
        lines += ["    " + _style(line, color, DIM) for line in about] + [""]
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
