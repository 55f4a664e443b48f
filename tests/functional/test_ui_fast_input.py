"""Input is correct at any typing speed (issue 12, item 20).

Keys arriving in one burst (a paste without bracketed-paste mode, a laggy SSH link, a
fast typist) used to be handed to the widget that had focus before the first of them
was handled, and the filter bar's own stale messages re-set its value. Each test here
types a burst with no pause between keys, and one drives the real ``mtui`` in tmux.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from mtui.ui.app import MtuiApp
from mtui.ui.quickadd import QuickAddScreen
from tests.support.cli import MTUI, run_mtui
from tests.support.ui import type_burst

pytestmark = pytest.mark.anyio
SIZE = (160, 45)


async def test_slash_then_a_burst_then_backspace_keeps_every_key(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await type_burst(pilot, "/abcdef")  # straight after start-up, in one write
        await pilot.press("backspace")
        bar = app.query_one("#filter-bar")
        assert bar.text == "abcde"
        assert app.screen is app.dashboard  # "a" did not open quick-add


@pytest.mark.parametrize("gap_ms", [0, 20])
async def test_filter_text_is_exact_at_any_speed(demo_store, gap_ms):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = "due:overdue @ana"
        if gap_ms:
            await pilot.press("slash", *(f"wait:{gap_ms}" if i % 2 else ch
                                         for ch in text for i in (0, 1)))  # fmt: skip
        else:
            await type_burst(pilot, "/" + text)
        await pilot.pause(0.2)
        assert app.query_one("#filter-bar").text == text


async def test_keys_after_tab_land_in_the_next_field(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "g")  # the brief, then "new goal"
        await type_burst(pilot, "Grow\t\tattract")
        values = {field.id: field.value for field in app.screen.query(Input)}
        assert values["f-title"] == "Grow"
        assert values["f-slug"] == ""
        assert values["f-stage"] == "attract"


async def test_typing_straight_after_a_opens_quick_add_with_every_key(demo_store):
    app = MtuiApp(demo_store)
    before = [(t.id, t.status_id, t.position) for t in demo_store.tasks.list_tasks()]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_burst(pilot, "aHello world")
        assert isinstance(app.screen, QuickAddScreen)
        assert app.screen.input.value == "Hello world"
    # "H", "l" were not board keys (move a card, cursor) on the way
    assert [(t.id, t.status_id, t.position) for t in demo_store.tasks.list_tasks()] == before


def _pane(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True,
                          text=True, check=False).stdout  # fmt: skip


def _wait_for(session: str, needle: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = _pane(session)
        if needle in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not on screen:\n{_pane(session)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_real_terminal_burst_in_tmux(tmp_path: Path):
    """``send-keys`` writes ``/abcdef`` to the terminal in one go, as a paste would."""
    db = tmp_path / "fast.db"
    assert run_mtui("add", "First task", db=db).returncode == 0
    session = f"mtui-fast-{os.getpid()}"
    config = Path(__file__).resolve().parents[1] / "fixtures" / "no-config"
    command = f"MTUI_CONFIG_DIR={config} {MTUI} --db {db}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "45",
                    command], check=True)  # fmt: skip
    try:
        _wait_for(session, "First task")
        subprocess.run(["tmux", "send-keys", "-t", session, "/abcdef"], check=True)
        subprocess.run(["tmux", "send-keys", "-t", session, "BSpace"], check=True)
        screen = _wait_for(session, "filter / abcde ")
        assert "filter / abcdef" not in screen and "Quick add" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
