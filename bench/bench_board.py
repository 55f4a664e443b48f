"""Board interactions at 10,000 tasks, driven in-process with Textual's Pilot.

Each figure is the median over many repetitions of one key press, from the moment the
key is sent until the app is idle again (every message the key caused is handled) and
the screen has been painted, including turning the changed regions into terminal
output (which the headless driver would otherwise skip):

* move a card to the next/previous column (``L`` / ``H``)
* reorder within a column (``J`` / ``K``)
* one filter keystroke (typing ``@ana`` and deleting it again)
* open and close the edit modal (``enter`` then ``escape``)

Wall and CPU time (``time.process_time``) are both reported: on a shared machine the
CPU time is the steadier of the two.

``pilot.press`` itself is not used as the stopwatch: after every key it waits for the
process to look idle (``wait_for_idle``: at least two 20 ms sleeps), so it cannot time
anything under ~40 ms. ``--pilot-press`` times with it anyway, for comparison.

This environment sets PYTHONDONTWRITEBYTECODE=1, so the script byte-compiles the venv
and ``mtui`` first (``--no-compile`` skips it); otherwise every import is parsed anew.

    uv run python bench/bench_board.py [--tasks 10000] [--repeat 30] [--only move,filter]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

TARGETS_MS = {"move": 30, "reorder": 30, "filter keystroke": 50, "edit modal open+close": 50}
ROOT = Path(__file__).resolve().parent.parent

Sample = tuple[float, float]  # (wall seconds, CPU seconds)
PROFILER = None  # a cProfile.Profile with --profile: enabled only inside timed windows


def _compile() -> None:
    """Byte-compile once so imports (e.g. the edit modal's widgets) are not re-parsed."""
    site = sysconfig.get_paths()["purelib"]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "2", site, str(ROOT / "mtui")],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def _paint_like_a_terminal(app) -> None:
    """Make the headless app build its terminal output like a real one (then drop it)."""
    from textual._compositor import CompositorUpdate

    def display(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)

    app._display = display


def _queued(app) -> bool:
    """Messages or callbacks still waiting in the app or any widget of its screen."""
    pumps = [app, *app.screen.walk_children(with_self=True)]
    return any(p.message_queue_size or p._next_callbacks for p in pumps)


def _paint_pending(app) -> bool:
    screen = app.screen
    return bool(screen._dirty_widgets or screen._repaint_required or screen._layout_required)


async def _settle(app) -> None:
    """Let the event loop run until no message or callback is queued anywhere (cheap)."""
    await asyncio.sleep(0)
    for _ in range(10_000):
        if not _queued(app):
            return
        await asyncio.sleep(0)


async def _saved(app, pilot) -> None:
    """Wait (untimed) for the store jobs a key started and for the side panes' re-read
    that follows a board write (``SIDE_PANE_DELAY`` later), so the next key starts from
    a settled board: on a 100,000-task board either, landing in the next key's window,
    would be timed with it (CPU time counts every thread)."""
    from mtui.ui.app import SIDE_PANE_DELAY
    from mtui.ui.shell.store_jobs import STORE_GROUP

    async def store_jobs_done() -> None:
        from textual.worker import WorkerCancelled

        jobs = [w for w in app.workers if w.group == STORE_GROUP and not w.is_finished]
        with contextlib.suppress(WorkerCancelled, TimeoutError):
            await asyncio.wait_for(app.workers.wait_for_complete(jobs), 10)
        await pilot.pause()

    await store_jobs_done()
    await asyncio.sleep(SIDE_PANE_DELAY + 0.05)
    await store_jobs_done()


async def _press(pilot, key: str) -> Sample:
    """Send ``key``; return when it and everything it caused is handled and painted.

    Like the app's 60 fps update timer, the screen is painted once the queued messages
    are handled (not after every message), until nothing is queued or left to paint.

    The stopwatch stops when the cheap check (queues empty, nothing to paint) first
    passes. Only then is Pilot's thorough check run, untimed: it posts a callback to
    every widget and waits for all of them, which costs ~10 ms of the benchmark's own
    CPU per round on the dashboard (more with a modal's widgets) and is not app work.
    If the thorough check finds the app was still busy (a handler mid-``await``), the
    clock keeps running from the start, so that case is over-counted, never under.
    """
    app = pilot.app
    if PROFILER is not None:
        PROFILER.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    app.post_message(_key_event(app, key))
    done: Sample | None = None
    for _ in range(100):
        await _settle(app)
        app.screen._on_timer_update()
        await asyncio.sleep(0)
        if _queued(app) or _paint_pending(app):
            continue
        if done is None:
            done = time.perf_counter() - wall, time.process_time() - cpu
            if PROFILER is not None:
                PROFILER.disable()
        await pilot._wait_for_screen()
        if not _queued(app) and not _paint_pending(app):
            return done
        done = None  # still busy: keep timing (the thorough check's cost is counted)
        if PROFILER is not None:
            PROFILER.enable()
    if PROFILER is not None:
        PROFILER.disable()
    return time.perf_counter() - wall, time.process_time() - cpu


def _key_event(app, key: str):
    """The key event ``pilot.press`` would send (posted directly: no driver round trip)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    return event


async def _pilot_press(pilot, key: str) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    return time.perf_counter() - wall, time.process_time() - cpu


def _seeded(tasks: int, server: str | None) -> str:
    """A board of ``tasks`` demo tasks in a temporary SQLite file, copied onto a new
    board of the team server at ``server`` when given. Its path or URL."""
    from mtui.core.demo.plan import seed_demo
    from mtui.core.store import open_store

    path = Path(tempfile.mkdtemp(prefix="mtui-bench-")) / "board.db"
    store = open_store(path)
    seed_demo(store, total_tasks=tasks)
    store.close()
    if server is None:
        return str(path)
    from team_board import copy_to_server  # bench/ is on sys.path: this script's folder

    return copy_to_server(path, server)


async def run(
    tasks: int, repeat: int, only: set[str], use_pilot: bool, url: str
) -> dict[str, list[Sample]]:
    from mtui.core.store import open_store
    from mtui.gc_pause import pause_until_first_frame
    from mtui.ui.app import MtuiApp
    from mtui.ui.board.edit_modal import EditTaskScreen

    press = _pilot_press if use_pilot else _press
    store = open_store(url)
    # As the ``mtui`` entry point does: collection paused until the first frame, after
    # which the app freezes the start-up heap (seeding's garbage is collected first).
    gc.collect()
    pause_until_first_frame()
    app = MtuiApp(store)
    times: dict[str, list[Sample]] = {name: [] for name in TARGETS_MS if name in only}
    floor: list[Sample] = []
    async with app.run_test(size=(160, 45)) as pilot:
        _paint_like_a_terminal(app)
        # The board's full read after the first page: it starts after the first frame
        # and, on a big board, ends well after it, so wait for the swap itself.
        expected = store.tasks.count_tasks()
        for _ in range(600):
            # Not the live-updates listener: it runs until the app exits.
            await app.workers.wait_for_complete([w for w in app.workers if w.group != "live"])
            await pilot.pause()
            if app.board.model.total == expected:
                break
            await asyncio.sleep(0.05)
        assert gc.isenabled() and app.board.model.total == expected
        board = app.board
        # A card of Next: L moves it to Doing and H back. (From Doing, L would open the
        # Blocked column's "what blocks it?" prompt and the keys after it would be typed
        # into that prompt, which is what "move" timed until issue 16.)
        await pilot.press("right", "down", "down")
        await pilot.pause()
        for _ in range(repeat):  # the floor: key dispatch, the idle check and a paint check
            floor.append(await press(pilot, "f19"))
        if "move" in times:
            for _ in range(repeat):
                for key in ("L", "H"):
                    times["move"].append(await press(pilot, key))
                    await _saved(app, pilot)  # untimed: the save lands before the next move
            assert app.screen is app.screen_stack[0], "a move opened a screen: not a move"
        if "reorder" in times:
            for _ in range(repeat):
                times["reorder"].append(await press(pilot, "J"))
                times["reorder"].append(await press(pilot, "K"))
        if "filter keystroke" in times:
            await pilot.press("slash")
            await pilot.pause()
            for _ in range(max(repeat // 4, 2)):
                for key in ("@", "a", "n", "a", "backspace", "backspace", "backspace", "backspace"):
                    times["filter keystroke"].append(await press(pilot, key))
            await pilot.press("escape")
            board.focus()
            await pilot.pause()
        if "edit modal open+close" in times:
            for _ in range(repeat):
                opened = await press(pilot, "enter")
                assert isinstance(app.screen, EditTaskScreen)
                closed = await press(pilot, "escape")
                assert not isinstance(app.screen, EditTaskScreen)
                times["edit modal open+close"].append(
                    (opened[0] + closed[0], opened[1] + closed[1])
                )
    store.close()
    return {"unbound key (floor)": floor, **times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated: move,reorder,filter,edit")
    parser.add_argument("--pilot-press", action="store_true", help="time with pilot.press")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="cProfile the timed key presses only (floor included) and write the stats to FILE",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="a PostgreSQL database, or auto (a throwaway cluster): the board is copied there",
    )
    parser.add_argument(
        "--rtt-ms",
        type=float,
        default=0,
        help="with --server: round-trip delay added by a local TCP proxy",
    )
    args = parser.parse_args()
    os.environ.setdefault("MTUI_TZ", "UTC")
    if not args.no_compile:
        _compile()
    if args.profile:
        import cProfile

        global PROFILER
        PROFILER = cProfile.Profile()
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    only = {n for n in TARGETS_MS if not wanted or n.split()[0] in wanted}
    if args.server is None:
        _measure(args, only)
        return
    from team_board import server

    with server(args.server) as url:
        args.server = url
        _measure(args, only)


def _measure(args: argparse.Namespace, only: set[str]) -> None:
    url = _seeded(args.tasks, args.server)
    where = "a local file"
    if args.server and args.rtt_ms:
        from team_board import round_trip_ms, slow_link

        with slow_link(url, args.rtt_ms) as slow:
            print(f"round trip through the proxy: {round_trip_ms(slow):.1f} ms (SELECT 1, median)")
            times = asyncio.run(run(args.tasks, args.repeat, only, args.pilot_press, slow))
        where = f"a team board behind {args.rtt_ms:g} ms of round trip"
    else:
        times = asyncio.run(run(args.tasks, args.repeat, only, args.pilot_press, url))
        where = "a team board" if args.server else where
    how = "pilot.press" if args.pilot_press else "key sent → handled and painted"
    print(f"board interactions at {args.tasks} tasks on {where}, {how} (median of n, ms):")
    for name, samples in times.items():
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        target = TARGETS_MS.get(name)
        if target is None:
            verdict = "reference: a key nothing is bound to)"
        else:
            verdict = f"target ≤ {target}) " + ("ok" if wall <= target else "OVER TARGET")
        print(f"  {name:22} wall {wall:6.1f}  cpu {cpu:6.1f}  (n={len(samples)}, {verdict}")
    if PROFILER is not None:
        PROFILER.dump_stats(args.profile)
        print(f"profile of the timed presses: {args.profile} (python -m pstats)")


if __name__ == "__main__":
    main()
