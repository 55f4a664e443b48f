"""``json`` sources: any JSON API, metrics picked by path selectors.

Every metric needs a selector (see ``mtui.core.metrics.fetching.json_paths``); there is no sensible
default for an arbitrary API. Works for GA4 (``rows[0].metricValues[1].value``) and
Mailchimp (``opens.open_rate``) among others.
"""

from __future__ import annotations

from typing import Any

from mtui.core.metrics.fetching.coerce import to_number
from mtui.core.metrics.fetching.errors import SelectorError
from mtui.core.metrics.fetching.json_paths import select
from mtui.core.metrics.fetching.kinds.base import Extraction, apply_selectors
from mtui.core.model import MetricSource


def extract_json(data: Any, source: MetricSource) -> Extraction:
    """Apply the source's path selectors to parsed JSON."""
    if not source.selectors:
        raise SelectorError("a json source needs selectors (metric key -> path)")
    return apply_selectors(source.selectors, lambda key, sel: to_number(select(data, sel), key))
