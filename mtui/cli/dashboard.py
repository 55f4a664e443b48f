"""Commands that open the TUI: the dashboard itself and the demo."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mtui.cli.base import CliContext, main, pass_cli

if TYPE_CHECKING:
    from mtui.core.store.contract import Store


def run_dashboard(store: Store, *, demo_metrics: bool = False) -> None:
    """The dashboard until it is quit. An error that ended it (the app printed one line
    saying which) exits with the app's non-zero status."""
    from mtui.gc_pause import pause_until_first_frame

    pause_until_first_frame()
    from mtui.ui.app import MtuiApp  # Textual is imported only when a screen is needed

    app = MtuiApp(store, demo_metrics=demo_metrics)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)  # the callers' finally blocks still close the store


@main.command()
@click.option(
    "--tasks",
    "task_count",
    type=click.IntRange(0, 1_000_000),
    default=None,
    help="Add generated tasks up to N in all (for load tests).",
)
@click.option("--db", "db_option", metavar="PATH",
              help="Keep the demo in this (new) file, or an empty board on a team server.")  # fmt: skip
@click.option("--no-open", is_flag=True, help="Only create the demo database; print its path.")
@pass_cli
def demo(cli: CliContext, task_count: int | None, db_option: str | None, no_open: bool) -> None:
    """Open the dashboard on a fresh, realistic demo plan with live demo metrics.

    The plan goes into a temporary file unless --db names one: a new file, or a
    postgresql:// URL, whose board (--board NAME, default main) must be empty.
    """
    from mtui.core.demo.plan import seed_demo
    from mtui.core.store import is_server_url, open_store
    from mtui.errors_exit import announce_created

    db_option = db_option or cli.db_option
    if db_option and is_server_url(db_option):
        store = _empty_team_board(db_option, cli.board)
        try:
            seed_demo(store, total_tasks=task_count)
            if no_open:
                click.echo(store.admin.location)
                return
            run_demo_dashboard(store)
        finally:
            store.close()
        return
    if db_option:
        path = Path(db_option).expanduser()
        if path.exists():
            raise click.BadParameter(
                f"{path} exists; the demo only writes a new file", param_hint="--db"
            )
    else:
        path = Path(tempfile.mkdtemp(prefix="mtui-demo-")) / "demo.db"
    store = open_store(path, create=True, on_create=announce_created)
    try:
        seed_demo(store, total_tasks=task_count)
        if no_open:
            store.close()  # before the path is printed: the file is complete on its own
            click.echo(str(path))
            return
        run_demo_dashboard(store)
    finally:
        store.close()  # checkpoints: the plan is in the file itself, not left in its -wal


def _empty_team_board(url: str, board: str | None) -> Store:
    """The board ``board`` on the server at ``url``, opened (created when new), if it is
    empty: the demo writes a whole plan and never mixes it into a team's real one."""
    from mtui.core.store import open_store
    from mtui.core.transfer.board import board_is_empty

    store = open_store(url, board=board)
    if not board_is_empty(store):
        location = store.admin.location
        store.close()
        raise click.BadParameter(
            f"the board at {location} is not empty; the demo only fills an empty board "
            "(name a new one with --board NAME)",
            param_hint="--db",
        )
    return store


def run_demo_dashboard(store: Store) -> None:
    """The dashboard with a live demo metrics endpoint on 127.0.0.1 (ephemeral port),
    stopped when the dashboard exits."""
    from mtui.core.demo import metrics_server as demo_server
    from mtui.core.demo.plan import point_demo_sources

    url, stop = demo_server.start()
    try:
        point_demo_sources(store, url)
        run_dashboard(store, demo_metrics=True)
    finally:
        stop()
