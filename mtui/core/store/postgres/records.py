"""The one insert-or-update of the PostgreSQL backend, logged field by field.

As in SQLite (``sqlite/records.py``): a new row is logged as ``created`` with its values,
a changed row as one ``changed`` event per field that really changed, so undo can put
each field back. Rows are numbered per board (``Tx.next_id``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg

from mtui.core.errors import NotFound
from mtui.core.store.postgres.session import Tx, translate


def new_action() -> str:
    """An action id for a write the caller did not group (a script's one-off change)."""
    return uuid.uuid4().hex


def table_entity(table: str) -> str:
    """The activity log's name for a table's rows."""
    return {"metric_source": "source"}.get(table, table)


@contextmanager
def translated() -> Iterator[None]:
    """Backend-neutral errors here, so a caller can word them (DuplicateError: which slug)."""
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc) from None


def read_record(tx: Tx, table: str, columns: list[str], row_id: int) -> dict[str, Any] | None:
    values = tx.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE board_id = %s AND id = %s",
        [tx.board, row_id],
    ).fetchone()
    return None if values is None else dict(zip(columns, values, strict=True))


def record_changes(
    tx: Tx,
    entity: str,
    entity_id: int | None,
    changes: Mapping[str, tuple[Any, Any]],
    action_id: str,
    topic: str,
    undo_of: str | None = None,
) -> None:
    for name, (old, new) in changes.items():
        tx.log(topic, entity, entity_id, "changed", action_id, name, old, new, undo_of)


def insert_row(tx: Tx, table: str, values: Mapping[str, Any]) -> None:
    """One row of ``table`` on this board (``values`` names every column but board_id)."""
    columns = ["board_id", *values]
    tx.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        [tx.board, *values.values()],
    )


def save_record(
    tx: Tx,
    table: str,
    columns: list[str],
    row: Mapping[str, Any],
    row_id: int | None,
    action_id: str,
    topic: str,
    *,
    stamped: bool = True,
) -> dict[str, Any]:
    """Insert (``row_id`` None) or update one row of ``table``; return it as saved.

    Only the fields whose value really changes are written and logged; an update that
    changes nothing writes nothing (and so takes no place in the change feed). A taken
    slug or name raises DuplicateError (translated by the caller's repository).
    """
    if row_id is None:
        values = dict(row)
        if stamped:
            values.update(created_at=tx.at, updated_at=tx.at)
        row_id = tx.next_id(table)
        with translated():
            insert_row(tx, table, {"id": row_id, **values})
        saved = read_record(tx, table, columns, row_id)
        assert saved is not None
        tx.log(topic, table_entity(table), row_id, "created", action_id, new=saved)
        return saved
    before = read_record(tx, table, columns, row_id)
    if before is None:
        raise NotFound(f"no {table_entity(table)} #{row_id}")
    diff = {k: v for k, v in row.items() if before.get(k) != v}
    if not diff:
        return before
    values = {**diff, "updated_at": tx.at} if stamped else diff
    with translated():
        tx.execute(
            f"UPDATE {table} SET {', '.join(f'{k} = %s' for k in values)} "
            "WHERE board_id = %s AND id = %s",
            [*values.values(), tx.board, row_id],
        )
    record_changes(tx, table_entity(table), row_id,
                   {k: (before[k], v) for k, v in diff.items()}, action_id, topic)  # fmt: skip
    return {**before, **diff}
