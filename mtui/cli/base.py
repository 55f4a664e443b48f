"""The root command group, shared options and error handling."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import click

from mtui.cli.output import CliContext, echo_line, is_valid_text, print_json, read_stdin_text
from mtui.errors_exit import fail, report_errors_as_json, run_reporting_errors

__all__ = [
    "CliContext", "echo_line", "fail", "is_valid_text", "main", "pass_cli", "print_json",
    "read_stdin_text",
]  # fmt: skip


def refuse_invalid_utf8(ctx: click.Context) -> None:
    """Text arguments must be UTF-8: Python hands undecodable bytes over as lone
    surrogates, which no store, terminal or JSON output can hold. Paths are exempt
    (a file name is bytes to the OS)."""
    from mtui.core.errors import ValidationError

    for param in ctx.command.params:
        if isinstance(param.type, click.Path) or param.name == "db_option":
            continue
        value = ctx.params.get(param.name or "")
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, str) and not is_valid_text(item):
                shown = item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                name = param.human_readable_name
                if isinstance(param, click.Option):
                    name = max(param.opts, key=len)
                raise ValidationError(f"{name} is not valid UTF-8 text: '{shown}'")


class MtuiCommand(click.Command):
    """Every mtui command refuses undecodable text arguments before it runs, and with
    ``--json`` reports every error as JSON too (a usage error included)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = args[: args.index("--")] if "--" in args else args
        if "--json" in options and any(p.name == "as_json" for p in self.params):
            report_errors_as_json()
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        refuse_invalid_utf8(ctx)
        return super().invoke(ctx)


# The version ``mtui --version`` prints: a constant, because reading the package's
# metadata (importlib.metadata) cost more than the rest of the command.
# tests/cli/test_cli_lazy.py checks that it is pyproject.toml's.
VERSION = "0.1.0"


class MtuiGroup(click.Group):
    """Turns mtui's errors into one line on stderr and the documented exit codes.

    ``lazy_commands`` (the root group's, set by ``mtui.cli.commands``) names the modules
    that define each command: a command's module is imported when that command is looked
    up, so ``mtui ls`` does not load the metrics, strategy and web commands. Listing the
    commands (``--help``) loads them all, and so does an unknown name, so that click's
    "did you mean" sees every command.
    """

    command_class = MtuiCommand
    group_class = type  # subgroups are MtuiGroups too
    lazy_commands: dict[str, tuple[str, ...]] = {}  # the root group's is set once

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        modules = self.lazy_commands.get(cmd_name)
        if modules is None and cmd_name not in self.commands:
            modules = tuple({m for ms in self.lazy_commands.values() for m in ms})
        for module in modules or ():
            importlib.import_module(module)  # registers its commands on this group
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        def run() -> Any:
            refuse_invalid_utf8(ctx)
            return _one_line_usage_errors(lambda: super(MtuiGroup, self).invoke(ctx))

        return run_reporting_errors(run)


def _one_line_usage_errors(invoke: Callable[[], Any]) -> Any:
    """A bad argument is bad input like any other: one line on stderr, exit 2.

    click would print the usage block first; the line names the help to read instead.
    A bare group (``mtui goal``) still shows its help, which is what was asked for.
    """
    try:
        return invoke()
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        where = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
        fail(exc.format_message() + where, code=2)


class TaskId(click.ParamType):
    """A task id as ``mtui ls`` prints it (``12`` or ``#12``).

    Any whole number is read without converting more digits than an id can have, so
    ``99999999999999999999999`` is simply a task that does not exist (exit 2), never an
    integer overflow in the store.
    """

    name = "id"
    _MAX_ID = 2**63 - 1  # the largest integer primary key SQLite can hold

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().removeprefix("#")
        if not (text.isascii() and text.isdigit()):
            self.fail(f"{value!r} is not a task id: use the number `mtui ls` shows", param, ctx)
        if len(text.lstrip("0")) > 19 or int(text) > self._MAX_ID or int(text) == 0:
            from mtui.core.errors import NotFound

            raise NotFound(f"no task #{text}")
        return int(text)


TASK_ID = TaskId()


@click.group(cls=MtuiGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_option",
    metavar="PATH",
    help="Database file or postgresql:// URL (else $MTUI_DB, else the platform data dir).",
)
@click.option("--board", metavar="NAME", help="Which board on a team server (default: main).")
@click.version_option(VERSION, prog_name="mtui")
@click.pass_context
def main(ctx: click.Context, db_option: str | None, board: str | None) -> None:
    """mtui: a terminal dashboard tying marketing execution to strategy.

    With no command, opens the dashboard.
    """
    ctx.obj = CliContext(db_option, board)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand != "config":  # `config` reports problems its own way
        from mtui.core.config.user_config import active_config

        for problem in active_config().problems:  # a bad config never stops mtui
            click.echo(f"mtui: {problem} (using the default)", err=True)
    if ctx.invoked_subcommand is None:
        from mtui.cli.dashboard import run_dashboard

        run_dashboard(ctx.obj.open(create=True))


pass_cli = click.make_pass_decorator(CliContext)
