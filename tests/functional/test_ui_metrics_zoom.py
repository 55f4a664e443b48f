"""The zoomed metrics pane (issue 12, item 21): ``3``, ``z`` fills the screen with every
card in a grid, each with a history chart several rows high, its goal's target, its age
and state; ``z`` again returns to the strip.

The demo plan's sources are not polled here (their placeholder URL refuses, at moments
no snapshot can pin): each test records one fetch per source at the frozen clock's
moment instead, the web source answering and the sheet failing, so both states show.
"""

from __future__ import annotations

import pytest

from mtui.core import clock
from mtui.core.metrics.service import MetricsService
from mtui.ui.app import MtuiApp
from mtui.ui.metrics.strip import MetricsStrip
from tests.support.ui import wait_for

pytestmark = pytest.mark.anyio
SIZES = [(80, 24), (160, 45)]


async def _no_poll(self, *args, **kwargs):
    return []


@pytest.fixture
def zoom_store(demo_store, monkeypatch):
    """The demo plan with a fresh reading from one source and a failure of the other."""
    monkeypatch.setattr(MetricsService, "poll", _no_poll)
    sources = {s.name: s for s in demo_store.metrics.metric_sources()}
    now = clock.utc_stamp()
    site, sheet = sources["demo-plausible"], sources["demo-sheet"]
    latest = {(m.source_id, m.metric_key): m.value for m in demo_store.metrics.latest_metrics()}
    values = {key: latest[(site.id, key)] * 1.02 for (sid, key) in latest if sid == site.id}
    demo_store.metrics.record_fetch(site.id, fetched_at=now, values=values, error=None)
    demo_store.metrics.record_fetch(sheet.id, fetched_at=now, values={}, error="connection refused")
    return demo_store


async def zoom_in(pilot) -> MetricsStrip:
    strip = pilot.app.query_one(MetricsStrip)
    await wait_for(pilot, lambda: strip.loaded and strip.cards, "cards loaded")
    await pilot.press("3", "z")
    await wait_for(pilot, lambda: strip.zoom_loaded, "history read for the zoomed grid")
    await pilot.pause()
    return strip


def card_rows(strip: MetricsStrip) -> list[str]:
    return str(strip.render()).splitlines()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
async def test_zoom_fills_the_screen_with_taller_charts(zoom_store, size) -> None:
    app = MtuiApp(zoom_store)
    async with app.run_test(size=size) as pilot:
        strip = app.query_one(MetricsStrip)
        await wait_for(pilot, lambda: strip.loaded and strip.cards, "cards loaded")
        strip_height = strip.outer_size.height
        assert len(card_rows(strip)) == 2, "the strip: one line of sparkline per card"

        strip = await zoom_in(pilot)
        assert app.screen.maximized is strip
        footer = app.screen.query_one("MtuiFooter").outer_size.height
        assert strip.outer_size.height == size[1] - footer > strip_height
        assert strip.outer_size.width == size[0]

        layout = strip.zoom_layout
        assert layout is not None and layout.per_page >= len(strip.cards) == 10
        assert layout.chart_rows >= 3, layout
        text = "\n".join(card_rows(strip))
        for card in strip.cards:  # long keys are cut short at 80 columns
            assert card.key[:12] in text, f"{card.key} is not on the zoomed pane"
        # Each card's chart: the bar rows under its header, at its place in the grid.
        lines = card_rows(strip)
        step = layout.card_height + layout.row_gap
        for index in range(len(strip.cards)):
            top = (index // layout.columns) * step + 1
            left = (index % layout.columns) * (layout.card_width + 1)
            chart = [
                line[left : left + layout.card_width]
                for line in lines[top : top + layout.chart_rows]
            ]
            drawn = [row for row in chart if any(mark in row for mark in "▁▂▃▄▅▆▇█▕┄")]
            assert len(drawn) == layout.chart_rows > 1, (strip.cards[index].key, chart)
            assert any(mark in "".join(chart) for mark in "▁▂▃▄▅▆▇█"), "bars are drawn"
        assert "target 2,000 by May 9" in text or "┄ 2,000 by May 9" in text
        assert "DEMO DATA" in text
        assert text.count("⚠") == 6, "the failing sheet's six metrics are marked stale"
        if size[0] > 100:
            assert "connection ref" in text, "with the reason when there is room"

        await pilot.press("z")
        assert app.screen.maximized is None
        assert strip.outer_size.height == strip_height
        assert len(card_rows(strip)) == 2, "back to the strip"


async def test_zoomed_keys_move_by_row_and_open_details(zoom_store) -> None:
    from mtui.ui.metrics.detail import MetricDetailScreen

    app = MtuiApp(zoom_store)
    async with app.run_test(size=(160, 45)) as pilot:
        strip = await zoom_in(pilot)
        columns = strip.zoom_layout.columns
        await pilot.press("down")
        assert strip.selected == columns
        await pilot.press("right", "up")
        assert strip.selected == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MetricDetailScreen), "details")
        assert app.screen.card.ident == strip.cards[1].ident


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_zoomed_metrics_snapshot(zoom_store, snap_compare, size):
    assert snap_compare(MtuiApp(zoom_store), terminal_size=size, run_before=zoom_in)


def test_grid_layout_fits_every_card_or_pages() -> None:
    from mtui.ui.metrics.zoom import MIN_CHART_ROWS, grid_layout

    for count, width, height in [(10, 76, 21), (10, 156, 42), (1, 76, 21), (3, 40, 10)]:
        layout = grid_layout(count, width, height)
        assert layout.per_page >= count and layout.chart_rows >= MIN_CHART_ROWS, layout
        used = layout.rows * layout.card_height + (layout.rows - 1) * layout.row_gap
        assert used <= height and layout.columns * layout.card_width <= width, layout
    crowded = grid_layout(60, 76, 21)
    assert crowded.per_page < 60 and crowded.chart_rows == MIN_CHART_ROWS


def test_bar_chart_scales_between_the_ends_and_draws_the_target() -> None:
    from mtui.ui.metrics.zoom import TARGET_MARK, bar_chart

    lines = [line.plain for line in bar_chart([10, 20, 30], 20, 4, target=60)]
    assert len(lines) == 4 and all(len(line) == 20 for line in lines)
    assert lines[0].startswith("60▕") and lines[-1].startswith("10▕"), lines
    assert TARGET_MARK in lines[0] and "█" not in lines[0], "the target is above every bar"
    assert lines[-1].rstrip().endswith(("▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"))
    assert "no history" in "".join(line.plain for line in bar_chart([], 20, 3))
