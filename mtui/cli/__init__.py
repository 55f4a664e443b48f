"""The ``mtui`` command line. Every TUI data action is also a command here.

Heavy modules (Textual, httpx) are imported inside the commands that need them, so
``mtui add`` and ``mtui ls`` start quickly. Each module below registers its commands on
the root group when imported.
"""

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
