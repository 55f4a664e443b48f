"""Turn the values found in responses into floats.

Services disagree on how they write numbers: GA4 sends every metric as a string
(``"18450.5"``), Matomo writes ``"67%"``, spreadsheets write ``"1,240"`` or ``"$120.50"``.
Those are accepted; anything that is not clearly a number (``"n/a"``, objects, null,
booleans, NaN) is refused with a message naming the metric, because a wrong number on
a dashboard is worse than a visible error.

Percentages keep their scale: ``"67%"`` becomes ``67.0`` (the same scale Plausible uses
for ``bounce_rate``), not ``0.67``.
"""

from __future__ import annotations

import math
import re
from typing import Any

from mtui.core.metrics.fetching.errors import CoercionError
from mtui.core.metrics.fetching.redact import shorten

# Digits with optional thousands separators, decimals and exponent. ASCII digits only:
# float() would also accept other scripts' digits and underscores, which no service sends.
_NUMBER = re.compile(
    r"""
    (?P<sign>[+-])?
    (?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)
    (?P<frac>\.[0-9]+)?
    (?P<exp>[eE][+-]?[0-9]+)?
    """,
    re.VERBOSE,
)
_CURRENCY = "$€£¥"


def _describe(value: Any) -> str:
    """A short, safe description of a non-numeric value for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return repr(shorten(value, 40))
    return f"a {type(value).__name__}"


def parse_number_text(text: str) -> float | None:
    """The number written in ``text``, or None if it is not clearly a number."""
    s = text.strip()
    if s.endswith("%"):
        s = s[:-1].rstrip()
    if s and s[0] in _CURRENCY:
        s = s[1:].lstrip()
    elif s and s[-1] in _CURRENCY:
        s = s[:-1].rstrip()
    elif len(s) > 1 and s[0] in "+-" and s[1] in _CURRENCY:  # "-$5"
        s = s[0] + s[2:]
    match = _NUMBER.fullmatch(s)
    if match is None or not (match["int"] or match["frac"]):
        return None
    number = float(s.replace(",", ""))
    return number if math.isfinite(number) else None


def to_number(value: Any, metric: str) -> float:
    """``value`` as a finite float, or CoercionError naming ``metric``."""
    if isinstance(value, bool):
        raise CoercionError(f"metric {metric!r}: {_describe(value)} is not a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
        raise CoercionError(f"metric {metric!r}: {value!r} is not a finite number")
    if isinstance(value, str):
        parsed = parse_number_text(value)
        if parsed is not None:
            return parsed
    raise CoercionError(f"metric {metric!r}: {_describe(value)} is not a number")


def is_number(value: Any) -> bool:
    """Whether ``to_number`` would accept ``value`` (used to pick default metrics)."""
    try:
        to_number(value, "")
    except CoercionError:
        return False
    return True
