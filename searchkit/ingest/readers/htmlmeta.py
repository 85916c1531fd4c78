"""Article metadata from a parsed page, best source first, remembering which source won.

Publishers state metadata several times and not always consistently; structured sources (Open Graph,
JSON-LD) are what they maintain for search engines and social sites, so they come before what is
guessed from the visible page. Must run before ``htmlbody`` prunes the tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Tag

from ..dates import parse_date
from .text import split_authors

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
_SUFFIX = re.compile(r"\s+(?:\||-{1,2}|–|—|::|·|•|»)\s+")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+|\s*[|｜：]\s*")
_DATE_METAS = (
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:published_time",
    "published_time",
    "datepublished",
    "originalpublicationdate",
    "displaydate",
)

#: Other meta names publishers use for the publication time ("cXenseParse:recs:publishtime", "article_date_original").
_PUBLISHED_KEY = re.compile(r"publi\w*(?:date|time)|pub_?date|date_?original|date_?published", re.I)
_OTHER_DATE_KEY = re.compile(r"modif|updat|end|expir|epoch", re.I)


@dataclass
class Metadata:
    """The metadata a page states, with ``provenance`` naming the source of each value."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: Any, where: str) -> None:
        """Keep ``value`` for ``name`` unless a better source already gave one."""
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.provenance[name] = where


def extract_metadata(soup: BeautifulSoup) -> Metadata:
    metas = _meta_tags(soup)
    ld = _json_ld_article(soup)
    found = Metadata()
    site = metas.get("og:site_name") or _first(ld.get("publisher"))
    found.offer("source", _clean(metas.get("og:site_name")), "og:site_name")
    found.offer("source", _clean(_first(ld.get("publisher"))), "json-ld publisher")
    found.offer("source", _clean(metas.get("application-name")), "meta application-name")

    found.offer("title", without_site_name(_clean(metas.get("og:title")), site), "og:title")
    found.offer("title", without_site_name(_clean(_first(ld.get("headline"))), site), "json-ld headline")
    found.offer("title", without_site_name(_clean(metas.get("twitter:title")), site), "twitter:title")
    h1 = soup.find("h1")
    found.offer("title", _clean(h1.get_text(" ")) if h1 else None, "h1")
    title_tag = soup.find("title")
    if title_tag:
        found.offer("title", strip_site_suffix(_clean(title_tag.get_text(" ")) or "", site), "title tag")

    found.offer("authors", _authors(ld.get("author")), "json-ld author")
    found.offer("authors", split_authors(metas.get("author")), "meta author")
    article_author = metas.get("article:author")
    if article_author and not re.match(r"https?://", article_author):
        found.offer("authors", split_authors(article_author), "article:author")
    found.offer("authors", split_authors(metas.get("byl") or metas.get("dc.creator")), "meta byline")
    found.offer("authors", _itemprop_authors(soup), "itemprop author")
    found.offer("authors", _rel_authors(soup), "rel author")

    found.offer("date", parse_date(_first(ld.get("datePublished")) or ""), "json-ld datePublished")
    found.offer("date", parse_date(metas.get("article:published_time", "")), "article:published_time")
    found.offer("date", _time_datetime(soup), "time datetime")
    for key in _DATE_METAS:
        found.offer("date", parse_date(metas.get(key, "")), f"meta {key}")
    for key, value in metas.items():
        if _PUBLISHED_KEY.search(key) and not _OTHER_DATE_KEY.search(key):
            found.offer("date", parse_date(value), f"meta {key}")
    found.offer("date", parse_date(_first(ld.get("dateCreated")) or ""), "json-ld dateCreated")

    canonical = soup.find("link", rel="canonical", href=True)
    found.offer("url", _absolute(canonical["href"]) if canonical else None, "link canonical")
    found.offer("url", _absolute(metas.get("og:url")), "og:url")
    found.offer("url", _absolute(_first(ld.get("url"))), "json-ld url")

    html = soup.find("html")
    found.offer("language", _language(html.get("lang") if html else None), "html lang")
    found.offer("language", _language(metas.get("content-language")), "meta content-language")
    found.offer("language", _language(metas.get("og:locale")), "og:locale")
    found.offer("language", _language(_first(ld.get("inLanguage"))), "json-ld inLanguage")
    return found


def without_site_name(title: str | None, site: str | None) -> str | None:
    """'Headline | CNN Politics' → 'Headline' when the last part names the site (og:site_name 'CNN')."""
    if not title or not site:
        return title
    separators = list(_SUFFIX.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip().casefold()
    folded_site = site.casefold().strip()
    if head and tail and (folded_site in tail or tail in folded_site):
        return head
    return title


def strip_site_suffix(title: str, site: str | None) -> str | None:
    """A ``<title>`` without its site part: the site's name if known, else a short trailing part."""
    named = without_site_name(title, site)
    if named != title:
        return named
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title or None
    longest = max(parts, key=len)
    return longest if len(longest.split()) >= 4 or len(longest) >= 20 else title


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` values keyed by lower-cased property/name/itemprop/http-equiv; the first wins."""
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        content = meta.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if isinstance(key, str):
                found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or, failing that, the first with a headline)."""
    fallback: dict[str, Any] = {}
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                return obj
            if not fallback and "headline" in obj:
                fallback = obj
    return fallback


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value if isinstance(value, str) else None


def _authors(value: Any) -> list[str]:
    """JSON-LD author: a string, a {name} object, or a list of either."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            names.extend(split_authors(name))
    return _unique(names)


def _itemprop_authors(soup: BeautifulSoup) -> list[str]:
    names = []
    for tag in soup.find_all(None, {"itemprop": "author"}, limit=10):
        inner = tag.find(None, {"itemprop": "name"})
        source = inner or tag
        text = source.get("content") if source.name == "meta" else source.get_text(" ")
        names.extend(split_authors(text if isinstance(text, str) else None))
    return _unique(names)


def _rel_authors(soup: BeautifulSoup) -> list[str]:
    return _unique(n for a in soup.find_all("a", rel="author", limit=10) for n in split_authors(a.get_text(" ")))


def _time_datetime(soup: BeautifulSoup) -> str | None:
    """The publication ``<time>``: one marked as such if any, else the first with a datetime."""
    marked = soup.find("time", attrs={"itemprop": "datePublished"}) or soup.find("time", pubdate=True)
    times = [marked] if marked else soup.find_all("time", datetime=True, limit=3)
    for tag in times:
        value = tag.get("datetime") if isinstance(tag, Tag) else None
        if isinstance(value, str) and (parsed := parse_date(value)):
            return parsed
    return None


def _absolute(url: object) -> str | None:
    return url.strip() if isinstance(url, str) and re.match(r"https?://\S+$", url.strip()) else None


def _language(value: Any) -> str | None:
    """The primary language subtag ('en-GB', 'en_US' → 'en'), lower-cased."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value)
    return match.group(1).lower() if match else None


def _clean(text: str | None) -> str | None:
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"\s+", " ", text).strip()
    return cleaned or None


def _unique(items: Any) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return list(seen.values())
