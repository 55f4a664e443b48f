"""Pure helpers that turn metric numbers into what the dashboard shows.

Unit-neutral on purpose: the caller adds ``%`` or a currency sign, these only shorten
(``12.3k``), compare (``delta_percent``) and thin out history for sparklines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter

_SUFFIXES = ("", "k", "M", "B", "T")


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact_number(value: float, digits: int = 3) -> str:
    """A short label: ``12345 -> '12.3k'``, ``1_250_000 -> '1.25M'``, ``312 -> '312'``.

    About ``digits`` significant digits (never fewer than the integer part needs),
    trailing zeros dropped, ``-`` kept, ``k``/``M``/``B``/``T`` suffixes. Small
    fractions keep their precision (``0.0642 -> '0.0642'``), below 0.00005 show ``0``.
    NaN is ``'n/a'``.
    """
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude < 1000:
        if magnitude < 1:
            text = _trim(f"{magnitude:.{digits + 1}f}") if magnitude < 1e-3 else None
            text = text or _trim(f"{magnitude:.{digits}g}")
            return "0" if float(text) == 0 else sign + text
        decimals = max(0, digits - len(str(int(magnitude))))
        text = _trim(f"{magnitude:.{decimals}f}")
        if float(text) < 1000:
            return sign + text
    tier = 0
    while tier < len(_SUFFIXES) - 1 and magnitude >= 1000:
        magnitude /= 1000
        tier += 1
    decimals = max(0, digits - len(str(int(magnitude))))
    text = _trim(f"{magnitude:.{decimals}f}")
    if float(text) >= 1000 and tier < len(_SUFFIXES) - 1:  # 999.96k rounds to 1000k
        tier += 1
        text = _trim(f"{float(text) / 1000:.{digits - 1}f}")
    return f"{sign}{text}{_SUFFIXES[tier]}"


def delta_percent(old: float | None, new: float | None) -> float | None:
    """Change from ``old`` to ``new`` in percent of ``|old|``; None when undefined
    (no old value, old is zero, or a non-finite number)."""
    if old is None or new is None or old == 0:
        return None
    if not (math.isfinite(old) and math.isfinite(new)):
        return None
    return (new - old) / abs(old) * 100.0


def downsample(points: Sequence[tuple[str, float]], buckets: int) -> list[float]:
    """Mean of each of ``buckets`` equal-count runs of ``points`` (time-ordered).

    Fewer points than buckets come back unchanged. Buckets are by position, not by
    clock time: fine for regular polling; a long gap compresses rather than shows.
    Built on slices and ``sum`` so 105k points take a few milliseconds.
    """
    count = len(points)
    if buckets <= 0 or count == 0:
        return []
    value = itemgetter(1)
    if count <= buckets:
        return [float(v) for v in map(value, points)]
    out: list[float] = []
    start = 0
    for index in range(1, buckets + 1):
        end = index * count // buckets
        out.append(sum(map(value, points[start:end])) / (end - start))
        start = end
    return out
