"""Tasks, columns, channels and the activity log in SQLite."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields as dataclass_fields

from mtui.core.errors import ConflictError, NotFound
from mtui.core.ids import uuid4_hex
from mtui.core.model import TASK_FIELDS, Channel, Status, Task
from mtui.core.store.sqlite.session import SqliteRepository, Tx, chunks, translating
from mtui.core.store.task_rows import task_from_row as _task_from_row
from mtui.core.store.task_rows import tasks_from_rows
from mtui.core.store.topics import NAMES, TASKS

TYPE_CHECKING = False
if TYPE_CHECKING:  # built only where used: neither is needed by a quick-add
    from typing import Any

    from mtui.core.model import TaskEvent
    from mtui.core.store.contract import BoardPage, BoardStart, TaskKey, TaskSnapshot

# Selected in the dataclass's field order, so rows become Tasks positionally.
_TASK_COLUMNS = ", ".join(f.name for f in dataclass_fields(Task))
# The Done column's order (mtui.ui.board.columns sorts it the same way): newest first.
_DONE_ORDER = "coalesce(done_at, updated_at, '') DESC, id DESC"
_KEY_COLUMNS = "id, status_id, owner, due"  # a TaskKey
# The task columns less what a board never shows (``task_snapshot(for_board=True)``).
_BOARD_COLUMNS = ", ".join(
    {"created_at": "'' AS created_at", "uid": "NULL AS uid"}.get(f.name, f.name)
    for f in dataclass_fields(Task)
)
_DELETED_AT = [f.name for f in dataclass_fields(Task)].index("deleted_at")

# Every row of ``table`` with the last time a live task used it (NULL if never).
_RECENT_BY_ID = (
    "SELECT t.{name}, max(task.updated_at) FROM {table} t "
    "LEFT JOIN task ON task.{key} = t.id AND task.deleted_at IS NULL GROUP BY t.id"
)


def _loads(text: str) -> Any:
    """A logged value. Most are ids (a column, a channel) or plain ASCII text (a title),
    read without the JSON parser: text without a backslash has nothing to unescape."""
    if text.isdigit() and text.isascii():
        return int(text)
    if text == "null":  # a field that was empty (an owner, a due date, a priority)
        return None
    if text[0] == '"' and "\\" not in text and len(text) > 1 and text[-1] == '"':
        return text[1:-1]
    return json.loads(text)


_BULK_COLUMNS = (
    *TASK_FIELDS, "created_at", "updated_at", "done_at", "deleted_at", "version", "uid",
)  # fmt: skip
_BULK_DEFAULTS: dict[str, Any] = {"notes": "", "version": 1}


def _bulk_value(name: str, fields: Mapping[str, Any], at: str) -> Any:
    value = fields.get(name)
    if name == "tags":
        return json.dumps(list(value)) if value else "[]"
    if value is None:
        if name == "uid":
            return uuid4_hex()
        return at if name in ("created_at", "updated_at") else _BULK_DEFAULTS.get(name)
    return value


def _list_query(
    status_ids: Iterable[int] | None, include_deleted: bool, deleted_only: bool
) -> tuple[str, list[Any]]:
    """``list_tasks``' statement: by column, then position, then id."""
    where: list[str] = []
    params: list[Any] = []
    if deleted_only:
        where.append("deleted_at IS NOT NULL")
    elif not include_deleted:
        where.append("deleted_at IS NULL")
    if status_ids is not None:
        ids = list(status_ids)
        where.append(f"status_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT {_TASK_COLUMNS} FROM task {clause} ORDER BY status_id, position, id", params


def _new_action() -> str:
    return uuid4_hex()


def _to_column(name: str, value: Any) -> Any:
    if name == "tags":
        return json.dumps(list(value or []))
    return value


def _position(conn) -> int:
    return conn.execute("SELECT seq FROM board WHERE id = 1").fetchone()[0]


@translating
class SqliteTasks(SqliteRepository):
    """Task storage. Every write records task_event rows in the same transaction."""

    # Columns and channels -----------------------------------------------------------
    def statuses(self) -> list[Status]:
        rows = self.conn.execute(
            "SELECT id, name, position, wip_limit, is_done FROM status ORDER BY position, id"
        )
        return [Status(i, n, p, w, bool(d)) for i, n, p, w, d in rows]

    def set_wip_limit(
        self, status_id: int, limit: int | None, *, action_id: str | None = None
    ) -> None:
        with self.write() as tx:
            row = tx.execute("SELECT wip_limit FROM status WHERE id = ?", [status_id]).fetchone()
            if row is None:
                raise NotFound(f"no column #{status_id}")
            if row[0] == limit:
                return
            tx.execute("UPDATE status SET wip_limit = ? WHERE id = ?", [limit, status_id])
            tx.log(NAMES, "status", status_id, "changed", action_id or _new_action(),
                   "wip_limit", row[0], limit)  # fmt: skip

    def channels(self) -> list[Channel]:
        rows = self.conn.execute("SELECT id, name FROM channel ORDER BY name COLLATE NOCASE")
        return [Channel(i, n) for i, n in rows]

    def ensure_channel(self, name: str, *, action_id: str | None = None) -> int:
        row = self.conn.execute(
            "SELECT id FROM channel WHERE name = ? COLLATE NOCASE", [name]
        ).fetchone()
        if row:
            return row[0]
        with self.write() as tx:
            return self._ensure_channel(tx, name, action_id or _new_action())

    def _ensure_channel(self, tx: Tx, name: str, action_id: str) -> int:
        row = tx.execute("SELECT id FROM channel WHERE name = ? COLLATE NOCASE", [name]).fetchone()
        if row:
            return row[0]
        channel_id = tx.insert("INSERT INTO channel (name) VALUES (?)", [name])
        tx.log(NAMES, "channel", channel_id, "created", action_id, new={"name": name})
        return channel_id

    # Reading tasks ----------------------------------------------------------------
    def get_task(self, task_id: int, *, include_deleted: bool = False) -> Task:
        row = self.conn.execute(
            f"SELECT {_TASK_COLUMNS} FROM task WHERE id = ?", [task_id]
        ).fetchone()
        if row is None or (row[_DELETED_AT] is not None and not include_deleted):
            raise NotFound(f"no task #{task_id}")
        return _task_from_row(row)

    def get_tasks(self, task_ids: Iterable[int]) -> list[Task]:
        found: list[Task] = []
        for chunk in chunks(task_ids):
            rows = self.conn.execute(
                f"SELECT {_TASK_COLUMNS} FROM task WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.extend(_task_from_row(row) for row in rows)
        return found

    def list_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
    ) -> list[Task]:
        sql, params = _list_query(status_ids, include_deleted, deleted_only)
        return tasks_from_rows(self.conn.execute(sql, params))

    def iter_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[list[Task]]:
        """``list_tasks`` in batches from one cursor in one read transaction: only one
        batch of rows is ever in memory."""
        sql, params = _list_query(status_ids, include_deleted, deleted_only)
        with self.session.read() as conn:
            cursor = conn.execute(sql, params)
            try:
                while rows := cursor.fetchmany(batch_size):
                    yield [_task_from_row(r) for r in rows]
            finally:
                cursor.close()

    def task_snapshot(self, *, for_board: bool = False) -> TaskSnapshot:
        """Every live task and the feed position, read in one transaction."""
        with self.session.read() as conn:
            from mtui.core.store.contract import TaskSnapshot

            if not for_board:
                return TaskSnapshot(self.list_tasks(), _position(conn))
            rows = conn.execute(
                f"SELECT {_BOARD_COLUMNS} FROM task WHERE deleted_at IS NULL "
                "ORDER BY status_id, position, id"
            )
            return TaskSnapshot(tasks_from_rows(rows), _position(conn))

    def board_page(self, statuses: Iterable[Status], per_status: int) -> BoardPage:
        """The first ``per_status`` live cards of each column in the board's order (open
        columns by position, done columns newest first), every column's count and the
        feed position, in one read transaction: enough for the first frame of a big board."""
        tasks: list[Task] = []
        with self.session.read() as conn:
            counts = dict(
                conn.execute(
                    "SELECT status_id, count(*) FROM task WHERE deleted_at IS NULL GROUP BY status_id"
                ).fetchall()
            )
            for status in statuses:
                order = _DONE_ORDER if status.is_done else "position, id"
                rows = conn.execute(
                    f"SELECT {_TASK_COLUMNS} FROM task WHERE deleted_at IS NULL AND status_id = ? "
                    f"ORDER BY {order} LIMIT ?",
                    [status.id, per_status],
                )
                tasks.extend(_task_from_row(row) for row in rows)
            from mtui.core.store.contract import BoardPage

            return BoardPage(tasks, counts, _position(conn), per_status)

    def board_start(self, per_status: int) -> BoardStart:
        from mtui.core.store.contract import BoardStart
        from mtui.core.store.sqlite.strategy import SqliteStrategy

        strategy = SqliteStrategy(self.session)
        with self.session.read():
            statuses = self.statuses()
            return BoardStart(statuses, self.channels(), strategy.goals(), strategy.campaigns(),
                              self.board_page(statuses, per_status))  # fmt: skip

    def task_keys(self, status_ids: Iterable[int]) -> list[TaskKey]:
        ids = list(status_ids)
        if not ids:
            return []
        return self.conn.execute(  # one range of idx_task_board per column
            f"SELECT {_KEY_COLUMNS} FROM task WHERE deleted_at IS NULL "
            f"AND status_id IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall()

    def due_keys(self, day: str) -> list[TaskKey]:
        after = (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()
        with self.session.read() as conn:
            columns = [row[0] for row in conn.execute("SELECT id FROM status WHERE is_done = 0")]
            marks = ",".join("?" * len(columns))
            # Dates and times written YYYY-MM-DD… sort by their day: one range of
            # idx_task_open_due per column; any other form from the rest of the range
            # (the index alone decides the GLOB).
            return conn.execute(
                f"SELECT {_KEY_COLUMNS} FROM task WHERE deleted_at IS NULL "
                f"AND status_id IN ({marks}) AND due < ? "
                f"UNION ALL SELECT {_KEY_COLUMNS} FROM task WHERE deleted_at IS NULL "
                f"AND status_id IN ({marks}) AND due >= ? "
                "AND due NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'",
                [*columns, after, *columns, after],
            ).fetchall()

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

    def owner_in_use(self, name: str) -> bool:
        if self.conn.execute(
            "SELECT 1 FROM task WHERE owner = ? AND deleted_at IS NULL LIMIT 1", [name]
        ).fetchone():
            return True
        wanted = name.casefold()  # SQLite's NOCASE folds ASCII only
        rows = self.conn.execute(
            "SELECT DISTINCT owner FROM task WHERE owner IS NOT NULL AND deleted_at IS NULL"
        )
        return any(str(row[0]).casefold() == wanted for row in rows)

    def column_edge_position(self, status_id: int, *, top: bool) -> float | None:
        fn = "min" if top else "max"
        return self.conn.execute(
            f"SELECT {fn}(position) FROM task WHERE status_id = ? AND deleted_at IS NULL",
            [status_id],
        ).fetchone()[0]

    def task_alignment_counts(
        self, *, with_campaign: bool = False
    ) -> list[tuple[int | None, int | None, int, int]]:
        """Live tasks grouped by (goal_id, campaign_id, status_id) with their count.

        One aggregate query, so the brief pane's tactic counts and orphan count stay cheap
        at 10,000 tasks; ``mtui.core.strategy.goals.tally`` turns the rows into per-goal counts.
        """
        rows = self.conn.execute(
            "SELECT goal_id, campaign_id, status_id, COUNT(*) FROM task WHERE deleted_at IS NULL "
            # Grouped campaign first, SQLite reads the campaign index's range (not a scan).
            + (
                "AND campaign_id IS NOT NULL GROUP BY campaign_id, goal_id, status_id"
                if with_campaign
                else "GROUP BY goal_id, campaign_id, status_id"
            )
        )
        return [tuple(row) for row in rows]

    def events(
        self,
        *,
        task_id: int | None = None,
        action_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        task_ids: Iterable[int] | None = None,
        fields: Iterable[str | None] | None = None,
    ) -> list[TaskEvent]:
        where: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("task_id = ?", task_id),
            ("action_id = ?", action_id),
            ("at >= ?", since),
            ("at < ?", until),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        if fields is not None:
            asked = list(fields)
            names = [name for name in asked if name is not None]
            either = " OR field IS NULL" if None in asked else ""
            where.append(f"(field IN ({','.join('?' * len(names))}){either})")
            params.extend(names)
        if task_ids is None:
            return self._events(where, params)
        found: list[TaskEvent] = []
        for chunk in chunks(task_ids):
            found += self._events(
                [*where, f"task_id IN ({','.join('?' * len(chunk))})"], [*params, *chunk]
            )
        found.sort(key=lambda e: (e.seq or 0, e.id))  # each chunk is in order; so is the whole
        return found

    def _events(self, where: list[str], params: list[Any]) -> list[TaskEvent]:
        sql = (
            "SELECT id, task_id, at, kind, field, old, new, action_id, undo_of, actor, seq "
            "FROM task_event"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        # Commit order, then the order written: events logged before the change feed
        # existed have no sequence number and come first, in the order they were written.
        rows = self.conn.execute(sql + " ORDER BY coalesce(seq, 0), id", params)
        from mtui.core.model import TaskEvent

        loads = _loads
        return [
            TaskEvent(
                i, t, at, k, f, loads(o) if o else None, loads(n) if n else None,
                a, u, actor, seq,
            )
            for i, t, at, k, f, o, n, a, u, actor, seq in rows
        ]  # fmt: skip

    # Writing tasks ----------------------------------------------------------------
    def _insert_task(self, tx: Tx, fields: Mapping[str, Any], at: str, keep_id: bool) -> int:
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
        return tx.insert(
            f"INSERT INTO task ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )

    def create_task(self, fields: Mapping[str, Any], *, action_id: str) -> Task:
        with self.write() as tx:
            at = tx.at
            fields = dict(fields)
            if "done_at" not in fields and self._is_done_status(tx, fields["status_id"]):
                fields["done_at"] = at
            task_id = self._insert_task(tx, fields, at, keep_id=False)
            tx.log_task(task_id, "created", action_id, new=fields.get("title"))
            return self.get_task(task_id)

    def create_tasks(
        self,
        rows: Iterable[Mapping[str, Any]],
        *,
        action_id: str,
        keep_ids: bool = False,
        log_created: bool = True,
    ) -> list[int]:
        """Bulk insert (import, demo): one transaction, one 'created' event per task
        (unless ``log_created`` is False: a restore brings the tasks' own history).

        Rows go in with ``executemany`` (100,000 imported tasks take seconds, not
        minutes). New ids are allocated here, explicitly, under the write lock: one
        above the highest id in use, in the order of ``rows``.
        """
        with self.write() as tx:
            at = tx.at
            next_id = tx.execute("SELECT coalesce(max(id), 0) FROM task").fetchone()[0] + 1
            columns = [*_BULK_COLUMNS, "id"]
            tuples: list[tuple] = []
            created: list[tuple[int, str, str, str, int, str]] = []
            for fields in rows:
                if keep_ids:
                    task_id = int(fields["id"])
                else:
                    task_id, next_id = next_id, next_id + 1
                values = [_bulk_value(name, fields, at) for name in _BULK_COLUMNS]
                tuples.append((*values, task_id))
                created.append((task_id, fields.get("created_at") or at,
                                json.dumps(fields.get("title")), action_id, tx.seq, tx.actor))  # fmt: skip
            tx.executemany(
                f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                tuples,
            )
            if log_created:
                tx.executemany(
                    "INSERT INTO task_event (task_id, at, kind, new, action_id, seq, actor) "
                    "VALUES (?, ?, 'created', ?, ?, ?, ?)",
                    created,
                )
            if created:
                tx.action_id = tx.action_id or action_id
                tx.touch(TASKS, (row[0] for row in created))
            return [row[0] for row in created]

    def _is_done_status(self, tx: Tx, status_id: int) -> bool:
        row = tx.execute("SELECT is_done FROM status WHERE id = ?", [status_id]).fetchone()
        return bool(row and row[0])

    def _locked_task(
        self, tx: Tx, task_id: int, expected_version: int | None, deleted_ok: bool
    ) -> Task:
        row = tx.execute(f"SELECT {_TASK_COLUMNS} FROM task WHERE id = ?", [task_id]).fetchone()
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
        with self.write() as tx:
            at = tx.at
            task = self._locked_task(tx, task_id, expected_version, deleted_ok=False)
            current = task.fields()
            diff = {k: v for k, v in changes.items() if k in TASK_FIELDS and current[k] != v}
            if not diff:
                return task
            assignments = {k: _to_column(k, v) for k, v in diff.items()}
            if "status_id" in diff:
                was_done = self._is_done_status(tx, task.status_id)
                now_done = self._is_done_status(tx, diff["status_id"])
                if now_done and not was_done:
                    assignments["done_at"] = at
                elif was_done and not now_done:
                    assignments["done_at"] = None
            assignments["updated_at"] = at
            sets = ", ".join(f"{k} = ?" for k in assignments)
            tx.execute(
                f"UPDATE task SET {sets}, version = version + 1 WHERE id = ?",
                [*assignments.values(), task_id],
            )
            for name, new in diff.items():
                kind = "moved" if name in ("status_id", "position") else "changed"
                tx.log_task(task_id, kind, action_id, name, current[name], new, undo_of)
            return self.get_task(task_id)

    def delete_task(
        self,
        task_id: int,
        *,
        action_id: str,
        expected_version: int | None = None,
        undo_of: str | None = None,
    ) -> Task:
        with self.write() as tx:
            self._locked_task(tx, task_id, expected_version, deleted_ok=False)
            tx.execute(
                "UPDATE task SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                [tx.at, tx.at, task_id],
            )
            tx.log_task(task_id, "deleted", action_id, undo_of=undo_of)
            return self.get_task(task_id, include_deleted=True)

    def restore_task(self, task_id: int, *, action_id: str, undo_of: str | None = None) -> Task:
        with self.write() as tx:
            task = self._locked_task(tx, task_id, None, deleted_ok=True)
            if task.deleted_at is None:
                return task
            tx.execute(
                "UPDATE task SET deleted_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
                [tx.at, task_id],
            )
            tx.log_task(task_id, "restored", action_id, undo_of=undo_of)
            return self.get_task(task_id)

    def renumber_column(self, status_id: int) -> None:
        """Spread positions 1, 2, 3... when repeated reorders exhaust float precision.

        Only the order is meaningful, so this is not a user change and is not logged.
        """
        with self.write() as tx:
            ids = [r[0] for r in tx.execute(
                "SELECT id FROM task WHERE status_id = ? AND deleted_at IS NULL ORDER BY position, id",
                [status_id],
            )]  # fmt: skip
            tx.executemany(
                "UPDATE task SET position = ? WHERE id = ?",
                [(i + 1.0, tid) for i, tid in enumerate(ids)],
            )
            tx.touch(TASKS, ids)
