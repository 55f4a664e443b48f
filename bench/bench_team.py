"""Team board propagation: one writer, N listening clients (separate processes).

Each client process opens the team board as the TUI does and runs the TUI's own live
path: ``store.feed.listener().wait(position)`` (LISTEN/NOTIFY), then ``read_catch_up``
(``mtui.ui.board.data``: the change feed after its position and the rows it names,
exactly what the board applies to its model). It notes the wall-clock time at which
each sequence number's rows were in hand. The writer adds tasks one by one and notes
the time each commit returned. Latency = seen − committed, per client and write.

Baseline in the same run: the same clients without the listener, reading the feed
every second (the poll the app runs while its listener is down), which is what a client
without LISTEN would see.

    uv run python bench/bench_team.py [--clients 20] [--writes 40] [--url postgresql://…]
    uv run python bench/bench_team.py --tuis 50 [--tasks 1000] [--url postgresql://…]

Without ``--url`` it starts a throwaway cluster (as the tests do; as root through
``runuser postgres``) and removes it afterwards. Also prints the server connections the
clients hold (one each for the board and one for the listener).

``--tuis N`` instead opens N real ``mtui`` dashboards (processes, each in its own tmux
session) on one board of ``--tasks`` tasks, waits until each shows the board and has
settled, and prints the server connections they hold (``pg_stat_activity`` by
``application_name``) and their memory (RSS: median and max). Then one write: the
time until every dashboard shows it (read from the screens, so coarse).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def client(url: str, writes: int, mode: str) -> None:
    """One client: wait for ``writes`` new positions, print (seq, seen_at) pairs."""
    from mtui.core.store import open_store
    from mtui.ui.board.data import read_catch_up

    store = open_store(url, migrate=False)
    listener = store.feed.listener()
    position = store.feed.position()
    target = position + writes
    seen: list[tuple[int, float]] = []
    print("ready", flush=True)
    while position < target:
        if mode == "listen":
            listener.wait(position, 5.0)
        else:
            time.sleep(1.0)
        caught = read_catch_up(store, position)
        if caught is None:
            continue
        now = time.time()
        seen += [(entry.seq, now) for entry in caught.batch.entries]
        position = caught.batch.position
    listener.close()
    store.close()
    print(json.dumps(seen), flush=True)


def run_round(url: str, clients: int, writes: int, interval: float, mode: str) -> list[float]:
    from mtui.core.store import open_store
    from mtui.core.tasks.actions import TaskActions

    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--client", url, "--writes", str(writes), "--mode", mode],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(clients)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    writer = open_store(url)
    actions = TaskActions(writer)
    committed: dict[int, float] = {}
    connections = _connections(writer)
    for i in range(writes):
        actions.add({"title": f"bench write {i}"})
        at = time.time()
        committed[writer.feed.position()] = at
        time.sleep(interval)
    latencies: list[float] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        for seq, seen_at in json.loads(out.strip().splitlines()[-1]):
            if seq in committed:
                latencies.append((seen_at - committed[seq]) * 1000)
    writer.close()
    print(f"  {mode:>6}: {connections} server connections with {clients} clients listening")
    return latencies


def _connections(store) -> int:
    row = store.session.conn.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'mtui%'"
    ).fetchone()
    return int(row[0]) - 1  # not the writer's own


def tuis(url: str, count: int, tasks: int, settle: float) -> None:
    """``count`` real dashboards on one board: connections, memory, one write seen by all."""
    import os
    import tempfile

    from mtui.core.store import open_store

    store = open_store(url)
    first = store.tasks.statuses()[0].id
    store.tasks.create_tasks(
        [{"title": f"seeded task {i}", "status_id": first, "position": float(i)}
         for i in range(tasks)],
        action_id="bench-seed",
    )  # fmt: skip
    config = tempfile.mkdtemp(prefix="mtui-bench-config-")
    mtui = Path(sys.executable).parent / "mtui"
    names = [f"mtui-tui-{os.getpid()}-{n}" for n in range(count)]
    started = time.perf_counter()
    try:
        for batch in range(0, count, 5):  # five at a time: two cores start them
            for name in names[batch : batch + 5]:
                _tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "35",
                      f"MTUI_DB= MTUI_CONFIG_DIR={config} exec {mtui} --db '{url}'")  # fmt: skip
            for name in names[batch : batch + 5]:
                _wait_for(name, "seeded task 0", 120)
        print(f"{count} dashboards showing the board after {time.perf_counter() - started:.0f} s; "
              f"settling {settle:.0f} s")  # fmt: skip
        time.sleep(settle)
        per_app = store.session.conn.execute(  # type: ignore[attr-defined]
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "GROUP BY application_name ORDER BY application_name"
        ).fetchall()
        total = sum(n for _, n in per_app)
        print(f"server connections: {total} for {count} dashboards "
              f"({total / count:.2f} each): " + ", ".join(f"{a or '?'} {n}" for a, n in per_app))  # fmt: skip
        rss = sorted(_rss_mb(_tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
                     for name in names)  # fmt: skip
        print(f"client memory (RSS): median {statistics.median(rss):.0f} MB, "
              f"max {max(rss):.0f} MB, total {sum(rss):.0f} MB")  # fmt: skip
        written = time.perf_counter()
        store.tasks.create_task({"title": "written", "status_id": first,
                                 "position": -1.0}, action_id="bench-write")  # fmt: skip
        waits = [_wait_for(name, "written", 60) - written for name in names]
        print(f"one write on screen in every dashboard after {max(waits) * 1000:.0f} ms "
              f"(median {statistics.median(waits) * 1000:.0f} ms; screens polled in turn)")  # fmt: skip
    finally:
        for name in names:
            _tmux("kill-session", "-t", name)
        store.close()


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def _wait_for(session: str, marker: str, timeout: float) -> float:
    """Wait until ``marker`` is on ``session``'s screen; when (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if marker in _tmux("capture-pane", "-p", "-t", session):
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"{marker!r} never appeared in {session}")


def _rss_mb(pid: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between writes")
    parser.add_argument("--url", help="a PostgreSQL database to use (default: a throwaway one)")
    parser.add_argument("--tuis", type=int, help="open this many real dashboards instead")
    parser.add_argument("--tasks", type=int, default=1000, help="with --tuis: tasks on the board")
    parser.add_argument("--settle", type=float, default=8.0,
                        help="with --tuis: seconds to wait after the last one shows the board")  # fmt: skip
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="listen", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client, args.writes, args.mode)
        return
    server = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.support.pgcluster import new_database, server_bin_dir, start_cluster

        bindir = server_bin_dir()
        if bindir is None:
            sys.exit("no PostgreSQL server binaries: apt install postgresql, or pass --url")
        server = start_cluster(bindir)
        url = server.url(new_database(server, migrated=False))
    try:
        from mtui.core.store import open_store

        open_store(url).close()  # schema and board
        if args.tuis:
            tuis(url, args.tuis, args.tasks, args.settle)
            return
        print(f"{args.clients} clients, {args.writes} writes {args.interval}s apart")
        for mode in ("listen", "poll"):
            latencies = run_round(url, args.clients, args.writes, args.interval, mode)
            print(
                f"  {mode:>6}: commit → rows in each client's hands: "
                f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
                f"max {max(latencies):.1f} ms over {len(latencies)} deliveries"
            )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
