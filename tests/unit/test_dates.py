"""Due-date phrases at fixed moments: every expectation is worked out by hand on a
calendar (Thursday 2026-11-26 10:00 Europe/Berlin unless a row says otherwise)."""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.language.dates import DateError, Due, humanize_due, next_weekday, parse_when

BERLIN = "Europe/Berlin"
THU = pendulum.datetime(2026, 11, 26, 10, 0, tz=BERLIN)  # Thursday
FRI = pendulum.datetime(2026, 11, 27, 10, 0, tz=BERLIN)
SAT = pendulum.datetime(2026, 11, 28, 10, 0, tz=BERLIN)
SUN = pendulum.datetime(2026, 11, 29, 12, 0, tz=BERLIN)
MON = pendulum.datetime(2026, 11, 30, 8, 0, tz=BERLIN)
DEC30 = pendulum.datetime(2026, 12, 30, 9, 0, tz=BERLIN)  # Wednesday
DEC31 = pendulum.datetime(2026, 12, 31, 9, 0, tz=BERLIN)  # Thursday
JAN31 = pendulum.datetime(2026, 1, 31, 9, 0, tz=BERLIN)
FEB10_LEAP = pendulum.datetime(2028, 2, 10, 9, 0, tz=BERLIN)
DST_EVE = pendulum.datetime(2026, 3, 28, 12, 0, tz=BERLIN)  # clocks go forward on the 29th
NEW_YORK = pendulum.datetime(2026, 11, 26, 10, 0, tz="America/New_York")

CASES = [
    # plain days
    (THU, "today", "2026-11-26"),
    (THU, "Today", "2026-11-26"),
    (THU, "  today  ", "2026-11-26"),
    (THU, "tomorrow", "2026-11-27"),
    (THU, "tmr", "2026-11-27"),
    (THU, "tmrw", "2026-11-27"),
    # weekdays: always the next one, never today
    (THU, "thu", "2026-12-03"),
    (THU, "thursday", "2026-12-03"),
    (THU, "thurs", "2026-12-03"),
    (THU, "fri", "2026-11-27"),
    (THU, "friday", "2026-11-27"),
    (THU, "FRI", "2026-11-27"),
    (THU, "sat", "2026-11-28"),
    (THU, "sun", "2026-11-29"),
    (THU, "mon", "2026-11-30"),
    (THU, "monday", "2026-11-30"),
    (THU, "tue", "2026-12-01"),
    (THU, "tues", "2026-12-01"),
    (THU, "wed", "2026-12-02"),
    (THU, "wednesday", "2026-12-02"),
    (FRI, "fri", "2026-12-04"),
    (SUN, "mon", "2026-11-30"),
    (SUN, "sun", "2026-12-06"),
    (SUN, "sat", "2026-12-05"),
    (MON, "mon", "2026-12-07"),
    (DEC30, "thu", "2026-12-31"),
    (DEC30, "fri", "2027-01-01"),
    # next week = next Monday
    (THU, "nw", "2026-11-30"),
    (THU, "next-week", "2026-11-30"),
    (THU, "nextweek", "2026-11-30"),
    (THU, "next week", "2026-11-30"),
    (SUN, "nw", "2026-11-30"),
    (MON, "nw", "2026-12-07"),
    # relative
    (THU, "+0d", "2026-11-26"),
    (THU, "+1d", "2026-11-27"),
    (THU, "+3d", "2026-11-29"),
    (THU, "+10d", "2026-12-06"),
    (THU, "+1w", "2026-12-03"),
    (THU, "+2w", "2026-12-10"),
    (THU, "+1m", "2026-12-26"),
    (THU, "+3m", "2027-02-26"),
    (THU, "+1y", "2027-11-26"),
    (DEC30, "+3d", "2027-01-02"),
    (DEC30, "+1m", "2027-01-30"),
    (JAN31, "+1m", "2026-02-28"),
    # ends of periods
    (THU, "eod", "2026-11-26"),
    (THU, "eow", "2026-11-27"),
    (FRI, "eow", "2026-11-27"),
    (SAT, "eow", "2026-12-04"),
    (SUN, "eow", "2026-12-04"),
    (MON, "eow", "2026-12-04"),
    (THU, "eom", "2026-11-30"),
    (FEB10_LEAP, "eom", "2028-02-29"),
    (THU, "eoq", "2026-12-31"),
    (JAN31, "eoq", "2026-03-31"),
    (THU, "eoy", "2026-12-31"),
    # explicit dates, even past ones
    (THU, "2026-12-03", "2026-12-03"),
    (THU, "2027-01-15", "2027-01-15"),
    (THU, "2025-01-01", "2025-01-01"),
    # month and day: the next occurrence
    (THU, "dec3", "2026-12-03"),
    (THU, "3dec", "2026-12-03"),
    (THU, "december3", "2026-12-03"),
    (THU, "december 3", "2026-12-03"),
    (THU, "Dec 3rd", "2026-12-03"),
    (THU, "3rd dec", "2026-12-03"),
    (THU, "dec-3", "2026-12-03"),
    (THU, "nov26", "2026-11-26"),
    (THU, "nov25", "2027-11-25"),
    (THU, "jan2", "2027-01-02"),
    (THU, "feb29", "2028-02-29"),
    (DEC30, "dec31", "2026-12-31"),
    (DEC30, "dec30", "2026-12-30"),
    (DEC30, "dec29", "2027-12-29"),
    (DEC30, "jan2", "2027-01-02"),
    (DEC31, "jan1", "2027-01-01"),
    (DEC31, "tomorrow", "2027-01-01"),
    (DEC31, "dec31", "2026-12-31"),
    # with a time
    (THU, "fri15:00", "2026-11-27T15:00:00+01:00"),
    (THU, "fri 15:00", "2026-11-27T15:00:00+01:00"),
    (THU, "fri@15:00", "2026-11-27T15:00:00+01:00"),
    (THU, "fri at 3pm", "2026-11-27T15:00:00+01:00"),
    (THU, "sat at 3pm", "2026-11-28T15:00:00+01:00"),
    (THU, "tomorrow9am", "2026-11-27T09:00:00+01:00"),
    (THU, "tomorrow 9:30am", "2026-11-27T09:30:00+01:00"),
    (THU, "tmr12am", "2026-11-27T00:00:00+01:00"),
    (THU, "tmr12pm", "2026-11-27T12:00:00+01:00"),
    (THU, "today17h", "2026-11-26T17:00:00+01:00"),
    (THU, "today 17h30", "2026-11-26T17:30:00+01:00"),
    (THU, "dec3 9pm", "2026-12-03T21:00:00+01:00"),
    (THU, "dec39am", "2026-12-03T09:00:00+01:00"),
    (THU, "+1d 9am", "2026-11-27T09:00:00+01:00"),
    (THU, "2026-12-03 15:00", "2026-12-03T15:00:00+01:00"),
    (THU, "2026-12-03T15:00", "2026-12-03T15:00:00+01:00"),
    (THU, "2026-12-04T15:00:00+05:00", "2026-12-04T15:00:00+05:00"),
    (THU, "2026-12-04T15:00:00Z", "2026-12-04T15:00:00+00:00"),
    # a bare time: its next occurrence
    (THU, "15:00", "2026-11-26T15:00:00+01:00"),
    (THU, "11pm", "2026-11-26T23:00:00+01:00"),
    (THU, "9am", "2026-11-27T09:00:00+01:00"),
    (THU, "10:00", "2026-11-27T10:00:00+01:00"),
    # other zones and daylight saving
    (NEW_YORK, "fri15:00", "2026-11-27T15:00:00-05:00"),
    (DST_EVE, "tomorrow 9am", "2026-03-29T09:00:00+02:00"),
    (DST_EVE, "sun2:30", "2026-03-29T03:30:00+02:00"),
]


@pytest.mark.parametrize(("now", "phrase", "expected"), CASES)
def test_phrase_parses_to_expected_iso(now: pendulum.DateTime, phrase: str, expected: str) -> None:
    assert parse_when(phrase, now).iso == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60


def test_due_distinguishes_date_from_datetime() -> None:
    assert not parse_when("fri", THU).has_time
    due = parse_when("fri15:00", THU)
    assert due.has_time
    assert due.day == pendulum.date(2026, 11, 27)


@pytest.mark.parametrize(
    "phrase", ["blah", "next", "+3", "3", "friday!", "25:00", "fri25:00", "13pm", "yesterday"]
)
def test_unreadable_phrase_lists_accepted_forms(phrase: str) -> None:
    with pytest.raises(DateError) as info:
        parse_when(phrase, THU)
    assert "tomorrow" in info.value.message
    assert "dec3" in info.value.message


@pytest.mark.parametrize("phrase", ["dec32", "feb30", "2026-13-01", "2026-02-30", "+99999y"])
def test_impossible_dates_raise_date_error(phrase: str) -> None:
    with pytest.raises(DateError):
        parse_when(phrase, THU)


def test_empty_phrase_is_an_error() -> None:
    with pytest.raises(DateError, match="empty"):
        parse_when("   ", THU)


@given(st.text(max_size=30))
def test_parse_when_raises_only_date_error(phrase: str) -> None:
    try:
        due = parse_when(phrase, THU)
    except DateError as exc:
        assert exc.message
    else:
        assert Due.from_iso(due.iso).iso == due.iso


@given(
    st.integers(min_value=0, max_value=6),
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2200, 1, 1)),
)
def test_next_weekday_is_within_the_coming_week(weekday: int, day: datetime.date) -> None:
    found = next_weekday(pendulum.Date(day.year, day.month, day.day), weekday)
    assert found.weekday() == weekday
    assert 1 <= (found - day).days <= 7


def test_from_iso_reads_both_forms() -> None:
    assert Due.from_iso("2026-12-03").has_time is False
    at = Due.from_iso("2026-12-04T15:00:00+01:00")
    assert at.has_time and at.day == pendulum.date(2026, 12, 4)
    with pytest.raises(DateError):
        Due.from_iso("soon")


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-11-26", "today"),
        ("2026-11-27", "tomorrow"),
        ("2026-11-25", "1d late"),
        ("2026-11-24", "2d late"),
        ("2026-11-29", "in 3d"),
        ("2026-12-09", "in 13d"),
        ("2026-12-10", "in 2w"),
        ("2026-11-01", "3w late"),
        ("2027-03-01", "in 3mo"),
        ("2028-01-01", "in 1y"),
        ("2026-11-26T15:00:00+01:00", "today 15:00"),
        ("2026-11-26T14:00:00+00:00", "today 15:00"),
        ("2026-11-26T09:30:00+01:00", "30m late"),
        ("2026-11-26T07:00:00+01:00", "3h late"),
        ("2026-11-27T09:00:00+01:00", "tomorrow"),
        ("not a date", "not a date"),
    ],
)
def test_humanize_due(due: str, expected: str) -> None:
    assert humanize_due(due, THU) == expected


def test_humanize_due_can_name_weekdays_for_the_coming_week() -> None:
    assert humanize_due("2026-11-30", THU, weekdays=True) == "mon"
    assert humanize_due("2026-12-03", THU, weekdays=True) == "in 7d"
    assert humanize_due("2026-11-27", THU, weekdays=True) == "tomorrow"


def test_done_cards_say_when_they_were_finished_not_how_late() -> None:
    from mtui.core.language.dates import humanize_done

    now = pendulum.datetime(2026, 11, 26, 10, tz="Europe/Berlin")
    assert humanize_done("2026-11-26T08:00:00.000000Z", now) == "✓ today"
    assert humanize_done("2026-11-25T22:30:00.000000Z", now) == "✓ 1d ago"  # 23:30 in Berlin
    assert humanize_done("2026-11-24T12:00:00.000000Z", now) == "✓ 2d ago"
    assert humanize_done("garbage", now) == "✓"
