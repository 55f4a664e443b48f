"""The PostgreSQL schema's migration runner: numbered SQL files, one transaction each.

The files are ``migrations/postgres/NNNN_name.sql`` (shipped in the wheel like the
SQLite migrations). ``mtui_schema_migrations`` lists the ones applied. Each file runs in
its own transaction that first takes a transaction-level advisory lock, so two clients
starting at once never migrate together: the second waits, then finds the work done.

A server whose schema is newer than this client (a migration it does not know) is
refused before anything is written. Nothing is backed up silently: an existing board's
schema is migrated only when asked (``apply_migrations``), and the refusal says which
``pg_dump`` command to run first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mtui.core.errors import DatabaseRefused
from mtui.core.resources import data_dir

if TYPE_CHECKING:
    import psycopg

MIGRATIONS_TABLE = "mtui_schema_migrations"
# pg_advisory_xact_lock key: "mtui" in ASCII. Held by a migration's transaction only.
MIGRATION_LOCK = 0x6D747569
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@cache
def known_migrations() -> tuple[tuple[str, Path], ...]:
    """``(name, file)`` of every shipped PostgreSQL migration, in order."""
    folder = data_dir("migrations") / "postgres"
    files = sorted(p for p in folder.iterdir() if _FILE.match(p.name))
    return tuple((p.stem, p) for p in files)


@dataclass(frozen=True)
class SchemaState:
    """What the server's database holds: mtui's applied migrations, other tables."""

    applied: tuple[str, ...]
    other_tables: bool

    @property
    def is_new(self) -> bool:
        return not self.applied

    @property
    def pending(self) -> list[str]:
        return [name for name, _ in known_migrations() if name not in self.applied]

    @property
    def unknown(self) -> list[str]:
        known = {name for name, _ in known_migrations()}
        return [name for name in self.applied if name not in known]


def inspect_schema(conn: psycopg.Connection) -> SchemaState:
    """Read, without writing, which migrations the database has."""
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    }
    applied: tuple[str, ...] = ()
    if MIGRATIONS_TABLE in tables:
        applied = tuple(
            row[0] for row in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")
        )
    return SchemaState(applied, bool(tables - {MIGRATIONS_TABLE}) and not applied)


def pg_dump_hint(display_url: str) -> str:
    return f"pg_dump --format=custom --file=mtui-backup.dump '{display_url}'"


def refuse_unusable(state: SchemaState, display_url: str) -> None:
    """DatabaseRefused for a database that is not mtui's or is newer than this client."""
    if state.other_tables:
        raise DatabaseRefused(
            f"{display_url} holds tables that are not mtui's; mtui left it untouched "
            "(give mtui a database of its own)"
        )
    if state.unknown:
        raise DatabaseRefused(
            f"{display_url} has a newer mtui schema ({state.unknown[-1]}); upgrade mtui to "
            "open it. Nothing was changed"
        )


def refuse_pending(state: SchemaState, display_url: str) -> None:
    """An existing schema with migrations to apply is migrated only when asked."""
    if state.pending and not state.is_new:
        raise DatabaseRefused(
            f"{display_url} needs migrating ({', '.join(state.pending)}). Back it up first: "
            f"{pg_dump_hint(display_url)}, then run `mtui db migrate`. Nothing was changed"
        )


def apply_migrations(conninfo: str, *, display_url: str | None = None) -> list[str]:
    """Apply the pending migrations, each file in one transaction under the lock.

    Returns the names applied by this call (another client may have applied some while
    this one waited for the lock). Refuses, having changed nothing, a database that is
    not mtui's or has a newer schema.
    """
    import psycopg

    from mtui.core.store.postgres.session import connect

    shown = display_url or conninfo
    applied_now: list[str] = []
    conn = connect(conninfo, shown)
    try:
        for name, path in known_migrations():
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
                    state = inspect_schema(conn)
                    refuse_unusable(state, shown)
                    if name in state.applied:
                        continue
                    conn.execute(
                        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (name text PRIMARY KEY, "
                        "applied_at timestamptz NOT NULL DEFAULT now())"
                    )
                    conn.execute(path.read_text(encoding="utf-8").encode())
                    conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name) VALUES (%s)", [name])
            except psycopg.Error as exc:
                from mtui.core.store.postgres.session import translate

                raise translate(exc, shown) from exc
            applied_now.append(name)
    finally:
        conn.close()
    return applied_now
