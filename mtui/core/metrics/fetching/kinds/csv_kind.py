"""``csv`` sources: a published sheet, metrics picked by row selectors.

See ``mtui.core.metrics.fetching.rows`` for the selector syntax (``signups``,
``sum(signups@channel=linkedin)``...). Without selectors, every numeric column of the
last row is read, which is what ``mtui source test`` shows for a new sheet.
"""

from __future__ import annotations

from mtui.core.metrics.fetching.errors import SelectorError
from mtui.core.metrics.fetching.kinds.base import Extraction, apply_selectors
from mtui.core.metrics.fetching.rows import default_metrics, parse_row_selector, select_row_value
from mtui.core.model import MetricSource


def extract_csv(rows: list[dict[str, str]], source: MetricSource) -> Extraction:
    """Apply the source's row selectors to parsed CSV rows."""
    if not rows:
        raise SelectorError("the CSV has a header but no rows")
    if not source.selectors:
        values = default_metrics(rows[-1:])
        if not values:
            raise SelectorError("no numeric columns in the last row; add selectors")
        return Extraction(values=values)
    return apply_selectors(
        source.selectors,
        lambda key, sel: select_row_value(rows, parse_row_selector(sel), key),
    )
