"""Storage: the repository interface and its SQLite backend."""

from __future__ import annotations

from pathlib import Path

from mtui.core.store.base import Store
from mtui.core.store.opening import open_database
from mtui.core.store.sqlite_metrics import SqliteMetrics
from mtui.core.store.sqlite_strategy import SqliteStrategy
from mtui.core.store.sqlite_tasks import SqliteTasks

__all__ = ["SqliteStore", "Store", "open_store"]


class SqliteStore(SqliteTasks, SqliteStrategy, SqliteMetrics):
    """The local backend: one SQLite file, readable with sqlite-utils and Datasette."""


def open_store(path: str | Path, *, migrate: bool = True) -> SqliteStore:
    """Open (or create) the database at ``path``; see ``opening.open_database``."""
    path = Path(path).expanduser()
    conn, _backup = open_database(path, migrate=migrate)
    return SqliteStore(conn, path)
