"""The config folder mtui works out itself on Linux is the one platformdirs names.

``db_location.config_dir`` skips importing platformdirs on a plain Linux (a quick-add
reads the config file and should not pay for the import); a user's config must still be
found exactly where ``mtui config path`` always said it was.
"""

from __future__ import annotations

import sys

import platformdirs
import pytest

from mtui.core.config import db_location


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is Linux's only")
@pytest.mark.parametrize(
    ("xdg", "home"),
    [(None, "/home/ana"), ("/srv/conf", "/home/ana"), ("", "/home/ana/"), ("relative/x", "/h"),
     ("  ", "/"), ("/x/y/", "/home/ana"), (None, "//net/home")],
)  # fmt: skip
def test_the_linux_config_folder_is_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str
) -> None:
    monkeypatch.delenv("MTUI_CONFIG_DIR", raising=False)
    monkeypatch.setenv("HOME", home)
    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    expected = platformdirs.user_config_path("mtui", appauthor=False)
    assert db_location._xdg_config_dir() == expected
    assert db_location.config_dir() == expected


def test_without_an_absolute_home_platformdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a relative $HOME is platformdirs' to resolve (it asks pwd)."""
    monkeypatch.delenv("MTUI_CONFIG_DIR", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", "not/absolute")
    assert db_location._xdg_config_dir() is None
    assert db_location.config_dir() == platformdirs.user_config_path("mtui", appauthor=False)


def test_mtui_config_dir_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTUI_CONFIG_DIR", "~/elsewhere")
    monkeypatch.setenv("HOME", "/home/ana")
    assert str(db_location.config_dir()) == "/home/ana/elsewhere"
