"""Counts say their noun in the right number (issue 12 item 23g)."""

from __future__ import annotations

import pytest

from mtui.core.wording import count


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (0, "match", "0 matches"),
        (1, "match", "1 match"),
        (2, "match", "2 matches"),
        (1, "field", "1 field"),
        (3, "field", "3 fields"),
        (1240, "task", "1,240 tasks"),
        (2, "orphan tactic", "2 orphan tactics"),
        (2, "box", "2 boxes"),
        (2, "person", "2 people"),
    ],
)
def test_count_says_the_noun_in_the_right_number(n, word, expected) -> None:
    many = "people" if word == "person" else None
    assert count(n, word, many) == expected
