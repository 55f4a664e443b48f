"""``sheets`` sources: a private Google Sheet read through the Sheets API's
``spreadsheets.values.get`` (``{"range": ..., "majorDimension": "ROWS", "values": [[...]]}``).

The first row of the range is the header, and the rest are rows, read like a published
sheet's CSV (see ``csv_kind``): row selectors such as ``signups``,
``sum(signups@channel=linkedin)``, or JSON paths such as ``values[1][2]``. Without
selectors every numeric column of the last row is read. A range laid out as labels in
one column and numbers in the next reads the same with ``majorDimension=COLUMNS``
(the labels become the header). Trailing empty cells, which the API leaves out, are
empty.
"""

from __future__ import annotations

from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import ResponseError, SelectorError
from mtui.core.metrics.fetching.json_paths import select
from mtui.core.metrics.fetching.kinds.base import Extraction, apply_selectors
from mtui.core.metrics.fetching.rows import (
    default_metrics,
    looks_like_row_selector,
    parse_row_selector,
    select_row_value,
)
from mtui.core.model import MetricSource


def sheet_rows(data: Any) -> list[dict[str, Any]]:
    """The range as rows keyed by the header row."""
    if not isinstance(data, dict) or not ("values" in data or "range" in data):
        raise ResponseError("not a Google Sheets values response (no range or values)")
    values = data.get("values") or []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise ResponseError("Google Sheets values are not a list of rows")
    if not values:
        raise SelectorError(f"the range {str(data.get('range', ''))[:60]} is empty")
    header = [str(cell).strip() for cell in values[0]]
    rows = [
        dict(zip(header, row, strict=False))
        for row in values[1:]
        if any(str(cell).strip() for cell in row)
    ]
    if not rows:
        raise SelectorError("the range has a header row but no rows below it")
    return rows


def extract_sheets(data: Any, source: MetricSource) -> Extraction:
    """Apply the source's selectors to the range (or read the last row)."""
    rows = sheet_rows(data)
    if not source.selectors:
        values = default_metrics(rows[-1:])
        if not values:
            raise SelectorError("no numeric columns in the last row; add selectors")
        return Extraction(values=values)

    def evaluate(key: str, selector: str) -> float:
        if looks_like_row_selector(selector):
            return select_row_value(rows, parse_row_selector(selector), key)
        return to_number(select(data, selector), key)

    return apply_selectors(source.selectors, evaluate)
