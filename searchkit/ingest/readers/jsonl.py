"""JSON and JSON Lines: one article per record, with common field names recognised without configuration.

A ``.json`` file holds one object or a list of objects (or, as often happens, is JSON Lines after all);
``.jsonl``/``.ndjson`` hold one object per line. A bad record is a ``ReadProblem`` naming its line and
the rest of the file is still read; only a file with no usable JSON at all is an ``InputError``.
searchkit's own corpus records (objects with a ``blocks`` list) are read back exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields as dataclass_fields
from datetime import datetime, timezone
from typing import Any

from ...errors import InputError
from ...model import Article, Block, Reading, ReadProblem
from ..dates import parse_date
from .text import decode, split_authors, split_blocks

#: searchkit field → record keys tried in order when the caller names none.
KEYS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "articleBody", "article_body", "article", "story", "fulltext", "description"),
    "title": ("title", "headline", "name", "heading"),
    "date": (
        "date",
        "published",
        "publishedAt",
        "published_at",
        "datePublished",
        "publish_date",
        "pubDate",
        "pub_date",
        "created_at",
        "timestamp",
    ),
    "url": ("url", "link", "canonical_url", "href", "permalink"),
    "source": ("source", "publisher", "site", "site_name", "outlet", "feed"),
    "authors": ("authors", "author", "byline", "creator", "writers"),
    "language": ("language", "lang", "inLanguage", "locale"),
    "dateline": ("dateline",),
    "id": ("id", "newid", "guid", "_id", "uuid", "doc_id"),
}
_SIGN_OFF = re.compile(r"\n\s*reuters?\s*\x03?\s*$", re.I)
_CODE = re.compile(r"[\d.<>()/&]")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"}
#: Short words that are ordinary words, not acronyms, in wire headlines.
_SHORT_WORDS = _SMALL_WORDS | {
    "say",
    "buy",
    "cut",
    "set",
    "see",
    "net",
    "oil",
    "new",
    "up",
    "off",
    "out",
    "not",
    "sue",
    "win",
    "bid",
    "may",
    "law",
    "tax",
    "end",
    "two",
    "one",
    "six",
    "ten",
    "its",
    "has",
    "had",
    "get",
    "got",
    "low",
    "pay",
    "raw",
    "dry",
    "key",
    "top",
    "big",
    "gas",
    "war",
    "car",
    "air",
    "all",
    "any",
    "ask",
    "due",
    "fed",
    "be",
    "is",
    "it",
    "no",
    "so",
    "we",
    "he",
    "do",
    "go",
    "if",
    "own",
    "ups",
    "hit",
    "lag",
    "job",
    "aid",
    "but",
    "ban",
    "ltd",
    "inc",
    "qtr",
    "pct",
    "co",
    "mln",
    "bln",
    "dlr",
    "yen",
    "way",
    "lot",
    "far",
    "now",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
}
_ARTICLE_FIELDS = {f.name for f in dataclass_fields(Article)}


def read(data: bytes, name: str, fields: Mapping[str, str] | None = None, **_options: object) -> Reading:
    """Articles from every usable record; ``fields`` maps a searchkit field to a record key (``text=body``)."""
    unknown = set(fields or {}) - set(KEYS)
    if unknown:
        raise InputError(f"unknown field {sorted(unknown)[0]!r} in --field; use one of {', '.join(KEYS)}")
    text = decode(data, name)
    reading = Reading([])
    saw_text_key = False
    for where, record_or_error, fallback_key in _records(text, name):
        if isinstance(record_or_error, str):
            reading.problems.append(ReadProblem(where, record_or_error))
            continue
        try:
            article, had_key = _article(record_or_error, where, fallback_key, fields or {})
        except (TypeError, ValueError) as exc:
            reading.problems.append(ReadProblem(where, f"not an article record ({exc})"))
            continue
        saw_text_key = saw_text_key or had_key
        if article is None:
            reading.problems.append(ReadProblem(where, "no body", skipped=True))
        else:
            reading.articles.append(article)
    _check_usable(reading, name, saw_text_key, fields or {})
    return reading


def _check_usable(reading: Reading, name: str, saw_text_key: bool, fields: Mapping[str, str]) -> None:
    """A file that yields nothing because of how it is written (not because records are empty) is an error."""
    if reading.articles:
        return
    if reading.problems and all(not p.skipped for p in reading.problems):
        raise InputError(
            f"{name}: no line holds a valid JSON object ({reading.problems[0].reason}); check it is JSON or JSON Lines"
        )
    if reading.problems and not saw_text_key:
        tried = fields.get("text") or ", ".join(KEYS["text"][:4])
        raise InputError(f"{name}: no record has a text field (looked for {tried}); name it with --field text=KEY")
    if not reading.problems:
        raise InputError(f"{name}: holds no records; nothing to add")


def _records(text: str, name: str) -> Iterator[tuple[str, dict[str, Any] | str, str | None]]:
    """(where, record or reason it is unusable, fallback record key) for each record in the file."""
    lines_suffix = name.lower().endswith((".jsonl", ".ndjson"))
    if not lines_suffix:
        try:
            whole = json.loads(text)
        except ValueError as exc:
            if not _looks_like_lines(text):
                raise InputError(f"{name}: not valid JSON ({exc}); fix the file or save it as JSON Lines") from None
        except RecursionError:
            raise InputError(f"{name}: JSON nested too deeply to read; check the file") from None
        else:
            if isinstance(whole, list):
                for i, item in enumerate(whole, start=1):
                    yield f"{name} item {i}", _object_or_reason(item), f"item-{i}"
            else:
                yield name, _object_or_reason(whole), None
            return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {n}"
        try:
            yield where, _object_or_reason(json.loads(line)), f"line-{n}"
        except ValueError as exc:
            yield where, f"not valid JSON ({exc})", None
        except RecursionError:
            yield where, "JSON nested too deeply", None


def _looks_like_lines(text: str) -> bool:
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines)


def _object_or_reason(value: Any) -> dict[str, Any] | str:
    return value if isinstance(value, dict) else f"not a JSON object but {type(value).__name__}"


def _article(
    record: dict[str, Any], where: str, fallback_key: str | None, fields: Mapping[str, str]
) -> tuple[Article | None, bool]:
    """The record as an article (None when it has no body), and whether it had a text key at all."""
    if isinstance(record.get("blocks"), list):
        return _corpus_article(record), True
    text_key, body = _lookup(record, "text", fields)
    blocks = _blocks(body)
    if not blocks:
        return None, text_key is not None
    article = Article(blocks=blocks, origin=where, record=_record_key(record, fields) or fallback_key)
    article.provenance["text"] = f"record {text_key}"
    title_key, title = _lookup(record, "title", fields)
    if title is not None and not isinstance(title, str):
        raise ValueError(f"field {title_key!r} must be text, not {type(title).__name__}")
    if isinstance(title, str) and title.strip():
        article.title, note = _readable_title(title.strip(), " ".join(b.text for b in blocks))
        article.provenance["title"] = f"record {title_key}{note}"
    for field in ("source", "url", "language", "dateline"):
        key, value = _lookup(record, field, fields)
        if value is not None and not isinstance(value, (str, list, dict)):
            raise ValueError(f"field {key!r} must be text, not {type(value).__name__}")
        value = _first_name(value)
        if value:
            setattr(article, field, value.strip())
            article.provenance[field] = f"record {key}"
    key, value = _lookup(record, "date", fields)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
        raise ValueError(f"field {key!r} must be a date as text or a Unix time, not {type(value).__name__}")
    if (date := _date(value)) is not None:
        article.date, article.provenance["date"] = date, f"record {key}"
    key, value = _lookup(record, "authors", fields)
    if authors := _authors(value):
        article.authors, article.provenance["authors"] = authors, f"record {key}"
    return article, True


def _corpus_article(record: dict[str, Any]) -> Article:
    """searchkit's own stored record: exactly ``Article.to_dict()`` (id and path belong to the corpus)."""
    values = {k: v for k, v in record.items() if k in _ARTICLE_FIELDS and k not in ("id", "path")}
    blocks = []
    for i, block in enumerate(record["blocks"], 1):
        if not isinstance(block, dict):
            raise ValueError(f"paragraph {i} of 'blocks' must be an object with a text field")
        blocks.append(Block(block.get("text"), block.get("heading")))  # type: ignore[arg-type]  # checked later
    values["blocks"] = blocks
    return Article(**values)  # its fields are checked by checks.check_article


def _lookup(record: dict[str, Any], field: str, fields: Mapping[str, str]) -> tuple[str | None, Any]:
    """(key, value) of the first key present for ``field``; a named key is the only one tried."""
    keys = (fields[field],) if field in fields else KEYS[field]
    for key in keys:
        if key in record and record[key] not in (None, "", []):
            return key, record[key]
    return (keys[0] if field in fields and keys[0] in record else None), None


def _blocks(body: Any) -> list[Block]:
    """Body text (a string, or a list of paragraph strings) as blocks, without an agency sign-off."""
    parts = body if isinstance(body, list) else [body]
    blocks: list[Block] = []
    for part in parts:
        if isinstance(part, str):
            blocks.extend(split_blocks(_SIGN_OFF.sub("", part.replace("\x03", ""))))
    return blocks


def _record_key(record: dict[str, Any], fields: Mapping[str, str]) -> str | None:
    """The record's own id, else a short hash of its URL: stable across re-reads of the same feed."""
    _, value = _lookup(record, "id", fields)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    _, url = _lookup(record, "url", fields)
    if isinstance(url, str) and url.strip():
        return "url-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:12]
    return None


def _readable_title(title: str, body: str = "") -> tuple[str, str]:
    """An all-capitals wire headline in title case ("BAHIA COCOA REVIEW" → "Bahia Cocoa Review").

    Acronyms and codes are kept as written: short unknown words ("GM", "IBM", "EC"), words with dots,
    digits or brackets ("U.S.", "1ST", "<IBM>"), words without a vowel ("NTSB"), and words the body
    (written in mixed case) spells in capitals too ("OECD", "NATO", "OPEC"; "OECD'S" → "OECD's").
    """
    if any(ch.islower() for ch in title) or not any(ch.isalpha() for ch in title):
        return title, ""
    capitals = _capitalised_words(body)
    words = []
    for i, word in enumerate(title.split()):
        lower = word.lower()
        core, possessive = re.match(r"^(.*?)('S)?$", word).groups()  # type: ignore[union-attr]
        if i and lower in _SMALL_WORDS:
            words.append(lower)
        elif _CODE.search(word) or (len(word) <= 3 and lower not in _SHORT_WORDS):
            words.append(word)
        elif core in capitals or not re.search(r"[AEIOUY]", core):
            words.append(core + ("'s" if possessive else ""))
        else:
            words.append(lower[:1].upper() + lower[1:])
    return " ".join(words), ", title-cased"


def _capitalised_words(body: str) -> set[str]:
    """Words of two or more capitals that a mixed-case body writes so: its acronyms. An all-capitals
    body tells nothing (every word would count)."""
    letters = [ch for ch in body if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) > len(letters) / 2:
        return set()
    return set(re.findall(r"\b[A-Z]{2,}\b", body))


def _first_name(value: Any) -> str | None:
    """A string value, or the ``name`` of an object such as ``{"name": "Reuters"}``."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) and value.strip() else None


def _authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _first_name(item)
        for part in split_authors(name):
            if part.lower() not in (n.lower() for n in names):
                names.append(part)
    return names


def _date(value: Any) -> str | None:
    """A date string in any form ``parse_date`` knows, or a Unix timestamp in seconds or milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
        return parse_date(moment.isoformat(timespec="seconds"))
    return parse_date(value) if isinstance(value, str) else None
