"""`mtui team init|add|ls|rm`: who may read and write a team board."""

from __future__ import annotations

import click

from mtui.cli.base import CliContext, main, pass_cli, print_json


@main.group()
def team() -> None:
    """Members of a team board (PostgreSQL): viewers read, editors write, admins manage.

    The server enforces it (row-level security). Run these as the role that owns
    mtui's tables; members connect as their own roles (passwords via ~/.pgpass or
    PGPASSWORD, never stored by mtui).
    """


def _open(cli: CliContext, *, create: bool = False):
    from mtui.core.store import open_team

    return open_team(cli.db_target, cli.board, create=create)


def _show_sql(statements: list[str]) -> None:
    for statement in statements:
        click.echo(f"  {statement};")


@team.command()
@pass_cli
def init(cli: CliContext) -> None:
    """Create the board (if new) and the member group role; prints the SQL it ran."""
    store, admin = _open(cli, create=True)
    try:
        statements = admin.init()
        click.echo(f"team board ready at {store.admin.location}")
        _show_sql(statements)
    finally:
        store.close()


@team.command()
@click.argument("role")
@click.option("--role", "access", type=click.Choice(["viewer", "editor", "admin"]),
              default="editor", show_default=True, help="What the member may do.")  # fmt: skip
@pass_cli
def add(cli: CliContext, role: str, access: str) -> None:
    """Add ROLE (a database role, created as a login role if new) to the board."""
    store, admin = _open(cli)
    try:
        statements = admin.add(role, access)
        click.echo(f"{role} is now {access} on {store.admin.location}")
        _show_sql(statements)
        click.echo(
            f"  (set a password with: ALTER ROLE \"{role}\" PASSWORD '…'; "
            "the member keeps it in ~/.pgpass)"
        )
    finally:
        store.close()


@team.command(name="ls")
@click.option("--json", "as_json", is_flag=True, help="Print the members as JSON.")
@pass_cli
def ls(cli: CliContext, as_json: bool) -> None:
    """List the board's members and what each may do."""
    store, admin = _open(cli)
    try:
        members = admin.members()
    finally:
        store.close()
    if as_json:
        print_json([{"role": m.role, "access": m.access} for m in members])
        return
    if not members:
        click.echo("no members yet (only the owner): mtui team add NAME --role editor")
    for member in members:
        click.echo(f"{member.role:<24} {member.access}")


@team.command(name="rm")
@click.argument("role")
@pass_cli
def rm(cli: CliContext, role: str) -> None:
    """Take ROLE off the board (the database role itself is kept)."""
    store, admin = _open(cli)
    try:
        statements = admin.remove(role)
        click.echo(f"{role} removed from {store.admin.location}")
        _show_sql(statements)
    finally:
        store.close()
