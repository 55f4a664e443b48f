"""MetricsRepository: sources (no secrets), fetch results and their history."""

from __future__ import annotations

import threading

import pytest

from mtui.core.errors import DuplicateError, NotFound
from mtui.core.store.contract import Store
from mtui.core.store.feed import METRICS
from tests.support.backends import Backend


def source(store: Store, name: str = "web", **fields) -> int:
    return store.metrics.save_metric_source(
        {"name": name, "kind": "json", "url": f"http://example.test/{name}", **fields}
    ).id


def test_sources_are_saved_with_their_defaults_and_json_fields(store: Store) -> None:
    saved = store.metrics.save_metric_source(
        {"name": "web", "kind": "json", "url": "http://x.test/m",
         "headers": {"Accept": "application/json"}, "selectors": {"visits": "$.visits"},
         "auth_type": "bearer", "auth_env": "WEB_TOKEN"},
        action_id="s1",
    )  # fmt: skip
    assert (saved.method, saved.interval_seconds, saved.timeout_seconds) == ("GET", 300, 10.0)
    assert saved.headers == {"Accept": "application/json"}
    assert saved.selectors == {"visits": "$.visits"} and saved.auth_env == "WEB_TOKEN"
    assert store.metrics.metric_sources() == [saved]
    (created,) = store.activity.events(action_id="s1")
    assert (created.entity, created.entity_id, created.kind) == ("source", saved.id, "created")
    changed = store.metrics.save_metric_source({"interval_seconds": 60}, saved.id, action_id="s2")
    assert changed.interval_seconds == 60 and changed.selectors == saved.selectors
    (event,) = store.activity.events(action_id="s2")
    assert (event.field, event.old, event.new) == ("interval_seconds", 300, 60)
    assert METRICS in store.feed.changes(0).topics
    with pytest.raises(DuplicateError):
        source(store, "web")
    with pytest.raises(NotFound):
        store.metrics.save_metric_source({"name": "x"}, 99999)


def test_deleting_a_source_removes_its_history_and_logs_the_whole_record(store: Store) -> None:
    web, shop = source(store, "web"), source(store, "shop")
    for sid in (web, shop):
        store.metrics.record_fetch(
            sid, fetched_at="2026-03-01T09:00:00Z", values={"v": 1.0}, error=None
        )
    store.metrics.delete_metric_source(web, action_id="del")
    assert [s.id for s in store.metrics.metric_sources()] == [shop]
    assert store.metrics.snapshots(web, "v") == []
    assert [m.source_id for m in store.metrics.latest_metrics()] == [shop]
    assert store.metrics.metric_daily(web, "v") == []
    (event,) = store.activity.events(action_id="del")
    assert (event.entity, event.kind, event.old["name"]) == ("source", "deleted", "web")
    with pytest.raises(NotFound):
        store.metrics.delete_metric_source(web)


def test_record_fetch_keeps_values_status_and_errors(store: Store) -> None:
    web = source(store)
    store.metrics.record_fetch(web, fetched_at="2026-03-01T09:00:00Z",
                               values={"visits": 10, "signups": 2}, error=None, period="day")  # fmt: skip
    ok = store.metrics.metric_sources()[0]
    assert (ok.last_status, ok.last_error) == ("ok", None)
    assert ok.last_fetch_at == ok.last_ok_at and ok.last_ok_at.startswith("2026-03-01T09:00:00")
    store.metrics.record_fetch(web, fetched_at="2026-03-01T10:00:00+00:00",
                               values={"visits": 12}, error="signups: missing")  # fmt: skip
    failed = store.metrics.metric_sources()[0]
    assert (failed.last_status, failed.last_error) == ("error", "signups: missing")
    assert failed.last_ok_at == ok.last_ok_at and failed.last_fetch_at > ok.last_fetch_at
    visits = store.metrics.snapshots(web, "visits")
    assert [(s.value, s.period) for s in visits] == [(10.0, "day"), (12.0, None)]
    assert [s.value for s in store.metrics.snapshots(web, "signups")] == [2.0]
    store.metrics.record_fetch(web, fetched_at="2026-03-01T11:00:00Z", values=None, error="down")
    assert len(store.metrics.snapshots(web, "visits")) == 2


def test_fetches_in_the_same_second_still_order(store: Store) -> None:
    web = source(store)
    for value in (1.0, 2.0, 3.0):
        store.metrics.record_fetch(web, fetched_at="2026-03-01T09:00:00Z", values={"v": value},
                                   error=None)  # fmt: skip
    points = store.metrics.metric_points(web, "v")
    assert [v for _at, v in points] == [1.0, 2.0, 3.0]
    assert len({at for at, _v in points}) == 3
    (latest,) = store.metrics.latest_metrics()
    assert (latest.value, latest.prev_value) == (3.0, 2.0)


def test_history_reads_by_range_point_and_day(store: Store) -> None:
    web = source(store)
    days = [("2026-03-01T09:00:00Z", 10.0), ("2026-03-01T18:00:00Z", 20.0),
            ("2026-03-02T09:00:00Z", 40.0), ("2026-03-04T09:00:00Z", 80.0)]  # fmt: skip
    for at, value in days:
        store.metrics.record_fetch(web, fetched_at=at, values={"v": value}, error=None)
    since = store.metrics.snapshots(web, "v", since="2026-03-02", until="2026-03-04")
    assert [s.value for s in since] == [40.0]
    assert [v for _at, v in store.metrics.metric_points(web, "v", limit=2)] == [40.0, 80.0]
    assert [v for _at, v in store.metrics.metric_points(web, "v", since="2026-03-02")] == [
        40.0,
        80.0,
    ]
    assert store.metrics.metric_daily(web, "v") == [
        ("2026-03-01", 15.0, 10.0, 20.0, 2), ("2026-03-02", 40.0, 40.0, 40.0, 1),
        ("2026-03-04", 80.0, 80.0, 80.0, 1)]  # fmt: skip
    assert [d[0] for d in store.metrics.metric_daily(web, "v", since_day="2026-03-02")] == [
        "2026-03-02", "2026-03-04"]  # fmt: skip
    merged = store.metrics.metric_daily(web, "v", buckets=2)
    assert sum(n for *_rest, n in merged) == 4 and len(merged) == 2
    assert merged[0][2] == 10.0 and merged[-1][3] == 80.0
    at, value = store.metrics.metric_value_at(web, "v", "2026-03-03T00:00:00.000000Z") or ("", 0)
    assert value == 40.0 and at.startswith("2026-03-02")
    assert store.metrics.metric_value_at(web, "v", "2026-02-01T00:00:00.000000Z") is None


def test_latest_values_by_source_then_first_seen(store: Store) -> None:
    web, shop = source(store, "web"), source(store, "shop")
    store.metrics.record_fetch(
        shop, fetched_at="2026-03-01T08:00:00Z", values={"orders": 1}, error=None
    )
    store.metrics.record_fetch(
        web, fetched_at="2026-03-01T09:00:00Z", values={"zeta": 1}, error=None
    )
    store.metrics.record_fetch(web, fetched_at="2026-03-01T10:00:00Z",
                               values={"alpha": 5, "zeta": 2}, error=None)  # fmt: skip
    latest = store.metrics.latest_metrics()
    assert [(m.source_id, m.metric_key) for m in latest] == [
        (web, "zeta"), (web, "alpha"), (shop, "orders")]  # fmt: skip
    zeta = latest[0]
    assert (zeta.value, zeta.prev_value) == (2.0, 1.0)
    assert zeta.prev_fetched_at and zeta.fetched_at > zeta.prev_fetched_at
    assert latest[1].prev_value is None
    snaps = {(s.source_id, s.metric_key): s.value for s in store.metrics.latest_snapshots()}
    assert snaps == {(web, "zeta"): 2.0, (web, "alpha"): 5.0, (shop, "orders"): 1.0}


def test_of_several_clients_claiming_a_due_source_exactly_one_wins(
    backend: Backend, store: Store
) -> None:
    """One poller per source across a team: twenty boards do not poll Google twenty times."""
    source = store.metrics.save_metric_source({"name": "ga", "kind": "json", "url": "https://x"})
    handles = [store, *(backend.handle(store) for _ in range(4))]
    seen = {source.id: source.last_fetch_at}
    position = store.feed.position()
    results: list[list[int]] = []
    barrier = threading.Barrier(len(handles))

    def claim(handle: Store) -> None:
        barrier.wait()
        results.append(handle.metrics.claim_poll(seen, at="2026-03-10T09:00:00+00:00"))

    threads = [threading.Thread(target=claim, args=(h,)) for h in handles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 1]
    claimed = next(s for s in store.metrics.metric_sources() if s.id == source.id)
    assert claimed.last_fetch_at == "2026-03-10T09:00:00+00:00"
    assert store.feed.position() == position  # a claim is not a change anyone must see
    # Once fetched and recorded, the next claim must have read the new stamp.
    assert store.metrics.claim_poll(seen, at="2026-03-10T09:05:00+00:00") == []
    assert store.metrics.claim_poll(
        {source.id: claimed.last_fetch_at}, at="2026-03-10T09:05:00+00:00"
    ) == [source.id]


def test_units_are_kept_with_a_source_and_changed_on_their_own(store: Store) -> None:
    sid = source(store, "shop", selectors={"rev": "rev", "rate": "rate"},
                 units={"rev": "currency:EUR"})  # fmt: skip
    [saved] = store.metrics.metric_sources()
    assert saved.units == {"rev": "currency:EUR"}
    changed = store.metrics.save_metric_source(
        {"units": {"rev": "currency:EUR", "rate": "fraction"}}, sid, action_id="u1"
    )
    assert changed.units == {"rev": "currency:EUR", "rate": "fraction"}
    assert changed.selectors == {"rev": "rev", "rate": "rate"}
    (event,) = store.activity.events(action_id="u1")
    assert event.field == "units"
    assert store.metrics.metric_sources()[0].units == changed.units
    assert store.metrics.save_metric_source({"name": "bare", "kind": "json",
                                             "url": "http://x.test/b"}).units == {}  # fmt: skip


def test_a_partial_value_is_marked_until_a_complete_one_replaces_it(store: Store) -> None:
    sid = source(store, "stripe")
    store.metrics.record_fetch(sid, fetched_at="2026-03-01T09:00:00Z",
                               values={"customers": 2000.0, "mrr": 5.0}, error=None,
                               partial=["customers"])  # fmt: skip
    latest = {m.metric_key: m for m in store.metrics.latest_metrics()}
    assert (latest["customers"].partial, latest["mrr"].partial) == (True, False)
    assert latest["customers"].value == 2000.0
    store.metrics.record_fetch(sid, fetched_at="2026-03-01T10:00:00Z",
                               values={"customers": 1800.0, "mrr": 6.0}, error=None)  # fmt: skip
    latest = {m.metric_key: m for m in store.metrics.latest_metrics()}
    assert latest["customers"].partial is False and latest["customers"].prev_value == 2000.0
