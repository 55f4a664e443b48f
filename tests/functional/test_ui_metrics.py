"""The metrics strip in the real app (Pilot) against a real local HTTP server: a source
goes ok → failing → ok and the card shows each state; enter shows history and source
details without the secret."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug import Response

from mtui.core.metrics import NO_RETRY
from mtui.ui.app import MtuiApp
from mtui.ui.metrics.detail import MetricDetailScreen
from mtui.ui.metrics.strip import MetricsStrip
from tests.support.metrics import threaded_httpserver
from tests.support.ui import wait_for

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
SECRET = "ui-secret-31337-abcdef"


def strip_text(app) -> str:
    return str(app.query_one(MetricsStrip).render())


async def test_card_goes_ok_failing_ok(store, monkeypatch) -> None:
    monkeypatch.setenv("MTUI_UI_TOKEN", SECRET)
    mode = {"status": 200, "value": 1240}

    def respond(request):
        if mode["status"] != 200:
            return Response("unavailable", status=mode["status"])
        body = f'{{"results": {{"signups": {{"value": {mode["value"]}}}}}}}'
        return Response(body, 200, content_type="application/json")

    with threaded_httpserver() as server:
        server.expect_request("/stats").respond_with_handler(respond)
        store.metrics.save_metric_source({
            "name": "Site", "kind": "json", "url": server.url_for("/stats"),
            "selectors": {"signups": "results.signups.value"}, "interval_seconds": 3600,
            "auth_type": "bearer", "auth_env": "MTUI_UI_TOKEN", "timeout_seconds": 2,
        })  # fmt: skip
        app = MtuiApp(store)
        async with app.run_test(size=SIZE) as pilot:
            strip = app.query_one(MetricsStrip)
            await wait_for(pilot, lambda: strip.service is not None, "polling starts after paint")
            strip.service._retry = NO_RETRY
            await wait_for(pilot, lambda: "1.24k" in strip_text(app), "first value shown")
            assert "signups" in strip_text(app) and "✗" not in strip_text(app)

            mode["status"] = 503
            await pilot.press("r")
            await wait_for(pilot, lambda: "✗" in strip_text(app), "error state")
            text = strip_text(app)
            assert "503" in text, text
            assert "1.24k" in text, "the last good value stays on the card"
            assert store.metrics.metric_sources()[0].last_status == "error"

            mode.update(status=200, value=1300)
            await pilot.press("r")
            await wait_for(pilot, lambda: "1.3k" in strip_text(app), "recovered value")
            text = strip_text(app)
            assert "✗" not in text and "▲4.8%" in text, text

            await pilot.press("3", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MetricDetailScreen), "detail")
            detail = app.screen
            await wait_for(pilot, lambda: detail.history is not None, "history loaded")
            assert [v for _at, v in detail.history.day] == [1240.0, 1300.0]
            shown = str(detail.query_one("#source").render())
            assert "$MTUI_UI_TOKEN" in shown and SECRET not in shown
            assert "1.3k" in str(detail.query_one("#recent").render())
            await pilot.press("escape")
            assert not isinstance(app.screen, MetricDetailScreen)


async def test_never_fetched_and_empty_placeholders(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.query_one(MetricsStrip).loaded, "loaded")
        assert "No metric sources yet" in strip_text(app)
    store.metrics.save_metric_source({
        "name": "Later", "kind": "json", "url": "http://127.0.0.1:9/x",
        "selectors": {"leads": "a.b"}, "interval_seconds": 3600,
    })  # fmt: skip
    # Fetched just now (so not due again) but without a value for this metric yet.
    store.metrics.record_fetch(1, fetched_at=datetime.now(UTC).isoformat(), values={}, error=None)
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.query_one(MetricsStrip).loaded, "loaded")
        assert "leads" in strip_text(app) and "never fetched yet" in strip_text(app)
