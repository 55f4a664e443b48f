"""What the Google presets share: the auth fields and the period option.

Not a preset itself (it defines no ``PRESET``); the registry skips it.
"""

from __future__ import annotations

import re
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import PresetOption

GOOGLE_SCOPES = {
    "ga4": "https://www.googleapis.com/auth/analytics.readonly",
    "search_console": "https://www.googleapis.com/auth/webmasters.readonly",
    "sheets": "https://www.googleapis.com/auth/spreadsheets.readonly",
}
INSTALL = "pip install 'mtui[google]' (or uv sync --extra google)"

_PERIOD = re.compile(r"^(\d{1,4})d$")

PERIOD_OPTION = PresetOption(
    "period",
    "the days the numbers cover: 7d, 28d, 90d (ending yesterday), today or yesterday",
    required=False,
    default="28d",
)


def date_range(period: str) -> tuple[str, str]:
    """``(startDate, endDate)`` in Google's relative words for a period option."""
    text = period.strip().lower()
    if text in ("today", "yesterday"):
        return text, text
    match = _PERIOD.match(text)
    if match is None or not 1 <= int(match[1]) <= 1000:
        raise ValidationError(
            f"period {period!r}: expected a number of days such as 7d or 28d, today or yesterday"
        )
    return f"{int(match[1])}daysAgo", "yesterday"


def google_auth(service: str, env: str) -> dict[str, Any]:
    """The auth fields of a source reading ``service`` with the key in ``$env``."""
    return {
        "auth_type": "google-service-account",
        "auth_env": env,
        "auth_param": GOOGLE_SCOPES[service],
    }
