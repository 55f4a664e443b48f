"""Store backends under test: the boards the contract suite and the backend tests open.

``BOARDS`` maps a backend's name to a factory of a fresh, empty board's URL; ``Backend``
opens handles on one board and closes them after the test. Shared by
``tests/store/contract`` and ``tests/store/postgres``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtui.core.model import Status, Task
from mtui.core.store import open_store
from mtui.core.store.contract import Store
from tests.support.pgcluster import fresh_postgres_board


def sqlite_board(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'board.db'}"


# Backend name -> factory of a fresh, empty board's URL.
BOARDS: dict[str, Callable[[Path], str]] = {
    "sqlite": sqlite_board,
    "postgresql": fresh_postgres_board,  # a throwaway server: tests/support/pgcluster.py
}


@dataclass
class Backend:
    """One backend under test: opens handles on one fresh board and closes them after."""

    name: str
    url: str
    opened: list[Store] = field(default_factory=list)

    def open(self, **options: Any) -> Store:
        store = open_store(self.url, **options)
        self.opened.append(store)
        return store

    def handle(self, store: Store) -> Store:
        """A second handle on ``store``'s data (as a worker thread gets one)."""
        other = store.admin.new_handle()
        self.opened.append(other)
        return other

    def close(self) -> None:
        for store in reversed(self.opened):
            store.close()
        self.opened.clear()


def action() -> str:
    return uuid.uuid4().hex


def column(store: Store, name: str) -> Status:
    return next(s for s in store.tasks.statuses() if s.name == name)


def add(store: Store, title: str, status: str = "Backlog", **fields: Any) -> Task:
    """A task at the given position (default: below the column's last card)."""
    status_id = column(store, status).id
    if "position" not in fields:
        bottom = store.tasks.column_edge_position(status_id, top=False)
        fields["position"] = 0.0 if bottom is None else bottom + 1.0
    return store.tasks.create_task(
        {"title": title, "status_id": status_id, **fields}, action_id=action()
    )
