"""The click CLI: the root group and the modules that define each command.

A command's module is imported only when the command is looked up (see
``MtuiGroup.get_command``): importing all of them cost more than most commands take.
Each module adds its commands to the root group (or to another module's group) when
imported; ``tests/cli/test_cli_lazy.py`` checks that this table names every command.
"""

from __future__ import annotations

from mtui.cli.base import main

__all__ = ["COMMAND_MODULES", "main"]

_TASKS = ("mtui.cli.tasks",)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "add": _TASKS, "done": _TASKS, "export": _TASKS, "import": _TASKS, "ls": _TASKS,
    "move": _TASKS, "restore": _TASKS, "rm": _TASKS,
    "brief": ("mtui.cli.strategy",),
    "goal": ("mtui.cli.strategy",),
    "campaign": ("mtui.cli.strategy", "mtui.cli.standup"),  # standup adds `campaign status`
    "standup": ("mtui.cli.standup",),
    "config": ("mtui.cli.config_cmd",),
    "db": ("mtui.cli.db", "mtui.cli.db_copy"),  # db_copy adds `db copy`
    "demo": ("mtui.cli.dashboard",),
    "metrics": ("mtui.cli.metrics",),
    "source": ("mtui.cli.metrics",),
    "team": ("mtui.cli.team",),
    "web": ("mtui.cli.web",),
}  # fmt: skip

main.lazy_commands = COMMAND_MODULES
