"""`mtui db path|migrate|backup|check`."""

from __future__ import annotations

import click

from mtui.cli.base import CliContext, fail, main, pass_cli
from mtui.core.wording import count


@main.group()
def db() -> None:
    """The database file: where it is, migrating, backing up, checking."""


@db.command()
@pass_cli
def path(cli: CliContext) -> None:
    """Print the database path (or the team board's URL, without its password) in use."""
    from mtui.core.store import shown_location

    click.echo(shown_location(cli.db_target, cli.board))


@db.command()
@pass_cli
def migrate(cli: CliContext) -> None:
    """Apply pending migrations (a backup is written first); a damaged file is refused.

    With no database there yet, creates one (and says so)."""
    from mtui.core.config.db_location import is_default_location
    from mtui.core.store import migrate_store
    from mtui.errors_exit import announce_created

    pending, backup = migrate_store(
        cli.db_target,
        create_parent=is_default_location(cli.db_option),
        on_create=announce_created,
    )
    if not pending:
        click.echo("up to date")
        return
    click.echo(f"applied {', '.join(pending)}")
    if backup:
        click.echo(f"backup written to {backup}")


@db.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_cli
def backup(cli: CliContext, file: str, force: bool) -> None:
    """Write a consistent copy of the database to FILE (an existing FILE only with --force)."""
    from pathlib import Path

    from mtui.core.errors import DatabaseRefused

    if not force and Path(file).exists():  # before opening anything; the store checks again
        raise DatabaseRefused(f"{file} exists; use --force to overwrite it")
    cli.store.admin.backup(file, overwrite=force)
    click.echo(f"backup written to {file}")


@db.command()
@pass_cli
def check(cli: CliContext) -> None:
    """Run SQLite's integrity and foreign-key checks: each finding on a line (the first
    50 of each), exit 1 when there are any."""
    problems = [p for p in cli.store.admin.integrity_check() if p != "ok"]
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        fail(
            f"{count(len(problems), 'problem')} found in {cli.store.admin.location}: restore a "
            "backup (`mtui.db.bak-*`, `mtui db backup`, `mtui export`) rather than writing to it",
            code=1,
        )
    click.echo("ok")
