"""Board interactions at 10,000 tasks, driven in-process with Textual's Pilot.

Each figure is the median wall time of one ``pilot.press`` (the key is handled and the
screen is updated) over many repetitions:

* move a card to the next/previous column (``L`` / ``H``)
* reorder within a column (``J`` / ``K``)
* one filter keystroke (typing ``@ana`` and deleting it again)
* open and close the edit modal (``enter`` then ``escape``)

    uv run python bench/bench_board.py [--tasks 10000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

TARGETS_MS = {"move": 30, "reorder": 30, "filter keystroke": 50, "edit modal open+close": 50}


async def _timed(pilot, *keys: str) -> float:
    start = time.perf_counter()
    await pilot.press(*keys)
    return time.perf_counter() - start


async def run(tasks: int, repeat: int) -> dict[str, list[float]]:
    from mtui.core.demo import seed_demo
    from mtui.core.store import open_store
    from mtui.ui.app import MtuiApp
    from mtui.ui.edit_task import EditTaskScreen

    path = Path(tempfile.mkdtemp(prefix="mtui-bench-")) / "board.db"
    store = open_store(path)
    seed_demo(store, total_tasks=tasks)
    app = MtuiApp(store)
    times: dict[str, list[float]] = {name: [] for name in TARGETS_MS}
    async with app.run_test(size=(160, 45)) as pilot:
        board = app.board
        await pilot.press("right", "right", "down", "down")  # a card in the middle of Doing
        await pilot.pause()
        for _ in range(repeat):
            times["move"].append(await _timed(pilot, "L"))
            times["move"].append(await _timed(pilot, "H"))
        for _ in range(repeat):
            times["reorder"].append(await _timed(pilot, "J"))
            times["reorder"].append(await _timed(pilot, "K"))
        await pilot.press("slash")
        await pilot.pause()
        for _ in range(max(repeat // 4, 2)):
            for key in ("at", "a", "n", "a", "backspace", "backspace", "backspace", "backspace"):
                times["filter keystroke"].append(await _timed(pilot, key))
        await pilot.press("escape")
        board.focus()
        await pilot.pause()
        for _ in range(repeat):
            start = time.perf_counter()
            await pilot.press("enter")
            while not isinstance(app.screen, EditTaskScreen):
                await pilot.pause()
            await pilot.press("escape")
            while isinstance(app.screen, EditTaskScreen):
                await pilot.pause()
            times["edit modal open+close"].append(time.perf_counter() - start)
    store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("MTUI_TZ", "UTC")
    times = asyncio.run(run(args.tasks, args.repeat))
    print(f"board interactions at {args.tasks} tasks (median of n, in ms):")
    for name, samples in times.items():
        median = statistics.median(samples) * 1000
        verdict = "ok" if median <= TARGETS_MS[name] else "OVER TARGET"
        print(
            f"  {name:24} {median:6.1f} ms  (n={len(samples)}, target ≤ {TARGETS_MS[name]} ms) {verdict}"
        )


if __name__ == "__main__":
    main()
