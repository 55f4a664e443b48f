"""The one "how long ago" wording, shared by cards, metric ages and the stand-up."""

from __future__ import annotations

import pytest

from mtui.core.clock import elapsed

DAY = 86400


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (-5, "0m"),
        (59, "0m"),
        (35 * 60, "35m"),
        (5 * 3600, "5h"),
        (47 * 3600, "47h"),
        (2 * DAY, "2d"),
        (13 * DAY, "13d"),
        (14 * DAY, "2w"),
        (59 * DAY, "8w"),
        (60 * DAY, "2mo"),
        (364 * DAY, "12mo"),
        (365 * DAY, "1y"),
    ],
)
def test_elapsed_picks_the_largest_natural_unit(seconds: int, expected: str) -> None:
    assert elapsed(seconds) == expected


def test_elapsed_in_days_counts_days_below_two_weeks() -> None:
    assert elapsed(1 * DAY, in_days=True) == "1d"
    assert elapsed(0, in_days=True) == "0d"
    assert elapsed(20 * DAY, in_days=True) == "2w"
