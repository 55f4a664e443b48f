"""Google Analytics 4: totals over a period from the Data API's ``runReport``."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets.google_common import INSTALL, PERIOD_OPTION, date_range, google_auth

ENV = "GA4_KEY"
API = "https://analyticsdata.googleapis.com/v1beta"
_PROPERTY = re.compile(r"^(?:properties/)?(\d{1,20})$")
# GA4's metrics that are money (in the property's currency), rates (0–1) or durations.
GA4_UNITS = {
    **dict.fromkeys(
        ("purchaseRevenue", "totalRevenue", "grossPurchaseRevenue", "itemRevenue", "adRevenue",
         "averagePurchaseRevenue", "averageRevenuePerUser", "averagePurchaseRevenuePerUser",
         "advertiserAdCost", "advertiserAdCostPerClick", "refundAmount",
         "shippingAmount", "taxAmount"),
        "currency",
    ),
    **dict.fromkeys(
        ("bounceRate", "engagementRate", "sessionKeyEventRate", "userKeyEventRate",
         "firstTimePurchaserRate", "purchaserRate", "cartToViewRate", "purchaseToViewRate",
         "crashFreeUsersRate", "dauPerMau", "dauPerWau", "wauPerMau"),
        "fraction",
    ),
    **dict.fromkeys(
        ("averageSessionDuration", "userEngagementDuration", "averageEngagementTime"), "seconds"
    ),
}  # fmt: skip
_METRIC = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_]+)?$")


def _property(text: str) -> str:
    match = _PROPERTY.match(text.strip())
    if match is None:
        raise ValidationError(
            f"property {text!r}: expected the GA4 property id, digits such as 123456789 "
            "(Admin → Property details)"
        )
    return match[1]


def _metrics(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValidationError("metrics: name at least one GA4 metric, e.g. sessions")
    for name in names:
        if not _METRIC.match(name):
            raise ValidationError(f"metrics: {name!r} is not a GA4 metric name (e.g. totalUsers)")
    return list(dict.fromkeys(names))


def build(values: Mapping[str, str]) -> dict[str, Any]:
    prop = _property(values["property"])
    metrics = _metrics(values["metrics"])
    start, end = date_range(values["period"])
    body = {
        "dateRanges": [{"startDate": start, "endDate": end}],
        "metrics": [{"name": name} for name in metrics],
        "metricAggregations": ["TOTAL"],
    }
    return {
        "kind": "ga4",
        "url": f"{API}/properties/{prop}:runReport",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "selectors": {name: name for name in metrics},
        **google_auth("ga4", ENV),
        "interval_seconds": 900,
    }


PRESET = Preset(
    name="ga4",
    summary="Google Analytics 4: totals of GA4 metrics over a period (Data API runReport)",
    needs=(
        f"a service-account key: ${ENV} holds its path (or JSON); add the account's email "
        f"as a Viewer on the GA4 property; {INSTALL}"
    ),
    options=(
        PresetOption("property", "the GA4 property id (digits; Admin → Property details)"),
        PresetOption(
            "metrics",
            "GA4 metric names, comma-separated; each becomes a metric of that name",
            required=False,
            default="sessions,totalUsers,keyEvents",
        ),
        PERIOD_OPTION,
    ),
    build=build,
    units=GA4_UNITS,
    default_env=ENV,
    notes=(
        "Values are totals over the period (metricAggregations TOTAL); a period without "
        "data reads as 0.",
        "Polled every 15 minutes: GA4 counts each request against the property's quota.",
    ),
)
