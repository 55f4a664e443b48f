"""Where mtui keeps its database: --db, then $MTUI_DB, then the platform data dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "mtui"


def resolve_db_path(cli_value: str | None = None) -> Path:
    """--db, then $MTUI_DB, then the config file's ``db``, then the platform data dir."""
    target = resolve_db(cli_value)
    return target if isinstance(target, Path) else Path(target)


def resolve_db(cli_value: str | None = None) -> str | Path:
    """Like ``resolve_db_path``, but a team server's URL stays a URL (``postgresql://…``)."""
    for value in (cli_value, os.environ.get("MTUI_DB")):
        if value:
            return _target(value)
    from mtui.core.config.user_config import active_config

    configured = active_config().db
    if configured:
        return _target(configured)
    return data_dir() / "mtui.db"  # platformdirs is imported late: only here


def data_dir() -> Path:
    """mtui's platform data folder (where the default database lives)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def is_default_location(cli_value: str | None = None) -> bool:
    """Whether ``resolve_db`` falls through to the platform data dir: the one place mtui
    owns, whose directory it may create. A path given by --db, $MTUI_DB or the config
    file must be in a directory that exists."""
    if cli_value or os.environ.get("MTUI_DB"):
        return False
    from mtui.core.config.user_config import active_config

    return not active_config().db


def _target(value: str) -> str | Path:
    from mtui.core.store import is_server_url

    return value if is_server_url(value) else Path(value).expanduser()


def config_dir() -> Path:
    """$MTUI_CONFIG_DIR, else the platform config folder (``mtui config path``)."""
    env = os.environ.get("MTUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    xdg = _xdg_config_dir()
    if xdg is not None:
        return xdg
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def _xdg_config_dir() -> Path | None:
    """platformdirs' answer on a plain Linux, worked out without importing it (every
    command reads the config file, and platformdirs costs a quick-add about a tenth of
    its time): ``$XDG_CONFIG_HOME/mtui`` when that is absolute, else
    ``$HOME/.config/mtui``. None anywhere less plain (another platform, Android, no
    absolute ``$HOME``): platformdirs decides. ``tests/unit/test_db_location.py``
    checks the two agree."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    if os.environ.get("ANDROID_DATA") or os.environ.get("ANDROID_ROOT"):
        return None
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    if xdg.startswith("/"):
        return Path(xdg, APP_NAME)
    home = os.environ.get("HOME", "")
    if not home.startswith("/"):
        return None
    return Path(home, ".config", APP_NAME)
