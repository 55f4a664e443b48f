"""Tasks, columns, channels and the activity log in SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from typing import Any

from mtui.core import clock
from mtui.core.errors import ConflictError, NotFound
from mtui.core.model import TASK_FIELDS, Channel, Status, Task, TaskEvent
from mtui.core.store.sqlite.base import SqliteBase
from mtui.core.tasks.board_page import BoardPage, TaskSnapshot

# Selected in the dataclass's field order, so rows become Tasks positionally.
_TASK_COLUMNS = ", ".join(f.name for f in dataclass_fields(Task))
# The Done column's order (mtui.ui.board.columns sorts it the same way): newest first.
_DONE_ORDER = "coalesce(done_at, updated_at, '') DESC, id DESC"
_DELETED_AT = [f.name for f in dataclass_fields(Task)].index("deleted_at")

# Every row of ``table`` with the last time a live task used it (NULL if never).
_RECENT_BY_ID = (
    "SELECT t.{name}, max(task.updated_at) FROM {table} t "
    "LEFT JOIN task ON task.{key} = t.id AND task.deleted_at IS NULL GROUP BY t.id"
)


def _task_from_row(row: tuple) -> Task:
    """Build a Task from a row in ``_TASK_COLUMNS`` order (the dataclass's field order).

    Positional construction and decoding tags only when there are some keep loading
    10,000 tasks for the first paint cheap.
    """
    task = Task(*row)
    tags = task.tags
    task.tags = json.loads(tags) if tags and tags != "[]" else []  # type: ignore[arg-type]
    if task.notes is None:
        task.notes = ""
    return task


_BULK_COLUMNS = (*TASK_FIELDS, "created_at", "updated_at", "done_at", "deleted_at", "version")
_BULK_DEFAULTS: dict[str, Any] = {"notes": "", "version": 1}


def _bulk_value(name: str, fields: Mapping[str, Any], at: str) -> Any:
    value = fields.get(name)
    if name == "tags":
        return json.dumps(list(value)) if value else "[]"
    if value is None:
        return at if name in ("created_at", "updated_at") else _BULK_DEFAULTS.get(name)
    return value


def _to_column(name: str, value: Any) -> Any:
    if name == "tags":
        return json.dumps(list(value or []))
    return value


class SqliteTasks(SqliteBase):
    """Task storage. Every write records task_event rows in the same transaction."""

    # Columns and channels -----------------------------------------------------------
    def statuses(self) -> list[Status]:
        rows = self.conn.execute(
            "SELECT id, name, position, wip_limit, is_done FROM status ORDER BY position, id"
        )
        return [Status(i, n, p, w, bool(d)) for i, n, p, w, d in rows]

    def set_wip_limit(self, status_id: int, limit: int | None) -> None:
        with self.write() as conn:
            conn.execute("UPDATE status SET wip_limit = ? WHERE id = ?", [limit, status_id])

    def channels(self) -> list[Channel]:
        rows = self.conn.execute("SELECT id, name FROM channel ORDER BY name COLLATE NOCASE")
        return [Channel(i, n) for i, n in rows]

    def ensure_channel(self, name: str) -> int:
        with self.write() as conn:
            return self._ensure_channel(conn, name)

    def _ensure_channel(self, conn, name: str) -> int:
        row = conn.execute(
            "SELECT id FROM channel WHERE name = ? COLLATE NOCASE", [name]
        ).fetchone()
        if row:
            return row[0]
        return conn.execute("INSERT INTO channel (name) VALUES (?)", [name]).lastrowid

    # Reading tasks ----------------------------------------------------------------
    def get_task(self, task_id: int, *, include_deleted: bool = False) -> Task:
        row = self.conn.execute(
            f"SELECT {_TASK_COLUMNS} FROM task WHERE id = ?", [task_id]
        ).fetchone()
        if row is None or (row[_DELETED_AT] is not None and not include_deleted):
            raise NotFound(f"no task #{task_id}")
        return _task_from_row(row)

    def list_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
    ) -> list[Task]:
        where, params = [], []
        if deleted_only:
            where.append("deleted_at IS NOT NULL")
        elif not include_deleted:
            where.append("deleted_at IS NULL")
        if status_ids is not None:
            ids = list(status_ids)
            where.append(f"status_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(
            f"SELECT {_TASK_COLUMNS} FROM task {clause} ORDER BY status_id, position, id", params
        )
        return [_task_from_row(r) for r in rows]

    def log_mark(self) -> int:
        """The highest activity-log id: it moves whenever any task changes."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM task_event").fetchone()[0]

    def task_snapshot(self) -> TaskSnapshot:
        """Every live task and the log mark, read in one transaction (see core.board_read)."""
        with self._read_transaction():
            return TaskSnapshot(self.list_tasks(), self.log_mark())

    def board_page(self, statuses: Iterable[Status], per_status: int) -> BoardPage:
        """The first ``per_status`` live cards of each column in the board's order (open
        columns by position, done columns newest first), every column's count and the
        log mark, in one read transaction: enough for the first frame of a big board."""
        tasks: list[Task] = []
        with self._read_transaction():
            counts = dict(
                self.conn.execute(
                    "SELECT status_id, count(*) FROM task WHERE deleted_at IS NULL GROUP BY status_id"
                ).fetchall()
            )
            for status in statuses:
                order = _DONE_ORDER if status.is_done else "position, id"
                rows = self.conn.execute(
                    f"SELECT {_TASK_COLUMNS} FROM task WHERE deleted_at IS NULL AND status_id = ? "
                    f"ORDER BY {order} LIMIT ?",
                    [status.id, per_status],
                )
                tasks.extend(_task_from_row(row) for row in rows)
            return BoardPage(tasks, counts, self.log_mark(), per_status)

    @contextmanager
    def _read_transaction(self) -> Iterator[None]:
        """Several reads that see one state of the database (WAL keeps writers going)."""
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                self.conn.rollback()

    def count_tasks(self) -> int:
        return self.conn.execute("SELECT count(*) FROM task WHERE deleted_at IS NULL").fetchone()[0]

    def recent_names(self) -> dict[str, list[str]]:
        """Owners, channels, goal and campaign slugs, most recently used on a task first.

        Names never used on a live task follow, alphabetically, so completion still offers
        them. One aggregate query per kind (indexed columns), cheap at 10,000 tasks.
        """
        queries = {
            "owner": "SELECT owner, max(updated_at) FROM task WHERE owner IS NOT NULL "
            "AND deleted_at IS NULL GROUP BY owner",
            "channel": _RECENT_BY_ID.format(table="channel", name="name", key="channel_id"),
            "goal": _RECENT_BY_ID.format(table="goal", name="slug", key="goal_id"),
            "campaign": _RECENT_BY_ID.format(table="campaign", name="slug", key="campaign_id"),
        }
        result: dict[str, list[str]] = {}
        for kind, sql in queries.items():
            rows = self.conn.execute(sql).fetchall()
            rows.sort(key=lambda row: str(row[0]).casefold())
            rows.sort(key=lambda row: row[1] or "", reverse=True)
            result[kind] = [str(row[0]) for row in rows]
        return result

    def column_edge_position(self, status_id: int, *, top: bool) -> float | None:
        fn = "min" if top else "max"
        return self.conn.execute(
            f"SELECT {fn}(position) FROM task WHERE status_id = ? AND deleted_at IS NULL",
            [status_id],
        ).fetchone()[0]

    def events(
        self,
        *,
        task_id: int | None = None,
        action_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        after_id: int | None = None,
    ) -> list[TaskEvent]:
        where, params = [], []
        for clause, value in (
            ("id > ?", after_id),
            ("task_id = ?", task_id),
            ("action_id = ?", action_id),
            ("at >= ?", since),
            ("at < ?", until),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql = "SELECT id, task_id, at, kind, field, old, new, action_id, undo_of FROM task_event"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY id", params)
        return [
            TaskEvent(
                i, t, at, k, f, json.loads(o) if o else None, json.loads(n) if n else None, a, u
            )
            for i, t, at, k, f, o, n, a, u in rows
        ]

    # Writing tasks ----------------------------------------------------------------
    def _log(
        self, conn, task_id, at, kind, action_id, field=None, old=None, new=None, undo_of=None
    ):
        conn.execute(
            "INSERT INTO task_event (task_id, at, kind, field, old, new, action_id, undo_of) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                task_id,
                at,
                kind,
                field,
                None if old is None else json.dumps(old),
                None if new is None else json.dumps(new),
                action_id,
                undo_of,
            ],
        )

    def _insert_task(self, conn, fields: Mapping[str, Any], at: str, keep_id: bool) -> int:
        row = {name: _to_column(name, fields.get(name)) for name in TASK_FIELDS if name in fields}
        row.setdefault("notes", "")
        row.setdefault("tags", "[]")
        row["created_at"] = fields.get("created_at") or at
        row["updated_at"] = fields.get("updated_at") or at
        for extra in ("done_at", "deleted_at", "version"):
            if fields.get(extra) is not None:
                row[extra] = fields[extra]
        if keep_id and fields.get("id") is not None:
            row["id"] = fields["id"]
        cols = ", ".join(row)
        return conn.execute(
            f"INSERT INTO task ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        ).lastrowid

    def create_task(self, fields: Mapping[str, Any], *, action_id: str) -> Task:
        at = clock.utc_stamp()
        with self.write() as conn:
            fields = dict(fields)
            if "done_at" not in fields and self._is_done_status(conn, fields["status_id"]):
                fields["done_at"] = at
            task_id = self._insert_task(conn, fields, at, keep_id=False)
            self._log(conn, task_id, at, "created", action_id, new=fields.get("title"))
        return self.get_task(task_id)

    def create_tasks(
        self, rows: Iterable[Mapping[str, Any]], *, action_id: str, keep_ids: bool = False
    ) -> int:
        """Bulk insert (import, demo): one transaction, one 'created' event per task.

        Rows go in with ``executemany`` (100,000 imported tasks take seconds, not
        minutes); the new ids come back in insertion order because SQLite assigns
        rowids above the current maximum within the transaction.
        """
        at = clock.utc_stamp()
        columns = [*_BULK_COLUMNS, "id"] if keep_ids else list(_BULK_COLUMNS)
        tuples: list[tuple] = []
        created: list[tuple[str, str]] = []
        for fields in rows:
            values = [_bulk_value(name, fields, at) for name in _BULK_COLUMNS]
            if keep_ids:
                values.append(fields["id"])
            tuples.append(tuple(values))
            created.append((fields.get("created_at") or at, json.dumps(fields.get("title"))))
        with self.write() as conn:
            before = conn.execute("SELECT coalesce(max(rowid), 0) FROM task").fetchone()[0]
            conn.executemany(
                f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                tuples,
            )
            if keep_ids:
                ids = [t[-1] for t in tuples]
            else:
                ids = [
                    r[0]
                    for r in conn.execute("SELECT id FROM task WHERE id > ? ORDER BY id", [before])
                ]
            conn.executemany(
                "INSERT INTO task_event (task_id, at, kind, new, action_id) VALUES (?, ?, 'created', ?, ?)",
                [
                    (task_id, stamp, title, action_id)
                    for task_id, (stamp, title) in zip(ids, created, strict=True)
                ],
            )
        return len(tuples)

    def _is_done_status(self, conn, status_id: int) -> bool:
        row = conn.execute("SELECT is_done FROM status WHERE id = ?", [status_id]).fetchone()
        return bool(row and row[0])

    def _locked_task(
        self, conn, task_id: int, expected_version: int | None, deleted_ok: bool
    ) -> Task:
        row = conn.execute(f"SELECT {_TASK_COLUMNS} FROM task WHERE id = ?", [task_id]).fetchone()
        if row is None or (row[_DELETED_AT] is not None and not deleted_ok):
            raise NotFound(f"no task #{task_id}")
        task = _task_from_row(row)
        if expected_version is not None and task.version != expected_version:
            raise ConflictError(
                f"task #{task_id} was changed elsewhere (version {task.version}, "
                f"you had {expected_version}); nothing was saved"
            )
        return task

    def update_task(
        self,
        task_id: int,
        changes: Mapping[str, Any],
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task:
        at = clock.utc_stamp()
        with self.write() as conn:
            task = self._locked_task(conn, task_id, expected_version, deleted_ok=False)
            current = task.fields()
            diff = {k: v for k, v in changes.items() if k in TASK_FIELDS and current[k] != v}
            if not diff:
                return task
            assignments = {k: _to_column(k, v) for k, v in diff.items()}
            if "status_id" in diff:
                was_done = self._is_done_status(conn, task.status_id)
                now_done = self._is_done_status(conn, diff["status_id"])
                if now_done and not was_done:
                    assignments["done_at"] = at
                elif was_done and not now_done:
                    assignments["done_at"] = None
            assignments["updated_at"] = at
            sets = ", ".join(f"{k} = ?" for k in assignments)
            conn.execute(
                f"UPDATE task SET {sets}, version = version + 1 WHERE id = ?",
                [*assignments.values(), task_id],
            )
            for name, new in diff.items():
                kind = "moved" if name in ("status_id", "position") else "changed"
                self._log(conn, task_id, at, kind, action_id, name, current[name], new, undo_of)
        return self.get_task(task_id)

    def delete_task(
        self,
        task_id: int,
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task:
        at = clock.utc_stamp()
        with self.write() as conn:
            self._locked_task(conn, task_id, expected_version, deleted_ok=False)
            conn.execute(
                "UPDATE task SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                [at, at, task_id],
            )
            self._log(conn, task_id, at, "deleted", action_id, undo_of=undo_of)
        return self.get_task(task_id, include_deleted=True)

    def restore_task(self, task_id: int, *, action_id: str, undo_of: str | None = None) -> Task:
        at = clock.utc_stamp()
        with self.write() as conn:
            task = self._locked_task(conn, task_id, None, deleted_ok=True)
            if task.deleted_at is None:
                return task
            conn.execute(
                "UPDATE task SET deleted_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
                [at, task_id],
            )
            self._log(conn, task_id, at, "restored", action_id, undo_of=undo_of)
        return self.get_task(task_id)

    def renumber_column(self, status_id: int) -> None:
        """Spread positions 1, 2, 3... when repeated reorders exhaust float precision.

        Only the order is meaningful, so this is not a user change and is not logged.
        """
        with self.write() as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM task WHERE status_id = ? AND deleted_at IS NULL ORDER BY position, id",
                [status_id],
            )]  # fmt: skip
            conn.executemany(
                "UPDATE task SET position = ? WHERE id = ?",
                [(i + 1.0, tid) for i, tid in enumerate(ids)],
            )
