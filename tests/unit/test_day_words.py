"""Issue 16: the day words read with the standard library (``day_words``, so that
``mtui add … due:fri`` needs no pendulum) mean exactly what pendulum's arithmetic makes
of them, on every day of a year (and a leap year), and "today" is the same calendar day
pendulum sees, in several timezones, across their DST changes.

The oracle below is the pendulum code the words were read with before (issue 16 moved
it to the standard library).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core import clock
from mtui.core.language import day_words
from mtui.core.language.dates import distance_warning, parse_when
from mtui.core.language.quickadd import parse_quickadd

# ------------------------------------------------------------------ the pendulum oracle

_RELATIVE = re.compile(r"\+(\d{1,4})\s*(d|w|m|mo|y)")
_MONTH_DAY = re.compile(r"([a-z]+)[\s.\-/]?(\d{1,2})(?:st|nd|rd|th)?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s.\-/]?([a-z]+)")
_UNITS = {"d": "days", "w": "weeks", "m": "months", "mo": "months", "y": "years"}


def oracle(phrase: str, today: pendulum.Date) -> pendulum.Date | None:
    """The day a phrase names, computed with pendulum (raises as that code did)."""
    weekdays, months = day_words._WEEKDAYS, day_words._MONTHS
    if phrase in ("today", "tod", "eod"):
        return today
    if phrase in ("tomorrow", "tmr", "tmrw"):
        return today.add(days=1)
    if phrase in weekdays:
        return today.add(days=(weekdays[phrase] - today.weekday()) % 7 or 7)
    if phrase in ("nw", "next-week", "nextweek", "next week"):
        return today.add(days=(0 - today.weekday()) % 7 or 7)
    if phrase == "eow":
        return today.add(days=(4 - today.weekday()) % 7)
    if phrase == "eom":
        return today.end_of("month")
    if phrase == "eoq":
        return pendulum.Date(today.year, (today.month - 1) // 3 * 3 + 3, 1).end_of("month")
    if phrase == "eoy":
        return pendulum.Date(today.year, 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        day = dt.date.fromisoformat(phrase)
        return pendulum.Date(day.year, day.month, day.day)
    if match := _RELATIVE.fullmatch(phrase):
        return today.add(**{_UNITS[match[2]]: int(match[1])})
    if match := _MONTH_DAY.fullmatch(phrase):
        month_word, day_text = match[1], match[2]
    elif match := _DAY_MONTH.fullmatch(phrase):
        day_text, month_word = match[1], match[2]
    else:
        return None
    month = months.get(month_word)
    if month is None:
        return None
    for year in range(today.year, today.year + 9):
        try:
            candidate = pendulum.Date(year, month, int(day_text))
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError("no such date")


def oracle_iso(phrase: str, today: pendulum.Date) -> str | None:
    """What the fast path must answer: the ISO day, or None (pendulum decides)."""
    try:
        day = oracle(day_words.normalize(phrase), today)
    except (ValueError, OverflowError):
        return None
    if day is None or not day_words.FIRST_YEAR <= day.year <= day_words.LAST_YEAR:
        return None
    return day.isoformat()


WORDS = [
    *day_words._WEEKDAYS, "today", "tod", "eod", "tomorrow", "tmr", "tmrw", "nw",
    "next-week", "nextweek", "next week", "Next  Week", "eow", "eom", "eoq", "eoy", "FRI",
    " fri ", "+0d", "+1d", "+6d", "+30d", "+1w", "+2w", "+52w", "+1m", "+1mo", "+2m", "+11m",
    "+12m", "+13m", "+25m", "+1y", "+4y", "+100y", "+9999y", "+9999m", "+9999w", "+9999d",
    "dec3", "3dec", "december 3rd", "dec 31", "31dec", "jan1", "1 jan", "jan 31", "feb28",
    "feb29", "29feb", "feb30", "apr31", "jun 30", "sept 9", "9th sept", "mar-15", "15/mar",
    "may5", "2026-12-03", "2028-02-29", "2027-02-29", "2026-13-01", "1899-12-31",
    "2199-12-31", "2200-01-01", "0001-01-01", "dec32", "foo", "15:00", "fri 15:00", "",
]  # fmt: skip


def every_day(year: int) -> Iterator[pendulum.Date]:
    day = pendulum.Date(year, 1, 1)
    while day.year == year:
        yield day
        day = day.add(days=1)


# ------------------------------------------------------------------ the words


@pytest.mark.parametrize("year", [2027, 2028])  # a common and a leap year
def test_every_word_on_every_day_of_a_year_matches_pendulum(year: int) -> None:
    wrong = []
    for today in every_day(year):
        plain = dt.date(today.year, today.month, today.day)
        for word in WORDS:
            expected, got = oracle_iso(word, today), day_words.due_day_iso(word, plain)
            if got != expected:
                wrong.append((today.isoformat(), word, expected, got))
    assert wrong == []


def test_the_fast_path_reads_every_common_word() -> None:
    """Not just agreement: the words of the language never need pendulum."""
    today = dt.date(2027, 5, 14)
    missed = [
        word
        for word in WORDS
        if oracle_iso(word, pendulum.Date(2027, 5, 14)) and not day_words.due_day_iso(word, today)
    ]
    assert missed == []
    assert day_words.due_day_iso("fri 15:00", today) is None  # times are pendulum's


@given(
    today=st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
    count=st.integers(0, 9999),
    unit=st.sampled_from(["d", "w", "m", "mo", "y"]),
    space=st.sampled_from(["", " "]),
)
def test_any_relative_date_matches_pendulum(
    today: dt.date, count: int, unit: str, space: str
) -> None:
    phrase = f"+{count}{space}{unit}"
    pendulum_today = pendulum.Date(today.year, today.month, today.day)
    assert day_words.due_day_iso(phrase, today) == oracle_iso(phrase, pendulum_today)


@given(
    today=st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
    month=st.sampled_from(sorted(day_words._MONTHS)),
    day=st.integers(0, 40),
    form=st.sampled_from(
        ["{m}{d}", "{d}{m}", "{m} {d}", "{d} {m}", "{m}-{d}", "{d}.{m}", "{m} {d}th", "{d}st {m}"]
    ),
)
def test_any_month_and_day_matches_pendulum(
    today: dt.date, month: str, day: int, form: str
) -> None:
    phrase = form.format(m=month, d=day)
    pendulum_today = pendulum.Date(today.year, today.month, today.day)
    assert day_words.due_day_iso(phrase, today) == oracle_iso(phrase, pendulum_today)


@pytest.mark.parametrize("year", [2027, 2028])
def test_distance_check_skips_pendulum_only_when_pendulum_would_not_warn(year: int) -> None:
    wrong = []
    for today in every_day(year):
        now = pendulum.datetime(today.year, today.month, today.day, 12, tz="UTC")
        plain = dt.date(today.year, today.month, today.day)
        for anchor in (today.add(years=1), today.subtract(years=1), today):
            for shift in range(-2, 3):
                due = anchor.add(days=shift).isoformat()
                if day_words.within_a_year(due, plain) != (distance_warning(due, now) is None):
                    wrong.append((today.isoformat(), due))
    assert wrong == []
    assert not day_words.within_a_year("2027-05-14T15:00:00+02:00", dt.date(2027, 5, 14))


# ------------------------------------------------------------------ today, by timezone

ZONES = [
    "UTC", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe",
    "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns",
]  # fmt: skip


def moment(at: dt.datetime) -> tuple:
    """The instant, its offset and its wall time: equal for the same moment shown the
    same way (``==`` between two tzinfo types is never true in a repeated hour)."""
    return at.astimezone(dt.UTC), at.utcoffset(), at.replace(tzinfo=None), at.date()


def instants(zone: str, year: int) -> Iterator[dt.datetime]:
    """Local midnight ± a minute and noon on every day of ``year``, and every half
    hour of the days with a DST change (or any offset change) in ``zone``."""
    tz = ZoneInfo(zone)
    day = dt.date(year, 1, 1)
    while day.year == year:
        start = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        changes = start.utcoffset() != (start + dt.timedelta(days=1)).utcoffset()
        utc_start = start.astimezone(dt.UTC)
        for minutes in range(-90, 24 * 60 + 90, 30) if changes else (-1, 0, 1, 720, 1439):
            yield utc_start + dt.timedelta(minutes=minutes)
        day += dt.timedelta(days=1)


@contextmanager
def frozen_at(moment_text: str, zone: str) -> Iterator[None]:
    """mtui's clock frozen at ``moment_text`` in ``zone``; only those two variables are
    set and put back (``mock.patch.dict`` copies and restores the whole environment, which
    thousands of instants per test made the slowest part)."""
    saved = {name: os.environ.get(name) for name in ("MTUI_FROZEN_NOW", "MTUI_TZ")}
    os.environ["MTUI_FROZEN_NOW"], os.environ["MTUI_TZ"] = moment_text, zone
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.mark.parametrize("zone", ZONES)
def test_today_is_the_day_pendulum_sees_in_every_zone_all_year(zone: str) -> None:
    wrong = []
    for instant in instants(zone, 2027):
        stamp = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        with frozen_at(stamp, zone):
            fast, slow = clock.current(), clock.now()
        if moment(fast) != moment(slow):
            wrong.append((stamp, fast.isoformat(), slow.isoformat()))
    assert wrong == []


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_a_frozen_local_time_a_dst_change_skips_or_repeats_is_read_as_pendulum_does(
    zone: str,
) -> None:
    tz = ZoneInfo(zone)
    wrong = []
    for instant in instants(zone, 2027):
        local = instant.astimezone(tz).replace(tzinfo=None).isoformat()
        for text in (local, local[:16]):
            with frozen_at(text, zone):
                fast, slow = clock.current(), clock.now()
            if moment(fast) != moment(slow):
                wrong.append((text, fast.isoformat(), slow.isoformat()))
    assert wrong == []


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham"])
def test_a_quick_add_line_means_the_same_with_either_clock(zone: str) -> None:
    """The whole line, as ``mtui add`` (standard-library now) and the TUI (pendulum now)
    read it, at every half hour around this zone's DST changes."""
    wrong = []
    for instant in instants(zone, 2027):
        fast = instant.astimezone(ZoneInfo(zone))
        slow = pendulum.instance(instant).in_timezone(zone)
        for word in ("fri", "tomorrow", "eom", "+1m", "dec3", "fri 15:00", "9am"):
            line = f"Launch #email due:{word!r}".replace("'", '"')
            if parse_quickadd(line, fast).due != parse_when(word, slow).iso:
                wrong.append((fast.isoformat(), word))
    assert wrong == []
