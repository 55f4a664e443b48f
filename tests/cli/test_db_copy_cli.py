"""`mtui db copy`: a board moves SQLite → PostgreSQL → SQLite and nothing is lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import run_mtui, sha256

pytestmark = pytest.mark.slow


def _ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_round_trip_through_the_team_server_is_lossless(
    tmp_path: Path, pg_url: str, demo_template: Path
) -> None:
    original = tmp_path / "laptop.db"
    shutil.copyfile(demo_template, original)
    _ok(run_mtui("move", "1", "Doing", db=original))
    _ok(run_mtui("rm", "2", db=original))
    from mtui.core.store import open_store

    store = open_store(original)  # a newest value that is only a lower bound travels too
    sheet = next(s for s in store.metrics.metric_sources() if s.name == "demo-sheet")
    store.metrics.record_fetch(sheet.id, fetched_at="2026-11-26T08:30:00Z",
                               values={"signups": 1500.0}, error=None, partial=["signups"])  # fmt: skip
    store.close()
    before = sha256(original)

    up = _ok(run_mtui("db", "copy", str(original), pg_url, "--dest-board", "marketing"))
    assert "metric snapshots" in up and "hunter2" not in up
    back = tmp_path / "back.db"
    _ok(run_mtui("db", "copy", pg_url, str(back), "--source-board", "marketing"))

    exported = [_ok(run_mtui("export", db=path)) for path in (original, back)]
    assert json.loads(exported[0]) == json.loads(exported[1])
    history = [_ok(run_mtui("metrics", "ls", "--json", db=path)) for path in (original, back)]
    assert json.loads(history[0]) == json.loads(history[1]) and json.loads(history[0])
    marked = [m["metric"] for m in json.loads(history[1]) if m["partial"]]
    assert marked == ["demo-sheet.signups"]
    units = {m["metric"]: m["unit"] for m in json.loads(history[1])}
    assert units["demo-sheet.ad_spend"] == "currency" and units["demo-sheet.ctr"] == "percent"
    on_server = _ok(run_mtui("--db", pg_url, "--board", "marketing", "ls", "--json"))
    assert len(json.loads(on_server)) == len(json.loads(_ok(run_mtui("ls", "--json", db=original))))
    assert sha256(original) == before  # the source is only read


def test_copy_refuses_a_board_in_use_and_writes_nothing(tmp_path: Path, demo_template) -> None:
    source, dest = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copyfile(demo_template, source)
    _ok(run_mtui("add", "Already here", db=dest))
    before = sha256(dest)
    result = run_mtui("db", "copy", str(source), str(dest))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "already holds a board" in result.stderr
    assert sha256(dest) == before
