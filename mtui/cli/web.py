"""`mtui web`: the dashboard in a browser (textual-serve), for stand-ups on a shared screen."""

from __future__ import annotations

import shlex
import sys

import click

from mtui.cli.base import CliContext, main, pass_cli

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _dashboard_command(cli: CliContext, python: str) -> str:
    """The command each browser session runs. A team board's URL goes by ``$MTUI_DB``
    (inherited by the sessions), never on a command line others can list: it may hold
    a password."""
    import os

    from mtui.core.store import is_server_url

    target = cli.db_target
    if not is_server_url(target):
        return f"{python} -m mtui --db {shlex.quote(str(target))}"
    os.environ["MTUI_DB"] = str(target)
    board = f" --board {shlex.quote(cli.board)}" if cli.board else ""
    return f"{python} -m mtui{board}"


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind. Anything but loopback exposes your board to the network.")  # fmt: skip
@click.option("--demo", is_flag=True, help="Serve a fresh demo plan instead of your database.")
@pass_cli
def web(cli: CliContext, port: int, host: str, demo: bool) -> None:
    """Serve the dashboard to a browser at http://HOST:PORT (each visitor gets a session)."""
    from textual_serve.server import Server

    if host not in LOOPBACK:
        click.echo(
            f"mtui: warning: serving on {host}: anyone who can reach this address can read and "
            "change your board. There is no login.",
            err=True,
        )
    python = shlex.quote(sys.executable)
    command = f"{python} -m mtui demo" if demo else _dashboard_command(cli, python)
    click.echo(f"mtui web: serving on http://{host}:{port} (ctrl+c stops)", err=True)
    Server(command, host=host, port=port, title="mtui").serve()
