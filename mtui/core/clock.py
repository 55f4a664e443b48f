"""The one place mtui asks for the time.

``MTUI_FROZEN_NOW`` (an ISO 8601 datetime) freezes the clock, so snapshot tests and
CLI subprocess tests see the same "today" on every run.

``now()`` is a pendulum DateTime. Importing pendulum costs more than a whole ``mtui add``
otherwise does, so ``current()`` and ``utc_stamp()`` answer with the standard library
(``zoneinfo``) whenever they can tell the user's timezone by name, and ask pendulum
only when they cannot (a timezone read from a file, say).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo

TYPE_CHECKING = False
if TYPE_CHECKING:
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


def _zone_setting() -> str | None:
    """$MTUI_TZ, then the config file's ``timezone`` (None: the system's)."""
    name = os.environ.get("MTUI_TZ")
    if not name:
        from mtui.core.config.user_config import active_config

        name = active_config().timezone
    return name or None


def local_tz() -> pendulum.Timezone:
    """$MTUI_TZ, then the config file's ``timezone``, then the system's."""
    import pendulum

    name = _zone_setting()
    if name:
        return pendulum.Timezone(name)
    # Not ``pendulum.local_timezone``: that name is also a module, which mypy's cache
    # sometimes resolves instead of the function.
    from typing import cast  # here, with pendulum: a quick-add loads neither

    from pendulum.tz.local_timezone import get_local_timezone

    zone = get_local_timezone()
    return cast(pendulum.Timezone, zone)  # a FixedTimezone works wherever a Timezone does


def now() -> pendulum.DateTime:
    """The current time in the user's timezone."""
    if _override is not None:
        return _override
    import pendulum

    frozen = os.environ.get("MTUI_FROZEN_NOW")
    if frozen:
        parsed = pendulum.parse(frozen, tz=local_tz())
        assert isinstance(parsed, pendulum.DateTime)
        return parsed.in_timezone(local_tz())
    return pendulum.now(local_tz())


def current() -> datetime:
    """``now()`` as a plain aware datetime, read without pendulum when the timezone has
    a name (``zoneinfo``, the same tz database pendulum reads): the same instant and
    the same zone, so the same calendar day."""
    if _override is not None:
        return _override
    zone = _named_zone()
    if zone is None:
        return now()
    frozen = os.environ.get("MTUI_FROZEN_NOW")
    if not frozen:
        return datetime.now(zone)
    moment = _frozen(frozen, zone)
    return moment if moment is not None else now()


def _named_zone() -> tzinfo | None:
    """The user's timezone as a ``ZoneInfo``, or None when only pendulum can tell it
    (it is read from a file, or the name is not one ``zoneinfo`` knows: pendulum then
    says what is wrong, as it always has)."""
    from zoneinfo import ZoneInfo

    name = _zone_setting() or _system_zone_name()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _system_zone_name() -> str | None:
    """The system timezone's name, found the way pendulum finds it (``$TZ``, then
    ``/etc/timezone``, then the ``/etc/localtime`` link), or None for anything less
    plain (a zone file, ``/etc/sysconfig/clock``, Windows): pendulum reads those."""
    import sys

    if sys.platform == "win32":
        return None
    if sys.platform == "darwin":
        try:
            link = os.readlink("/etc/localtime")
        except OSError:
            return None
        return link[link.rfind("zoneinfo/") + 9 :]
    env = os.environ.get("TZ")
    if env:
        env = env.removeprefix(":")
        return None if os.path.isfile(env) or not _is_zone_name(env) else env
    try:
        with open("/etc/timezone", "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    if data is not None and not data.startswith(b"TZif2"):
        name = data.strip().decode().partition(" ")[0].partition("#")[0]
        return name.replace(" ", "_") if _is_zone_name(name) else None
    if any(os.path.isfile(p) for p in ("/etc/sysconfig/clock", "/etc/conf.d/clock")):
        return None
    if os.path.islink("/etc/localtime") and os.path.isfile("/etc/localtime"):
        parts = [p.replace(" ", "_") for p in os.path.realpath("/etc/localtime").split("/")]
        for start in range(len(parts) - 1, 0, -1):  # the shortest tail that names a zone
            name = "/".join(parts[start:])
            if _is_zone_name(name):
                return name
    return None


def _is_zone_name(name: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True


# A pattern, compiled on first use (re's cache): only a frozen clock needs it.
_FROZEN_FORM = (
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:\d{2})?"
)


def _frozen(text: str, zone: tzinfo) -> datetime | None:
    """``MTUI_FROZEN_NOW`` in ``zone`` as pendulum would read it, or None for a form
    left to pendulum (anything but plain ISO 8601, a local time a DST change skips or
    repeats)."""
    text = text.strip()
    if not re.fullmatch(_FROZEN_FORM, text):
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        return moment.astimezone(zone)
    local = moment.replace(tzinfo=zone)
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        return None
    return local


def utc_stamp(moment: datetime | None = None) -> str:
    """An ISO 8601 UTC timestamp with microseconds: sortable as text in SQLite."""
    if moment is None:
        live = _override is None and not os.environ.get("MTUI_FROZEN_NOW")
        moment = datetime.now(UTC) if live else current()
    if moment.tzinfo is None:  # pendulum reads a naive moment as UTC
        moment = moment.replace(tzinfo=UTC)
    m = moment.astimezone(UTC)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:"
        f"{m.second:02d}.{m.microsecond:06d}Z"
    )


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
    from typing import cast

    import pendulum

    return cast(pendulum.Timezone, moment.timezone or pendulum.UTC)


def moment(value: str | pendulum.DateTime) -> pendulum.DateTime:
    """A stored ISO 8601 timestamp (or a moment already) as a pendulum DateTime."""
    import pendulum

    if isinstance(value, pendulum.DateTime):
        return value
    parsed = pendulum.parse(value)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(f"not a date and time: {value!r}")
    return parsed
