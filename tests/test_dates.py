"""parse_date: the shapes news files use, normalised; impossible and implausible dates refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchkit.ingest.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-07-21", "2017-07-21"),
        ("2017-07-21T10:00:00Z", "2017-07-21T10:00:00+00:00"),
        ("2017-07-21T10:00:00.123+02:00", "2017-07-21T10:00:00+02:00"),
        ("2017-07-21 10:00", "2017-07-21T10:00:00"),
        ("20170721", "2017-07-21"),
        ("Fri, 21 Jul 2017 10:00:00 GMT", "2017-07-21T10:00:00+00:00"),
        ("Fri, 21 Jul 2017 10:00:00 -0500", "2017-07-21T10:00:00-05:00"),
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01"),
        ("Friday, July 21, 2017", "2017-07-21"),
        ("21 July 2017", "2017-07-21"),
        ("21st of July, 2017", "2017-07-21"),
        ("Updated 3:05 PM; Nov. 6, 2023", "2023-11-06"),
        ("Nov 6, 2023 3:05 pm", "2023-11-06T15:05:00"),
    ],
)
def test_known_shapes(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "garbage", "2017-02-31", "1799-12-31", "2999-01-01", "32 July 2017", "2017-07-21T25:00:00"]
)
def test_refused(text):
    assert parse_date(text) is None


def test_tomorrow_is_accepted_but_not_next_week():
    now = datetime.now(timezone.utc)
    assert parse_date((now + timedelta(hours=12)).date().isoformat()) is not None
    assert parse_date((now + timedelta(days=7)).date().isoformat()) is None


@given(st.text(max_size=60))
def test_any_text_gives_a_date_or_none(text):
    result = parse_date(text)
    assert result is None or result[:4].isdigit() and result[4] == "-"
