"""What the Google kinds (``ga4``, ``search_console``, ``sheets``) share: relative dates
in a request body, and selectors that name a total or a row.

Dates: GA4 takes ``today``, ``yesterday`` and ``NdaysAgo`` itself; Search Console takes
only ``YYYY-MM-DD`` (in Pacific time), so ``resolve_dates`` turns those words into dates
when the request is made: the stored body keeps saying ``28daysAgo`` and the numbers
keep following the calendar.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import SelectorError
from mtui.core.metrics.fetching.json_paths import select
from mtui.core.metrics.fetching.kinds.base import Extraction, apply_selectors
from mtui.core.metrics.fetching.rows import (
    looks_like_row_selector,
    parse_row_selector,
    select_row_value,
)

_DAYS_AGO = re.compile(r"^(\d{1,4})daysAgo$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_date(word: str, today: date) -> str:
    """``today``, ``yesterday``, ``NdaysAgo`` or ``YYYY-MM-DD`` as ``YYYY-MM-DD``."""
    text = word.strip()
    if text == "today":
        return today.isoformat()
    if text == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    if (m := _DAYS_AGO.match(text)) is not None:
        return (today - timedelta(days=int(m[1]))).isoformat()
    if _ISO_DATE.match(text):
        return text
    raise SelectorError(f"date {word!r}: expected today, yesterday, NdaysAgo or YYYY-MM-DD")


def pacific_today(now: datetime) -> date:
    """The date in Google's Pacific time (Search Console's day), from an aware ``now``."""
    try:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo("America/Los_Angeles")).date()
    except Exception:  # no tz database: Pacific standard time is close enough
        return (now - timedelta(hours=8)).date()


def read_totals(
    data: Any,
    totals: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    selectors: Mapping[str, str],
    *,
    service: str,
    missing: Callable[[str, str], None],
) -> Extraction:
    """Apply ``selectors`` (metric key -> selector); without selectors every total.

    A selector is a name in ``totals`` (the total over the period), a row selector
    (``sessions@sessionCampaignName=spring``, ``sum(clicks)``) over ``rows``, or a JSON
    path into the raw response. ``missing(key, name)`` is called for a plain name that
    is not a total; it raises, or returns to leave the metric out."""
    if not selectors:
        values = {name: to_number(value, name) for name, value in totals.items()}
        if not values:
            raise SelectorError(f"no metrics in the {service} response")
        return Extraction(values=values)
    skipped: set[str] = set()

    def evaluate(key: str, selector: str) -> float:
        name = selector.strip()
        if name in totals:
            return to_number(totals[name], key)
        if "@" not in name and looks_like_row_selector(name) and "(" not in name:
            missing(key, name)
            skipped.add(key)
            return 0.0
        if looks_like_row_selector(name):
            return select_row_value(rows, parse_row_selector(name), key)
        return to_number(select(data, name), key)

    result = apply_selectors(selectors, evaluate)
    for key in skipped:
        result.values.pop(key, None)
    return result
