"""What only the SQLite backend does with its whole file: copies, checks, more handles."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from mtui.core.store.sqlite.opening import backup_to
from mtui.core.store.sqlite.session import SqliteSession, translating

if TYPE_CHECKING:
    from mtui.core.store.sqlite import SqliteStore


@translating
class SqliteAdmin:
    def __init__(self, session: SqliteSession) -> None:
        self.session = session

    @property
    def location(self) -> str:
        return str(self.session.path)

    @property
    def path(self) -> Path:
        return self.session.path

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    def new_handle(self) -> SqliteStore:
        """A second connection to the same file, for a worker thread: its waits on the
        write lock never hold up the UI thread's connection."""
        from mtui.core.store.sqlite import open_sqlite

        return open_sqlite(
            self.session.path,
            migrate=False,
            actor=self.session.actor,
            read_only=self.session.read_only,
        )

    def backup(self, target: str) -> None:
        with self.session.lock:
            backup_to(self.session.conn, Path(target))

    def integrity_check(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds, then broken foreign keys; a file too
        damaged for either says so instead of raising."""
        conn = self.session.conn
        try:
            # A healthy file answers one row, "ok": the contract's answer is no problems.
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            return [f"integrity check could not run: {exc}"]
        try:
            rows += [
                f"foreign key: {table} row {rowid} -> {parent}"
                for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
            ]
        except sqlite3.DatabaseError as exc:
            rows.append(f"foreign key check could not run: {exc}")
        return rows
