"""Where mtui keeps its database: --db, then $MTUI_DB, then the platform data dir."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mtui"


def resolve_db_path(cli_value: str | None = None) -> Path:
    """--db, then $MTUI_DB, then the config file's ``db``, then the platform data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("MTUI_DB")
    if env:
        return Path(env).expanduser()
    from mtui.core.config.user_config import active_config

    configured = active_config().db
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path  # imported late: only this branch needs it

    return user_data_path(APP_NAME, appauthor=False) / "mtui.db"


def config_dir() -> Path:
    env = os.environ.get("MTUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)
