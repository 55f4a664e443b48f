"""`mtui add` from the shell vs Taskwarrior's `task add`, at 10,000 tasks (issue 16).

Whole processes, alternated: ``mtui add 'Launch email #email @ana due:fri !1'`` on the
demo plan seeded to N tasks, and ``task add Launch email project:email due:friday
priority:H`` on a Taskwarrior data dir holding N pending tasks (imported from JSON; rc:
``confirmation=no``, ``verbose=nothing``, every other setting Taskwarrior's default).
``--baseline DIR`` adds a third command: the ``mtui`` of another source tree (say
``git archive <commit> | tar -x -C DIR``), run with this venv; ``--floor`` adds bare
Python and Python importing only the standard-library modules ``mtui add`` needs (what
any Python quick-add pays before its own code). Prints the medians of
wall and CPU (user + sys) time and their ratios; CPU time is the steadier on a shared
machine. Byte-compiles the venv and the sources first (see the README).

    uv run python bench/bench_add.py [--runs 21] [--tasks 10000] [--baseline DIR] [--floor]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MTUI = str(Path(sys.executable).with_name("mtui"))
MTUI_LINE = "Launch email #email @ana due:fri !1"
TASK_ARGS = ["add", "Launch", "email", "project:email", "due:friday", "priority:H"]
FLOOR_MODULES = "sqlite3, json, re, pathlib, datetime, zoneinfo, threading, typing, dataclasses"


def compile_sources(*trees: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    site = Path(sys.executable).parents[1] / "lib"
    for tree in (site, *trees):
        subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "2", str(tree)],
                       env=env, stdout=subprocess.DEVNULL, check=False)  # fmt: skip


def make_mtui_db(path: Path, tasks: int) -> None:
    from mtui.core.demo.plan import seed_demo
    from mtui.core.store import open_store

    store = open_store(path)
    seed_demo(store, total_tasks=tasks)
    store.close()


def make_taskwarrior(folder: Path, tasks: int) -> dict[str, str]:
    folder.mkdir(parents=True)
    rc = folder / "rc"
    rc.write_text(f"data.location={folder}\nconfirmation=no\nverbose=nothing\n", encoding="utf-8")
    rng, start = random.Random(1), datetime(2026, 11, 1, tzinfo=UTC)
    records = []
    for n in range(tasks):
        record = {"uuid": str(uuid.UUID(int=rng.getrandbits(128))), "status": "pending",
                  "description": f"Generated task {n} for the marketing board",
                  "entry": (start + timedelta(minutes=n)).strftime("%Y%m%dT%H%M%SZ"),
                  "project": rng.choice(["email", "linkedin", "seo", "ads", "events", "web"])}  # fmt: skip
        if rng.random() < 0.5:
            due = start + timedelta(days=rng.randrange(60))
            record["due"] = due.strftime("%Y%m%dT%H%M%SZ")
        records.append(record)
    data = folder / "import.json"
    data.write_text(json.dumps(records), encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(folder)}
    subprocess.run(["task", "import", str(data)], env=env, check=True, capture_output=True)
    return env


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + sys) milliseconds of one run; it must exit 0. (In ``cwd``:
    ``python -c`` puts the current directory first on sys.path.)"""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--baseline", type=Path, help="another source tree's mtui, also timed")
    parser.add_argument("--floor", action="store_true", help="also time bare Python")
    args = parser.parse_args()
    if not shutil.which("task"):
        raise SystemExit("Taskwarrior's `task` is not installed")
    compile_sources(ROOT / "mtui", *([args.baseline / "mtui"] if args.baseline else []))
    work = Path(tempfile.mkdtemp(prefix="mtui-bench-add-"))
    make_mtui_db(work / "mtui.db", args.tasks)
    (work / "config").mkdir()
    mtui_env = {**os.environ, "MTUI_DB": str(work / "mtui.db"),
                "MTUI_CONFIG_DIR": str(work / "config"), "XDG_CACHE_HOME": str(work / "cache")}  # fmt: skip
    commands = {
        "mtui add": ([MTUI, "add", MTUI_LINE], mtui_env),
        "task add": (["task", *TASK_ARGS], make_taskwarrior(work / "task", args.tasks)),
    }
    if args.baseline:
        shutil.copy(work / "mtui.db", work / "baseline.db")
        script = "import sys; from mtui.entry import run; sys.argv[0] = 'mtui'; sys.exit(run())"
        commands["baseline mtui add"] = (
            [sys.executable, "-c", script, "add", MTUI_LINE],
            {**mtui_env, "MTUI_DB": str(work / "baseline.db"),
             "PYTHONPATH": str(args.baseline.resolve())},
        )  # fmt: skip
    if args.floor:
        commands["python -c pass"] = ([sys.executable, "-c", "pass"], dict(os.environ))
        commands["python stdlib floor"] = (
            [sys.executable, "-c", f"import {FLOOR_MODULES}"], dict(os.environ))  # fmt: skip
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(args.runs + 2):  # two warm-up rounds, not counted
        order = names if round_ % 2 else names[::-1]
        for name in order:
            command, env = commands[name]
            measured = timed(command, env, work)
            if round_ >= 2:
                results[name].append(measured)
    print(f"tasks: {args.tasks}, runs: {args.runs} (alternated), medians:")
    task = results["task add"]
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        ratio_wall = wall / statistics.median(r[0] for r in task)
        ratio_cpu = cpu / statistics.median(r[1] for r in task)
        print(f"  {name:19s} wall {wall:6.1f} ms ({ratio_wall:.2f}× task)   "
              f"cpu {cpu:6.1f} ms ({ratio_cpu:.2f}× task)")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
