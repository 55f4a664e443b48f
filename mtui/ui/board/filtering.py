"""Bridge from the board's lookups to the filter language in ``mtui.core.filter_query``."""

from __future__ import annotations

import pendulum

from mtui.core import filter_query
from mtui.core.lookups import Lookups
from mtui.ui.board.columns import Predicate

_cache: dict[int, tuple[Lookups, filter_query.Lookups]] = {}


def name_maps(lookups: Lookups) -> filter_query.Lookups:
    """The id → name maps the filter compiles against (built once per lookups object)."""
    cached = _cache.get(id(lookups))
    if cached is not None and cached[0] is lookups:
        return cached[1]
    maps = filter_query.Lookups(
        channels={i: c.name for i, c in lookups.channels.items()},
        goals={i: g.slug for i, g in lookups.goals.items()},
        campaigns={i: c.slug for i, c in lookups.campaigns.items()},
        statuses={i: s.name for i, s in lookups.statuses.items()},
        done_status_ids=frozenset(lookups.done_status_ids),
        campaign_goals={i: tuple(c.goal_ids) for i, c in lookups.campaigns.items()},
    )
    _cache.clear()
    _cache[id(lookups)] = (lookups, maps)
    return maps


def compile_filter(
    text: str, now: pendulum.DateTime, lookups: Lookups
) -> tuple[Predicate | None, list[str]]:
    """A predicate for ``text`` (None when nothing filters) and messages for bad tokens."""
    query = filter_query.parse_filter(text, now)
    errors = [issue.message for issue in query.errors]
    if query.is_empty:
        return None, errors
    return query.compile(name_maps(lookups)), errors
