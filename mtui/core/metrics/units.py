"""What a metric's number means, and how to show it: 12.3%, €1,234, 2m 05s.

A source keeps a unit per metric key (``MetricSource.units``); presets fill them in,
``mtui source add|edit --unit KEY=UNIT`` sets them. A unit is one of:

- ``count`` (or no unit): a plain number, ``1,234`` / ``12.3k``;
- ``percent``: the number is already in percent, ``12.3`` → ``12.3%``;
- ``fraction``: a share from 0 to 1 shown in percent, ``0.123`` → ``12.3%``
  (Search Console's ``ctr``, GA4's ``bounceRate``);
- ``seconds``: a duration, ``125`` → ``2m 05s``;
- ``currency`` or ``currency:EUR``: money, ``€1,234`` (an unknown code is written out,
  ``CHF 1,234``; without a code, no sign).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from mtui.core.errors import ValidationError
from mtui.core.metrics.display import compact_number

UNITS = ("count", "percent", "fraction", "seconds", "currency")
UNIT_HELP = "count, percent, fraction (0–1 shown as %), seconds, currency or currency:EUR"
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩"}
_ALIASES = {"%": "percent", "pct": "percent", "number": "count", "s": "seconds", "secs": "seconds"}
_UNIT = re.compile(r"^([a-z%]+)(?::([A-Za-z]{3}))?$")


def parse_unit(text: str) -> str:
    """A unit as stored (``currency:EUR``, ``percent``…), or ValidationError."""
    raw = (text or "").strip()
    match = _UNIT.match(raw.lower())
    name = _ALIASES.get(match[1], match[1]) if match else ""
    if match is None or name not in UNITS or (match[2] and name != "currency"):
        raise ValidationError(f"unit {raw!r}: expected {UNIT_HELP}")
    return f"currency:{match[2].upper()}" if match[2] else name


def parse_unit_options(items: Iterable[str]) -> dict[str, str | None]:
    """``KEY=UNIT`` options as key → unit; ``KEY=`` (empty) as key → None (clear it)."""
    units: dict[str, str | None] = {}
    for item in items:
        key, sep, unit = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValidationError(f"--unit {item!r}: expected KEY=UNIT, e.g. revenue=currency:EUR")
        units[key] = parse_unit(unit) if unit.strip() else None
    return units


def merge_units(current: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """``current`` with ``changes`` applied (None removes a key's unit)."""
    merged = dict(current)
    for key, unit in changes.items():
        if unit is None:
            merged.pop(key, None)
        else:
            merged[key] = unit
    return merged


def check_units(units: Mapping[str, str], keys: Iterable[str] | None) -> dict[str, str]:
    """Every unit parsed, and (when the source's keys are known) every key one of them."""
    known = list(keys) if keys is not None else None
    checked = {}
    for key, unit in units.items():
        if known and key not in known:
            raise ValidationError(
                f"--unit {key}=…: the source has no metric {key!r} (it reads: {', '.join(known)})"
            )
        checked[key] = parse_unit(unit)
    return checked


def currency_code(unit: str | None) -> str | None:
    if unit and unit.startswith("currency:"):
        return unit.partition(":")[2]
    return None


def _grouped(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _duration(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    total = abs(seconds)
    if total < 10:
        return f"{sign}{_grouped(total, 1)}s"
    whole = round(total)
    if whole < 60:
        return f"{sign}{whole}s"
    if whole < 3600:
        return f"{sign}{whole // 60}m {whole % 60:02d}s"
    if whole < 86400:
        return f"{sign}{whole // 3600}h {whole % 3600 // 60:02d}m"
    if whole < 100 * 86400:
        return f"{sign}{whole // 86400}d {whole % 86400 // 3600:02d}h"
    return f"{sign}{compact_number(whole // 86400)}d"


def format_metric(value: float | None, unit: str | None, *, compact: bool = False) -> str:
    """``value`` in ``unit`` for people; ``compact`` keeps it to about 6 cells (cards).

    ``format_metric(0.1234, "fraction")`` → ``12.3%``; ``(1234.5, "currency:EUR")`` →
    ``€1,234.50`` (``€1.23k`` compact); ``(125, "seconds")`` → ``2m 05s``."""
    if value is None:
        return "—"
    if not math.isfinite(value):
        return compact_number(value)
    if unit == "fraction":
        value, unit = value * 100, "percent"
    if unit == "percent":
        if compact and abs(value) >= 1000:
            return f"{compact_number(value)}%"
        return f"{_grouped(value, 1 if abs(value) >= 10 else 2)}%"
    if unit == "seconds":
        return _duration(value)
    if unit and unit.startswith("currency"):
        code = currency_code(unit)
        sign = "-" if value < 0 else ""
        prefix = _SYMBOLS.get(code or "", f"{code} " if code else "")
        amount = abs(value)
        if compact and amount >= 10_000:
            return f"{sign}{prefix}{compact_number(amount)}"
        if compact or float(amount).is_integer() or amount >= 1000:
            return f"{sign}{prefix}{_grouped(round(amount), 0)}"
        return f"{sign}{prefix}{amount:,.2f}"
    if compact:
        return compact_number(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return _grouped(value, 2 if abs(value) >= 1 else 4)


def unit_record(unit: str | None) -> dict[str, str | None]:
    """The unit as JSON-ready data: ``{"unit": "currency", "currency": "EUR"}``."""
    if not unit:
        return {"unit": None, "currency": None}
    return {"unit": unit.partition(":")[0], "currency": currency_code(unit)}
