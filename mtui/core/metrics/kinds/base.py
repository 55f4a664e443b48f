"""What every source kind returns, and the loop that applies a source's selectors.

Selectors are evaluated one by one so that a single bad metric does not hide the
others: the good values are kept and each failure becomes one message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mtui.core.metrics.errors import MetricError


@dataclass(slots=True)
class Extraction:
    """The numbers read from one response, plus the reasons for any that failed."""

    values: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    period: str | None = None


def apply_selectors(
    selectors: Mapping[str, str], evaluate: Callable[[str, str], float]
) -> Extraction:
    """Run ``evaluate(metric_key, selector)`` for each selector, collecting failures."""
    result = Extraction()
    for key, selector in selectors.items():
        try:
            result.values[key] = evaluate(key, selector)
        except MetricError as exc:
            message = str(exc)
            if not message.startswith("metric "):
                message = f"metric {key!r}: {message}"
            result.errors.append(message)
    return result
