"""A private Google Sheet: numbers from a range, read with the Sheets API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from mtui.core.errors import ValidationError
from mtui.core.metrics.presets import Preset, PresetOption
from mtui.core.metrics.presets.google_common import INSTALL, google_auth

ENV = "GOOGLE_KEY"
API = "https://sheets.googleapis.com/v4"
_ID = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,100})")
_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:-]*$")


def _spreadsheet(text: str) -> str:
    found = _IN_URL.search(text)
    if found is not None:
        return found[1]
    if _ID.match(text.strip()):
        return text.strip()
    raise ValidationError(
        f"spreadsheet {text!r}: expected the sheet's URL or its id (the part after /d/ in the URL)"
    )


def _selectors(text: str) -> dict[str, str]:
    selectors: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, eq, selector = part.partition("=")
        key, selector = key.strip(), selector.strip()
        if not eq:
            key, selector = part, part
        if not _KEY.match(key) or not selector:
            raise ValidationError(
                f"metrics: {part!r} is not KEY=SELECTOR, e.g. signups=sum(signups)"
            )
        selectors[key] = selector
    return selectors


def build(values: Mapping[str, str]) -> dict[str, Any]:
    sheet = _spreadsheet(values["spreadsheet"])
    cells = values["range"].strip()
    if not cells:
        raise ValidationError("range: name the cells, e.g. Summary!A1:D30")
    layout = values["layout"].strip().lower()
    if layout not in ("rows", "columns"):
        raise ValidationError(f"layout {layout!r}: expected rows or columns")
    query = urlencode({"majorDimension": layout.upper(), "valueRenderOption": "UNFORMATTED_VALUE"})
    return {
        "kind": "sheets",
        "url": f"{API}/spreadsheets/{sheet}/values/{quote(cells, safe='!:')}?{query}",
        "method": "GET",
        "selectors": _selectors(values.get("metrics", "")),
        **google_auth("sheets", ENV),
        "interval_seconds": 900,
    }


PRESET = Preset(
    name="google_sheets",
    summary="A private Google Sheet: numbers from a range (Sheets API), the header row naming them",
    needs=(
        f"a service-account key: ${ENV} holds its path (or JSON); share the sheet with the "
        f"account's email (Viewer); {INSTALL}"
    ),
    options=(
        PresetOption("spreadsheet", "the sheet's URL or id"),
        PresetOption("range", "the cells, header row first, e.g. Summary!A1:D30"),
        PresetOption(
            "layout",
            "rows (a header row, then one row per day or channel) or columns "
            "(labels in the first column, numbers beside them)",
            required=False,
            default="rows",
        ),
        PresetOption(
            "metrics",
            "KEY=SELECTOR pairs, comma-separated (signups=sum(signups)); "
            "default: every numeric column of the last row",
            required=False,
            default="",
        ),
    ),
    build=build,
    default_env=ENV,
    notes=("Numbers are read unformatted: 4.5% is 0.045, a date is a day count.",),
)
