"""Due-date words of the quick-add language, read with pendulum in the user's timezone.

Everything here takes ``now`` as an argument instead of reading the clock, so that the
TUI, the CLI and the tests agree on what "fri" means at a given moment.

Decisions worth knowing:

* Weekday names always mean the *next* such day: ``fri`` on a Friday is a week away.
* ``nw`` / ``next-week`` / ``next week`` is the next Monday (a week away on a Monday).
* ``eod`` is today as a plain date (a date without a time is due at the end of that day).
* ``eow`` is the end of the *working* week: this week's Friday (today on a Friday); on a
  Saturday or Sunday it is the coming Friday.
* ``eom`` / ``eoq`` / ``eoy`` are the last day of the current month / quarter / year.
* ``dec3`` / ``3dec`` / ``december 3`` is the next occurrence: today if it is today,
  next year if it has already passed this year.
* A bare time (``15:00``, ``9am``) is its next occurrence: today, or tomorrow if passed.
* An explicit ISO datetime keeps the offset it was written with; naive ones take now's zone.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import pendulum

from mtui.core.clock import elapsed, zone_of
from mtui.core.language import day_words
from mtui.core.language.day_words import (  # noqa: F401  (re-exported)
    FIRST_YEAR,
    LAST_YEAR,
    DateError,
    check_year,
)

ACCEPTED_FORMS = (
    "today, tomorrow/tmr, mon..sun, nw/next-week, +3d/+2w/+1m/+1y, eod/eow/eom/eoq/eoy, "
    "2026-12-03, dec3/3dec, with an optional time such as fri15:00, tomorrow9am, dec3 9:30pm"
)

_WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}:?\d{2})?"
)
_TIME_12H = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)")
_TIME_24H = re.compile(r"(\d{1,2}):(\d{2})")
_TIME_H = re.compile(r"(\d{1,2})h(\d{2})?")
_TIME_SEPARATOR = re.compile(r"(?:\s+at|\s*[@,])$")


@dataclass(frozen=True, slots=True)
class Due:
    """A due date, optionally with a time.

    A plain date and a datetime are kept apart because "due Friday" and "due Friday
    15:00" mean different things on the board (the first is due all day).
    """

    day: pendulum.Date
    at: pendulum.DateTime | None = None

    @property
    def has_time(self) -> bool:
        return self.at is not None

    @property
    def iso(self) -> str:
        """ISO 8601 as stored: ``2026-12-03`` or ``2026-12-04T15:00:00+01:00``."""
        return self.at.isoformat() if self.at is not None else self.day.isoformat()

    @classmethod
    def from_iso(cls, text: str, tz: pendulum.Timezone | None = None) -> Due:
        """Read a stored ISO value back; naive datetimes are placed in ``tz`` (or UTC)."""
        try:
            if day_words.ISO_DATE.fullmatch(text):
                return cls(_to_date(_dt.date.fromisoformat(text)))
            parsed = _dt.datetime.fromisoformat(text.upper())
        except ValueError as exc:
            raise DateError(f"not an ISO 8601 date: {text!r}") from exc
        if parsed.tzinfo is None:
            at = pendulum.instance(parsed, tz=tz or pendulum.UTC)
        else:
            at = pendulum.instance(parsed)
        return cls(at.date(), at)


def parse_when(text: str, now: _dt.datetime) -> Due:
    """Read a due-date phrase relative to ``now`` (an aware datetime, pendulum's or
    not); raise DateError if it is not one."""
    phrase = day_words.normalize(text)
    if not phrase:
        raise DateError(f"empty date: use {ACCEPTED_FORMS}")
    moment = _as_pendulum(now)
    try:
        due = _parse_phrase(phrase, moment)
    except DateError:
        raise
    except (ValueError, OverflowError) as exc:
        raise DateError(f"not a valid date: {text.strip()!r} ({exc})") from exc
    if due is None:
        raise DateError(f"can't read date {text.strip()!r}: use {ACCEPTED_FORMS}")
    check_year(due.day)
    return due


def _as_pendulum(now: _dt.datetime) -> pendulum.DateTime:
    """Accept a plain aware datetime too, so callers need not convert first."""
    if isinstance(now, pendulum.DateTime):
        return now
    return pendulum.instance(now)


def _to_date(value: _dt.date) -> pendulum.Date:
    return pendulum.Date(value.year, value.month, value.day)


def _parse_phrase(phrase: str, now: pendulum.DateTime) -> Due | None:
    """Try an ISO datetime, then a day word, then a day word followed by a time."""
    if _ISO_DATETIME.fullmatch(phrase):
        return _parse_iso_datetime(phrase, now)
    day = _parse_day(phrase, now.date())
    if day is not None:
        return Due(day)
    return _parse_day_with_time(phrase, now)


def _parse_iso_datetime(phrase: str, now: pendulum.DateTime) -> Due:
    parsed = _dt.datetime.fromisoformat(phrase.upper())
    if parsed.tzinfo is None:
        at = pendulum.instance(parsed, tz=now.timezone)
    else:
        at = pendulum.instance(parsed)
    return Due(at.date(), at)


def _parse_day_with_time(phrase: str, now: pendulum.DateTime) -> Due | None:
    """Split ``fri15:00`` / ``tomorrow 9am`` / ``dec3 at 5pm`` into a day and a time.

    Every split point is tried from the left so that ``dec39am`` reads as dec3 + 9am.
    """
    for cut in range(len(phrase)):
        time = _parse_time(phrase[cut:])
        if time is None:
            continue
        head = _TIME_SEPARATOR.sub("", phrase[:cut].rstrip()).strip()
        if not head:
            return _next_time_occurrence(time, now)
        day = _parse_day(head, now.date())
        if day is not None:
            return _combine(day, time, now)
    return None


def _combine(day: pendulum.Date, time: tuple[int, int], now: pendulum.DateTime) -> Due:
    at = pendulum.datetime(day.year, day.month, day.day, time[0], time[1], tz=now.timezone)
    return Due(at.date(), at)


def _next_time_occurrence(time: tuple[int, int], now: pendulum.DateTime) -> Due:
    """A bare time is today at that time, or tomorrow if that moment has passed."""
    due = _combine(now.date(), time, now)
    if due.at is not None and due.at <= now:
        due = _combine(now.date().add(days=1), time, now)
    return due


def _parse_time(text: str) -> tuple[int, int] | None:
    """``9am`` ``9:30pm`` ``15:00`` ``17h`` ``17h30`` → (hour, minute), else None."""
    if match := _TIME_12H.fullmatch(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return (hour % 12 + (12 if match[3] == "pm" else 0), minute)
    match = _TIME_24H.fullmatch(text) or _TIME_H.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return (hour, minute)


def _parse_day(phrase: str, today: pendulum.Date) -> pendulum.Date | None:
    """A day-level phrase (no time) → the date it names, or None if it is not one."""
    day = day_words.parse_day(phrase, today)
    return None if day is None else _to_date(day)


def next_weekday(today: _dt.date, weekday: int) -> pendulum.Date:
    """The next date with ``weekday`` (Monday=0), strictly after today."""
    return _to_date(day_words.next_weekday(today, weekday))


def distance_warning(due_iso: str, now: _dt.datetime) -> str | None:
    """A warning when a due date is more than a year from today (``feb29`` on 1 Dec
    2026 is 29 Feb 2028): almost always a typo or a surprise, so it is said, not refused."""
    moment = _as_pendulum(now)
    try:
        due = Due.from_iso(due_iso, zone_of(moment))
    except DateError:
        return None
    today = moment.date()
    shown = due.day.format("ddd D MMM YYYY")
    if due.day > today.add(years=1):
        return f"due date {shown} is more than a year away"
    if due.day < today.subtract(years=1):
        return f"due date {shown} is more than a year ago"
    return None


def humanize_due(due_iso: str, now: pendulum.DateTime, *, weekdays: bool = False) -> str:
    """Short relative text for a stored due value: "today", "tomorrow", "in 3d", "2d late".

    Days are counted in now's timezone. With ``weekdays=True`` due dates two to six days
    ahead read as the weekday ("fri"), as on the board cards. An unreadable value is
    returned unchanged so a bad row never breaks a render.
    """
    now = _as_pendulum(now)
    try:
        due = Due.from_iso(due_iso, zone_of(now))
    except DateError:
        return due_iso
    day = due.at.in_timezone(zone_of(now)).date() if due.at is not None else due.day
    days = (day - now.date()).days
    if due.at is not None and days == 0:
        return _humanize_today_time(due.at, now)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days < 0:
        return f"{_span(-days)} late"
    if weekdays and days < 7:
        return _WEEKDAY_ABBR[day.weekday()]
    return f"in {_span(days)}"


def humanize_done(done_at: str, now: pendulum.DateTime) -> str:
    """When a task was finished: "✓ today", "✓ 3d ago" (a done card is never "late": its
    due date no longer matters). Short, because it shares a card line with the owner."""
    now = _as_pendulum(now)
    done = parse_day_local(done_at, now)
    if done is None:
        return "✓"
    days = (now.date() - done).days
    return "✓ today" if days <= 0 else f"✓ {_span(days)} ago"


def parse_day_local(stamp: str, now: pendulum.DateTime) -> pendulum.Date | None:
    """The calendar day, in now's timezone, of a stored UTC timestamp."""
    try:
        moment = pendulum.parse(stamp)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        return None
    if not isinstance(moment, pendulum.DateTime):
        return None
    return moment.in_timezone(zone_of(now)).date()


def _humanize_today_time(at: pendulum.DateTime, now: pendulum.DateTime) -> str:
    if at >= now:
        return f"today {at.in_timezone(zone_of(now)).format('HH:mm')}"
    minutes = int((now - at).total_seconds() // 60)
    return f"{minutes // 60}h late" if minutes >= 60 else f"{minutes}m late"


def _span(days: int) -> str:
    """A day count in the largest unit that reads naturally: 3d, 2w, 4mo, 1y."""
    return elapsed(days * 86400, in_days=True)


def parse_day(text: str | None) -> pendulum.Date | None:
    """The date part of a stored date or datetime (``2026-12-03…``), or None if unreadable."""
    if not text:
        return None
    try:
        return pendulum.Date.fromisoformat(text[:10])
    except ValueError:
        return None
