"""Metric sources from the TUI (issue 15, item 4): the sources screen (``3`` then ``e``)
and its form, driven with Pilot against a real local HTTP server serving a recorded
Plausible response. A test fetches and shows the numbers without storing them; saving
is one transaction with its actor in the activity log, undoable; the secret's value is
never on screen (only the variable's name is ever typed)."""

from __future__ import annotations

import html
import re
import threading

import pytest
from textual.widgets import Input, Select, Static, TextArea

from mtui.core.store import open_store
from mtui.ui.app import MtuiApp
from mtui.ui.metrics.source_form import SourceForm
from mtui.ui.metrics.sources_screen import SourcesScreen
from mtui.ui.shell.confirm import ConfirmScreen
from tests.support.metrics import fixture_bytes, threaded_httpserver
from tests.support.ui import wait_for

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
SECRET = "plausible-secret-9f8e7d6c5b4a"


def screen_text(app) -> str:
    """Everything drawn on the screen, as text, line by line (the screenshot's text)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text [^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>',
                                 app.export_screenshot()):  # fmt: skip
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _x, t in sorted(row)) for _y, row in sorted(rows.items()))


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def type_into(pilot, form, selector: str, text: str) -> None:
    """Focus a field, clear it and enter ``text`` at the cursor, as a paste does: the
    field posts the same Changed messages as when typed, without a round of Pilot's
    idle wait per key (typing every character made these the suite's slowest tests)."""
    field = form.query_one(selector)
    field.focus()
    await pilot.pause()
    if isinstance(field, Input):
        field.value = ""
        field.insert_text_at_cursor(text)
    elif isinstance(field, TextArea):
        field.clear()
        field.insert(text)
    await pilot.pause()


async def open_sources(pilot, app) -> SourcesScreen:
    await pilot.press("3", "e")
    await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen), "sources screen")
    screen = app.screen
    await wait_for(pilot, lambda: screen.loaded, "sources read")
    return screen


async def open_form(pilot, app, key: str) -> SourceForm:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, SourceForm), "source form")
    form = app.screen
    await wait_for(pilot, lambda: bool(form.query("#request Input, #request Select")), "fields")
    return form


def serve_plausible(server) -> None:
    server.expect_request(
        "/api/v2/query", method="POST", headers={"Authorization": f"Bearer {SECRET}"}
    ).respond_with_data(
        fixture_bytes("plausible_v2_aggregate.json"), content_type="application/json"
    )


async def test_add_a_plausible_source_test_it_then_save(store, monkeypatch) -> None:
    monkeypatch.setenv("PLAUSIBLE_API_KEY", SECRET)
    with threaded_httpserver() as server:
        serve_plausible(server)
        app = MtuiApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await open_sources(pilot, app)
            assert "No metric sources yet" in screen_text(app)
            form = await open_form(pilot, app, "a")
            assert form.query_one("#f-preset", Select).value == "plausible"
            assert "PLAUSIBLE_API_KEY" in static_text(form, "#preset-needs")
            # exactly the preset's options
            ids = {w.id for w in form.query("#request Input")}
            assert ids == {"f-opt-site", "f-opt-metrics", "f-opt-period", "f-opt-api", "f-opt-url"}

            await type_into(pilot, form, "#f-name", "web")
            await type_into(pilot, form, "#f-opt-site", "example.com")
            await type_into(pilot, form, "#f-opt-url", server.url_for("").rstrip("/"))
            assert "✓ set" in static_text(form, "#env-status")

            await pilot.press("ctrl+t")
            await wait_for(pilot, lambda: "test ok" in static_text(form, "#test-result"), "test")
            shown = static_text(form, "#test-result")
            assert "web.visitors = 3,145" in shown and "web.pageviews = 9,874" in shown, shown
            assert "would store" in shown
            assert store.metrics.metric_sources() == [], "a test stores nothing"
            assert store.metrics.latest_snapshots() == []
            assert SECRET not in screen_text(app)

            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen), "back to list")
            [saved] = store.metrics.metric_sources()
            assert (saved.name, saved.kind, saved.auth_type) == ("web", "plausible", "bearer")
            assert saved.auth_env == "PLAUSIBLE_API_KEY"
            assert saved.url == server.url_for("/api/v2/query")
            assert SECRET not in repr(saved)
            [event] = store.activity.events(entity="source")
            assert (event.kind, event.entity_id, event.actor) == ("created", saved.id, store.actor)
            assert SECRET not in repr(event)
            # The row itself, not just the detail line under the table (also "web …"),
            # which can be drawn first.
            await wait_for(pilot, lambda: "$PLAUSIBLE_API_KEY ✓" in screen_text(app), "listed")
            row = screen_text(app)
            assert "$PLAUSIBLE_API_KEY ✓" in row and "plausible" in row
            assert SECRET not in row

            # The list's own test: the saved source, fetched once, nothing stored.
            before = store.metrics.latest_snapshots()
            await pilot.press("t")
            screen = app.screen
            await wait_for(
                pilot, lambda: "test ok" in static_text(screen, "#sources-detail"), "list test"
            )
            assert "web.bounce_rate = 52" in static_text(screen, "#sources-detail")
            assert len(store.metrics.latest_snapshots()) == len(before)


async def test_the_test_fetch_and_the_save_run_off_the_event_loop(store, monkeypatch) -> None:
    """The form's test fetches in a thread worker and the save runs on the store thread:
    the event loop's thread never does either."""
    from mtui.ui.metrics import source_form

    monkeypatch.setenv("PLAUSIBLE_API_KEY", SECRET)
    calls: list[tuple[str, bool]] = []
    real_try, repo = source_form.try_fields, type(store.metrics)
    real_save = repo.save_metric_source

    def recorded_try(*args, **kwargs):
        calls.append(("test", threading.current_thread() is threading.main_thread()))
        return real_try(*args, **kwargs)

    def recorded_save(self, *args, **kwargs):
        calls.append(("save", threading.current_thread() is threading.main_thread()))
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(source_form, "try_fields", recorded_try)
    monkeypatch.setattr(repo, "save_metric_source", recorded_save)
    with threaded_httpserver() as server:
        serve_plausible(server)
        app = MtuiApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await open_sources(pilot, app)
            form = await open_form(pilot, app, "a")
            await type_into(pilot, form, "#f-name", "web")
            await type_into(pilot, form, "#f-opt-site", "example.com")
            await type_into(pilot, form, "#f-opt-url", server.url_for("").rstrip("/"))
            await pilot.press("ctrl+t")
            await wait_for(pilot, lambda: "test ok" in static_text(form, "#test-result"), "test")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen), "saved")
    assert ("test", False) in calls and ("save", False) in calls, calls
    assert not [call for call in calls if call[1]], calls


async def test_env_status_never_shows_the_value(store, monkeypatch) -> None:
    monkeypatch.delenv("PLAUSIBLE_API_KEY", raising=False)
    monkeypatch.setenv("TEAM_PLAUSIBLE", SECRET)
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_sources(pilot, app)
        form = await open_form(pilot, app, "a")
        status = static_text(form, "#env-status")
        assert "✗ not set — export PLAUSIBLE_API_KEY=…" in status, status

        await type_into(pilot, form, "#f-auth_env", "TEAM_PLAUSIBLE")
        assert "✓ set" in static_text(form, "#env-status")
        text = screen_text(app)
        assert "TEAM_PLAUSIBLE" in text and SECRET not in text
        # no field anywhere holds (or asks for) the secret
        assert all(SECRET not in field.value for field in form.query(Input))
        for preset in ("ga4", "stripe", "custom"):
            form.query_one("#f-preset", Select).value = preset
            await pilot.pause()
            assert SECRET not in screen_text(app)
            assert not [w for w in form.query(Input) if w.password]

        # A secret pasted where the variable's name goes is refused, never saved.
        form.query_one("#f-preset", Select).value = "plausible"
        await pilot.pause()
        await type_into(pilot, form, "#f-name", "web")
        await type_into(pilot, form, "#f-opt-site", "example.com")
        await type_into(pilot, form, "#f-auth_env", "sk_live_51HxAbCdEf0123")
        assert "looks like a secret" in static_text(form, "#env-status")
        await pilot.press("ctrl+s")
        assert "NAME of the variable" in static_text(form, "#e-auth_env")
        assert store.metrics.metric_sources() == []


async def test_bad_values_show_under_their_field_and_save_nothing(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_sources(pilot, app)
        form = await open_form(pilot, app, "a")
        await type_into(pilot, form, "#f-name", "web")
        await pilot.press("ctrl+s")  # no site
        error = form.query_one("#e-opt-site", Static)
        assert error.has_class("-shown") and "needed" in str(error.render())
        assert form.focused is form.query_one("#f-opt-site")

        await type_into(pilot, form, "#f-opt-site", "example.com")
        await type_into(pilot, form, "#f-opt-period", "fortnight")
        await pilot.press("ctrl+s")
        assert "fortnight" in static_text(form, "#e-opt-period")
        assert not form.query_one("#e-opt-site").has_class("-shown")

        form.query_one("#f-preset", Select).value = "custom"
        await pilot.pause()
        await type_into(pilot, form, "#f-url", "ftp://example.com/x")
        await type_into(pilot, form, "#f-metrics", "visitors=results.visitors.value")
        await pilot.press("ctrl+s")
        assert "http(s) URL" in static_text(form, "#e-url")
        assert store.metrics.metric_sources() == []


async def test_a_store_refusal_is_a_notice_and_keeps_the_form(store, monkeypatch) -> None:
    from mtui.core.errors import ReadOnlyError

    def refused(self, *args, **kwargs):
        raise ReadOnlyError("the database is read-only: nothing was saved")

    monkeypatch.setattr(type(store.metrics), "save_metric_source", refused)
    monkeypatch.setenv("PLAUSIBLE_API_KEY", SECRET)
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_sources(pilot, app)
        form = await open_form(pilot, app, "a")
        await type_into(pilot, form, "#f-name", "web")
        await type_into(pilot, form, "#f-opt-site", "example.com")
        await pilot.press("ctrl+s")
        shown = [str(n.message) for n in app._notifications]
        assert "the database is read-only: nothing was saved" in shown, shown
        assert app.screen is form and form.query_one("#f-opt-site", Input).value == "example.com"
        assert not form.saving  # a second ctrl+s tries again


def _saved_json_source(store, url: str):
    return store.metrics.save_metric_source(
        {"name": "Leads", "kind": "json", "url": url, "interval_seconds": 3600,
         "selectors": {"signups": "results.signups.value"}, "timeout_seconds": 5}
    )  # fmt: skip


async def test_edit_a_source_then_undo(tmp_path, frozen_clock) -> None:
    store = open_store(tmp_path / "edit.db")
    saved = _saved_json_source(store, "http://127.0.0.1:9/stats")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_sources(pilot, app)
        form = await open_form(pilot, app, "e")
        assert form.query_one("#f-preset", Select).value == "custom"
        assert form.query_one("#f-url", Input).value == "http://127.0.0.1:9/stats"
        assert form.query_one("#f-metrics", TextArea).text == "signups=results.signups.value"
        assert form.query_one("#f-interval", Input).value == "1h"
        await type_into(pilot, form, "#f-interval", "10m")
        await type_into(pilot, form, "#f-metrics", "signups=data.signups\ntrials=data.trials")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen), "back to list")
        [changed] = store.metrics.metric_sources()
        assert changed.id == saved.id and changed.interval_seconds == 600
        assert changed.selectors == {"signups": "data.signups", "trials": "data.trials"}
        kinds = {(e.kind, e.field) for e in store.activity.events(entity="source")}
        assert ("changed", "interval_seconds") in kinds and ("changed", "selectors") in kinds

        await pilot.press("u")
        await wait_for(
            pilot, lambda: store.metrics.metric_sources()[0].interval_seconds == 3600, "undone"
        )
        assert store.metrics.metric_sources()[0].selectors == {"signups": "results.signups.value"}
    store.close()


async def test_remove_asks_first_and_undo_brings_it_back(tmp_path, frozen_clock) -> None:
    store = open_store(tmp_path / "rm.db")
    saved = _saved_json_source(store, "http://127.0.0.1:9/stats")
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_sources(pilot, app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asks")
        await pilot.press("n")
        assert [s.id for s in store.metrics.metric_sources()] == [saved.id]

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asks again")
        await pilot.press("y")
        await wait_for(pilot, lambda: store.metrics.metric_sources() == [], "removed")
        [event] = [e for e in store.activity.events(entity="source") if e.kind == "deleted"]
        assert event.entity_id == saved.id and event.actor == store.actor
        await wait_for(pilot, lambda: "No metric sources yet" in screen_text(app), "list empty")

        await pilot.press("u")
        await wait_for(pilot, lambda: len(store.metrics.metric_sources()) == 1, "undone")
        await wait_for(pilot, lambda: "leads" in screen_text(app), "listed again")


async def test_the_palette_opens_the_sources_screen(store) -> None:
    app = MtuiApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"metric sources")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SourcesScreen), "sources screen")
        assert "No metric sources yet" in screen_text(app)


# Snapshots ------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_source_form_snapshot(store, snap_compare, monkeypatch, size) -> None:
    monkeypatch.setenv("PLAUSIBLE_API_KEY", "not-shown")

    async def fill(pilot) -> None:
        await pilot.press("3", "e")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", *"web", "tab", *"example.com")
        for field in pilot.app.screen.query(Input):  # a steady cursor: the same on every run
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(MtuiApp(store), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_sources_list_snapshot(tmp_path, frozen_clock, snap_compare, monkeypatch, size) -> None:
    """The list with one source fine and one failing; the strip does not poll (a fetch
    finishing mid-snapshot would change the "last fetch" column)."""
    from mtui.ui.metrics.strip import MetricsStrip

    monkeypatch.setattr(MetricsStrip, "_start_polling", lambda self: None)
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    store = open_store(tmp_path / "list.db")
    _saved_json_source(store, "http://127.0.0.1:9/stats")
    store.metrics.save_metric_source(
        {"name": "Revenue", "kind": "stripe", "url": "https://api.stripe.com/v1",
         "selectors": {"mrr": "mrr"}, "auth_type": "bearer", "auth_env": "STRIPE_API_KEY",
         "interval_seconds": 900}
    )  # fmt: skip
    store.metrics.record_fetch(1, fetched_at="2026-03-10T08:58:00+00:00", values={"signups": 3},
                               error=None)  # fmt: skip
    store.metrics.record_fetch(2, fetched_at="2026-03-10T08:40:00+00:00", values=None,
                               error="environment variable STRIPE_API_KEY is not set")  # fmt: skip

    async def open_it(pilot) -> None:
        app = pilot.app
        app.query_one("#metrics").focus()
        await pilot.pause()
        app.action_sources()
        await pilot.pause()

    assert snap_compare(MtuiApp(store), terminal_size=size, run_before=open_it)
    store.close()
