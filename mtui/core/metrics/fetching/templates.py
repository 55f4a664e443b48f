"""Date placeholders in a source's URL and body, filled in when a fetch starts.

Many APIs want absolute dates ("created since 1732406400000"), but a source is stored
once and polled for months, so its request says *relative* dates and each fetch works
them out (in UTC)::

    {{now}}               the fetch's time             2026-11-26T10:00:00Z
    {{now-7d:ms}}         7 days earlier, epoch ms     1764064800000
    {{today:date}}        midnight today               2026-11-26
    {{today-6d:date}}     midnight 6 days ago          2026-11-20
    {{month:s}}           the 1st of this month, epoch seconds
    {{now-12h:datetime}}  12 hours earlier             2026-11-25 22:00:00

A placeholder is ``{{BASE[±N(d|h)][:FORMAT]}}`` with BASE ``now``, ``today`` (midnight)
or ``month`` (midnight on the 1st) and FORMAT ``iso`` (the default), ``date``,
``datetime``, ``ms`` or ``s``. ``{{`` never occurs in valid JSON outside a string, so a
JSON body is safe to template. Only the stored text is templated, never the secret.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from mtui.core.metrics.fetching.errors import MetricError

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_EXPRESSION = re.compile(
    r"\s*(now|today|month)\s*(?:([+-])\s*(\d{1,5})\s*([dh]))?\s*(?::\s*(\w+))?\s*", re.I
)
FORMATS = ("iso", "date", "datetime", "ms", "s")
MAX_OFFSET_DAYS = 3660


class TemplateError(MetricError):
    """A placeholder that is not ``{{BASE[±N(d|h)][:FORMAT]}}``."""


def _utc(moment: datetime | None) -> datetime:
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def base_time(base: str, now: datetime | None = None) -> datetime:
    """``now``, ``today`` (midnight UTC) or ``month`` (the 1st, midnight UTC)."""
    moment = _utc(now)
    base = base.lower()
    if base == "today":
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if base == "month":
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return moment.replace(microsecond=0)


def format_time(moment: datetime, fmt: str) -> str:
    if fmt == "ms":
        return str(int(moment.timestamp()) * 1000)
    if fmt == "s":
        return str(int(moment.timestamp()))
    if fmt == "date":
        return moment.strftime("%Y-%m-%d")
    if fmt == "datetime":
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _evaluate(expression: str, now: datetime | None) -> str:
    match = _EXPRESSION.fullmatch(expression)
    if match is None:
        raise TemplateError(
            f"placeholder {{{{{expression.strip()[:40]}}}}} is not "
            "{{now|today|month[±N(d|h)][:iso|date|datetime|ms|s]}}"
        )
    base, sign, amount, unit, fmt = match.groups()
    fmt = (fmt or "iso").lower()
    if fmt not in FORMATS:
        raise TemplateError(
            f"placeholder {{{{{expression.strip()}}}}}: format {fmt!r} is not one of "
            f"{', '.join(FORMATS)}"
        )
    moment = base_time(base, now)
    if amount:
        delta = timedelta(days=int(amount)) if unit.lower() == "d" else timedelta(hours=int(amount))
        if delta > timedelta(days=MAX_OFFSET_DAYS):
            raise TemplateError(f"placeholder {{{{{expression.strip()}}}}}: at most 10 years")
        moment = moment - delta if sign == "-" else moment + delta
    return format_time(moment, fmt)


def has_placeholders(text: str | None) -> bool:
    return bool(text) and "{{" in text  # type: ignore[operator]


def render(text: str, now: datetime | None = None) -> str:
    """``text`` with every placeholder replaced; TemplateError for a malformed one."""
    if "{{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: _evaluate(m.group(1), now), text)


def check_placeholders(text: str | None) -> None:
    """TemplateError if ``text`` holds a placeholder that ``render`` would refuse."""
    if text and "{{" in text:
        render(text)
