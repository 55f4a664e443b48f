"""Mailchimp: one campaign's report, ``GET /3.0/reports/{campaign_id}``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import base_url, metric_list, metrics_option, path_part

# Metric name -> where the report has it. Rates are fractions (0.3648 is 36.48 %), as
# the report gives them.
FIELDS = {
    "emails_sent": "emails_sent",
    "opens": "opens.opens_total",
    "unique_opens": "opens.unique_opens",
    "open_rate": "opens.open_rate",
    "clicks": "clicks.clicks_total",
    "unique_clicks": "clicks.unique_clicks",
    "click_rate": "clicks.click_rate",
    "unsubscribed": "unsubscribed",
    "hard_bounces": "bounces.hard_bounces",
    "soft_bounces": "bounces.soft_bounces",
    "abuse_reports": "abuse_reports",
}
_DC = re.compile(r"^[a-z]{2,4}\d{1,3}$")


def build(values: Mapping[str, str]) -> dict[str, Any]:
    campaign = path_part(values["campaign"], "--campaign", "mailchimp")
    if "url" in values:
        root = base_url(values, "mailchimp")
    elif "dc" in values:
        dc = values["dc"].strip().lower()
        if not _DC.match(dc):
            raise ValidationError(
                f"preset mailchimp: dc {dc!r} is not a data center like us21 "
                "(the part after the dash in your API key)"
            )
        root = f"https://{dc}.api.mailchimp.com"
    else:
        raise ValidationError(
            "preset mailchimp needs --set dc=us21 (the part after the dash in your API key)"
        )
    metrics = metric_list(values["metrics"], "mailchimp", FIELDS)
    auth = values["auth"].strip().lower()
    if auth not in ("basic", "bearer"):
        raise ValidationError(f"preset mailchimp: auth {auth!r} is not basic or bearer")
    return {
        "kind": "json",
        "url": f"{root}/3.0/reports/{campaign}",
        "method": "GET",
        "selectors": {m: FIELDS[m] for m in metrics},
        "auth_type": auth,
    }


PRESET = Preset(
    name="mailchimp",
    summary="Mailchimp: a campaign's sends, opens, clicks and rates (as fractions)",
    needs=(
        "an API key (Profile → Extras → API keys) in $MAILCHIMP_AUTH written as "
        "anystring:KEY for basic auth (or the key / an OAuth token alone with "
        "--set auth=bearer); the data center at the end of the key (us21) and the "
        "campaign id (Campaigns → Reports, or GET /3.0/campaigns)"
    ),
    options=(
        PresetOption("campaign", "the campaign id, e.g. 42694e9e57"),
        PresetOption(
            "dc", "the data center, the part after the dash in the key: us21", required=False
        ),
        metrics_option("emails_sent,unique_opens,open_rate,clicks,click_rate", FIELDS),
        PresetOption("auth", "basic (anystring:KEY) or bearer (the key alone)", default="basic"),
        PresetOption(
            "url", "the API's address instead of https://DC.api.mailchimp.com", required=False
        ),
    ),
    build=build,
    units={"open_rate": "fraction", "click_rate": "fraction"},
    default_env="MAILCHIMP_AUTH",
    notes=("open_rate and click_rate are fractions: 0.3648 means 36.48 %",),
)
