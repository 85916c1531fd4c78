"""The query language, engine-neutral: the user's text parsed into a small tree of plain dataclasses.

Every engine translates the same tree (``engine/whoosh/query.py``; see the README's "Query language"), so
a query means the same whichever engine runs it. Only the engine analyzes words (stems, splits
``COVID-19``); here a word is kept as typed.

Plain words next to each other form one ``Match``: a best-match group that needs only some of its words
(``minimum``) when the query is long, as Elasticsearch's ``match`` with ``minimum_should_match`` does,
and whose stop words need not match at all. Everything written as syntax keeps its exact meaning:
``AND``/``OR``/``NOT``, ``+word`` (required), ``-word`` (excluded), quotes, ``field:value``, wildcards
inside or at the end of a word, ``word~`` (fuzzy), ranges and date comparisons. Natural text never errors:
a ``?`` or ``!`` ending a word, a colon before a space (``Note: …``), apostrophes, hyphens, curly quotes
and newlines are text. Real mistakes (unknown field, unbalanced quote, parenthesis or range bracket, bad
date) raise ``QueryError`` with their position.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..errors import QueryError
from ..options import MATCHES as MATCH_MODES
from .limits import check_fuzzy, check_text

#: Fields a user may name in a query (``speaker:Polyakova``), with what they hold.
QUERY_FIELDS = {
    "text": "the paragraph text (stemmed)",
    "title": "the article title",
    "section": "the heading the paragraph sits under",
    "source": "the publisher or agency",
    "date": "the publication date (2025, 2025-03, 2025-03-20, ranges)",
    "speaker": "people whose words the paragraph carries",
    "person": "people named",
    "org": "organisations named",
    "place": "places named",
    "entity": "any named person, organisation or place",
    "article": "the article id",
    "id": "the paragraph id (<article>#<n>)",
    "url": "the article URL",
    "author": "the article's authors",
    "quote": "the text of quotations in the paragraph",
}

#: Up to this many content words (a keyword query: ``nato russia``), all must match; with more (a pasted
#: sentence or question), ``LONG_QUERY_MINIMUM`` of them, and more matched words rank higher because each
#: adds its own score. Chosen on the tune split of the relevance benchmark (see the README): requiring 2,
#: 25%, 34% or 50% of a sentence's words (at least 2) scored nDCG@10 0.693, 0.692, 0.689 and 0.644 against
#: 0.705 for any one word, as relevant abstracts often share few of a claim's words.
MATCH_ALL_UP_TO = 2
LONG_QUERY_MINIMUM = 1

#: Short function words: a best-match group ignores them (they neither need to match nor score). Scoring
#: them as optional words cost about half of a pasted sentence's query time on BBC + Reuters and did not
#: help ranking (tune split nDCG@10 0.710 without, 0.710 with).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he her here hers herself him
    himself his how i if in into is isn't it it's its itself let's me more most my myself no nor not of off
    on once only or other ought our ours ourselves out over own same she should shouldn't so some such than
    that that's the their theirs them themselves then there there's these they they're they've this those
    through to too under until up very was wasn't we we're we've were weren't what what's when where which
    while who whom why will with won't would wouldn't you you're you've your yours yourself yourselves""".split()
)

#: What joins the parts of a word such as "Rad53-dependent" or "G34R/V". In a best-match group
#: the parts are words of their own, any of which may match, as in Elasticsearch's ``match`` query (else
#: the word is a phrase). On the tune split: nDCG@10 0.724 with parts, 0.712 as phrases.
_JOINED = re.compile(r"[-‐‑/]+")


#: A word typed in capitals, as an acronym is written ("EU", "ICC", "WWF", "G7"): 2-6 letters or digits,
#: a letter first. Typed so, a plain word also finds the paragraphs naming what it stands for: the
#: ``entity`` name field holds each named entity's aliases (its acronym, the forms its article writes),
#: so "EU" finds a paragraph naming "European Union" that never writes "EU". Capitals only: "us", "it"
#: and "who" typed in lower case stay words ("tell us" must not find every paragraph naming the United
#: States). Written with dots ("U.S.", "E.U."), it is the same acronym: the names are searched for its
#: letters ("US"), which every dotted alias the indexer records also has (``nlp.names``), and the text
#: analysers drop the dots too (``base.ACRONYM_DOT``).
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}|[A-Z](?:\.[A-Z]){1,5}\.?")
#: The name field an acronym is also looked up in, and the weight of a match there: modest, as a name
#: is one mention where the text may repeat a word. On the tune split of the relevance benchmark
#: (SciFact built with the NLP stage, so with aliases; 131 of 373 claims hold such a word), nDCG@10
#: without the names 0.7240, weight 0.25 / 0.5 / 1: 0.7247 / 0.7243 / 0.7252, Recall@100 0.948 in all:
#: no loss at any weight (the differences are far below a standard error, ~0.004).
NAMES_FIELD = "entity"
NAMES_WEIGHT = 0.5


def finds_names(word: Word) -> bool:
    """Whether a plain word (no field named) is written as an acronym, so that it also matches the
    aliases and names in ``NAMES_FIELD`` at ``NAMES_WEIGHT``: every engine's translation adds that
    field to the word's default fields."""
    return word.field is None and _ACRONYM.fullmatch(word.text) is not None


def text_in(word: Word, field: str) -> str:
    """What ``word`` is searched for in ``field``: its text, but an acronym's letters without dots in
    ``NAMES_FIELD`` ("U.S." finds the alias "US")."""
    return word.text.replace(".", "") if field == NAMES_FIELD and finds_names(word) else word.text


def searched_fields(word: Word, defaults: dict[str, float]) -> dict[str, float]:
    """The fields (field -> weight) a word naming no field is searched in: an engine's ``defaults``,
    and ``NAMES_FIELD`` at ``NAMES_WEIGHT`` for one typed as an acronym (``finds_names``)."""
    return {**defaults, NAMES_FIELD: NAMES_WEIGHT} if finds_names(word) else defaults


def _is_stop(word: Word) -> bool:
    return word.text.lower().replace("’", "'") in STOP_WORDS


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FIELD = re.compile(r"[A-Za-z_]\w*:")
_OPERATORS = {"AND", "OR", "NOT"}
_CURLY = "“”„‟«»‘‚‛"  # quotes that are text, not syntax (’ stays in words: "Ukraine’s")
_BREAK = set(' \t\r\n\f\v()"—–…') | set(_CURLY)
_TRAILING = re.compile(r"[^\w*]+$")
_LEADING = re.compile(r"^[^\w*]+")
_SUFFIX = re.compile(r"(?:~(\d*))?(?:\^(\d+(?:\.\d+)?))?$")


# -- the tree ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word as typed (the engine analyzes it; several tokens, as in ``COVID-19``, match as a phrase).

    ``field`` None means the default fields (text, title, section).
    """

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Match:
    """Plain words typed next to each other: a document matches when it has at least ``minimum`` of
    ``words``; ``ignored`` are the stop words left out of a best-match group (shown by ``--explain``).

    More matched words score higher (each adds its own weight), and so do words found near each other
    (the engine may add proximity). ``minimum == len(words)`` is "every word".
    """

    words: tuple[Word, ...]
    minimum: int
    ignored: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """Words in order (``slop``: how many other words may come between), as typed inside quotes."""

    text: str
    field: str | None = None
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """A pattern with ``*`` (any characters) and ``?`` (one character), matched against indexed words.

    ``secur*`` (only a trailing ``*``) is a prefix query; the engine may use one.
    """

    pattern: str
    field: str | None = None

    @property
    def prefix(self) -> str | None:
        """The prefix, when the pattern is only a prefix followed by ``*``."""
        body = self.pattern[:-1]
        return body if self.pattern.endswith("*") and body and not set("*?") & set(body) else None


@dataclass(frozen=True)
class Fuzzy:
    """A word matched within ``distance`` edits (Damerau-Levenshtein) of its analyzed form."""

    text: str
    field: str | None = None
    distance: int = 1


@dataclass(frozen=True)
class DateRange:
    """Dates from ``start`` to ``end``, both inclusive; None is open."""

    field: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class TermRange:
    """Indexed words (or ids) between ``start`` and ``end`` in the order of their text; None is open."""

    field: str
    start: str | None
    end: str | None
    include_start: bool = True
    include_end: bool = True


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Everything except ``item``: inside an ``And`` it excludes; alone it means "all but"."""

    item: Node


@dataclass(frozen=True)
class MatchAll:
    """Every paragraph (a blank query, or one with no searchable word)."""


Node = Word | Match | Phrase | Wildcard | Fuzzy | DateRange | TermRange | And | Or | Not | MatchAll


@dataclass
class Parsed:
    """A parsed query: its tree and how its plain words were combined (for ``--explain``)."""

    text: str
    root: Node
    mode: str = "best"
    notes: list[str] = field(default_factory=list)
    #: What the reader must be told with the results: a query of text but no word ("?", "—", '""')
    #: lists every paragraph, as a blank query or ``*`` does, and says so.
    warnings: list[str] = field(default_factory=list)


# -- parsing -----------------------------------------------------------------------------------------


def parse(text: str, mode: str = "best", default_field: str | None = None, lenient: bool = False) -> Parsed:
    """The tree of ``text``; QueryError naming the problem and its position for real mistakes, unless
    ``lenient``: then the tree of its plain words, with a warning saying so."""
    try:
        return _parse(text, mode, default_field)
    except QueryError as exc:
        if not lenient:
            raise
        words = plain_words(text)
        tree = _parse(words, mode, default_field)
        tree.warnings.insert(0, f"{exc}; searched for the plain words {words!r} instead")
        return tree


def _parse(text: str, mode: str, default_field: str | None) -> Parsed:
    if mode not in MATCH_MODES:
        raise QueryError(f"match must be one of {', '.join(MATCH_MODES)}")
    if not text.strip():
        return Parsed(text, MatchAll(), mode)
    check_text(text)
    tokens = _Lexer(text).tokens()
    root = _Parser(text, tokens, mode, default_field).parse()
    nothing = isinstance(root, MatchAll) and text.strip() != "*"
    warnings = [f"{text.strip()!r} holds no word to search: listing everything"] if nothing else []
    return Parsed(text, root, mode, [describe_match(m) for m in matches(root)], warnings)


def _step(moment: datetime, delta: timedelta, text: str, at: int) -> datetime:
    """``moment + delta``; a QueryError for a bound just past 0001-01-01 or 9999-12-31."""
    try:
        return moment + delta
    except OverflowError:
        raise QueryError(
            f"the date at position {at + 1} in {text!r}: nothing lies outside the dates searchkit knows "
            "(0001-01-01 to 9999-12-31)",
            at,
        ) from None


def check_syntax(text: str) -> None:
    """Raise QueryError if ``text`` has a real mistake (what a saved search checks before it is kept)."""
    parse(text)


def minimum_should_match(content_words: int, mode: str = "best") -> int:
    """How many of a group's content words must match: all up to ``MATCH_ALL_UP_TO``, then
    ``LONG_QUERY_MINIMUM``."""
    if mode == "all" or content_words <= MATCH_ALL_UP_TO:
        return content_words
    return LONG_QUERY_MINIMUM


def matches(node: Node) -> list[Match]:
    """The best-match groups of a tree, in order."""
    if isinstance(node, Match):
        return [node]
    if isinstance(node, (And, Or)):
        return [m for item in node.items for m in matches(item)]
    if isinstance(node, Not):
        return matches(node.item)
    return []


def describe_match(group: Match) -> str:
    """One line for ``--explain``: which words must match and which need not."""
    words = " ".join(w.text for w in group.words)
    if group.minimum == len(group.words):
        need = "every word"
    elif group.minimum == 1:
        need = f"any of {len(group.words)} (more matched words rank higher)"
    else:
        need = f"at least {group.minimum} of {len(group.words)}"
    ignored = f"; stop words ignored: {' '.join(w.text for w in group.ignored)}" if group.ignored else ""
    return f"match {need}: {words}{ignored}"


def plain_words(text: str) -> str:
    """The words of a query without its syntax: what ``--lenient`` searches when the query is malformed."""
    text = _FIELD.sub(" ", text)
    return " ".join(w for w in re.findall(r"\w[\w'’]*", text) if w not in _OPERATORS)


#: A word as a did-you-mean reads it: letters and digits, dots inside as the text tokenizer keeps them
#: ("U.S", "C.E.P.A": one word, not four letters to correct one by one).
_TYPED_WORD = re.compile(r"\w+(?:\.\w+)*")


#: Words shorter than this are never respelled, as Lucene's spell checkers' ``minQueryLength``: within 2
#: edits of "say" lie "s" and "sea", so a suggestion for it is a guess.
_MIN_CORRECTED_LENGTH = 4


def correctable_words(text: str) -> list[str]:
    """The distinct words of ``text`` a did-you-mean may replace, in order: words of letters only (a
    phrase's too), not an operator, a field's name or value, or a word after an unclosed quote; nor a
    stop word (spelled right by definition, and a pasted question's "What did" is no typo for "war day")
    or a word shorter than ``_MIN_CORRECTED_LENGTH``."""
    words = (match.group() for match in _correctable(text))
    return list(dict.fromkeys(w for w in words if len(w) >= _MIN_CORRECTED_LENGTH and not _is_stop(Word(w))))


def respell(text: str, fixes: dict[str, str]) -> str:
    """``text`` with each word ``correctable_words`` gives replaced by its fix (``fixes``: word -> word)."""
    fixed, at = [], 0
    for match in _correctable(text):
        fixed += [text[at : match.start()], fixes.get(match.group(), match.group())]
        at = match.end()
    return "".join(fixed) + text[at:]


def _correctable(text: str) -> Iterator[re.Match[str]]:
    blanked = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), text)
    for match in _TYPED_WORD.finditer(text):
        word, before = match.group(), blanked[: match.start()]
        field = text[match.end() : match.end() + 1] == ":"
        if not (word in _OPERATORS or field or before.endswith(":") or before.count('"') % 2 or not word.isalpha()):
            yield match


def day_range(value: str, option: str) -> tuple[datetime, datetime]:
    """The first and last moment of the year, month or day ``value`` names (QueryError if not a date)."""
    match = _DATE.match(value.strip())
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else 0 for g in match.groups())
        first = date(year, month or 1, day or 1)
        if day:
            last = first
        elif month:
            last = first.replace(day=calendar.monthrange(year, month)[1])  # no overflow in 9999-12
        else:
            last = date(year, 12, 31)
    except ValueError:
        raise QueryError(f"{option} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.max.time())


# -- lexer -------------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # "(" ")" "op" "word" "phrase" "range" "cmp"
    value: str
    at: int
    field: str | None = None
    sign: str = ""  # "+" required, "-" excluded
    fuzzy: int | None = None
    slop: int = 0
    boost: float = 1.0
    op: str = ""  # of a comparison: < <= > >=


class _Lexer:
    def __init__(self, text: str):
        self.text = text
        self.i = 0

    def error(self, message: str, at: int) -> QueryError:
        return QueryError(f"{message} at position {at + 1} in {self.text!r}", at)

    def tokens(self) -> list[_Token]:
        text, found = self.text, []
        while self.i < len(text):
            char = text[self.i]
            if char in _BREAK and char not in '()"':
                self.i += 1
            elif char in "()":
                found.append(_Token(char, char, self.i))
                self.i += 1
            else:
                token = self.item()
                if token is not None:
                    found.append(token)
        return found

    def item(self) -> _Token | None:
        text, start = self.text, self.i
        sign = ""
        # a hyphen straight after a closing parenthesis joins words, "(H2A)-histone", and a sign before a
        # digit makes a number, "-2", "+5 position": neither excludes nor requires anything
        hyphen = self.i > 0 and text[self.i - 1] == ")"
        number = self.i + 1 < len(text) and text[self.i + 1].isdigit()
        if (
            text[self.i] in "+-"
            and not hyphen
            and not number
            and self.i + 1 < len(text)
            and text[self.i + 1] not in _BREAK - {'"', "("}
        ):
            sign = text[self.i]
            self.i += 1
        fieldname = None
        match = _FIELD.match(text, self.i)
        if match and match.end() < len(text) and text[match.end()] not in _BREAK - {'"', "("}:
            if not text.startswith("//", match.end()):  # a URL is text
                fieldname = match.group()[:-1]
                if fieldname not in QUERY_FIELDS:
                    raise QueryError(
                        f"unknown field {fieldname!r} at position {match.start() + 1} in {text!r}; "
                        f"fields: {', '.join(QUERY_FIELDS)} (put a colon inside quotes to search for it)",
                        match.start(),
                    )
                self.i = match.end()
        if self.i < len(text) and text[self.i] == "(":
            if sign or fieldname:  # +( … ) / title:( … ): the parser applies them to the group
                self.i += 1
                return _Token("(", "(", start, field=fieldname, sign=sign)
            return None
        if self.i < len(text) and text[self.i] == '"':
            return self.phrase(start, fieldname, sign)
        if fieldname and text[self.i] in "[{":
            return self.range(fieldname, sign)
        end = self.i
        while end < len(text) and text[end] not in _BREAK:
            end += 1
        raw, at = text[self.i : end], self.i
        self.i = end
        if fieldname and raw[:1] in "<>":
            op = raw[:2] if raw[:2] in ("<=", ">=") else raw[:1]
            return _Token("cmp", raw[len(op) :], at, field=fieldname, sign=sign, op=op)
        if not fieldname and not sign and raw in _OPERATORS:
            return _Token("op", raw, at)
        suffix = _SUFFIX.search(raw)
        fuzzy = boost = None
        if suffix and suffix.group() and re.search(r"\w", raw[: suffix.start()]):
            raw = raw[: suffix.start()]
            if suffix.group().startswith("~"):
                fuzzy = int(suffix.group(1) or 1)
            boost = float(suffix.group(2)) if suffix.group(2) else None
        word = raw if fieldname in ("article", "id", "url") else _LEADING.sub("", _TRAILING.sub("", raw))
        if fieldname and word == "*":  # field:* — paragraphs with any value there
            return _Token("word", word, at, field=fieldname, sign=sign)
        if not re.search(r"\w", word):
            return None
        return _Token("word", word, at, field=fieldname, sign=sign, fuzzy=fuzzy, boost=boost or 1.0)

    def phrase(self, start: int, fieldname: str | None, sign: str) -> _Token:
        text, opened = self.text, self.i
        close = text.find('"', opened + 1)
        if close < 0:
            raise QueryError(f'unclosed quote opened at position {opened + 1} in {text!r}; close it with "', opened)
        self.i = close + 1
        end = self.i
        while end < len(text) and text[end] not in _BREAK:
            end += 1
        suffix = _SUFFIX.fullmatch(text[self.i : end]) or _SUFFIX.fullmatch("")
        self.i = end
        slop = int(suffix.group(1) or 1) if suffix and suffix.group().startswith("~") else 0
        boost = float(suffix.group(2)) if suffix and suffix.group(2) else 1.0
        return _Token("phrase", text[opened + 1 : close], start, field=fieldname, sign=sign, slop=slop, boost=boost)

    def range(self, fieldname: str, sign: str) -> _Token:
        text, opened = self.text, self.i
        closing = text.find("]" if text[opened] == "[" else "}", opened + 1)
        other = text.find("}" if text[opened] == "[" else "]", opened + 1)
        if closing < 0 and other >= 0:
            closing = other
        if closing < 0:
            raise QueryError(f"unclosed range bracket {text[opened]!r} at position {opened + 1} in {text!r}", opened)
        self.i = closing + 1
        return _Token("range", text[opened : closing + 1], opened, field=fieldname, sign=sign)


# -- parser ------------------------------------------------------------------------------------------


class _Parser:
    """Precedence: ``OR`` lowest, then ``AND`` (written or implied by juxtaposition), then ``NOT``."""

    def __init__(self, text: str, tokens: list[_Token], mode: str, default_field: str | None):
        self.text, self.tokens, self.mode, self.i = text, tokens, mode, 0
        self.plain_group = False  # whether the group just parsed held only plain words
        self.default_field = default_field

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.expression(self.default_field)
        token = self.peek()
        if token is not None:  # only a ")" stops an expression
            raise QueryError(f"unmatched ')' at position {token.at + 1} in {self.text!r}", token.at)
        return node

    def expression(self, fieldname: str | None) -> Node:
        alternatives = [self.sequence(fieldname)]
        while (token := self.peek()) is not None and token.kind == "op" and token.value == "OR":
            self.i += 1
            alternatives.append(self.sequence(fieldname))
        alternatives = [a for a in alternatives if not isinstance(a, MatchAll)] or [MatchAll()]
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def sequence(self, fieldname: str | None) -> Node:
        """Items joined by AND (written or not): plain words gather in one best-match group."""
        words: list[Word] = []
        required: list[Node] = []
        negate = explicit = False
        while (token := self.peek()) is not None and token.kind != ")":
            self.i += 1
            if token.kind == "op":
                if token.value == "OR":
                    self.i -= 1
                    break
                negate = negate or token.value == "NOT"
                explicit = explicit or token.value == "AND"
                continue
            node = self.item(token, fieldname)
            if node is None:
                continue
            if token.sign == "-" or negate:
                required.append(Not(node))
            elif isinstance(node, Word) and not token.sign and token.kind == "word":
                words.append(node)
            elif (
                token.kind == "("
                and not token.sign
                and not token.field
                and self.plain_group
                and isinstance(node, Word | Match)
            ):
                # an aside of plain words, "(SLE)" in a pasted sentence: its words join the sentence's
                words.extend(node.words + node.ignored if isinstance(node, Match) else (node,))
            else:
                required.append(node)
            negate = False
        if words:  # a written AND makes every word of its sequence required, as it reads
            required.insert(0, self.match(words, every=explicit))
        if not required:
            return MatchAll()
        return required[0] if len(required) == 1 else And(tuple(required))

    def match(self, words: list[Word], every: bool = False) -> Node:
        content = [w for w in words if not _is_stop(w)]
        if self.mode == "all" or every or not content:
            content, stop = words, []
        else:
            stop = [w for w in words if w not in content]
        if len(content) == 1 and not stop:
            return content[0]
        minimum = minimum_should_match(len(content), "all" if every else self.mode)
        if minimum < len(content):  # a best-match group: a joined word's parts are words of it
            parts = [Word(p, w.field, w.boost) for w in words for p in _JOINED.split(w.text) if re.search(r"\w", p)]
            content = [w for w in parts if _is_stop(w) is False]
            stop = [w for w in parts if _is_stop(w)]
        return Match(tuple(content), minimum, tuple(stop))

    def item(self, token: _Token, fieldname: str | None) -> Node | None:
        fieldname = token.field or fieldname
        if token.kind == "(":
            self.plain_group = False
            inside = self.i
            inner = self.expression(fieldname)
            closing = self.peek()
            if closing is None:
                raise QueryError(f"unclosed parenthesis '(' at position {token.at + 1} in {self.text!r}", token.at)
            self.i += 1
            # only plain words inside (no operator, sign, field or nested group): an aside, not a group
            self.plain_group = all(
                t.kind == "word" and not t.sign and not t.field and t.fuzzy is None
                for t in self.tokens[inside : self.i - 1]
            )
            return inner if not isinstance(inner, MatchAll) else None
        if token.kind == "phrase":
            if not re.search(r"\w", token.value):
                return None
            return Phrase(token.value, fieldname, token.slop, token.boost)
        if token.kind == "range":
            return self.range(token, fieldname)
        if token.kind == "cmp":
            return self.comparison(token, fieldname, token.op, token.value)
        if fieldname == "date":
            first, last = self.dates(value=token.value, at=token.at)
            return DateRange("date", first, last)
        if token.fuzzy is not None:
            check_fuzzy(token.value, token.fuzzy)
            return Fuzzy(token.value, fieldname, token.fuzzy)
        if fieldname and token.value == "*":
            return Wildcard("*", fieldname)
        if fieldname not in ("article", "id", "url") and set("*?") & set(token.value.rstrip("?")):
            return Wildcard(token.value.rstrip("?") if token.value.endswith("?") else token.value, fieldname)
        return Word(token.value, fieldname, token.boost)

    def dates(self, value: str, at: int) -> tuple[datetime, datetime]:
        try:
            return day_range(value, "date")
        except QueryError:
            raise QueryError(
                f"bad value at position {at + 1} in {self.text!r}: {value!r} is not a date; dates are YYYY, "
                f"YYYY-MM or YYYY-MM-DD (date:[2025-01 to 2025-03], date:>2025-03-01)",
                at,
            ) from None

    def range(self, token: _Token, fieldname: str | None) -> Node:
        body = token.value[1:-1]
        parts = re.split(r"\s+to\s+|^to\s+|\s+to$|^to$", body.strip(), maxsplit=1, flags=re.IGNORECASE)
        if len(parts) != 2:
            raise QueryError(
                f"bad range at position {token.at + 1} in {self.text!r}: write [start to end] "
                f"(either end may be left out: date:[2025-03 to])",
                token.at,
            )
        low, high = (p.strip() or None for p in parts)
        include_start, include_end = token.value[0] == "[", token.value[-1] == "]"
        assert fieldname is not None
        if fieldname != "date":
            return TermRange(fieldname, low, high, include_start, include_end)
        tick = timedelta(microseconds=1)
        start = end = None
        if low:
            first, last = self.dates(low, token.at + 1 + token.value.find(low) - 1)
            start = first if include_start else _step(last, tick, self.text, token.at)
        if high:
            first, last = self.dates(high, token.at + token.value.rfind(high))
            end = last if include_end else _step(first, -tick, self.text, token.at)
        return DateRange("date", start, end)

    def comparison(self, token: _Token, fieldname: str | None, op: str, value: str) -> Node:
        assert fieldname is not None
        if fieldname != "date":
            low = value if op.startswith(">") else None
            high = value if op.startswith("<") else None
            return TermRange(fieldname, low, high, op == ">=", op == "<=")
        first, last = self.dates(value, token.at + len(op))
        tick = timedelta(microseconds=1)
        if op == "<":
            start, end = None, _step(first, -tick, self.text, token.at)
        elif op == ">":
            start, end = _step(last, tick, self.text, token.at), None
        else:
            start, end = (None, last) if op == "<=" else (first, None)
        return DateRange("date", start, end)
