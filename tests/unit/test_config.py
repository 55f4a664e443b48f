"""The config file: documented keys apply, and a bad file falls back to defaults with a clear message."""

from __future__ import annotations

from pathlib import Path

from mtui.core.config.user_config import load_config
from tests.support.cli import new_db, run_mtui


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_keys_are_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, (
        'db = "~/m.db"\ntheme = "mtui-light"\ntimezone = "America/New_York"\nweek_start = "sunday"\n'
        'default_column = "Next"\nmetric_refresh_seconds = 600\n[keys]\nquick_add = "n"\n')))  # fmt: skip
    assert config.problems == []
    assert (config.db, config.theme, config.timezone, config.week_start) == (
        "~/m.db",
        "mtui-light",
        "America/New_York",
        "sunday",
    )
    assert (config.default_column, config.metric_refresh_seconds, config.keys) == (
        "Next",
        600,
        {"quick_add": "n"},
    )


def test_bad_values_name_key_and_line_and_keep_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, (
        'theme = "mtui-dark"\n\ntimezone = "Mars/Olympus"\nmetric_refresh_seconds = "often"\n'
        '[keys]\nlaunch_rockets = "x"\n')))  # fmt: skip
    messages = [str(p) for p in config.problems]
    assert (
        "config: timezone (line 3): unknown timezone 'Mars/Olympus' (e.g. Europe/Berlin)"
        in messages
    )
    assert any(m.startswith("config: metric_refresh_seconds (line 4)") for m in messages)
    assert any(m.startswith("config: keys.launch_rockets (line 6)") for m in messages)
    assert (config.theme, config.timezone, config.metric_refresh_seconds) == (
        "mtui-dark",
        None,
        300,
    )


def test_invalid_toml_gives_line_and_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'theme = "mtui-dark"\nweek_start = \n'))
    (problem,) = config.problems
    assert problem.line == 2 and "not valid TOML" in problem.message
    assert config.theme is None and config.week_start == "monday"


def test_cli_uses_config_db_and_column_and_survives_a_bad_key(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    db = tmp_path / "from-config.db"
    (cfg / "config.toml").write_text(
        f'db = "{db}"\ndefault_column = "next"\nbogus = 1\n', encoding="utf-8"
    )
    env = {"MTUI_CONFIG_DIR": str(cfg)}
    assert run_mtui("db", "path", env=env).stdout.strip() == str(db)
    added = run_mtui("add", "Configured task", env=env)
    assert added.returncode == 0 and "[Next]" in added.stdout
    assert "config: bogus (line 3): unknown key" in added.stderr
    assert run_mtui("config", "path", env=env).stdout.strip() == str(cfg / "config.toml")


def test_week_start_and_refresh_interval_take_effect(tmp_path: Path) -> None:
    import json

    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "config.toml").write_text(
        'week_start = "sunday"\nmetric_refresh_seconds = 900\n', encoding="utf-8"
    )
    db = new_db(tmp_path / "w.db")
    env = {"MTUI_CONFIG_DIR": str(cfg)}
    report = json.loads(
        run_mtui("standup", "--since", "week", "--format", "json", db=db, env=env).stdout
    )
    assert report["window"]["start"].startswith("2026-11-22")  # the Sunday before Thu 26 Nov
    monday = json.loads(run_mtui("standup", "--since", "week", "--format", "json", db=db).stdout)
    assert monday["window"]["start"].startswith("2026-11-23")
    added = run_mtui("source", "add", "site", "--kind", "csv", "--url", "http://127.0.0.1:9/x.csv",
                     "--metric", "v=visits", "--json", db=db, env=env)  # fmt: skip
    assert json.loads(added.stdout)["interval_seconds"] == 900


def test_user_in_the_config_is_who_local_changes_are_recorded_as(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "config.toml").write_text('user = "ana"\n', encoding="utf-8")
    db = tmp_path / "mine.db"
    added = run_mtui("add", "Recorded as ana @me", db=db, env={"MTUI_CONFIG_DIR": str(cfg)})
    assert added.returncode == 0 and "unknown key" not in added.stderr
    from mtui.core.store import open_store

    store = open_store(db)
    assert [e.actor for e in store.tasks.events()] == ["ana"]
    assert [t.owner for t in store.tasks.list_tasks()] == ["ana"]  # @me is the actor
    store.close()
