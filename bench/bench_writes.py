"""Round trips per card write on a team board, counted by the delay proxy.

Opens a board on a PostgreSQL server through ``delay_proxy`` (20 ms of round trip by
default) and makes each kind of card write a few times through the store, as the TUI's
background store does: a move (``update_task`` with the version the client saw), an edit,
a quick-add (``create_task``), a delete and its undo (``restore_task``). Prints the round
trips each took (the proxy counts a client sending after it was answered) and the median
time per write.

    uv run python bench/bench_writes.py [--server URL|auto] [--rtt-ms 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from team_board import counted_link, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="auto")
    parser.add_argument("--rtt-ms", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from mtui.core.store import open_store

    with server(args.server) as url:
        open_store(url).close()  # schema and board
        with counted_link(url, args.rtt_ms) as (slow, proxy):
            store = open_store(slow)
            statuses = store.tasks.statuses()
            card = store.tasks.create_task(
                {"title": "bench card", "status_id": statuses[0].id, "position": 1.0},
                action_id=uuid.uuid4().hex,
            )

            def move(i: int) -> None:
                nonlocal card
                target = statuses[(i + 1) % 2].id
                card = store.tasks.update_task(card.id, {"status_id": target},
                                               action_id=uuid.uuid4().hex,
                                               expected_version=card.version)  # fmt: skip

            def edit(i: int) -> None:
                nonlocal card
                card = store.tasks.update_task(card.id, {"title": f"bench card {i}"},
                                               action_id=uuid.uuid4().hex,
                                               expected_version=card.version)  # fmt: skip

            def quick_add(i: int) -> None:
                store.tasks.create_task({"title": f"added {i}", "status_id": statuses[0].id,
                                         "position": float(i)}, action_id=uuid.uuid4().hex)  # fmt: skip

            def delete_and_undo(i: int) -> None:
                nonlocal card
                action = uuid.uuid4().hex
                card = store.tasks.delete_task(card.id, action_id=action,
                                               expected_version=card.version)  # fmt: skip
                card = store.tasks.restore_task(card.id, action_id=uuid.uuid4().hex,
                                                undo_of=action)  # fmt: skip

            print(f"{args.rtt_ms:.0f} ms of round trip; round trips and time per call")
            for name, write, calls in (("move", move, 1), ("edit", edit, 1),
                                       ("quick-add", quick_add, 1),
                                       ("delete + undo", delete_and_undo, 2)):  # fmt: skip
                trips, times = [], []
                for i in range(args.repeat):
                    before = len(proxy.turns)
                    started = time.perf_counter()
                    write(i)
                    times.append((time.perf_counter() - started) * 1000 / calls)
                    trips.append((len(proxy.turns) - before) / calls)
                print(f"  {name:>14}: {statistics.median(trips):4.1f} round trips, "
                      f"{statistics.median(times):6.1f} ms per call")  # fmt: skip
            store.close()


if __name__ == "__main__":
    main()
