"""Acceptance for items 4, 10 and 11: hostile input never half-writes or crashes.

Random bytes and random JSON documents go to `mtui import`, random lines to `mtui add -`:
every outcome is success, or exit 2 with one line on stderr and the database file
byte-for-byte unchanged. The property runs in-process (click's CliRunner against the real
command and a real SQLite file) to stay fast; one subprocess test kills a large import.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtui.cli import main
from mtui.core.store import open_store
from mtui.core.transfer.board import CAMPAIGN_KEYS, GOAL_KEYS, SOURCE_KEYS
from mtui.core.transfer.checks import TASK_RECORD_FIELDS
from tests.support.cli import MTUI, sha256

ENV = {
    "MTUI_FROZEN_NOW": "2026-11-26T10:00:00",
    "MTUI_TZ": "Europe/Berlin",
    "MTUI_CONFIG_DIR": str(Path(__file__).resolve().parents[1] / "fixtures" / "no-config"),
}
FUZZ = settings(max_examples=60, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small board with a goal, a campaign and tasks, checkpointed into one file."""
    path = tmp_path_factory.mktemp("fuzz") / "board.db"
    runner = CliRunner()
    for args in (
        ["db", "migrate"],  # `goal add` does not create a database
        ["goal", "add", "Signups", "--slug", "signups"],
        ["campaign", "add", "Spring launch", "--slug", "spring"],
        ["add", "Launch email #email @ana ^signups c:spring !1 +copy est:1h"],
        ["add", "Second task #seo"],
    ):
        result = runner.invoke(main, ["--db", str(path), *args], env=ENV)
        assert result.exit_code == 0, (args, result.output, result.stderr)
    return path


def _fresh_copy(template: Path, workdir: Path) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "board.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def _assert_success_or_one_line(result, db: Path, before: str, *, lines: int | None = 1) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed: {result.exception!r}"
    )
    if result.exit_code == 0:
        return
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    stderr = result.stderr.strip().splitlines()
    assert stderr and stderr[0].startswith("mtui: "), result.stderr
    if lines is not None:
        assert len(stderr) == lines, result.stderr
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
    assert sha256(db) == before, "a refused run changed the database file"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_plausible = st.sampled_from([
    None, "", "Backlog", "Done", "doing", "email", "signups", "spring", "2026-12-03",
    "2026-11-26T10:00:00.000000Z", "not a date", "NaN", "x", 0, 1, 2, 3, 7, -5, 1.5, 10**20,
    ["copy"], ["two words"], "abc", [], {}, True, "a" * 70,
])  # fmt: skip
_value = _plausible | _json


def _record(keys: tuple[str, ...]) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), _value, max_size=6)


_task = st.builds(lambda title, rest: {"title": title, **rest},
                  st.text(max_size=15) | _value, _record(TASK_RECORD_FIELDS))  # fmt: skip
_document = (
    st.lists(_task, max_size=4)
    | st.fixed_dictionaries(
        {"format": st.just("mtui-export")},
        optional={
            "tasks": st.lists(_task, max_size=3),
            "goals": st.lists(_record(GOAL_KEYS), max_size=2),
            "campaigns": st.lists(_record(CAMPAIGN_KEYS), max_size=2),
            "metric_sources": st.lists(_record(SOURCE_KEYS), max_size=2),
            "columns": st.lists(_record(("name", "position", "wip_limit", "is_done")), max_size=2),
            "channels": st.lists(_value, max_size=2),
            "settings": _value,
            "standups": st.lists(_value, max_size=2),
            "brief": st.lists(_record(("version", "updated_at", "mission")), max_size=2),
            "version": _value,
        },
    )
    | _json
)


def _import(db: Path, source: Path, *extra: str):
    return CliRunner().invoke(main, ["--db", str(db), "import", *extra, str(source)], env=ENV)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".json"]))
def test_random_bytes_never_half_import(template: Path, tmp_path: Path, data: bytes,
                                        suffix: str) -> None:  # fmt: skip
    db = _fresh_copy(template, tmp_path / "bytes")
    source = tmp_path / f"in{suffix}"
    source.write_bytes(data)
    before = sha256(db)
    _assert_success_or_one_line(_import(db, source), db, before)


@FUZZ
@given(document=_document, mode=st.sampled_from(["skip", "update", "new"]))
def test_random_json_records_never_half_import(template: Path, tmp_path: Path, document,
                                               mode: str) -> None:  # fmt: skip
    db = _fresh_copy(template, tmp_path / "json")
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    before = sha256(db)
    result = _import(db, source, "--on-duplicate", mode)
    _assert_success_or_one_line(result, db, before)
    if result.exit_code == 0:  # whatever was accepted exports and imports again
        exported = CliRunner().invoke(main, ["--db", str(db), "export"], env=ENV)
        assert exported.exit_code == 0, exported.stderr
        again = tmp_path / "again.json"
        again.write_text(exported.stdout, encoding="utf-8")
        fresh = tmp_path / "json" / "fresh.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        restored = _import(fresh, again)
        assert restored.exit_code == 0, restored.stderr


_line = st.text(max_size=30) | st.sampled_from([
    "Post #email @ana", "Post ^nope", "Post est:99999999999h", "Plan due:someday", "x s:do",
    "Launch !7", "c:spring Post", "#16 tips",
])  # fmt: skip


@FUZZ
@given(lines=st.lists(_line, min_size=1, max_size=4))
def test_random_lines_to_add_are_all_or_nothing(template: Path, tmp_path: Path,
                                                lines: list[str]) -> None:  # fmt: skip
    db = _fresh_copy(template, tmp_path / "add")
    before = sha256(db)
    text = "\n".join(line.replace("\r", " ") for line in lines) + "\n"
    result = CliRunner().invoke(main, ["--db", str(db), "add", "-"], input=text, env=ENV)
    # A parse error shows the line and a caret under the bad token after its one line.
    _assert_success_or_one_line(result, db, before, lines=None)


def test_a_killed_import_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """Item 10: kill -9 in the middle of a 100,000-task import: nothing of it is kept."""
    db = tmp_path / "board.db"
    store = open_store(db)
    store.tasks.ensure_channel("email")
    store.close()
    records = [{"title": f"Task {i}", "channel": f"ch{i % 100}", "goal": f"g{i % 50}",
                "campaign": f"c{i % 20}", "tags": ["x"]} for i in range(100_000)]  # fmt: skip
    source = tmp_path / "big.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    log = tmp_path / "stderr.txt"
    env = {**os.environ, **ENV}
    env.pop("MTUI_DB", None)
    with log.open("w") as err:
        process = subprocess.Popen([MTUI, "--db", str(db), "import", str(source)],
                                   stdout=subprocess.DEVNULL, stderr=err, env=env)  # fmt: skip
        deadline = time.monotonic() + 120
        while "Importing" not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.01)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the import finished before the kill"

    store = open_store(db)
    assert store.admin.integrity_check() == []  # healthy: nothing to report (the contract)
    assert store.tasks.count_tasks() == 0
    assert [c.name for c in store.tasks.channels()] == ["email"]
    assert not store.strategy.goals() and not store.strategy.campaigns()
