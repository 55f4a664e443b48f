"""The one insert-or-update of the SQLite backend, logged field by field.

Goals, campaigns and metric sources are saved the same way: a new row is logged as
``created`` with its values, a changed row as one ``changed`` event per field that really
changed (old and new value), so undo can put each field back.
"""

from __future__ import annotations

from collections.abc import Mapping

from mtui.core.errors import NotFound
from mtui.core.ids import uuid4_hex
from mtui.core.store.sqlite.session import Tx, translated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def new_action() -> str:
    """An action id for a write the caller did not group (a script's one-off change)."""
    return uuid4_hex()


def read_record(tx: Tx, table: str, columns: list[str], row_id: int) -> dict[str, Any] | None:
    values = tx.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [row_id]
    ).fetchone()
    return None if values is None else dict(zip(columns, values, strict=True))


def record_changes(
    tx: Tx,
    entity: str,
    entity_id: int,
    changes: Mapping[str, tuple[Any, Any]],
    action_id: str,
    topic: str,
    undo_of: str | None = None,
) -> None:
    for name, (old, new) in changes.items():
        tx.log(topic, entity, entity_id, "changed", action_id, name, old, new, undo_of)


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

    ``stamped`` tables keep ``created_at``/``updated_at``. Only the fields whose value
    really changes are written and logged; an update that changes nothing writes
    nothing (and so takes no place in the change feed).
    """
    if row_id is None:
        values = dict(row)
        if stamped:
            values.update(created_at=tx.at, updated_at=tx.at)
        with translated():  # a taken slug or name: DuplicateError for the caller to word
            row_id = tx.insert(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
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
            f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), row_id],
        )
    record_changes(tx, table_entity(table), row_id,
                   {k: (before[k], v) for k, v in diff.items()}, action_id, topic)  # fmt: skip
    return {**before, **diff}


def table_entity(table: str) -> str:
    """The activity log's name for a table's rows."""
    return {"metric_source": "source"}.get(table, table)
