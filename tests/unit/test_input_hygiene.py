"""Input hygiene of the quick-add and filter languages (issue 12): bounded numbers,
control characters, ambiguous names, typos that would become data."""

from __future__ import annotations

import pendulum
import pytest

from mtui.core.language.quickadd import QuickAddError, parse_quickadd
from mtui.core.model import Status
from mtui.ui.quickadd.preview import Names, build_preview

NOW = pendulum.datetime(2026, 12, 1, 10, 0, tz="Europe/Berlin")
STATUSES = [
    Status(1, "Backlog", 0),
    Status(2, "Next", 1),
    Status(3, "Doing", 2),
    Status(4, "Blocked", 3),
    Status(5, "Done", 4, is_done=True),
]
NAMES = Names(statuses=STATUSES, goals=[], campaigns=[], channels=[], default_status="Backlog")
HUGE = "9" * 309


@pytest.mark.parametrize(
    "text",
    [
        f"Plan est:{HUGE}h",
        f"Plan est:{HUGE}.5h",
        f"Plan est:1h{HUGE}m",
        f"Plan est:{HUGE}m",
        f"Plan est:{'9' * 5000}m",
        "Plan due:+9999y",
        "Plan due:0001-01-01",
    ],
    ids=["hours", "fraction", "minutes-after-hours", "minutes", "5000-digits", "+9999y", "year1"],
)
def test_numbers_beyond_any_sane_value_are_errors_not_crashes(text: str) -> None:
    with pytest.raises(QuickAddError, match="out of range"):
        parse_quickadd(text, NOW)
    # The TUI preview runs the same readers on every keystroke: it must report, not raise.
    preview = build_preview(text, NOW, NAMES)
    assert any("out of range" in p.message for p in preview.problems)
