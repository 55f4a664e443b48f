"""Metric sources, their fetch status and their snapshots on PostgreSQL.

Only the *name* of the environment variable holding a secret is stored, never the secret.
Every fetch keeps ``metric_latest`` and ``metric_daily`` current in the same transaction,
as in SQLite (``sqlite/metrics.py`` explains why); times are ``clock.utc_stamp`` text.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import fields as dc_fields
from datetime import datetime, timedelta
from typing import Any

from mtui.core.errors import DuplicateError, NotFound
from mtui.core.model import MetricLatest, MetricSnapshot, MetricSource
from mtui.core.store.feed import METRICS
from mtui.core.store.postgres.records import new_action, read_record, save_record
from mtui.core.store.postgres.session import PgRepository, Tx, translating
from mtui.core.store.stamps import STAMP_FORMAT, normal_stamp

_SOURCE_COLUMNS = [f.name for f in dc_fields(MetricSource)]
_JSON_COLUMNS = ("headers", "selectors", "units")
HISTORY_TABLES = ("metric_snapshot", "metric_latest", "metric_daily")


def _source_from_row(row: tuple) -> MetricSource:
    data = dict(zip(_SOURCE_COLUMNS, row, strict=True))
    for name in _JSON_COLUMNS:
        data[name] = json.loads(data[name] or "{}")
    return MetricSource(**data)


_UPSERT_LATEST = (
    "INSERT INTO metric_latest (board_id, source_id, metric_key, value, fetched_at, period, "
    "first_fetched_at, partial) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (board_id, source_id, metric_key) DO UPDATE SET "
    "prev_value = metric_latest.value, prev_fetched_at = metric_latest.fetched_at, "
    "value = excluded.value, fetched_at = excluded.fetched_at, period = excluded.period, "
    "partial = excluded.partial "
    "WHERE excluded.fetched_at >= metric_latest.fetched_at"
)
_UPSERT_DAILY = (
    "INSERT INTO metric_daily (board_id, source_id, metric_key, day, n, total, lo, hi) "
    "VALUES (%s, %s, %s, %s, 1, %s, %s, %s) "
    "ON CONFLICT (board_id, source_id, metric_key, day) DO UPDATE SET "
    "n = metric_daily.n + 1, total = metric_daily.total + excluded.total, "
    "lo = least(metric_daily.lo, excluded.lo), hi = greatest(metric_daily.hi, excluded.hi)"
)


def _after_last_fetch(tx: Tx, source_id: int, stamp: str) -> str:
    """``stamp``, moved 1 µs past the source's previous fetch if it is not already later
    (two fetches in the same second must still order)."""
    row = tx.execute(
        "SELECT last_fetch_at FROM metric_source WHERE board_id = %s AND id = %s",
        [tx.board, source_id],
    ).fetchone()
    if row and row[0] and row[0] >= stamp:
        last = datetime.strptime(row[0], STAMP_FORMAT)
        return (last + timedelta(microseconds=1)).strftime(STAMP_FORMAT)
    return stamp


@translating
class PgMetrics(PgRepository):
    def metric_sources(self) -> list[MetricSource]:
        rows = self.query(
            f"SELECT {', '.join(_SOURCE_COLUMNS)} FROM metric_source WHERE board_id = %s "
            "ORDER BY id",
            [self.board],
        )
        return [_source_from_row(r) for r in rows]

    def save_metric_source(
        self,
        fields: Mapping[str, Any],
        source_id: int | None = None,
        *,
        action_id: str | None = None,
    ) -> MetricSource:
        row = {k: v for k, v in fields.items() if k in _SOURCE_COLUMNS and k != "id"}
        for name in _JSON_COLUMNS:
            if name in row:
                row[name] = json.dumps(row[name] or {})
        with self.write() as tx:
            if source_id is None:
                row["created_at"] = tx.at
            try:
                saved = save_record(tx, "metric_source", [*_SOURCE_COLUMNS], row, source_id,
                                    action_id or new_action(), METRICS, stamped=False)  # fmt: skip
            except DuplicateError:
                raise DuplicateError(
                    f"a source named {fields.get('name')!r} already exists"
                ) from None
            return _source_from_row(tuple(saved[c] for c in _SOURCE_COLUMNS))

    def delete_metric_source(self, source_id: int, *, action_id: str | None = None) -> None:
        with self.write() as tx:
            old = read_record(tx, "metric_source", _SOURCE_COLUMNS, source_id)
            if old is None:
                raise NotFound(f"no metric source #{source_id}")
            for table in HISTORY_TABLES:
                tx.execute(
                    f"DELETE FROM {table} WHERE board_id = %s AND source_id = %s",
                    [self.board, source_id],
                )
            tx.execute(
                "DELETE FROM metric_source WHERE board_id = %s AND id = %s", [self.board, source_id]
            )
            tx.log(METRICS, "source", source_id, "deleted", action_id or new_action(), old=old)

    def claim_poll(self, seen: Mapping[int, str | None], *, at: str) -> list[int]:
        if self.session.read_only or not seen:
            return []
        won: list[int] = []
        with self.session.lock:
            conn = self.session.conn
            with conn.transaction():  # row locks: of two claims at once, one sees the other's
                for source_id, last in seen.items():
                    row = conn.execute(
                        "UPDATE metric_source SET last_fetch_at = %s WHERE board_id = %s "
                        "AND id = %s AND last_fetch_at IS NOT DISTINCT FROM %s RETURNING id",
                        [at, self.board, source_id, last],
                    ).fetchone()
                    if row:
                        won.append(source_id)
        return won

    def record_fetch(
        self,
        source_id: int,
        *,
        fetched_at: str,
        values: Mapping[str, float] | None,
        error: str | None,
        period: str | None = None,
        partial: Collection[str] = (),
    ) -> None:
        """Store one fetch: a snapshot per value read, and the source's status (a partial
        failure keeps the values read and leaves ``last_ok_at`` alone, as in SQLite)."""
        stamp = normal_stamp(fetched_at)
        board = self.board
        with self.write() as tx:
            tx.touch(METRICS)
            stamp = _after_last_fetch(tx, source_id, stamp)
            rows = [(source_id, k, float(v), period, stamp) for k, v in (values or {}).items()]
            if rows:
                tx.executemany(
                    "INSERT INTO metric_snapshot (board_id, source_id, metric_key, value, period, "
                    "fetched_at) VALUES (%s, %s, %s, %s, %s, %s)",
                    [(board, *row) for row in rows],
                )
                tx.executemany(
                    _UPSERT_LATEST,
                    [(board, s, k, v, st, p, st, int(k in partial)) for s, k, v, p, st in rows],
                )
                tx.executemany(
                    _UPSERT_DAILY, [(board, s, k, st[:10], v, v, v) for s, k, v, _p, st in rows]
                )
            if error is None:
                tx.execute(
                    "UPDATE metric_source SET last_fetch_at = %s, last_ok_at = %s, "
                    "last_status = 'ok', last_error = NULL WHERE board_id = %s AND id = %s",
                    [stamp, stamp, board, source_id],
                )
            else:
                tx.execute(
                    "UPDATE metric_source SET last_fetch_at = %s, last_status = 'error', "
                    "last_error = %s WHERE board_id = %s AND id = %s",
                    [stamp, error, board, source_id],
                )

    def snapshots(
        self, source_id: int, metric_key: str, *, since: str | None = None, until: str | None = None
    ) -> list[MetricSnapshot]:
        sql = (
            "SELECT source_id, metric_key, value, fetched_at, period FROM metric_snapshot "
            "WHERE board_id = %s AND source_id = %s AND metric_key = %s"
        )
        params: list[Any] = [self.board, source_id, metric_key]
        if since:
            sql += " AND fetched_at >= %s"
            params.append(since)
        if until:
            sql += " AND fetched_at < %s"
            params.append(until)
        rows = self.query(sql + " ORDER BY fetched_at", params)
        return [MetricSnapshot(*r) for r in rows]

    def latest_snapshots(self) -> list[MetricSnapshot]:
        """The newest value of every metric of every source."""
        rows = self.query(
            "SELECT source_id, metric_key, value, fetched_at, period FROM metric_latest "
            "WHERE board_id = %s ORDER BY source_id, metric_key",
            [self.board],
        )
        return [MetricSnapshot(*r) for r in rows]

    def latest_metrics(self) -> list[MetricLatest]:
        """Every metric's newest and previous value, by source, then first seen."""
        rows = self.query(
            "SELECT source_id, metric_key, value, fetched_at, period, prev_value, "
            "prev_fetched_at, partial FROM metric_latest WHERE board_id = %s "
            "ORDER BY source_id, coalesce(first_fetched_at, fetched_at), metric_key",
            [self.board],
        )
        return [
            MetricLatest(r[0], r[1], r[2], r[3], r[4], r[5], r[6], partial=bool(r[7])) for r in rows
        ]

    def metric_points(
        self,
        source_id: int,
        metric_key: str,
        *,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, float]]:
        """``(fetched_at, value)`` oldest first, from ``since`` or the newest ``limit``."""
        sql = (
            "SELECT fetched_at, value FROM metric_snapshot WHERE board_id = %s AND "
            "source_id = %s AND metric_key = %s"
        )
        params: list[Any] = [self.board, source_id, metric_key]
        if since:
            sql += " AND fetched_at >= %s"
            params.append(since)
        sql += " ORDER BY fetched_at DESC"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        rows = [tuple(r) for r in self.query(sql, params)]
        rows.reverse()
        return rows

    def metric_daily(
        self,
        source_id: int,
        metric_key: str,
        *,
        since_day: str | None = None,
        buckets: int | None = None,
    ) -> list[tuple[str, float, float, float, int]]:
        """Per-day ``(day, mean, min, max, count)``, oldest first; with ``buckets``, days
        merged into about that many equal spans of the range (first day of each)."""
        where = "WHERE board_id = %s AND source_id = %s AND metric_key = %s"
        params: list[Any] = [self.board, source_id, metric_key]
        if since_day:
            where += " AND day >= %s"
            params.append(since_day[:10])
        if not buckets:
            sql = f"SELECT day, total / n, lo, hi, n FROM metric_daily {where} ORDER BY day"
            return [tuple(r) for r in self.query(sql, params)]
        sql = (
            "WITH span AS (SELECT min(day)::date AS start, "
            f"max(day)::date - min(day)::date + 1 AS days FROM metric_daily {where}) "
            "SELECT min(day), sum(total) / sum(n), min(lo), max(hi), sum(n)::integer "
            f"FROM metric_daily, span {where} "
            "GROUP BY (day::date - span.start) * %s / span.days ORDER BY 1"
        )
        return [tuple(r) for r in self.query(sql, [*params, *params, buckets])]

    def metric_value_at(self, source_id: int, metric_key: str, at: str) -> tuple[str, float] | None:
        """The newest ``(fetched_at, value)`` at or before ``at`` (e.g. the last stand-up)."""
        row = self.query(
            "SELECT fetched_at, value FROM metric_snapshot WHERE board_id = %s AND "
            "source_id = %s AND metric_key = %s AND fetched_at <= %s "
            "ORDER BY fetched_at DESC LIMIT 1",
            [self.board, source_id, metric_key, at],
        ).fetchone()
        return None if row is None else (row[0], row[1])
