"""Tasks, columns, channels and the tasks' activity log on PostgreSQL.

The same behaviour as ``sqlite/tasks.py`` (the contract suite runs both); every query
names its board.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from psycopg.types.json import Jsonb

from mtui.core import clock
from mtui.core.errors import ConflictError, NotFound
from mtui.core.model import TASK_FIELDS, Channel, Status, Task, TaskEvent
from mtui.core.store.contract import BoardPage, BoardStart, TaskKey, TaskSnapshot
from mtui.core.store.feed import NAMES, TASKS
from mtui.core.store.postgres.records import new_action
from mtui.core.store.postgres.session import FEED_KEEP, PRUNE_EVERY, PgRepository, Tx, translating
from mtui.core.store.task_rows import task_from_row as _task_from_row
from mtui.core.store.task_rows import tasks_from_rows

# Selected in the dataclass's field order, so rows become Tasks positionally.
_TASK_COLUMNS = ", ".join(f.name for f in dataclass_fields(Task))
_KEY_COLUMNS = "id, status_id, owner, due"  # a TaskKey
# The task columns less what a board never shows (``task_snapshot(for_board=True)``).
_BOARD_COLUMNS = ", ".join(
    {"created_at": "''::text AS created_at", "uid": "NULL::text AS uid"}.get(f.name, f.name)
    for f in dataclass_fields(Task)
)
_DONE_ORDER = "coalesce(done_at, updated_at, '') DESC, id DESC"  # newest first
_DELETED_AT = [f.name for f in dataclass_fields(Task)].index("deleted_at")
_STATUSES = (
    "SELECT id, name, position, wip_limit, is_done FROM status WHERE board_id = %s "
    "ORDER BY position, id"
)
_CHANNELS = "SELECT id, name FROM channel WHERE board_id = %s ORDER BY lower(name), name"
_COUNTS = (
    "SELECT status_id, count(*) FROM task WHERE board_id = %s AND deleted_at IS NULL "
    "GROUP BY status_id"
)
_POSITION = "SELECT seq FROM board WHERE id = %s"
_FEED_LIMITS = (FEED_KEEP, PRUNE_EVERY)  # the card-write functions prune as _finish does

# Every row of ``table`` with the last time a live task of the board used it.
_RECENT_BY_ID = (
    "SELECT t.{name}, max(task.updated_at) FROM {table} t "
    "LEFT JOIN task ON task.board_id = t.board_id AND task.{key} = t.id "
    "AND task.deleted_at IS NULL WHERE t.board_id = %s GROUP BY t.id, t.{name}"
)


def _loads(text: str) -> Any:
    """A logged value. Most are ids (a column, a channel) or plain ASCII text (a title),
    read without the JSON parser: text without a backslash has nothing to unescape."""
    if text.isdigit() and text.isascii():
        return int(text)
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
        if name == "uid":  # a restored task keeps its uid; a new one gets its own
            return uuid.uuid4().hex
        return at if name in ("created_at", "updated_at") else _BULK_DEFAULTS.get(name)
    return value


def _to_column(name: str, value: Any) -> Any:
    if name == "tags":
        return json.dumps(list(value or []))
    return value


def _new_row(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new task's columns as ``_insert_task`` writes them, but for its id and done_at
    in a done column (the server function decides those under the board's lock)."""
    row = {name: _to_column(name, fields.get(name)) for name in TASK_FIELDS if name in fields}
    row.setdefault("notes", "")
    row.setdefault("tags", "[]")
    for extra in ("created_at", "updated_at"):  # the server's stamp is the client's clock
        if fields.get(extra):
            row[extra] = fields[extra]
    for extra in ("done_at", "deleted_at", "version"):
        if fields.get(extra) is not None:
            row[extra] = fields[extra]
    return row


@translating
class PgTasks(PgRepository):
    """Task storage. Every write records task_event rows in the same transaction."""

    # Columns and channels -----------------------------------------------------------
    def statuses(self) -> list[Status]:
        rows = self.query(_STATUSES, [self.board])
        return [Status(i, n, p, w, bool(d)) for i, n, p, w, d in rows]

    def set_wip_limit(
        self, status_id: int, limit: int | None, *, action_id: str | None = None
    ) -> None:
        with self.write() as tx:
            row = tx.execute(
                "SELECT wip_limit FROM status WHERE board_id = %s AND id = %s",
                [self.board, status_id],
            ).fetchone()
            if row is None:
                raise NotFound(f"no column #{status_id}")
            if row[0] == limit:
                return
            tx.execute(
                "UPDATE status SET wip_limit = %s WHERE board_id = %s AND id = %s",
                [limit, self.board, status_id],
            )
            tx.log(NAMES, "status", status_id, "changed", action_id or new_action(),
                   "wip_limit", row[0], limit)  # fmt: skip

    def channels(self) -> list[Channel]:
        rows = self.query(_CHANNELS, [self.board])
        return [Channel(i, n) for i, n in rows]

    def _channel_id(self, name: str) -> int | None:
        row = self.query(
            "SELECT id FROM channel WHERE board_id = %s AND lower(name) = lower(%s)",
            [self.board, name],
        ).fetchone()
        return row[0] if row else None

    def ensure_channel(self, name: str, *, action_id: str | None = None) -> int:
        found = self._channel_id(name)
        if found is not None:
            return found
        with self.write() as tx:
            return self._ensure_channel(tx, name, action_id or new_action())

    def _ensure_channel(self, tx: Tx, name: str, action_id: str) -> int:
        found = self._channel_id(name)  # under the board lock: no one adds it meanwhile
        if found is not None:
            return found
        channel_id = tx.next_id("channel")
        tx.execute(
            "INSERT INTO channel (board_id, id, name) VALUES (%s, %s, %s)",
            [self.board, channel_id, name],
        )
        tx.log(NAMES, "channel", channel_id, "created", action_id, new={"name": name})
        return channel_id

    # Reading tasks ----------------------------------------------------------------
    def get_task(self, task_id: int, *, include_deleted: bool = False) -> Task:
        row = self.query(
            f"SELECT {_TASK_COLUMNS} FROM task WHERE board_id = %s AND id = %s",
            [self.board, task_id],
        ).fetchone()
        if row is None or (row[_DELETED_AT] is not None and not include_deleted):
            raise NotFound(f"no task #{task_id}")
        return _task_from_row(row)

    def get_tasks(self, task_ids: Iterable[int]) -> list[Task]:
        ids = list(task_ids)
        if not ids:
            return []
        rows = self.query(
            f"SELECT {_TASK_COLUMNS} FROM task WHERE board_id = %s AND id = ANY(%s) ORDER BY id",
            [self.board, ids],
        )
        return [_task_from_row(row) for row in rows]

    def list_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
    ) -> list[Task]:
        sql, params = self._list_query(status_ids, include_deleted, deleted_only)
        return tasks_from_rows(self.query(sql, params))

    def iter_tasks(
        self,
        *,
        status_ids: Iterable[int] | None = None,
        include_deleted: bool = False,
        deleted_only: bool = False,
        batch_size: int = 1000,
    ) -> Iterator[list[Task]]:
        """``list_tasks`` in batches from a server-side cursor in one snapshot: the
        server sends ``batch_size`` rows at a time, so only one batch is ever here."""
        sql, params = self._list_query(status_ids, include_deleted, deleted_only)
        with self.session.read() as conn, conn.cursor(name="mtui_iter_tasks") as cursor:
            cursor.itersize = batch_size
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(batch_size):
                yield [_task_from_row(r) for r in rows]

    def _list_query(
        self, status_ids: Iterable[int] | None, include_deleted: bool, deleted_only: bool
    ) -> tuple[str, list[Any]]:
        where, params = ["board_id = %s"], [self.board]
        if deleted_only:
            where.append("deleted_at IS NOT NULL")
        elif not include_deleted:
            where.append("deleted_at IS NULL")
        if status_ids is not None:
            where.append("status_id = ANY(%s)")
            params.append(list(status_ids))  # type: ignore[arg-type]
        sql = (
            f"SELECT {_TASK_COLUMNS} FROM task WHERE {' AND '.join(where)} "
            "ORDER BY status_id, position, id"
        )
        return sql, params

    def _position(self) -> int:
        return self.query(_POSITION, [self.board]).fetchone()[0]  # type: ignore[index]

    def task_snapshot(self, *, for_board: bool = False) -> TaskSnapshot:
        """Every live task and the feed position, read in one snapshot (one round trip)."""
        columns = _BOARD_COLUMNS if for_board else _TASK_COLUMNS
        tasks, position = self.session.read_many(
            [
                (f"SELECT {columns} FROM task WHERE board_id = %s AND deleted_at IS NULL "
                 "ORDER BY status_id, position, id", [self.board]),
                (_POSITION, [self.board]),
            ]
        )  # fmt: skip
        return TaskSnapshot(tasks_from_rows(tasks), position[0][0])

    def board_page(self, statuses: Iterable[Status], per_status: int) -> BoardPage:
        """The first ``per_status`` live cards of each column in the board's order, every
        column's count and the feed position, in one snapshot and one round trip (a round
        trip each would cost a slow link a frame each)."""
        parts, params = [], []
        for index, status in enumerate(statuses):
            order = _DONE_ORDER if status.is_done else "position, id"
            parts.append(
                f"(SELECT {index} AS col, row_number() OVER (ORDER BY {order}) AS n, "
                f"{_TASK_COLUMNS} FROM task WHERE board_id = %s AND deleted_at IS NULL "
                f"AND status_id = %s ORDER BY {order} LIMIT %s)"
            )
            params += [self.board, status.id, per_status]
        statements = [(_COUNTS, [self.board]), (_POSITION, [self.board])]
        if parts:
            statements.append((" UNION ALL ".join(parts) + " ORDER BY col, n", params))
        counts, position, *page = self.session.read_many(statements)
        tasks = [_task_from_row(row[2:]) for row in page[0]] if page else []
        return BoardPage(tasks, dict(counts), position[0][0], per_status)

    def board_start(self, per_status: int) -> BoardStart:
        """Columns, names and every column's first page: one snapshot, one round trip
        (the page is chosen on the server, column by column, so it needs no columns
        read first)."""
        from mtui.core.store.postgres.strategy import (
            CAMPAIGNS_SQL,
            GOALS_SQL,
            campaigns_from_rows,
            goals_from_rows,
        )

        board = [self.board]
        page = " UNION ALL ".join(
            f"(SELECT s.position AS sp, s.id AS sid, p.* FROM status s CROSS JOIN LATERAL "
            f"(SELECT row_number() OVER (ORDER BY {order}) AS n, {_TASK_COLUMNS} FROM task "
            "WHERE task.board_id = s.board_id AND task.status_id = s.id "
            f"AND task.deleted_at IS NULL ORDER BY {order} LIMIT %s) p "
            f"WHERE s.board_id = %s AND s.is_done {'<>' if done else '='} 0)"
            for done, order in ((False, "position, id"), (True, _DONE_ORDER))
        )
        statuses, channels, goals, campaigns, counts, position, rows = self.session.read_many(
            [
                (_STATUSES, board),
                (_CHANNELS, board),
                (GOALS_SQL, board),
                (CAMPAIGNS_SQL, board),
                (_COUNTS, board),
                (_POSITION, board),
                (page + " ORDER BY sp, sid, n", [per_status, self.board] * 2),
            ]
        )
        return BoardStart(
            [Status(i, n, p, w, bool(d)) for i, n, p, w, d in statuses],
            [Channel(i, n) for i, n in channels],
            goals_from_rows(goals),
            campaigns_from_rows(campaigns),
            BoardPage(
                [_task_from_row(row[3:]) for row in rows], dict(counts), position[0][0], per_status
            ),
        )

    def task_keys(self, status_ids: Iterable[int]) -> list[TaskKey]:
        ids = list(status_ids)
        if not ids:
            return []
        return self.query(
            f"SELECT {_KEY_COLUMNS} FROM task WHERE board_id = %s AND deleted_at IS NULL "
            "AND status_id = ANY(%s)",
            [self.board, ids],
        ).fetchall()

    def due_keys(self, day: str) -> list[TaskKey]:
        after = (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()
        return self.query(
            f"SELECT {_KEY_COLUMNS} FROM task WHERE board_id = %s AND deleted_at IS NULL "
            "AND due IS NOT NULL AND status_id IN "
            "(SELECT id FROM status WHERE board_id = task.board_id AND is_done = 0) "
            # byte order (the database's collation may ignore the hyphens)
            """AND (due COLLATE "C" < %s OR due !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}')""",
            [self.board, after],
        ).fetchall()

    def count_tasks(self) -> int:
        return self.query(
            "SELECT count(*) FROM task WHERE board_id = %s AND deleted_at IS NULL", [self.board]
        ).fetchone()[0]  # type: ignore[index]

    def recent_names(self) -> dict[str, list[str]]:
        """Owners, channels, goal and campaign slugs, most recently used on a task first;
        names never used on a live task follow, alphabetically."""
        queries = {
            "owner": "SELECT owner, max(updated_at) FROM task WHERE board_id = %s "
            "AND owner IS NOT NULL AND deleted_at IS NULL GROUP BY owner",
            "channel": _RECENT_BY_ID.format(table="channel", name="name", key="channel_id"),
            "goal": _RECENT_BY_ID.format(table="goal", name="slug", key="goal_id"),
            "campaign": _RECENT_BY_ID.format(table="campaign", name="slug", key="campaign_id"),
        }
        result: dict[str, list[str]] = {}
        for kind, sql in queries.items():
            rows = self.query(sql, [self.board]).fetchall()
            rows.sort(key=lambda row: str(row[0]).casefold())
            rows.sort(key=lambda row: row[1] or "", reverse=True)
            result[kind] = [str(row[0]) for row in rows]
        return result

    def owner_in_use(self, name: str) -> bool:
        if self.query(
            "SELECT 1 FROM task WHERE board_id = %s AND owner = %s AND deleted_at IS NULL LIMIT 1",
            [self.board, name],
        ).fetchone():
            return True
        wanted = name.casefold()  # as Python folds case, like the SQLite backend
        rows = self.query(
            "SELECT DISTINCT owner FROM task WHERE board_id = %s AND owner IS NOT NULL "
            "AND deleted_at IS NULL",
            [self.board],
        ).fetchall()
        return any(str(row[0]).casefold() == wanted for row in rows)

    def column_edge_position(self, status_id: int, *, top: bool) -> float | None:
        fn = "min" if top else "max"
        return self.query(
            f"SELECT {fn}(position) FROM task WHERE board_id = %s AND status_id = %s "
            "AND deleted_at IS NULL",
            [self.board, status_id],
        ).fetchone()[0]  # type: ignore[index]

    def task_alignment_counts(
        self, *, with_campaign: bool = False
    ) -> list[tuple[int | None, int | None, int, int]]:
        """Live tasks grouped by (goal_id, campaign_id, status_id) with their count."""
        rows = self.query(
            "SELECT goal_id, campaign_id, status_id, count(*) FROM task WHERE board_id = %s "
            "AND deleted_at IS NULL "
            + ("AND campaign_id IS NOT NULL " if with_campaign else "")
            + "GROUP BY goal_id, campaign_id, status_id",
            [self.board],
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
        where: list[str] = ["board_id = %s"]
        params: list[Any] = [self.board]
        for clause, value in (
            ("task_id = %s", task_id),
            ("action_id = %s", action_id),
            ("at >= %s", since),
            ("at < %s", until),
            ("task_id = ANY(%s)", None if task_ids is None else list(task_ids)),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        if fields is not None:
            names = list(fields)
            either = " OR field IS NULL" if None in names else ""
            where.append(f"(field = ANY(%s){either})")
            params.append([name for name in names if name is not None])
        rows = self.query(
            "SELECT id, task_id, at, kind, field, old, new, action_id, undo_of, actor, seq "
            f"FROM task_event WHERE {' AND '.join(where)} ORDER BY coalesce(seq, 0), id",
            params,
        )
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
        task_id = int(fields["id"]) if keep_id and fields.get("id") is not None else None
        row["id"] = task_id if task_id is not None else tx.next_id("task")
        columns = ["board_id", *row]
        tx.execute(
            f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
            [self.board, *row.values()],
        )
        return row["id"]

    def create_task(self, fields: Mapping[str, Any], *, action_id: str) -> Task:
        if not self.session.in_write:  # one round trip (migrations/postgres/0005)
            row = _new_row(fields)
            return self._one_trip(
                "mtui_create_task(%s, %s, %s, %s, %s, %s, %s, %s)",
                [self.board, Jsonb(row), "done_at" not in fields, action_id,
                 self.session.actor, clock.utc_stamp(), *_FEED_LIMITS],
            )  # fmt: skip
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
        """Bulk insert (import, demo): one transaction, one 'created' event per task;
        new ids are one above the board's highest, in the order of ``rows``."""
        with self.write() as tx:
            at = tx.at
            next_id = tx.next_id("task")
            columns = ["board_id", *_BULK_COLUMNS, "id"]
            tuples: list[tuple] = []
            created: list[tuple] = []
            for fields in rows:
                if keep_ids:
                    task_id = int(fields["id"])
                else:
                    task_id, next_id = next_id, next_id + 1
                values = [_bulk_value(name, fields, at) for name in _BULK_COLUMNS]
                tuples.append((self.board, *values, task_id))
                created.append((self.board, task_id, fields.get("created_at") or at,
                                json.dumps(fields.get("title")), action_id, tx.seq, tx.actor))  # fmt: skip
            if tuples:
                tx.executemany(
                    f"INSERT INTO task ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    tuples,
                )
                if log_created:  # a restore brings the tasks' own history instead
                    tx.executemany(
                        "INSERT INTO task_event (board_id, task_id, at, kind, new, action_id, "
                        "seq, actor) VALUES (%s, %s, %s, 'created', %s, %s, %s, %s)",
                        created,
                    )
                tx.action_id = tx.action_id or action_id
                tx.touch(TASKS, (row[1] for row in created))
            return [row[1] for row in created]

    def _is_done_status(self, tx: Tx, status_id: int) -> bool:
        row = tx.execute(
            "SELECT is_done FROM status WHERE board_id = %s AND id = %s", [self.board, status_id]
        ).fetchone()
        return bool(row and row[0])

    def _locked_task(
        self, tx: Tx, task_id: int, expected_version: int | None, deleted_ok: bool
    ) -> Task:
        row = tx.execute(
            f"SELECT {_TASK_COLUMNS} FROM task WHERE board_id = %s AND id = %s",
            [self.board, task_id],
        ).fetchone()
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
        if not self.session.in_write:  # one round trip (migrations/postgres/0005)
            named = {k: v for k, v in changes.items() if k in TASK_FIELDS}
            if "tags" in named:
                named["tags"] = list(named["tags"] or [])
            return self._one_trip(
                "mtui_update_task(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [self.board, task_id, expected_version, list(named), Jsonb(list(named.values())),
                 action_id, undo_of, self.session.actor, clock.utc_stamp(), *_FEED_LIMITS],
            )  # fmt: skip
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
            sets = ", ".join(f"{k} = %s" for k in assignments)
            tx.execute(
                f"UPDATE task SET {sets}, version = version + 1 WHERE board_id = %s AND id = %s",
                [*assignments.values(), self.board, task_id],
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
        if not self.session.in_write:  # one round trip (migrations/postgres/0005)
            return self._delete_or_restore(task_id, expected_version, False, action_id, undo_of)
        with self.write() as tx:
            self._locked_task(tx, task_id, expected_version, deleted_ok=False)
            tx.execute(
                "UPDATE task SET deleted_at = %s, updated_at = %s, version = version + 1 "
                "WHERE board_id = %s AND id = %s",
                [tx.at, tx.at, self.board, task_id],
            )
            tx.log_task(task_id, "deleted", action_id, undo_of=undo_of)
            return self.get_task(task_id, include_deleted=True)

    def restore_task(self, task_id: int, *, action_id: str, undo_of: str | None = None) -> Task:
        if not self.session.in_write:  # one round trip (migrations/postgres/0005)
            return self._delete_or_restore(task_id, None, True, action_id, undo_of)
        with self.write() as tx:
            task = self._locked_task(tx, task_id, None, deleted_ok=True)
            if task.deleted_at is None:
                return task
            tx.execute(
                "UPDATE task SET deleted_at = NULL, updated_at = %s, version = version + 1 "
                "WHERE board_id = %s AND id = %s",
                [tx.at, self.board, task_id],
            )
            tx.log_task(task_id, "restored", action_id, undo_of=undo_of)
            return self.get_task(task_id)

    def _delete_or_restore(
        self,
        task_id: int,
        expected_version: int | None,
        restore: bool,
        action_id: str,
        undo_of: str | None,
    ) -> Task:
        return self._one_trip(
            "mtui_delete_task(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [self.board, task_id, expected_version, restore, action_id, undo_of,
             self.session.actor, clock.utc_stamp(), *_FEED_LIMITS],
        )  # fmt: skip

    def _one_trip(self, call: str, params: list[Any]) -> Task:
        """A card write as one server function call: the task as it is afterwards."""
        (row,) = self.session.one_trip(f"SELECT {_TASK_COLUMNS} FROM {call}", params)
        return _task_from_row(row)

    def renumber_column(self, status_id: int) -> None:
        """Spread positions 1, 2, 3… when repeated reorders exhaust float precision
        (only the order is meaningful, so this is not logged)."""
        with self.write() as tx:
            ids = [r[0] for r in tx.execute(
                "SELECT id FROM task WHERE board_id = %s AND status_id = %s AND deleted_at IS NULL "
                "ORDER BY position, id",
                [self.board, status_id],
            )]  # fmt: skip
            if ids:
                tx.execute(
                    "UPDATE task SET position = new.pos FROM unnest(%s::bigint[]) "
                    "WITH ORDINALITY AS new(id, pos) WHERE task.board_id = %s AND task.id = new.id",
                    [ids, self.board],
                )
            tx.touch(TASKS, ids)
