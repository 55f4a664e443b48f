"""Metric sources, their fetch status and their snapshots in SQLite.

Only the *name* of the environment variable holding a secret is stored, never the secret.

Besides the raw ``metric_snapshot`` rows, every fetch keeps two small tables current in
the same transaction (migration 0003): ``metric_latest`` (newest and previous value per
metric, so cards never group millions of rows) and ``metric_daily`` (a per-day rollup,
so a year-long sparkline reads 365 rows). Timestamps are stored in ``clock.utc_stamp``
form (``2026-11-22T09:12:44.000000Z``) so text comparisons with stand-up times work.
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
from mtui.core.store.sqlite.records import new_action, read_record, save_record
from mtui.core.store.sqlite.session import SqliteRepository, translating
from mtui.core.store.stamps import STAMP_FORMAT, normal_stamp

__all__ = ["SqliteMetrics", "normal_stamp"]

_SOURCE_COLUMNS = [f.name for f in dc_fields(MetricSource)]
_JSON_COLUMNS = ("headers", "selectors", "units")
_STAMP_FORMAT = STAMP_FORMAT


def _source_from_row(row: tuple) -> MetricSource:
    data = dict(zip(_SOURCE_COLUMNS, row, strict=True))
    for name in _JSON_COLUMNS:
        data[name] = json.loads(data[name] or "{}")
    return MetricSource(**data)


_UPSERT_LATEST = (
    "INSERT INTO metric_latest (source_id, metric_key, value, fetched_at, period, "
    "first_fetched_at, partial) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(source_id, metric_key) DO UPDATE SET "
    "prev_value = metric_latest.value, prev_fetched_at = metric_latest.fetched_at, "
    "value = excluded.value, fetched_at = excluded.fetched_at, period = excluded.period, "
    "partial = excluded.partial "
    "WHERE excluded.fetched_at >= metric_latest.fetched_at"
)
_UPSERT_DAILY = (
    "INSERT INTO metric_daily (source_id, metric_key, day, n, total, lo, hi) "
    "VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT(source_id, metric_key, day) DO UPDATE SET "
    "n = n + 1, total = total + excluded.total, lo = min(lo, excluded.lo), "
    "hi = max(hi, excluded.hi)"
)


def _after_last_fetch(conn, source_id: int, stamp: str) -> str:
    """``stamp``, moved 1 µs past the source's previous fetch if it is not already later.

    Fetch times have one-second resolution; two fetches in the same second must still
    order, or a failure right after a success could not tell which values are older.
    """
    row = conn.execute(
        "SELECT last_fetch_at FROM metric_source WHERE id = ?", [source_id]
    ).fetchone()
    if row and row[0] and row[0] >= stamp:
        last = datetime.strptime(row[0], _STAMP_FORMAT)
        return (last + timedelta(microseconds=1)).strftime(_STAMP_FORMAT)
    return stamp


@translating
class SqliteMetrics(SqliteRepository):
    def metric_sources(self) -> list[MetricSource]:
        rows = self.conn.execute(
            f"SELECT {', '.join(_SOURCE_COLUMNS)} FROM metric_source ORDER BY id"
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
            for table in ("metric_snapshot", "metric_latest", "metric_daily"):
                tx.execute(f"DELETE FROM {table} WHERE source_id = ?", [source_id])
            tx.execute("DELETE FROM metric_source WHERE id = ?", [source_id])
            tx.log(METRICS, "source", source_id, "deleted", action_id or new_action(), old=old)

    def claim_poll(self, seen: Mapping[int, str | None], *, at: str) -> list[int]:
        if self.session.read_only or not seen:
            return []
        with self.session.lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                won = [
                    source_id
                    for source_id, last in seen.items()
                    if conn.execute(
                        "UPDATE metric_source SET last_fetch_at = ? "
                        "WHERE id = ? AND last_fetch_at IS ?",
                        [at, source_id, last],
                    ).rowcount
                ]
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
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
        """Store one fetch: a snapshot per value read, and the source's status.

        A partial failure (``error`` set, some ``values`` read) keeps the values that
        were read: they are real numbers of that moment. The source is marked as
        failed and ``last_ok_at`` is left alone; the metrics that were not read keep
        their last good value, older than ``last_fetch_at``, which is how a card tells
        "this metric failed" from "another metric of this source failed".
        """
        stamp = normal_stamp(fetched_at)
        with self.write() as tx:
            conn = tx.conn
            tx.touch(METRICS)
            stamp = _after_last_fetch(conn, source_id, stamp)
            rows = [(source_id, k, float(v), period, stamp) for k, v in (values or {}).items()]
            if rows:
                conn.executemany(
                    "INSERT INTO metric_snapshot (source_id, metric_key, value, period, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
                conn.executemany(
                    _UPSERT_LATEST,
                    [(s, k, v, st, p, st, int(k in partial)) for s, k, v, p, st in rows],
                )
                conn.executemany(
                    _UPSERT_DAILY, [(s, k, st[:10], v, v, v) for s, k, v, _p, st in rows]
                )
            if error is None:
                conn.execute(
                    "UPDATE metric_source SET last_fetch_at = ?, last_ok_at = ?, last_status = 'ok', "
                    "last_error = NULL WHERE id = ?",
                    [stamp, stamp, source_id],
                )
            else:
                conn.execute(
                    "UPDATE metric_source SET last_fetch_at = ?, last_status = 'error', last_error = ? "
                    "WHERE id = ?",
                    [stamp, error, source_id],
                )

    def snapshots(
        self, source_id: int, metric_key: str, *, since: str | None = None, until: str | None = None
    ) -> list[MetricSnapshot]:
        sql = (
            "SELECT source_id, metric_key, value, fetched_at, period FROM metric_snapshot "
            "WHERE source_id = ? AND metric_key = ?"
        )
        params: list[Any] = [source_id, metric_key]
        if since:
            sql += " AND fetched_at >= ?"
            params.append(since)
        if until:
            sql += " AND fetched_at < ?"
            params.append(until)
        rows = self.conn.execute(sql + " ORDER BY fetched_at", params)
        return [MetricSnapshot(*r) for r in rows]

    def latest_snapshots(self) -> list[MetricSnapshot]:
        """The newest value of every metric of every source."""
        rows = self.conn.execute(
            "SELECT source_id, metric_key, value, fetched_at, period FROM metric_latest "
            "ORDER BY source_id, metric_key"
        )
        return [MetricSnapshot(*r) for r in rows]

    def latest_metrics(self) -> list[MetricLatest]:
        """Every metric's newest and previous value (one row per metric)."""
        rows = self.conn.execute(
            "SELECT source_id, metric_key, value, fetched_at, period, prev_value, "
            "prev_fetched_at, partial FROM metric_latest "
            "ORDER BY source_id, coalesce(first_fetched_at, fetched_at), metric_key"
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
        """``(fetched_at, value)`` oldest first, from ``since`` or the newest ``limit``.

        Plain tuples, read from the covering index only: the cheap path for sparklines.
        """
        sql = "SELECT fetched_at, value FROM metric_snapshot WHERE source_id = ? AND metric_key = ?"
        params: list[Any] = [source_id, metric_key]
        if since:
            sql += " AND fetched_at >= ?"
            params.append(since)
        sql += " ORDER BY fetched_at DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.conn.execute(sql, params).fetchall()
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
        """Per-day ``(day, mean, min, max, count)``, oldest first (long-range history).

        With ``buckets``, days are merged in SQL into about that many equal spans of
        the range (first day of each span), so a year-long sparkline reads ~60 rows.
        """
        where = "WHERE source_id = ? AND metric_key = ?"
        params: list[Any] = [source_id, metric_key]
        if since_day:
            where += " AND day >= ?"
            params.append(since_day[:10])
        if not buckets:
            sql = f"SELECT day, total / n, lo, hi, n FROM metric_daily {where} ORDER BY day"
            return self.conn.execute(sql, params).fetchall()
        sql = (
            "WITH span AS (SELECT julianday(min(day)) AS start, "
            f"julianday(max(day)) - julianday(min(day)) + 1 AS days FROM metric_daily {where}) "
            "SELECT min(day), sum(total) / sum(n), min(lo), max(hi), sum(n) "
            f"FROM metric_daily, span {where} "
            "GROUP BY CAST((julianday(day) - span.start) * ? / span.days AS INTEGER) ORDER BY 1"
        )
        return self.conn.execute(sql, [*params, *params, buckets]).fetchall()

    def metric_value_at(self, source_id: int, metric_key: str, at: str) -> tuple[str, float] | None:
        """The newest ``(fetched_at, value)`` at or before ``at`` (e.g. the last stand-up)."""
        return self.conn.execute(
            "SELECT fetched_at, value FROM metric_snapshot WHERE source_id = ? AND metric_key = ? "
            "AND fetched_at <= ? ORDER BY fetched_at DESC LIMIT 1",
            [source_id, metric_key, at],
        ).fetchone()
