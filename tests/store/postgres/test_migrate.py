"""The PostgreSQL migration runner: locked, all-or-nothing, never past a newer schema."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

from mtui.core.errors import DatabaseRefused
from mtui.core.store import open_store
from mtui.core.store.postgres import migrate
from mtui.core.store.postgres.migrate import (
    MIGRATION_LOCK,
    MIGRATIONS_TABLE,
    apply_migrations,
    known_migrations,
)
from tests.support.pgcluster import PgServer, drop_database, new_database


@pytest.fixture
def empty_url(pg_server: PgServer, frozen_clock: str):
    """An empty database (no mtui schema yet)."""
    name = new_database(pg_server, migrated=False)
    yield pg_server.url(name)
    drop_database(pg_server, name)


def _state(url: str) -> list:
    """Everything a refusal must leave as it was: tables, migrations, boards, feed."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "ORDER BY 1"
        ).fetchall()
        rows = []
        names = {t[0] for t in tables}
        for table in (MIGRATIONS_TABLE, "board", "change_feed", "task"):
            if table in names:
                rows.append(conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
        return [tables, rows]


def test_a_new_database_gets_the_schema_and_the_board_on_first_open(empty_url: str) -> None:
    store = open_store(empty_url)
    try:
        assert store.tasks.statuses()[0].name == "Backlog"
    finally:
        store.close()
    with psycopg.connect(empty_url) as conn:
        applied = [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE}")]
    assert applied == [name for name, _ in known_migrations()]
    assert apply_migrations(empty_url) == []  # nothing left to do
    reopened = open_store(empty_url, migrate=False)
    reopened.close()


def test_without_migrate_a_new_database_is_refused_untouched(empty_url: str) -> None:
    before = _state(empty_url)
    with pytest.raises(DatabaseRefused, match="no mtui schema"):
        open_store(empty_url, migrate=False)
    assert _state(empty_url) == before


def test_two_migrators_wait_for_the_lock_and_apply_each_file_once(empty_url: str) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def migrator() -> None:
        try:
            results.append(apply_migrations(empty_url))
        except BaseException as exc:
            errors.append(exc)

    with psycopg.connect(empty_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        threads = [threading.Thread(target=migrator) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        waiting = holder.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()[0]
        assert waiting == 2 and all(t.is_alive() for t in threads)
        assert _state(empty_url)[0] == []  # nothing applied while the lock is held
        holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        for thread in threads:
            thread.join(30)
    assert errors == []
    # Each file once, in order: the two may take turns file by file (each file is its own
    # transaction under the lock), but no file is applied twice and none is skipped.
    applied = sorted(results[0] + results[1])
    assert applied == [name for name, _ in known_migrations()]
    assert all(r == sorted(r) for r in results)


def test_a_newer_schema_is_refused_and_nothing_changes(pg_url: str) -> None:
    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name) VALUES ('9999_from_the_future')")
    before = _state(pg_url)
    with pytest.raises(
        DatabaseRefused, match=r"newer mtui schema \(9999_from_the_future\)"
    ) as refused:
        open_store(pg_url)
    assert "Nothing was changed" in str(refused.value)
    with pytest.raises(DatabaseRefused, match="newer"):
        open_store(pg_url, board="another")
    with pytest.raises(DatabaseRefused, match="newer"):
        apply_migrations(pg_url)
    assert _state(pg_url) == before


def test_an_older_schema_is_migrated_only_when_asked_after_pg_dump(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(pg_url)
    store.settings.set_setting("k", "v")
    store.close()
    extra = tmp_path / "9000_new_column.sql"
    extra.write_text("ALTER TABLE setting ADD COLUMN note text;")
    monkeypatch.setattr(
        migrate, "known_migrations", lambda: (*known_migrations(), (extra.stem, extra))
    )
    before = _state(pg_url)
    with pytest.raises(DatabaseRefused) as refused:
        open_store(pg_url)
    message = str(refused.value)
    assert "needs migrating (9000_new_column)" in message and "pg_dump --format=custom" in message
    assert "mtui db migrate" in message
    assert _state(pg_url) == before
    assert apply_migrations(pg_url) == ["9000_new_column"]
    reopened = open_store(pg_url)
    assert reopened.settings.get_setting("k") == "v"
    reopened.close()


def test_a_failing_migration_changes_nothing(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(pg_url).close()
    bad = tmp_path / "9001_broken.sql"
    bad.write_text("ALTER TABLE setting ADD COLUMN half text; SELECT no_such_function();")
    monkeypatch.setattr(migrate, "known_migrations", lambda: (*known_migrations(), (bad.stem, bad)))
    before = _state(pg_url)
    with pytest.raises(Exception) as failed:
        apply_migrations(pg_url)
    assert "no_such_function" in str(failed.value)
    assert _state(pg_url) == before
    with psycopg.connect(pg_url) as conn:
        columns = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'setting'")]  # fmt: skip
    assert "half" not in columns


def test_a_database_of_something_else_is_refused_untouched(empty_url: str) -> None:
    with psycopg.connect(empty_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    before = _state(empty_url)
    with pytest.raises(DatabaseRefused, match="not mtui's"):
        open_store(empty_url)
    with pytest.raises(DatabaseRefused, match="not mtui's"):
        apply_migrations(empty_url)
    assert _state(empty_url) == before


def test_boards_on_one_server_are_separate(pg_url: str) -> None:
    main = open_store(pg_url)
    growth = open_store(pg_url, board="growth")
    via_url = open_store(pg_url + "?board=growth")
    try:
        a = main.tasks.create_task({"title": "main's", "status_id": 1, "position": 1.0},
                                   action_id="a")  # fmt: skip
        b = growth.tasks.create_task({"title": "growth's", "status_id": 1, "position": 1.0},
                                     action_id="b")  # fmt: skip
        assert a.id == b.id == 1  # ids are numbered per board
        assert [t.title for t in via_url.tasks.list_tasks()] == ["growth's"]
        assert [t.title for t in main.tasks.list_tasks()] == ["main's"]
        assert main.feed.position() == growth.feed.position() == 1
        assert growth.admin.location.endswith("?board=growth")
        with pytest.raises(DatabaseRefused, match="no board named 'ops'"):
            open_store(pg_url, board="ops", migrate=False)
    finally:
        for store in (main, growth, via_url):
            store.close()


def test_two_first_opens_of_a_board_create_it_once(pg_url: str) -> None:
    opened: list = []
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            opened.append(open_store(pg_url, board="team"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert errors == []
        assert len({store.session.board for store in opened}) == 1
    finally:
        for store in opened:
            store.close()


def test_a_sqlite_board_rejects_the_board_option(tmp_path: Path) -> None:
    with pytest.raises(DatabaseRefused, match="--board"):
        open_store(tmp_path / "x.db", board="growth")
