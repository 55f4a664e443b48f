"""``mtui config show`` says what applies for every setting (issue 12 item 23h)."""

from __future__ import annotations

from tests.support.cli import run_mtui


def test_unset_values_say_what_applies_instead(tmp_path) -> None:
    env = {"MTUI_CONFIG_DIR": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run_mtui("config", "show", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"db = (default: {tmp_path / 'data' / 'mtui' / 'mtui.db'})" in lines
    assert "keys = (the default keys)" in lines
    assert 'week_start = "monday"' in lines
    assert not any("None" in line or "{}" in line or "[]" in line for line in lines), lines


def test_set_values_and_problems_are_shown(tmp_path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / "config.toml").write_text('theme = "mtui-light"\n[keys]\nquick_add = "A"\n')
    result = run_mtui("config", "show", env={"MTUI_CONFIG_DIR": str(folder),
                                             "MTUI_DB": str(tmp_path / "x.db")})  # fmt: skip
    lines = result.stdout.splitlines()
    assert 'theme = "mtui-light"' in lines
    assert 'keys.quick_add = "A"' in lines
    assert f"db = ($MTUI_DB: {tmp_path / 'x.db'})" in lines
