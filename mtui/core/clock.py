"""The one place mtui asks for the time.

``MTUI_FROZEN_NOW`` (an ISO 8601 datetime) freezes the clock, so snapshot tests and
CLI subprocess tests see the same "today" on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import cast

import pendulum

_override: pendulum.DateTime | None = None


@contextmanager
def frozen_at(moment: pendulum.DateTime) -> Iterator[None]:
    """Make ``now()`` return ``moment`` inside the block (the demo replays past days)."""
    global _override
    previous, _override = _override, moment
    try:
        yield
    finally:
        _override = previous


def local_tz() -> pendulum.Timezone:
    """$MTUI_TZ, then the config file's ``timezone``, then the system's."""
    name = os.environ.get("MTUI_TZ")
    if not name:
        from mtui.core.config.user_config import active_config

        name = active_config().timezone
    if name:
        return pendulum.Timezone(name)
    # Not ``pendulum.local_timezone``: that name is also a module, which mypy's cache
    # sometimes resolves instead of the function.
    from pendulum.tz.local_timezone import get_local_timezone

    zone = get_local_timezone()
    return cast(pendulum.Timezone, zone)  # a FixedTimezone works wherever a Timezone does


def now() -> pendulum.DateTime:
    """The current time in the user's timezone."""
    if _override is not None:
        return _override
    frozen = os.environ.get("MTUI_FROZEN_NOW")
    if frozen:
        parsed = pendulum.parse(frozen, tz=local_tz())
        assert isinstance(parsed, pendulum.DateTime)
        return parsed.in_timezone(local_tz())
    return pendulum.now(local_tz())


def utc_stamp(moment: pendulum.DateTime | None = None) -> str:
    """An ISO 8601 UTC timestamp with microseconds: sortable as text in SQLite."""
    moment = moment or now()
    return moment.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss.SSSSSS") + "Z"


def parse_stamp(text: str | None) -> datetime | None:
    """A stored timestamp (any ISO 8601 form, ``Z`` or offset) as aware UTC, or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


_DAY = 86400


def elapsed(seconds: float, *, in_days: bool = False) -> str:
    """How long, in the largest unit that reads naturally: ``35m``, ``5h``, ``3d``, ``2w``,
    ``4mo``, ``1y``. The one "how long ago" wording: cards, metric ages and the stand-up
    all say it the same way. ``in_days`` counts whole days below two weeks (due dates)."""
    whole = max(0, int(seconds))
    days = whole // _DAY
    if days >= 365:
        return f"{days // 365}y"
    if days >= 60:
        return f"{days // 30}mo"
    if days >= 14:
        return f"{days // 7}w"
    if in_days or whole >= 2 * _DAY:
        return f"{days}d"
    if whole >= 3600:
        return f"{whole // 3600}h"
    return f"{whole // 60}m"


def zone_of(moment: pendulum.DateTime) -> pendulum.Timezone:
    """The moment's timezone (UTC for a naive one), typed as pendulum's callers expect."""
    return cast(pendulum.Timezone, moment.timezone or pendulum.UTC)


def moment(value: str | pendulum.DateTime) -> pendulum.DateTime:
    """A stored ISO 8601 timestamp (or a moment already) as a pendulum DateTime."""
    if isinstance(value, pendulum.DateTime):
        return value
    parsed = pendulum.parse(value)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(f"not a date and time: {value!r}")
    return parsed
