"""Display helpers: compact numbers, deltas, downsampling for sparklines."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.metrics import compact_number, delta_percent, downsample


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0, "0"),
        (312, "312"),
        (312.4, "312"),
        (2.1, "2.1"),
        (0.0642, "0.0642"),
        (53.25, "53.2"),
        (999, "999"),
        (999.9, "1k"),
        (1000, "1k"),
        (1240, "1.24k"),
        (12345.0, "12.3k"),
        (123456, "123k"),
        (999_950, "1M"),
        (1_250_000, "1.25M"),
        (2_000_000, "2M"),
        (3.4e9, "3.4B"),
        (-12345, "-12.3k"),
        (float("nan"), "n/a"),
        (float("inf"), "∞"),
    ],
)
def test_compact_number(value: float, label: str) -> None:
    assert compact_number(value) == label


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_compact_number_is_short_and_close(value: float) -> None:
    label = compact_number(value)
    assert len(label) <= 8
    scale = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(label[-1], 1)
    number = float(label.rstrip("kMBT")) * scale
    assert number == pytest.approx(value, rel=0.01, abs=0.0051)


def test_delta_percent() -> None:
    assert delta_percent(100, 104) == pytest.approx(4.0)
    assert delta_percent(200, 150) == pytest.approx(-25.0)
    assert delta_percent(-50, -25) == pytest.approx(50.0)
    assert delta_percent(0, 10) is None
    assert delta_percent(None, 10) is None
    assert delta_percent(10, None) is None
    assert delta_percent(math.inf, 1) is None


def test_downsample_bucket_means() -> None:
    points = [(f"t{i}", float(i)) for i in range(10)]
    assert downsample(points, 5) == [0.5, 2.5, 4.5, 6.5, 8.5]
    assert downsample(points, 1) == [4.5]
    assert downsample(points[:3], 60) == [0.0, 1.0, 2.0]  # never upsampled
    assert downsample([], 60) == []
    assert downsample(points, 0) == []


def test_downsample_a_year_of_five_minute_points() -> None:
    points = [(f"t{i}", float(i % 288)) for i in range(105_120)]
    buckets = downsample(points, 60)
    assert len(buckets) == 60
    # Each bucket spans whole days of a 0..287 sawtooth, so every mean is about 143.5.
    assert all(abs(b - 143.5) < 10 for b in buckets)
    assert sum(buckets) / 60 == pytest.approx(143.5, rel=0.01)


@given(st.lists(st.floats(min_value=-1e9, max_value=1e9), max_size=300), st.integers(1, 80))
def test_downsample_preserves_the_overall_mean(values: list[float], buckets: int) -> None:
    points = [("t", v) for v in values]
    out = downsample(points, buckets)
    assert len(out) == min(len(values), buckets)
    if values:
        assert min(out) >= min(values) - 1e-6
        assert max(out) <= max(values) + 1e-6


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(0, "just now"), (44, "just now"), (45, "1m ago"), (59, "1m ago"), (60, "1m ago"),
     (119, "1m ago"), (120, "2m ago"), (3 * 3600, "3h ago"), (-30, "just now")],
)  # fmt: skip
def test_age_text_never_says_zero_minutes(seconds: int, label: str) -> None:
    from datetime import UTC, datetime, timedelta

    from mtui.core.metrics.cards import age_text

    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    fetched = (now - timedelta(seconds=seconds)).isoformat()
    assert age_text(fetched, now) == label
