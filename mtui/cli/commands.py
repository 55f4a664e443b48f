"""The click CLI with every command registered: each module below adds its commands to
the root group when imported."""

from __future__ import annotations

from mtui.cli import (  # noqa: F401
    config_cmd,
    dashboard,
    db,
    db_copy,
    metrics,
    standup,
    strategy,
    tasks,
    team,
    web,
)
from mtui.cli.base import main

__all__ = ["main"]
