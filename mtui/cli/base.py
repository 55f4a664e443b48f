"""The root command group, shared options and error handling."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from mtui import __version__
from mtui.core.errors import ConflictError, DatabaseRefused, MtuiError, NotFound, ValidationError

BAD_INPUT = (DatabaseRefused, ValidationError, NotFound)


@dataclass
class CliContext:
    """Opens the store on first use, so commands that need no database stay fast."""

    db_option: str | None
    _store: Any = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        from mtui.core.paths import resolve_db_path

        return resolve_db_path(self.db_option)

    @property
    def store(self):
        if self._store is None:
            from mtui.core.store import open_store

            self._store = open_store(self.db_path)
        return self._store


class MtuiGroup(click.Group):
    """Turns mtui's errors into one line on stderr and the documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BAD_INPUT as exc:
            fail(str(exc), code=2)
        except (ConflictError, MtuiError) as exc:
            fail(str(exc), code=1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # e.g. `mtui ls | head`: the reader left, which is fine
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            fail("interrupted", code=130)
        except Exception as exc:  # never show a traceback to a user
            if os.environ.get("MTUI_DEBUG"):
                raise
            fail(f"unexpected error: {type(exc).__name__}: {exc}", code=1)


def fail(message: str, *, code: int) -> None:
    click.echo(f"mtui: {message}", err=True)
    sys.exit(code)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=MtuiGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_option",
    metavar="PATH",
    help="Database file (else $MTUI_DB, else the platform data dir).",
)
@click.version_option(__version__, prog_name="mtui")
@click.pass_context
def main(ctx: click.Context, db_option: str | None) -> None:
    """mtui: a terminal dashboard tying marketing execution to strategy.

    With no command, opens the dashboard.
    """
    ctx.obj = CliContext(db_option)
    if ctx.invoked_subcommand != "config":  # `config` reports problems its own way
        from mtui.core.config import active_config

        for problem in active_config().problems:  # a bad config never stops mtui
            click.echo(f"mtui: {problem} (using the default)", err=True)
    if ctx.invoked_subcommand is None:
        from mtui.cli.dashboard import run_dashboard

        run_dashboard(ctx.obj.store)


pass_cli = click.make_pass_decorator(CliContext)
