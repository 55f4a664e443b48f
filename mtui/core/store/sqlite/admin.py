"""What only the SQLite backend does with its whole file: copies, checks, more handles."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from mtui.core.store.sqlite.opening import MAX_FINDINGS, backup_to, integrity_findings
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
            create=False,
            actor=self.session.actor,
            read_only=self.session.read_only,
        )

    def worker_handle(self) -> SqliteStore:
        return self.new_handle()

    def backup(self, target: str, *, overwrite: bool = False) -> None:
        with self.session.lock:
            backup_to(self.session.conn, Path(target), overwrite=overwrite)

    def integrity_check(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds (one line each, at most MAX_FINDINGS),
        then broken foreign keys; a file too damaged for either says so, never raises."""
        conn = self.session.conn
        with self.session.lock:
            try:
                # A healthy file answers "ok": the contract's answer is no problems.
                rows = integrity_findings(conn, MAX_FINDINGS)
            except sqlite3.Error as exc:
                return [f"integrity check could not run: {exc}"]
            try:
                keys = conn.execute(f"SELECT * FROM pragma_foreign_key_check LIMIT {MAX_FINDINGS}")
                rows += [
                    f"foreign key: {table} row {rowid} -> {parent}"
                    for table, rowid, parent, _ in keys
                ]
            except sqlite3.Error as exc:
                rows.append(f"foreign key check could not run: {exc}")
        return rows
