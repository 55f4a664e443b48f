"""The SQLite connection and the transaction discipline every SQLite mixin shares."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from mtui.core.store.sqlite.opening import backup_to

if TYPE_CHECKING:
    from sqlite_utils import Database


class SqliteBase:
    """Owns the connection. Writes go through ``write()``: one immediate transaction.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never deadlock
    upgrading a read lock, and the busy timeout makes the second writer wait its turn.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.location = str(path)
        self._lock = threading.RLock()

    @property
    def db(self) -> Database:
        """A sqlite-utils view of the same connection (imported only when asked for)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False, recursive_triggers=False)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self.conn.in_transaction:  # nested: join the outer transaction
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.rollback()
                raise
            else:
                self.conn.commit()

    def batch(self):
        return self.write()

    def change_token(self) -> int:
        """PRAGMA data_version changes when another connection commits to the file."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def backup(self, target: str) -> None:
        backup_to(self.conn, Path(target))

    def integrity_check(self) -> list[str]:
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        rows += [
            f"foreign key: {table} row {rowid} -> {parent}"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return rows

    # Settings and stand-ups are tiny; they live here rather than in a mixin of their own.
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def mark_standup(self, held_at: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT INTO standup (held_at) VALUES (?)", [held_at])

    def standups(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT held_at FROM standup ORDER BY held_at")]
