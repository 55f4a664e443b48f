"""The local backend: one SQLite file, readable with sqlite-utils and Datasette."""

from __future__ import annotations

from pathlib import Path

from mtui.core.store.sqlite.metrics import SqliteMetrics
from mtui.core.store.sqlite.opening import open_database
from mtui.core.store.sqlite.strategy import SqliteStrategy
from mtui.core.store.sqlite.tasks import SqliteTasks

__all__ = ["SqliteStore", "open_sqlite"]


class SqliteStore(SqliteTasks, SqliteStrategy, SqliteMetrics):
    """The local backend: one SQLite file, readable with sqlite-utils and Datasette."""


def open_sqlite(path: str | Path, *, migrate: bool = True) -> SqliteStore:
    """Open (or create) the database at ``path``; see ``opening.open_database``."""
    path = Path(path).expanduser()
    conn, _backup = open_database(path, migrate=migrate)
    return SqliteStore(conn, path)
