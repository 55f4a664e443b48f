"""``mtui source …`` and ``mtui metrics …`` as a user runs them: real subprocesses,
a real local HTTP server, exit codes, and no secret in any output."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import new_db, run_mtui
from tests.support.metrics import add_sources, stored_sources, threaded_httpserver

pytestmark = pytest.mark.slow
SECRET = "tok-9f8e7d6c5b4a-secret"


def test_source_lifecycle_poll_and_ls(tmp_path) -> None:
    db = new_db(tmp_path / "m.db")
    env = {"MTUI_TEST_SECRET": SECRET}
    with threaded_httpserver() as server:
        server.expect_request("/ok").respond_with_json(
            {"results": {"visitors": {"value": "1,240"}}}
        )
        server.expect_request("/bad").respond_with_data(
            "<html>oops</html>", content_type="text/html"
        )
        added = run_mtui("source", "add", "Web stats", "--kind", "json", "--url",
                         server.url_for("/ok"), "--metric", "visitors=results.visitors.value",
                         "--auth", "bearer", "--auth-env", "MTUI_TEST_SECRET", "--interval", "1m",
                         "--json", db=db, env=env)  # fmt: skip
        assert added.returncode == 0, added.stderr
        record = json.loads(added.stdout)
        assert (record["slug"], record["interval_seconds"], record["auth_env"]) == (
            "web-stats", 60, "MTUI_TEST_SECRET")  # fmt: skip

        tested = run_mtui("source", "test", "web-stats", db=db, env=env)
        assert tested.returncode == 0, tested.stderr
        assert "would store web-stats.visitors = 1240" in tested.stdout
        [source] = stored_sources(db)
        assert source.last_fetch_at is None, "test stores nothing"

        polled = run_mtui("metrics", "poll", "--json", db=db, env=env)
        assert polled.returncode == 0, polled.stderr
        assert json.loads(polled.stdout)[0]["values"] == {"visitors": 1240.0}

        add_sources(db, {"name": "broken", "kind": "json", "url": server.url_for("/bad"),
                         "selectors": {"x": "a.b"}})  # fmt: skip
        failing = run_mtui("metrics", "poll", "--json", db=db, env=env)
        assert failing.returncode == 1
        by_source = {r["source"]: r for r in json.loads(failing.stdout)}
        assert by_source["web-stats"]["ok"] and not by_source["broken"]["ok"]
        assert "html" in by_source["broken"]["error"].lower()

    metrics = {
        m["metric"]: m for m in json.loads(run_mtui("metrics", "ls", "--json", db=db).stdout)
    }
    assert metrics["web-stats.visitors"]["value"] == 1240
    assert metrics["web-stats.visitors"]["previous"] == 1240
    assert metrics["broken.x"]["state"] == "error"
    sources = json.loads(run_mtui("source", "ls", "--json", db=db).stdout)
    assert [s["last_status"] for s in sources] == ["ok", "error"]
    for output in (added.stdout, tested.stdout, polled.stdout, failing.stdout, json.dumps(sources)):
        assert SECRET not in output

    removed = run_mtui("source", "rm", "broken", db=db)
    assert removed.returncode == 0 and "removed source" in removed.stdout
    assert [s.name for s in stored_sources(db)] == ["Web stats"]
    assert SECRET.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("m.db*"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--header", "Authorization: Bearer abc"], "looks like a credential"),
        (["--url", "https://api.example/x?api_key=abc"], "looks like a credential"),
        (["--auth", "bearer", "--auth-env", "TOKEN", "--url", "http://api.example/x"], "https"),
        (["--kind", "xml"], "kind must be one of"),
        (["--interval", "soon"], "not a duration"),
    ],
)
def test_source_add_refuses_bad_input(tmp_path, args, message) -> None:
    base = {"--kind": "json", "--url": "https://api.example/x"}
    for flag in ("--kind", "--url"):
        if flag in args:
            base.pop(flag)
    flat = [x for pair in base.items() for x in pair]
    result = run_mtui("source", "add", "s", *flat, *args, db=new_db(tmp_path / "m.db"))
    assert result.returncode == 2
    assert message in result.stderr
    assert stored_sources(tmp_path / "m.db") == []


def test_unknown_source_is_a_clear_error(tmp_path) -> None:
    result = run_mtui("source", "test", "nope", db=new_db(tmp_path / "m.db"))
    assert result.returncode == 2 and "no metric source 'nope'" in result.stderr


@pytest.mark.parametrize("timeout", ["inf", "1e9", "-5", "nan", "0", "121", "-inf", "Infinity"])
def test_source_add_bounds_the_timeout(tmp_path, timeout) -> None:
    """Item 14: a timeout outside 1–120 s (or not a number at all) is exit 2, one line."""
    db = new_db(tmp_path / "m.db")
    result = run_mtui("source", "add", "s", "--kind", "json", "--url", "https://api.example/x",
                      "--timeout", timeout, "--json", db=db)  # fmt: skip
    assert result.returncode == 2, (result.stdout, result.stderr)
    answer = json.loads(result.stdout)  # with --json, errors are JSON too: only the error
    assert list(answer) == ["error"]
    assert "--timeout" in answer["error"] and "1" in answer["error"] and "120" in answer["error"]
    assert stored_sources(db) == []


@pytest.mark.parametrize(("timeout", "stored"), [("1", 1.0), ("120", 120.0), ("2.5", 2.5)])
def test_source_add_accepts_timeouts_in_range(tmp_path, timeout, stored) -> None:
    result = run_mtui("source", "add", "s", "--kind", "json", "--url", "https://api.example/x",
                      "--timeout", timeout, "--json", db=new_db(tmp_path / "m.db"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["timeout_seconds"] == stored


def test_source_add_refuses_an_interval_too_long_to_be_a_number(tmp_path) -> None:
    result = run_mtui("source", "add", "s", "--kind", "json", "--url", "https://api.example/x",
                      "--interval", "9" * 400, db=new_db(tmp_path / "m.db"))  # fmt: skip
    assert result.returncode == 2 and "at most 30 days" in result.stderr


def test_poll_with_ten_slow_sources_takes_about_one_timeout(tmp_path) -> None:
    """Item 15: 10 silent and 10 healthy sources on one server. Every request reaches
    the server within about a slot lease of the first (the old loop made the healthy
    ones wait a whole timeout for a slot), and the poll ends about one timeout and one
    lease after it began (the old loop took two timeouts).

    The sources are saved directly (adding them is tested above); a 3 s timeout keeps
    both margins a second wide: requests by ~1 s (old loop: 3 s), the end by ~4 s (6 s).
    """
    import threading
    import time

    from werkzeug import Response

    from mtui.core.metrics.fetching.poll import SLOT_LEASE_SECONDS

    timeout = 3
    db = new_db(tmp_path / "m.db")
    stop = threading.Event()
    arrivals: list[tuple[str, float]] = []

    def slow(request):
        arrivals.append(("slow", time.monotonic()))
        stop.wait(30)
        return Response('{"v": 1}', content_type="application/json")

    def fast(request):
        arrivals.append(("fast", time.monotonic()))
        return Response('{"v": 2}', content_type="application/json")

    with threaded_httpserver() as server:
        server.expect_request("/slow").respond_with_handler(slow)
        server.expect_request("/fast").respond_with_handler(fast)
        add_sources(db, *(
            {"name": f"{kind}{i}", "kind": "json", "url": server.url_for(f"/{kind}"),
             "selectors": {"v": "v"}, "timeout_seconds": timeout, "interval_seconds": 300}
            for kind in ("slow", "fast") for i in range(10)
        ))  # fmt: skip
        try:
            polled = run_mtui("metrics", "poll", "--json", db=db)
            ended = time.monotonic()
        finally:
            stop.set()
    results = json.loads(polled.stdout)
    assert polled.returncode == 1
    assert sum(r["ok"] for r in results) == 10
    assert {r["error"] for r in results if not r["ok"]} == {f"timed out after {timeout}s"}
    assert all(r["attempts"] == 1 for r in results)
    first = min(at for _kind, at in arrivals)
    assert len(arrivals) == 20
    margin = timeout / 3
    assert max(at for _kind, at in arrivals) - first < SLOT_LEASE_SECONDS + margin
    assert ended - first < timeout + SLOT_LEASE_SECONDS + margin


def test_metrics_ls_reads_ages_on_the_frozen_clock(tmp_path) -> None:
    """``metrics ls`` tells ages from the app's clock (``MTUI_FROZEN_NOW`` freezes it, as
    on the dashboard): a value fetched 50 s before it reads ``1m ago``, never ``0m``, and
    one fetched an hour before it, with a 1-minute interval, is stale."""
    from mtui.core.store import open_store

    db = new_db(tmp_path / "m.db")
    add_sources(db, {"name": "fresh", "kind": "json", "url": "https://stats.example/a",
                     "selectors": {"v": "a"}, "interval_seconds": 60},
                    {"name": "old", "kind": "json", "url": "https://stats.example/b",
                     "selectors": {"v": "b"}, "interval_seconds": 60})  # fmt: skip
    store = open_store(db)
    try:
        ids = {s.name: s.id for s in store.metrics.metric_sources()}
        # run_mtui freezes the clock at 2026-11-26T10:00 Europe/Berlin, 09:00 UTC.
        store.metrics.record_fetch(ids["fresh"], fetched_at="2026-11-26T08:59:10+00:00",
                                   values={"v": 1.0}, error=None)  # fmt: skip
        store.metrics.record_fetch(ids["old"], fetched_at="2026-11-26T08:00:00+00:00",
                                   values={"v": 2.0}, error=None)  # fmt: skip
    finally:
        store.close()
    listed = run_mtui("metrics", "ls", db=db)
    assert listed.returncode == 0, listed.stderr
    fresh = next(line for line in listed.stdout.splitlines() if line.startswith("fresh.v"))
    old = next(line for line in listed.stdout.splitlines() if line.startswith("old.v"))
    assert "1m ago" in fresh and "stale" not in fresh, fresh
    assert "1h ago" in old and "stale" in old, old
