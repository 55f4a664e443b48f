"""Name resolution of a parsed quick-add line against plain lists of rows."""

from __future__ import annotations

import pendulum
import pytest

from mtui.core.language.quickadd import parse_quickadd
from mtui.core.language.resolve import ResolvedTask, ResolveError, resolve, suggest
from mtui.core.model import Campaign, Channel, Goal, Status

NOW = pendulum.datetime(2026, 11, 26, 10, 0, tz="Europe/Berlin")
STATUSES = [
    Status(1, "Backlog", 0),
    Status(2, "Next", 1),
    Status(3, "Doing", 2, wip_limit=4),
    Status(4, "Blocked", 3),
    Status(5, "Done", 4, is_done=True),
    Status(6, "In review", 5),
]
GOALS = [Goal(10, "Signups", "signups"), Goal(11, "Qualified leads", "mqls")]
CAMPAIGNS = [Campaign(20, "Spring launch", "spring-launch"), Campaign(21, "Black Friday", "bf")]
CHANNELS = [Channel(30, "email"), Channel(31, "LinkedIn")]


def run(text: str) -> ResolvedTask:
    return resolve(parse_quickadd(text, NOW), STATUSES, GOALS, CAMPAIGNS, 1, CHANNELS)


def test_full_line_resolves_to_ids() -> None:
    resolved = run("Launch email #Email @ana due:fri !1 ^signups c:spring-launch +copy est:2h")
    assert resolved == ResolvedTask(
        title="Launch email",
        status_id=1,
        priority=1,
        owner="ana",
        channel="email",
        campaign_id=20,
        goal_id=10,
        due="2026-11-27",
        tags=["copy"],
        estimate_minutes=120,
    )


@pytest.mark.parametrize(
    ("text", "status_id"),
    [("x", 1), ("x s:doing", 3), ("x s:DOI", 3), ("x s:bl", 4), ("x s:Done", 5), ("x s:in", 6)],
)
def test_status_by_name_or_unique_prefix(text: str, status_id: int) -> None:
    assert run(text).status_id == status_id


def test_exact_status_name_wins_over_longer_prefix_matches() -> None:
    statuses = [Status(1, "Do", 0), Status(2, "Doing", 1)]
    resolved = resolve(parse_quickadd("x s:do", NOW), statuses, [], [], 1)
    assert resolved.status_id == 1


def test_prefix_shared_with_a_done_column_is_ambiguous() -> None:
    """Issue 12 item 22: ``s:do`` could be Doing or Done, so it is an error naming both."""
    with pytest.raises(ResolveError) as info:
        run("x s:do")
    assert "ambiguous" in info.value.message
    assert info.value.suggestions == ["Doing", "Done"]


def test_ambiguous_status_lists_the_options() -> None:
    statuses = [Status(1, "Review", 0), Status(2, "Ready", 1), Status(3, "Done", 2, is_done=True)]
    with pytest.raises(ResolveError) as info:
        resolve(parse_quickadd("x s:re", NOW), statuses, [], [], 1)
    assert "Review" in info.value.message and "Ready" in info.value.message
    assert info.value.position == 2


def test_unknown_status_lists_the_columns() -> None:
    with pytest.raises(ResolveError) as info:
        run("x s:zzz")
    assert "Backlog" in info.value.message


def test_goal_and_campaign_match_slug_or_title_case_insensitively() -> None:
    resolved = run('x ^SIGNUPS c:"black friday"')
    assert (resolved.goal_id, resolved.campaign_id) == (10, 21)
    assert run('x ^"qualified leads"').goal_id == 11


def test_unknown_goal_suggests_close_slugs_and_points_at_the_token() -> None:
    with pytest.raises(ResolveError) as info:
        run("Post !1 ^signup")
    assert info.value.suggestions == ["signups"]
    assert "did you mean ^signups?" in info.value.message
    assert info.value.position == 8


def test_unknown_campaign_with_nothing_close_lists_known_ones() -> None:
    with pytest.raises(ResolveError) as info:
        run("x c:zzzzzz")
    assert info.value.suggestions == []
    assert "spring-launch" in info.value.message


def test_channel_takes_the_spelling_of_an_existing_one_or_stays_new() -> None:
    assert run("x #linkedin").channel == "LinkedIn"
    assert run("x #tiktok").channel == "tiktok"
    assert run("x").channel is None


def test_suggest_ranks_prefixes_and_near_misses() -> None:
    candidates = ["signups", "signals", "mqls", "spring-launch"]
    assert set(suggest("sign", candidates)[:2]) == {"signups", "signals"}
    assert suggest("singups", candidates)[0] == "signups"
    assert suggest("zzz", candidates) == []
    assert len(suggest("s", candidates, n=2)) == 2
