"""Presets under test: build the source a preset writes, store it, poll it for real.

Imported explicitly by the preset tests (this is not a conftest plugin).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request

from mtui.core.metrics import FetchResult
from mtui.core.model import MetricSource


@dataclass
class Polled:
    """What one poll of a preset's source did: the source, the result, what was stored
    and the request the server saw."""

    source: MetricSource
    result: FetchResult
    stored: dict[str, float]
    request: Request
    started: datetime


def preset_source_fields(preset: str, values: Mapping[str, str], **extra: Any) -> dict[str, Any]:
    """The checked fields ``mtui source add NAME --preset`` saves (auth_env defaulted)."""
    from mtui.core.metrics.presets import preset_named
    from mtui.core.metrics.sources import check_source

    found = preset_named(preset)
    fields = found.source_fields(values)
    if fields.get("auth_type", "none") != "none":
        fields.setdefault("auth_env", found.default_env)
    fields.setdefault("interval_seconds", 300)
    return check_source({**fields, "name": preset, **extra}, [])


def poll_preset(
    tmp_path: Path, server: HTTPServer, preset: str, values: Mapping[str, str]
) -> Polled:
    """Save the preset's source in a real SQLite file and poll it once through the
    service (fetch, parse, store), against ``server``."""
    from mtui.core.metrics.service import poll_once
    from mtui.core.store import open_store

    fields = preset_source_fields(preset, {"url": server.url_for("").rstrip("/"), **values})
    store = open_store(tmp_path / "m.db")
    try:
        source = store.metrics.save_metric_source(fields)
        started = datetime.now(UTC)
        [result] = poll_once(store, [source])
        stored = {m.metric_key: m.value for m in store.metrics.latest_metrics()}
    finally:
        store.close()
    assert server.log, "the preset sent no request"
    return Polled(source, result, stored, server.log[-1][0], started)


def request_json(request: Request) -> Any:
    return json.loads(request.get_data(as_text=True))


def near_ms(text: str | int, expected: datetime, slack_seconds: int = 120) -> bool:
    """``text`` (epoch ms) is within ``slack_seconds`` of ``expected``."""
    return abs(int(text) / 1000 - expected.timestamp()) <= slack_seconds
