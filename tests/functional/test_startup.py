"""Start-up work that keeps the first paint fast must not change what the user gets."""

from __future__ import annotations

import gc

import pytest

from mtui.gc_pause import pause_until_first_frame
from mtui.ui.app import MtuiApp

pytestmark = pytest.mark.anyio


async def test_collection_paused_for_start_up_resumes_after_the_first_frame(demo_store):
    pause_until_first_frame()  # as mtui.entry does before importing Textual
    try:
        app = MtuiApp(demo_store)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0, "start-up objects are frozen, not rescanned"
    finally:
        gc.enable()
        gc.unfreeze()
