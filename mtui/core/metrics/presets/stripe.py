"""Stripe: new customers, trials, active subscriptions and MRR (the ``stripe`` kind)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.fetching.kinds.stripe import METRICS, PERIOD_METRICS
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import (
    base_url,
    metric_list,
    metrics_option,
    parse_period,
    period_option,
    url_option,
)


def build(values: Mapping[str, str]) -> dict[str, Any]:
    metrics = metric_list(values["metrics"], "stripe", METRICS)
    period = parse_period(values["period"], "stripe").text
    currency = values.get("currency", "").strip().lower()
    if currency and not (len(currency) == 3 and currency.isalpha()):
        raise ValidationError(f"preset stripe: currency {currency!r} is not 3 letters (eur)")
    selectors = {}
    for name in metrics:
        if name in PERIOD_METRICS:
            selectors[name] = f"{name}({period})"
        elif name == "mrr" and currency:
            selectors[name] = f"mrr({currency})"
        else:
            selectors[name] = name
    units = {"mrr": f"currency:{currency.upper()}"} if currency and "mrr" in selectors else {}
    return {
        "kind": "stripe",
        "units": units,
        "url": f"{base_url(values, 'stripe')}/v1",
        "method": "GET",
        "selectors": selectors,
        "auth_type": "bearer",
        "interval_seconds": 3600,
    }


PRESET = Preset(
    name="stripe",
    summary="Stripe: new customers and trials in a period, active subscriptions, MRR",
    needs=(
        "a restricted key (rk_live_…) in $STRIPE_API_KEY with Read on Customers and "
        "Subscriptions and nothing else (Dashboard → Developers → API keys → "
        "Create restricted key)"
    ),
    options=(
        metrics_option("new_customers,trials,active_subscriptions,mrr", METRICS),
        period_option(),
        PresetOption(
            "currency",
            "MRR in this currency only, e.g. eur (needed when subscriptions are in several)",
            required=False,
        ),
        url_option("https://api.stripe.com"),
    ),
    build=build,
    units={"mrr": "currency"},
    default_env="STRIPE_API_KEY",
    notes=(
        "polled hourly by default: each poll pages through the lists (at most 20 pages "
        "of 100 each; beyond that the value is marked partial)",
        "MRR: active subscriptions' prices × quantity per month, before discounts and tax",
    ),
)
