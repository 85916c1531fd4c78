"""The article body of a parsed page: drop page furniture, find the densest text container, walk it in order.

A readability-style rule set, kept generic on purpose (no per-site rules): paragraphs vote for their
parent and grandparent by length and commas, link-heavy containers are discounted, and siblings of the
winner that carry similar prose join it (bodies split by ads or paywall markers). Only this module and
``htmlmeta`` see BeautifulSoup objects; callers get ``Block``s.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ...model import Block

#: Elements that are never article text.
_JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "figure",
    "figcaption",
    "picture",
    "img",
    "dialog",
    "nav",
    "aside",
    "footer",
    "header",
    "menu",
)
#: class/id/role words that mark furniture: menus, ads, consent banners, share bars, comments, related lists.
_JUNK_NAMES = re.compile(
    r"(?:^|[-_\s])(?:ad|ads|adv|advert\w*|banner|breadcrumbs?|byline|caption|comments?|consent|cookies?|"
    r"credit|disqus|dropdown|footer|gdpr|masthead|menu|modal|nav|navbar|navigation|newsletter|outbrain|"
    r"pagination|popup|promo\w*|recirc\w*|recommend\w*|related|share|sharing|sidebar|signup|social|"
    r"sponsor\w*|subscri\w*|tags?|taboola|toolbar|tools|trending|widget|more-from|read-more|most-popular|"
    r"visually-hidden|sr-only|author-bio|inline-ad|sticky|overlay|skip)(?:$|[-_\s])",
    re.I,
)
#: Names that mark the article itself; they outrank junk words (``article-tags`` stays junk, ``article-body`` stays).
_BODY_NAMES = re.compile(
    r"article[-_]?body|articlebody|story[-_]?body|post[-_]?body|entry[-_]?content|article[-_]?content|main[-_]?content|post[-_]?content|body[-_]?text|article[-_]?text|story[-_]?content|rich[-_]?text",
    re.I,
)
_JUNK_ROLES = {"navigation", "banner", "complementary", "contentinfo", "dialog", "alert", "menu", "search"}

_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "hr",
    "br",
    "address",
    "center",
    "details",
    "summary",
    "body",
    "html",
}
_SECTION_HEADINGS = {"h2", "h3", "h4"}
_MIN_PARAGRAPH = 25
_WRAPPER_SHARE = 0.3
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SPACE = re.compile(r"\s+")
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def extract_blocks(soup: BeautifulSoup) -> list[Block]:
    """Paragraphs and section headings of the page's main text, in reading order ([] if none found)."""
    root = soup.body or soup
    _drop_furniture(root)
    containers = _containers(root)
    blocks: list[Block] = []
    for container in containers:
        blocks.extend(_walk(container))
    return [b for b in blocks if not _is_scrap(b)]


def _drop_furniture(root: Tag) -> None:
    """Remove furniture; a junk-named wrapper that holds much of the page's prose is a mislabelled body."""
    for tag in root.find_all(_JUNK_TAGS):
        if not tag.decomposed and not _is_body_name(tag):
            tag.decompose()
    page_text = len(_text(root))
    for tag in root.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        verdict = _junk_verdict(tag)
        if verdict == "named" and len(_text(tag)) > _WRAPPER_SHARE * page_text and _link_density(tag) < 0.3:
            continue
        if verdict:
            tag.decompose()


def _is_body_name(tag: Tag) -> bool:
    names = _names(tag)
    return bool(names and _BODY_NAMES.search(names)) or tag.get("itemprop") == "articleBody"


def _junk_verdict(tag: Tag) -> str | None:
    """'hidden' for what a reader never sees, 'named' for furniture by class/id, None for content."""
    if tag.name in ("body", "html", "main", "article"):
        return None
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or tag.get("role") in _JUNK_ROLES:
        return "hidden"
    style = tag.get("style")
    if isinstance(style, str) and _HIDDEN_STYLE.search(style):
        return "hidden"
    if tag.name == "form":  # a search box, or (ASP.NET) the wrapper of the whole page
        return "named"
    names = _names(tag)
    return "named" if names and _JUNK_NAMES.search(names) and not _is_body_name(tag) else None


def _names(tag: Tag) -> str:
    classes: list[str] | str = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    ident = tag.get("id")
    return " ".join([*classes, ident if isinstance(ident, str) else ""]).strip()


def _containers(root: Tag) -> list[Tag]:
    """The element(s) holding the article text: a declared body if the page marks one, else the best-scored."""
    marked = root.find_all(None, {"itemprop": "articleBody"})
    if len(marked) == 1 and len(_text(marked[0])) > 200:
        return [marked[0]]
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for para in _paragraphs(root):
        text = _text(para)
        if len(text) < _MIN_PARAGRAPH:
            continue
        score = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) / 100, 3)
        for parent, share in ((para.parent, 1.0), (para.parent.parent if para.parent else None, 0.5)):
            if isinstance(parent, Tag):
                key = id(parent)
                nodes[key] = parent
                scores[key] = scores.get(key, 0.0) + score * share
    if not scores:
        return [root]
    for key, node in nodes.items():
        scores[key] *= 1 - _link_density(node)
    top_key = max(scores, key=scores.__getitem__)
    top = nodes[top_key]
    return _with_siblings(top, scores, scores[top_key])


def _paragraphs(root: Tag) -> list[Tag]:
    """Text-bearing elements: paragraph tags, and divs that hold text directly instead of in ``p``s."""
    found = []
    for tag in root.find_all(("p", "pre", "td", "div", "li")):
        if tag.name in ("div", "td", "li"):
            if any(isinstance(c, Tag) and c.name in _BLOCK_TAGS and c.name != "br" for c in tag.children):
                continue
        found.append(tag)
    return found


def _with_siblings(top: Tag, scores: dict[int, float], top_score: float) -> list[Tag]:
    """The winner plus siblings that look like more of the same article (readability's sibling rule)."""
    parent = top.parent
    if not isinstance(parent, Tag):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    for sibling in parent.children:
        if not isinstance(sibling, Tag):
            continue
        if sibling is top or scores.get(id(sibling), 0.0) >= threshold:
            chosen.append(sibling)
        elif sibling.name == "p":
            text = _text(sibling)
            if len(text) > 80 and _link_density(sibling) < 0.25:
                chosen.append(sibling)
    return chosen


def _walk(container: Tag) -> list[Block]:
    """Blocks in document order: block elements break text, h2-h4 are headings, inline text joins."""
    blocks: list[Block] = []
    buffer: list[str] = []
    heading: list[bool | None] = [False]

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            blocks.append(Block(text, heading[0]))

    def visit(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIPPED_STRINGS):
                    buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name not in _BLOCK_TAGS:
                visit(child)
                continue
            flush()
            if name == "h1":
                continue
            if name in _SECTION_HEADINGS or name in ("h5", "h6"):
                heading[0] = True if name in _SECTION_HEADINGS else None
                visit(child)
                flush()
                heading[0] = False
                continue
            visit(child)
            flush()

    if container.name in _SECTION_HEADINGS:
        return [Block(_text(container), True)] if _text(container) else []
    visit(container)
    flush()
    return blocks


def _is_scrap(block: Block) -> bool:
    """A one- or two-character fragment (a bullet, a "|") left between inline elements is not a paragraph."""
    return block.heading is False and len(block.text) < 3


def _text(tag: Tag) -> str:
    return _SPACE.sub(" ", tag.get_text(" ")).strip()


def _link_density(tag: Tag) -> float:
    total = len(_text(tag))
    if not total:
        return 1.0
    linked = sum(len(_text(a)) for a in tag.find_all("a"))
    return min(linked / total, 1.0)
