"""Article metadata from a parsed page, best source first, remembering which source won.

Publishers state metadata several times and not always consistently; structured sources (Open Graph,
JSON-LD, meta tags) are what they maintain for search engines and social sites, so they come first.
trafilatura's own metadata (it also reads visible bylines and dates) ranks per field where it measured
best on the newspaper4k tuning split (``benchmarks/newspaper4k_metadata.py``); then what searchkit
guesses from the visible page (``h1``, ``<title>``, ``<time>``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

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


_BYLINE_MAX = 80
#: Where a byline's names end: a date, a separator, "Updated", a role ("By Ann Lee, Staff Writer" keeps both).
_BYLINE_END = re.compile(r"\s+(?:[|•·–—-]|on|updated|published|posted)\s+|\s+\d|\s*\(", re.I)
_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\.?)(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|da|di|del|la|le|bin|al)){1,3}")
#: Ranks of a source: what the page states, then trafilatura (unless ``TRAFILATURA_RANK`` says), then guesses.
STATED, EXTRACTED, GUESSED = 0, 1, 2
#: Where trafilatura's value ranks, per field, measured on the newspaper4k tuning split: its titles keep
#: the site's name ("... | CNN Politics"), so they come last (title agreement 11/14, against 10/14 after
#: what the page states and 6/14 first); for authors it ties with ours there (7/8) but merges every
#: source it sees (a JSON-LD author list plus a different meta author), so it comes after what the page
#: states and before guesses, for the visible bylines it reads; for dates both agree on every page
#: (11/11) and ours say where the date came from.
TRAFILATURA_RANK = {"title": GUESSED + 1, "authors": EXTRACTED, "date": EXTRACTED, "source": EXTRACTED}
#: trafilatura's metadata names → searchkit's.
_EXTRACTED_FIELDS = {"title": "title", "author": "authors", "date": "date", "sitename": "source", "url": "url"}


@dataclass
class Metadata:
    """The metadata a page states, with ``provenance`` naming the source of each value.

    Sources are offered in any order with a rank; the best-ranked (then first-offered) value wins.
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    _ranks: dict[str, int] = field(default_factory=dict, repr=False)

    def offer(self, name: str, value: Any, where: str, rank: int = STATED) -> None:
        """Keep ``value`` for ``name`` unless a source of the same or better rank already gave one."""
        if value and (not getattr(self, name) or rank < self._ranks.get(name, rank)):
            setattr(self, name, value)
            self.provenance[name] = where
            self._ranks[name] = rank

    def add_extracted(self, extracted: dict[str, Any]) -> None:
        """Offer what trafilatura found, each field at its measured rank."""
        for key, name in _EXTRACTED_FIELDS.items():
            value = extracted.get(key)
            if name == "authors":
                value = _unique(n for part in str(value or "").split(";") for n in split_authors(part))
            elif name == "date":
                value = parse_date(str(value or ""))
            elif name == "url":
                value = _absolute(value)
            else:
                value = _clean(value)
            self.offer(name, value, "trafilatura", TRAFILATURA_RANK.get(name, EXTRACTED))


def extract_metadata(tree: HtmlElement) -> Metadata:
    """What the page states and shows about itself (trafilatura's values are added by ``add_extracted``)."""
    metas = _meta_tags(tree)
    ld = _json_ld_article(tree)
    found = Metadata()
    site = metas.get("og:site_name") or _first(ld.get("publisher"))
    found.offer("source", _clean(metas.get("og:site_name")), "og:site_name")
    found.offer("source", _clean(_first(ld.get("publisher"))), "json-ld publisher")
    found.offer("source", _clean(metas.get("application-name")), "meta application-name")

    found.offer("title", without_site_name(_clean(metas.get("og:title")), site), "og:title")
    found.offer("title", without_site_name(_clean(_first(ld.get("headline"))), site), "json-ld headline")
    found.offer("title", without_site_name(_clean(metas.get("twitter:title")), site), "twitter:title")
    h1 = _find(tree, "//h1")
    found.offer("title", _clean(h1.text_content()) if h1 is not None else None, "h1", GUESSED)
    title_tag = _find(tree, "//title")
    if title_tag is not None:
        title = strip_site_suffix(_clean(title_tag.text_content()) or "", site)
        found.offer("title", title, "title tag", GUESSED)

    found.offer("authors", _authors(ld.get("author")), "json-ld author")
    found.offer("authors", split_authors(metas.get("author")), "meta author")
    article_author = metas.get("article:author")
    if article_author and not re.match(r"https?://", article_author):
        found.offer("authors", split_authors(article_author), "article:author")
    found.offer("authors", split_authors(metas.get("byl") or metas.get("dc.creator")), "meta byline")
    found.offer("authors", _itemprop_authors(tree), "itemprop author")
    found.offer("authors", _rel_authors(tree), "rel author", GUESSED)
    found.offer("authors", _visible_byline(tree), "visible byline", GUESSED)

    found.offer("date", parse_date(_first(ld.get("datePublished")) or ""), "json-ld datePublished")
    found.offer("date", parse_date(metas.get("article:published_time", "")), "article:published_time")
    found.offer("date", _time_datetime(tree), "time datetime")
    for key in _DATE_METAS:
        found.offer("date", parse_date(metas.get(key, "")), f"meta {key}")
    for key, value in metas.items():
        if _PUBLISHED_KEY.search(key) and not _OTHER_DATE_KEY.search(key):
            found.offer("date", parse_date(value), f"meta {key}")
    found.offer("date", parse_date(_first(ld.get("dateCreated")) or ""), "json-ld dateCreated")

    canonical = _find(tree, "//link[@rel='canonical'][@href]")
    found.offer("url", _absolute(canonical.get("href")) if canonical is not None else None, "link canonical")
    found.offer("url", _absolute(metas.get("og:url")), "og:url")
    found.offer("url", _absolute(_first(ld.get("url"))), "json-ld url")

    found.offer("language", _language(tree.get("lang")), "html lang")
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


def _find(tree: HtmlElement, xpath: str) -> HtmlElement | None:
    found = tree.xpath(xpath)
    return found[0] if found else None


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` values keyed by lower-cased property/name/itemprop/http-equiv; the first wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or, failing that, the first with a headline)."""
    fallback: dict[str, Any] = {}
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text or "")
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


def _itemprop_authors(tree: HtmlElement) -> list[str]:
    names = []
    for tag in tree.xpath("//*[@itemprop='author']")[:10]:
        inner = tag.xpath(".//*[@itemprop='name']")
        source = inner[0] if inner else tag
        text = source.get("content") if source.tag == "meta" else source.text_content()
        names.extend(split_authors(text))
    return _unique(names)


def _rel_authors(tree: HtmlElement) -> list[str]:
    links = tree.xpath("//a[@rel='author']")[:10]
    return _unique(n for a in links for n in split_authors(a.text_content()))


def _visible_byline(tree: HtmlElement) -> list[str]:
    """Names from a short visible "By Ann Lee and Bo Chan" line, for pages that state no author.

    Only lines of at most ``_BYLINE_MAX`` characters whose every name is two to four capitalised words,
    so that a sentence starting "By the end of the year" is not taken for a byline.
    """
    for node in tree.xpath("//body//text()[starts-with(normalize-space(.), 'By')]")[:5]:
        parent = node.getparent()
        if parent is None or parent.tag in ("script", "style", "title"):
            continue
        line = re.sub(r"\s+", " ", parent.text_content()).strip()
        if len(line) > _BYLINE_MAX or not line.startswith("By "):
            continue
        names = split_authors(_BYLINE_END.split(line, maxsplit=1)[0])
        if names and all(_NAME.fullmatch(name) for name in names):
            return names
    return []


def _time_datetime(tree: HtmlElement) -> str | None:
    """The publication ``<time>``: one marked as such if any, else the first with a datetime."""
    marked = tree.xpath("//time[@itemprop='datePublished'] | //time[@pubdate]")
    times = marked[:1] or tree.xpath("//time[@datetime]")[:3]
    for tag in times:
        value = tag.get("datetime")
        if value and (parsed := parse_date(value)):
            return parsed
    return None


def _absolute(url: Any) -> str | None:
    return url.strip() if isinstance(url, str) and re.match(r"https?://\S+$", url.strip()) else None


def _language(value: Any) -> str | None:
    """The primary language subtag ('en-GB', 'en_US' → 'en'), lower-cased."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value)
    return match.group(1).lower() if match else None


def _clean(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"\s+", " ", text).strip()
    return cleaned or None


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return list(seen.values())
