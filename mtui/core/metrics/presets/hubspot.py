"""HubSpot: a count from the CRM search API (``POST /crm/v3/objects/{object}/search``).

One count per source, read from the answer's ``total``: new contacts, contacts that
reached a lifecycle stage (MQLs by default), or deals won, in the period.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets._common import (
    base_url,
    metric_list,
    parse_period,
    period_option,
    url_option,
)

COUNTS = ("new_contacts", "mqls", "deals_won")
_STAGE = re.compile(r"^[a-z0-9_]{1,64}$")


def _filters(metric: str, start: str, stage: str) -> tuple[str, list[dict[str, Any]]]:
    if metric == "new_contacts":
        return "contacts", [{"propertyName": "createdate", "operator": "GTE", "value": start}]
    if metric == "mqls":
        prop = f"hs_lifecyclestage_{stage}_date"
        return "contacts", [{"propertyName": prop, "operator": "GTE", "value": start}]
    return "deals", [
        {"propertyName": "hs_is_closed_won", "operator": "EQ", "value": "true"},
        {"propertyName": "closedate", "operator": "GTE", "value": start},
    ]


def build(values: Mapping[str, str]) -> dict[str, Any]:
    metrics = metric_list(values["metrics"], "hubspot", COUNTS)
    if len(metrics) != 1:
        raise ValidationError(
            "preset hubspot reads one count per source (one search each); "
            f"add a source per metric, e.g. --metrics {metrics[0]}"
        )
    stage = values["stage"].strip().lower()
    if not _STAGE.match(stage):
        raise ValidationError(f"preset hubspot: stage {stage!r} is not a lifecycle stage name")
    period = parse_period(values["period"], "hubspot")
    obj, filters = _filters(metrics[0], period.placeholder("ms"), stage)
    body = {"filterGroups": [{"filters": filters}], "properties": ["hs_object_id"], "limit": 1}
    return {
        "kind": "json",
        "url": f"{base_url(values, 'hubspot')}/crm/v3/objects/{obj}/search",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "selectors": {metrics[0]: "total"},
        "auth_type": "bearer",
    }


PRESET = Preset(
    name="hubspot",
    summary="HubSpot CRM: new contacts, MQLs (or another lifecycle stage) or deals won",
    needs=(
        "a private app's access token in $HUBSPOT_TOKEN (Settings → Integrations → "
        "Private apps) with the scopes crm.objects.contacts.read (new_contacts, mqls) "
        "and crm.objects.deals.read (deals_won)"
    ),
    options=(
        PresetOption(
            "metrics", f"one of {', '.join(COUNTS)} (one count per source)", default="new_contacts"
        ),
        period_option(),
        PresetOption(
            "stage",
            "for mqls: the lifecycle stage's internal name",
            default="marketingqualifiedlead",
        ),
        url_option("https://api.hubapi.com"),
    ),
    build=build,
    default_env="HUBSPOT_TOKEN",
    notes=(
        "mqls counts contacts that entered the stage in the period "
        "(hs_lifecyclestage_<stage>_date), also those that moved on since",
        "deals_won counts deals closed won with a close date in the period",
    ),
)
