"""`mtui db copy SOURCE DEST`: move a board to the team server and back."""

from __future__ import annotations

import click

from mtui.cli.base import print_json
from mtui.cli.db import db


@db.command(name="copy")
@click.argument("source")
@click.argument("dest")
@click.option("--source-board", metavar="NAME", help="The board to read on a team server.")
@click.option("--dest-board", metavar="NAME", help="The board to create on a team server.")
@click.option("--json", "as_json", is_flag=True, help="Print what was copied as JSON.")
def copy(
    source: str, dest: str, source_board: str | None, dest_board: str | None, as_json: bool
) -> None:
    """Copy a whole board from SOURCE to DEST (a file path or postgresql:// URL).

    Tasks keep their ids and history; every brief version, goal, campaign, column,
    channel, metric source (never a secret: only the name of its variable), metric
    history, stand-up and setting comes along. DEST must be a new or empty board; the
    copy is one transaction, so it is all there or not at all. SOURCE is only read.
    """
    from mtui.core.store import open_store, shown_location
    from mtui.core.transfer.copy import copy_board
    from mtui.errors_exit import announce_created

    src = open_store(source, board=source_board, read_only=True, create=False)
    try:
        dst = open_store(dest, board=dest_board, create=True, on_create=announce_created)
        try:
            summary = copy_board(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    where = shown_location(dest, dest_board)
    if as_json:
        print_json({"copied_to": where, "snapshots": summary.snapshots,
                    "lines": summary.lines()})  # fmt: skip
        return
    click.echo(f"copied {shown_location(source, source_board)} to {where}")
    for line in summary.lines():
        click.echo(f"  {line}")
