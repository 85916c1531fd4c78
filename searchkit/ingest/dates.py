"""Publication dates from the shapes news files actually use → one normalised ISO string.

Every reader and the CLI's ``--date`` go through ``parse_date`` so that dates compare as strings:
"YYYY-MM-DD" when only the day is known, "YYYY-MM-DDTHH:MM:SS[+HH:MM]" when a time is. Dates before
1800 or more than a day in the future are treated as wrong (template placeholders, typos), not kept.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

_EARLIEST = 1800
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:[T ,]+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = [
    # ISO 8601: 2017-07-21, 2017-07-21T10:00:00Z, 2017-07-21 10:00:00+02:00, 2017/07/21
    re.compile(r"(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})" + _TIME, re.I),
    # Reuters and day-first: 26-FEB-1987 15:01:01.79, 21 July 2017, Friday 21st July 2017
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[-\s]+(?:of\s+)?" + _MONTH + r"[-\s,]+(?P<year>\d{4})" + _TIME, re.I),
    # Month-first: Friday, July 21, 2017; Jul 21 2017 3:05 PM
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
]
#: ISO 8601 basic format: 20170721, 20180619T055000+0900
_COMPACT = re.compile(
    r"^(?P<year>\d{4})(?P<mon>\d{2})(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?P<minute>\d{2})(?P<second>\d{2})?(?:\.\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date(text: str) -> str | None:
    """A normalised ISO date for ``text``, or None when it holds no plausible publication date."""
    text = (text or "").strip()
    if not text or len(text) > 200:
        return None
    found = _from_rfc2822(text) or _from_patterns(text)
    if found is None:
        return None
    moment, has_time = found
    if not _plausible(moment):
        return None
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def _from_rfc2822(text: str) -> tuple[datetime, bool] | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        return None
    from email.utils import parsedate_to_datetime  # here: ~7 ms of imports a query process never needs

    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment, True


def _from_patterns(text: str) -> tuple[datetime, bool] | None:
    if match := _COMPACT.match(text):
        return _build(match.groupdict())
    for pattern in _PATTERNS:
        if match := pattern.search(text):
            built = _build(match.groupdict())
            if built is not None:
                return built
    return None


def _build(parts: dict[str, Any]) -> tuple[datetime, bool] | None:
    """Assemble the matched pieces; an impossible date (31 February, hour 25) is no date."""
    month = int(parts["mon"]) if parts.get("mon") else _MONTHS[parts["month"].lower()]
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
        if not parts.get("hour"):
            return datetime(day.year, day.month, day.day), False
        hour = int(parts["hour"])
        ampm = (parts.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        moment = datetime(
            day.year,
            day.month,
            day.day,
            hour,
            int(parts["minute"]),
            int(parts.get("second") or 0),
            tzinfo=_zone(parts.get("tz")),
        )
    except ValueError:
        return None
    return moment, True


def _zone(tz: str | None) -> timezone | None:
    if not tz:
        return None
    if tz.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(sign * offset) if offset < timedelta(hours=24) else None


def _plausible(moment: datetime) -> bool:
    """Not before 1800, not after tomorrow (compared in UTC, naive times taken as UTC)."""
    if moment.year < _EARLIEST:
        return False
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware <= datetime.now(timezone.utc) + timedelta(days=1)
