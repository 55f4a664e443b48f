"""A kill -9 in the middle of a burst of writes loses nothing that was acknowledged."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

from mtui.core.store import open_store
from tests.support.cli import MTUI


def test_sigkill_during_add_burst_loses_no_acknowledged_add(tmp_path: Path) -> None:
    db = tmp_path / "burst.db"
    open_store(db).close()
    env = {**os.environ, "MTUI_DB": str(db)}
    rng = random.Random(42)
    acknowledged: list[str] = []
    killed = 0
    for wave in range(6):
        procs = {f"burst {wave}-{n}": subprocess.Popen([MTUI, "add", f"burst {wave}-{n}"], env=env,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in range(4)}  # fmt: skip
        victim = rng.choice(list(procs))
        time.sleep(rng.uniform(0.05, 0.5))  # somewhere in start-up, parsing or the commit
        procs[victim].send_signal(signal.SIGKILL)
        for title, proc in procs.items():
            code = proc.wait(timeout=60)
            if code == 0:
                acknowledged.append(title)
            elif code == -signal.SIGKILL:
                killed += 1

    store = open_store(db)
    titles = {t.title for t in store.tasks.list_tasks()}
    assert killed >= 1, "the test must actually kill a writer"
    assert len(acknowledged) >= 12
    assert set(acknowledged) <= titles
    assert store.admin.integrity_check() == []
    for (
        task
    ) in store.tasks.list_tasks():  # every stored task has its creation event: same transaction
        assert [e.kind for e in store.tasks.events(task_id=task.id)] == ["created"]
