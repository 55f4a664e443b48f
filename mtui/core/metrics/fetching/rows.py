"""Row selectors: pick one number out of a table of rows.

Used for CSV sheets, Plausible timeseries / v2 queries and Matomo row lists, which
all boil down to a list of rows (dicts from column name to value).

Syntax::

    column                     the last row that has a value in ``column``
    column@channel=linkedin    ... among the rows where channel is linkedin
    column@channel=google&date=2026-11-19
                               several conditions; all must hold
    AGG(column)                aggregate over the rows with a value in ``column``
    AGG(column@channel=linkedin)

``AGG`` is one of ``sum``, ``mean`` (alias ``avg``), ``min``, ``max``, ``count``,
``first`` or ``last``. Column names and condition values are matched ignoring case and
surrounding spaces. Empty cells are skipped. Text that is not a number in a selected
cell is an error naming the metric, and so is a condition that matches no row
(a typo such as ``channel=linkdin`` should not silently read as 0); ``count`` alone
returns 0 for no rows.

"Last" means last in the order the service sent the rows: sheets append one row per
day at the bottom, and Plausible/Matomo sort time series ascending.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mtui.core.metrics.fetching.coerce import is_number, to_number
from mtui.core.metrics.fetching.errors import SelectorError

Row = Mapping[str, Any]

AGGREGATES = ("sum", "mean", "avg", "min", "max", "count", "first", "last")
_AGG_CALL = re.compile(r"\s*([A-Za-z]+)\s*\((.*)\)\s*", re.S)

# Metrics that are rates or averages: summing them over rows means nothing.
_NON_ADDITIVE_PARTS = (
    "rate",
    "avg",
    "average",
    "per_",
    "_per",
    "duration",
    "percentage",
    "ratio",
    "time_on",
    "scroll_depth",
    "ctr",
)


@dataclass(frozen=True, slots=True)
class RowSelector:
    """A parsed row selector."""

    column: str
    aggregate: str = "last"
    where: tuple[tuple[str, str], ...] = ()

    def describe_where(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.where)


def parse_row_selector(text: str) -> RowSelector:
    """Parse the syntax described in the module docstring; SelectorError if malformed."""
    aggregate = "last"
    inner = text
    call = _AGG_CALL.fullmatch(text)
    if call is not None and call[1].lower() in AGGREGATES:
        aggregate = call[1].lower()
        aggregate = "mean" if aggregate == "avg" else aggregate
        inner = call[2]
    column, at, conditions = inner.partition("@")
    column = column.strip()
    if not column:
        raise SelectorError(f"selector {text!r}: no column name")
    where: list[tuple[str, str]] = []
    if at:
        for part in conditions.split("&"):
            key, eq, value = part.partition("=")
            if not eq or not key.strip():
                raise SelectorError(
                    f"selector {text!r}: condition {part.strip()!r} is not column=value"
                )
            where.append((key.strip(), value.strip()))
    return RowSelector(column=column, aggregate=aggregate, where=tuple(where))


def looks_like_row_selector(text: str) -> bool:
    """True unless ``text`` reads as a JSON path (has ``.`` or ``[`` and no ``@``/aggregate)."""
    if "@" in text:
        return True
    call = _AGG_CALL.fullmatch(text)
    if call is not None and call[1].lower() in AGGREGATES:
        return True
    return "." not in text and "[" not in text


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_column(rows: Sequence[Row], wanted: str) -> str | None:
    """The actual column name matching ``wanted`` (exact first, then ignoring case/space)."""
    columns = _columns(rows)
    if wanted in columns:
        return wanted
    folded = wanted.strip().casefold()
    for column in columns:
        if str(column).strip().casefold() == folded:
            return column
    return None


def _columns(rows: Iterable[Row]) -> list[str]:
    """Column names in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def _same(cell: Any, wanted: str) -> bool:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip().casefold() == wanted.casefold()


def select_row_value(rows: Sequence[Row], selector: RowSelector, metric: str) -> float:
    """Evaluate ``selector`` over ``rows``; errors name ``metric``."""
    column = _find_column(rows, selector.column)
    if column is None:
        names = ", ".join([str(c) for c in _columns(rows)][:12]) if rows else "none, no rows"
        raise SelectorError(f"metric {metric!r}: no column {selector.column!r} (columns: {names})")
    matching = list(rows)
    for key, value in selector.where:
        key_column = _find_column(rows, key)
        if key_column is None:
            raise SelectorError(f"metric {metric!r}: no column {key!r} to filter on")
        matching = [row for row in matching if _same(row.get(key_column), value)]
    cells = [row.get(column) for row in matching if not _empty(row.get(column))]
    if selector.aggregate == "count":
        return float(len(cells))
    if not cells:
        where = f" where {selector.describe_where()}" if selector.where else ""
        raise SelectorError(f"metric {metric!r}: no rows{where} with a value in {column!r}")
    if selector.aggregate in ("last", "first"):
        return to_number(cells[-1] if selector.aggregate == "last" else cells[0], metric)
    numbers = [to_number(cell, metric) for cell in cells]
    return _aggregate(selector.aggregate, numbers)


def _aggregate(aggregate: str, numbers: list[float]) -> float:
    if aggregate == "sum":
        return math.fsum(numbers)
    if aggregate == "mean":
        return math.fsum(numbers) / len(numbers)
    if aggregate == "min":
        return min(numbers)
    if aggregate == "max":
        return max(numbers)
    raise SelectorError(f"unknown aggregate {aggregate!r}")


def default_aggregate(column: str) -> str:
    """How a metric is combined over rows when the user gave no selector.

    Counts (visitors, pageviews, nb_visits) are summed; rates and averages
    (bounce_rate, visit_duration) are averaged, unweighted, as an approximation;
    ``max_*``/``min_*`` columns keep their extreme.
    """
    name = column.casefold()
    if name.startswith("max_"):
        return "max"
    if name.startswith("min_"):
        return "min"
    if any(part in name for part in _NON_ADDITIVE_PARTS):
        return "mean"
    return "sum"


def default_metrics(rows: Sequence[Row], skip: Iterable[str] = ()) -> dict[str, float]:
    """Every all-numeric column of ``rows``, combined with ``default_aggregate``.

    Columns holding any text that is not a number (dates, labels, channels) are
    dimensions and left out, as are the names in ``skip``.
    """
    skipped = set(skip)
    values: dict[str, float] = {}
    for column in _columns(rows):
        if column in skipped:
            continue
        cells = [row.get(column) for row in rows if not _empty(row.get(column))]
        if not cells or not all(is_number(cell) for cell in cells):
            continue
        numbers = [to_number(cell, column) for cell in cells]
        if len(numbers) == 1:
            values[column] = numbers[0]
        else:
            values[column] = _aggregate(default_aggregate(column), numbers)
    return values
