"""Where mtui keeps its database: --db, then $MTUI_DB, then the platform data dir."""

from __future__ import annotations

import os
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
    env = os.environ.get("MTUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)
