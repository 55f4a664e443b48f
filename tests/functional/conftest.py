"""Pilot waits for the app's background store jobs after each key press and pause.

The app never runs a store call on its event loop: a key that writes shows its result
at once and saves from a worker. Tests assert on the database right after a key, so
``Pilot.press`` and ``Pilot.pause`` here also wait until the app's queued store jobs
are done and their results applied (``MtuiApp.settled``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot


async def _settle(pilot: Pilot) -> None:
    settled = getattr(pilot.app, "settled", None)
    if settled is not None and pilot.app.is_running:
        await settled()
        await Pilot.__dict__["_mtui_pause"](pilot)


@pytest.fixture(autouse=True)
def pilot_waits_for_store_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    press, pause = Pilot.press, Pilot.pause

    async def pressed(self: Pilot, *keys: str) -> None:
        await press(self, *keys)
        await _settle(self)

    async def paused(self: Pilot, delay: float | None = None) -> None:
        await pause(self, delay)
        await _settle(self)

    monkeypatch.setattr(Pilot, "_mtui_pause", pause, raising=False)
    monkeypatch.setattr(Pilot, "press", pressed)
    monkeypatch.setattr(Pilot, "pause", paused)
    yield
