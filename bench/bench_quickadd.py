"""Quick-add at 10,000 tasks: parse + resolve + save + card visible on the board.

Driven in-process with Pilot on the real ``MtuiApp`` and a real SQLite file seeded with
``seed_demo(total_tasks=N)``. Each run puts one line in the quick-add input (typing is
not timed), then times from submitting it until the new card's title is in the board's
rendered lines (``visible``); ``settled`` also waits for Pilot to see the app idle (an
upper bound: it includes Pilot's own overhead). Also times the parser alone.

    uv run python bench/bench_quickadd.py [--runs 30] [--tasks 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

LINE = "{title} #email @ana due:fri !1 ^signups c:spring-launch +bench est:30m"


def make_db(path: Path, tasks: int) -> None:
    from mtui.core.demo.plan import seed_demo
    from mtui.core.store import open_store

    store = open_store(path)
    seed_demo(store, total_tasks=tasks)
    store.close()


def board_shows(app, title: str) -> bool:
    """True once the card is in the board's model *and* in its rendered lines.

    The model check is cheap, so polling it does not slow the app down; the board is
    rendered (as the compositor would) only once the card is there.
    """
    board = app.board
    if not any(t.title == title for c in board.model.columns for t in c.visible[:3]):
        return False
    lines = ("".join(s.text for s in board.render_line(y)) for y in range(board.size.height))
    return any(title in line for line in lines)


async def time_quickadds(db: Path, runs: int) -> tuple[list[float], list[float]]:
    from mtui.core.store import open_store
    from mtui.ui.app import MtuiApp
    from mtui.ui.quickadd.input import QuickAddInput

    store = open_store(db)
    app = MtuiApp(store)
    visible: list[float] = []
    settled: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("a")
        field = app.screen.query_one(QuickAddInput)
        for run in range(runs + 3):  # the first few warm caches up; not counted
            title = f"Bench card {run:03d}"
            field.value = LINE.format(title=title)
            field.cursor_position = len(field.value)
            await pilot.pause()
            start = time.perf_counter()
            await field.action_submit()
            while not board_shows(app, title):
                if time.perf_counter() - start > 5:
                    message = app.screen.query_one("#qa-message").render()
                    raise TimeoutError(f"{title!r} never appeared on the board: {message}")
                await asyncio.sleep(0)
            shown = time.perf_counter()
            await pilot.pause()
            done = time.perf_counter()
            assert field.value == "", "the quick-add did not save"
            if run >= 3:
                visible.append(shown - start)
                settled.append(done - start)
    store.close()
    return visible, settled


def time_parse(rounds: int = 30, calls: int = 1000) -> list[float]:
    """Median-ready per-call times of parse_quickadd on a line with every common token."""
    from mtui.core import clock
    from mtui.core.language.quickadd import parse_quickadd

    now = clock.now()
    line = LINE.format(title="Launch email")
    per_call = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            parse_quickadd(line, now)
        per_call.append((time.perf_counter() - start) / calls)
    return per_call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="mtui-bench-qa-")) / "bench.db"
    start = time.perf_counter()
    make_db(db, args.tasks)
    print(f"seeded {args.tasks} tasks in {time.perf_counter() - start:.1f} s", flush=True)
    visible, settled = asyncio.run(time_quickadds(db, args.runs))
    parse = time_parse()
    ms = 1000
    print(f"tasks: {args.tasks}, runs: {args.runs}")
    print(f"quick-add → card visible: median {statistics.median(visible) * ms:.1f} ms "
          f"(min {min(visible) * ms:.1f}, max {max(visible) * ms:.1f})")  # fmt: skip
    print(f"quick-add → app idle:     median {statistics.median(settled) * ms:.1f} ms")
    print(f"parse only:               median {statistics.median(parse) * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
