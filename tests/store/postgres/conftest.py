"""Backend tests for PostgreSQL, shaped like the contract suite (``tests/store/contract``).

Tests that take ``backend`` run on SQLite and on PostgreSQL, so each behaviour is
checked to be the same on both; folding them into the contract suite means adding
``"postgresql": fresh_postgres_board`` to its ``BOARDS``. Tests that take ``pg`` are
PostgreSQL-only (roles, the server going away, migrations of a server schema).
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


BOARDS: dict[str, Callable[[Path], str]] = {
    "sqlite": sqlite_board,
    "postgresql": fresh_postgres_board,
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
        other = store.admin.new_handle()
        self.opened.append(other)
        return other

    def close(self) -> None:
        for store in reversed(self.opened):
            store.close()
        self.opened.clear()


@pytest.fixture(params=sorted(BOARDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path, frozen_clock: str) -> Iterator[Backend]:
    opened = Backend(request.param, BOARDS[request.param](tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def pg(pg_url: str, frozen_clock: str) -> Iterator[Backend]:
    """PostgreSQL only: a fresh database of this test's own."""
    opened = Backend("postgresql", pg_url)
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
    """A task below the column's last card."""
    status_id = column(store, status).id
    edge = store.tasks.column_edge_position(status_id, top=False)
    fields = {"title": title, "status_id": status_id, "position": (edge or 0) + 1, **fields}
    return store.tasks.create_task(fields, action_id=action())
