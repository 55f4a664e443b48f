"""The day words of the due-date language (``fri``, ``tomorrow``, ``+2w``, ``eom``,
``dec3``, ``2026-12-03``), read with the standard library only.

A due date is a calendar day, so these need no timezone arithmetic: only today's date in
the user's timezone, which the caller passes. Importing pendulum costs more than the
rest of ``mtui add`` together, so the common words are read here, and
``mtui.core.language.dates`` (pendulum) reads the rest: times of day, ISO datetimes,
and every error message. ``tests/unit/test_day_words.py`` checks every word against
pendulum's arithmetic on every day of a year, in several timezones.
"""

from __future__ import annotations

import datetime as _dt
import re

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

_TODAY_WORDS = frozenset({"today", "tod", "eod"})
_TOMORROW_WORDS = frozenset({"tomorrow", "tmr", "tmrw"})
_NEXT_WEEK_WORDS = frozenset({"nw", "next-week", "nextweek", "next week"})

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Patterns, compiled on first use (re's cache): a weekday (``due:fri``) needs none.
_RELATIVE = r"\+(\d{1,4})\s*(d|w|m|mo|y)"
_MONTH_DAY = r"([a-z]+)[\s.\-/]?(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = r"(\d{1,2})(?:st|nd|rd|th)?[\s.\-/]?([a-z]+)"

# Dates outside these years are typos (``+999y``, ``0001-01-01``), not plans.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class DateError(ValueError):
    """A due date that could not be read; the message says which forms are accepted."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_year(day: _dt.date) -> None:
    """Refuse a date outside FIRST_YEAR..LAST_YEAR: every stored date is in range."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateError(
            f"date {day.isoformat()} is out of range (years {FIRST_YEAR} to {LAST_YEAR})"
        )


def normalize(text: str) -> str:
    """Lower case, single spaces: the form every date word is matched in."""
    return " ".join(text.strip().lower().split())


def due_day_iso(text: str, today: _dt.date) -> str | None:
    """The ISO date a day word names (``fri`` → ``2026-12-04``), or None when ``text`` is
    anything else (a time, an ISO datetime, a typo, a date out of range): the caller
    then asks ``dates.parse_when``, which reads it or says what is wrong."""
    try:
        day = parse_day(normalize(text), today)
    except (ValueError, OverflowError):  # DateError too: dates.parse_when words the error
        return None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day.isoformat()


def within_a_year(due_iso: str, today: _dt.date) -> bool:
    """True when ``due_iso`` is a plain date at most a year from ``today`` either way (no
    ``dates.distance_warning`` to give); False when it may need one, or is a datetime."""
    if not ISO_DATE.fullmatch(due_iso):
        return False
    try:
        day = _dt.date.fromisoformat(due_iso)
        return add_months(today, -12) <= day <= add_months(today, 12)
    except ValueError:
        return False


def parse_day(phrase: str, today: _dt.date) -> _dt.date | None:
    """A day-level phrase (no time, already ``normalize``d) → the date it names, or None
    if it is not one. Raises DateError for a month and day that never exist (``feb30``)
    and ValueError for an impossible date (``2026-02-30``, a year past 9999)."""
    today = _dt.date(today.year, today.month, today.day)
    if phrase in _TODAY_WORDS:
        return today
    if phrase in _TOMORROW_WORDS:
        return today + _dt.timedelta(days=1)
    if phrase in _WEEKDAYS:
        return next_weekday(today, _WEEKDAYS[phrase])
    if phrase in _NEXT_WEEK_WORDS:
        return next_weekday(today, 0)
    if phrase in _PERIOD_ENDS:
        return _PERIOD_ENDS[phrase](today)
    if ISO_DATE.fullmatch(phrase):
        return _dt.date.fromisoformat(phrase)
    if match := re.fullmatch(_RELATIVE, phrase):
        return _relative(today, int(match[1]), match[2])
    return _parse_month_day(phrase, today)


def _relative(today: _dt.date, count: int, unit: str) -> _dt.date:
    if unit == "d":
        return today + _dt.timedelta(days=count)
    if unit == "w":
        return today + _dt.timedelta(weeks=count)
    return add_months(today, count * 12 if unit == "y" else count)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``months`` later (earlier if negative), on the same day of the month or that
    month's last day (31 Jan + 1 month is 28 or 29 Feb), as pendulum adds them."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return _dt.date(year, month0 + 1, min(day.day, _month_days(year, month0 + 1)))


def _month_days(year: int, month: int) -> int:
    """How many days ``month`` has (``calendar.monthrange``, without importing calendar)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def next_weekday(today: _dt.date, weekday: int) -> _dt.date:
    """The next date with ``weekday`` (Monday=0), strictly after today."""
    return today + _dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _end_of_work_week(today: _dt.date) -> _dt.date:
    """This week's Friday; on Saturday or Sunday the coming Friday."""
    return today + _dt.timedelta(days=(4 - today.weekday()) % 7)


def _end_of_month(today: _dt.date) -> _dt.date:
    return today.replace(day=_month_days(today.year, today.month))


def _end_of_quarter(today: _dt.date) -> _dt.date:
    last_month = (today.month - 1) // 3 * 3 + 3
    return _end_of_month(_dt.date(today.year, last_month, 1))


def _end_of_year(today: _dt.date) -> _dt.date:
    return _dt.date(today.year, 12, 31)


_PERIOD_ENDS = {
    "eow": _end_of_work_week,
    "eom": _end_of_month,
    "eoq": _end_of_quarter,
    "eoy": _end_of_year,
}


def _parse_month_day(phrase: str, today: _dt.date) -> _dt.date | None:
    """``dec3`` / ``3dec`` / ``december 3rd`` → its next occurrence from today."""
    if match := re.fullmatch(_MONTH_DAY, phrase):
        month_word, day_text = match[1], match[2]
    elif match := re.fullmatch(_DAY_MONTH, phrase):
        day_text, month_word = match[1], match[2]
    else:
        return None
    month = _MONTHS.get(month_word)
    if month is None:
        return None
    found = _next_month_day(month, int(day_text), today)
    if found is None:
        raise DateError(f"no such date: {phrase!r}")
    return found


def _next_month_day(month: int, day: int, today: _dt.date) -> _dt.date | None:
    """The first valid month/day on or after today (Feb 29 waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = _dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None
