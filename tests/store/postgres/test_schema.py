"""The SQLite and PostgreSQL migration streams describe the same tables and columns.

A migration added to one stream and not the other fails here. PostgreSQL adds
``board_id`` to every table but ``board`` (one server holds many boards); each stream
keeps its own bookkeeping table.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from mtui.core.store import open_store
from mtui.core.store.postgres.migrate import MIGRATIONS_TABLE

SQLITE_ONLY = {"_sqlite_migrations"}
POSTGRES_ONLY = {MIGRATIONS_TABLE, "board_member"}  # members: a team board only


def sqlite_schema(tmp_path: Path) -> dict[str, set[str]]:
    path = tmp_path / "fresh.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            for table in tables
            if table not in SQLITE_ONLY and not table.startswith("sqlite_")
        }


def postgres_schema(url: str) -> dict[str, set[str]]:
    schema: dict[str, set[str]] = {}
    with psycopg.connect(url) as conn:
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        ):
            if table not in POSTGRES_ONLY:
                schema.setdefault(table, set()).add(column)
    return schema


def test_both_streams_have_the_same_tables_and_columns(tmp_path: Path, pg_url: str) -> None:
    lite = sqlite_schema(tmp_path)
    server = postgres_schema(pg_url)
    assert sorted(server) == sorted(lite)
    for table, columns in server.items():
        expected = lite[table] if table == "board" else lite[table] | {"board_id"}
        assert columns == expected, f"{table}: {sorted(columns ^ expected)}"
