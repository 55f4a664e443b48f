"""Who local changes are recorded as: ``actor.os_user`` is ``getpass.getuser`` without
the import (every command asks, and getpass loads the terminal module)."""

from __future__ import annotations

import getpass

import pytest

from mtui.core.store.actor import os_user

NAMES = ("LOGNAME", "USER", "LNAME", "USERNAME")


@pytest.mark.parametrize(
    "env",
    [{}, {"USER": "ana"}, {"LOGNAME": "raj", "USER": "ana"}, {"USERNAME": "mia"},
     {"LOGNAME": "", "LNAME": "tom"}],
)  # fmt: skip
def test_os_user_is_getpass_getuser(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        expected = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry here: os_user must say the same
        with pytest.raises((KeyError, OSError)):
            os_user()
        return
    assert os_user() == expected
