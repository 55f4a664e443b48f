"""The store contract suite: one set of tests that every backend must pass.

Each test takes ``backend`` (or ``store``, a fresh empty board on it). A backend is a
factory in ``BOARDS``: given the test's ``tmp_path``, it returns the URL of a new, empty
board, and the suite opens it with ``open_store(url)`` as the app does. A server backend
joins with one line, e.g. ``"postgresql": fresh_postgres_board`` (creating an empty
database or schema and returning its URL); nothing else in the suite names a backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(params=sorted(BOARDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    opened = Backend(request.param, BOARDS[request.param](tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def store(backend: Backend) -> Store:
    """A fresh, empty board, recorded as actor "ana"."""
    return backend.open(actor="ana")


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
