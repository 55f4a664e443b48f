"""Task commands: add, ls, move, done, rm, import, export."""

from __future__ import annotations

import sys

import click

from mtui.cli.base import TASK_ID, CliContext, main, pass_cli, print_json


def _actions(cli: CliContext):
    from mtui.core.tasks.actions import TaskActions

    return TaskActions(cli.store)


def _describe(task, names) -> str:
    from mtui.core.transfer.records import task_record

    record = task_record(task, names)
    bits = [f"#{task.id}", task.title, f"[{record['status']}]"]
    bits += [f"@{record['owner']}"] if record["owner"] else []
    bits += [f"#{record['channel']}"] if record["channel"] else []
    bits += [f"!{task.priority}"] if task.priority else []
    bits += [f"^{record['goal']}"] if record["goal"] else []
    bits += [f"c:{record['campaign']}"] if record["campaign"] else []
    bits += [f"due {task.due}"] if task.due else []
    bits += [f"+{t}" for t in task.tags]
    return " ".join(bits)


def _emit(tasks, cli: CliContext, as_json: bool) -> None:
    from mtui.core.tasks.lookups import Lookups
    from mtui.core.transfer.records import task_record

    names = Lookups.load(cli.store)
    if as_json:
        print_json([task_record(t, names) for t in tasks])
    else:
        for task in tasks:
            click.echo(_describe(task, names))


@main.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Print what was understood; save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def add(cli: CliContext, text: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Quick-add a task: TEXT in the quick-add language, or - to read one per line."""
    from mtui.cli.base import read_stdin_text
    from mtui.cli.quickadd import add_lines

    lines = read_stdin_text().splitlines() if text == ("-",) else [" ".join(text)]
    add_lines(cli, [line for line in lines if line.strip()], dry_run=dry_run, as_json=as_json)


@main.command(name="ls")
@click.option("--status", "-s", "status", help="Only this column (name or prefix).")
@click.option("--filter", "-f", "filter_text", help="Filter text, as in the board's / filter.")
@click.option("--orphans", is_flag=True, help="Only open tasks serving no goal.")
@click.option("--deleted", is_flag=True, help="Only deleted tasks (restore with mtui restore).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def ls(cli: CliContext, status: str | None, filter_text: str | None, orphans: bool,
       deleted: bool, as_json: bool) -> None:  # fmt: skip
    """List tasks, column by column."""
    from mtui.core.tasks.lookups import Lookups

    actions = _actions(cli)
    status_ids = [actions.status_named(status).id] if status else None
    tasks = cli.store.tasks.list_tasks(status_ids=status_ids, deleted_only=deleted)
    names = Lookups.load(cli.store)
    if orphans:
        from mtui.core.strategy.goals import (
            orphan_tasks,  # the one definition the brief pane counts with
        )

        tasks = orphan_tasks(tasks, names.campaigns.values(), names.done_status_ids)
    if filter_text:
        from mtui.core import clock
        from mtui.core.language.filter_query import parse_filter

        predicate = parse_filter(filter_text, clock.now()).compile(names.filter_maps)
        tasks = [t for t in tasks if predicate(t)]
    _emit(tasks, cli, as_json)


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.argument("status")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def move(cli: CliContext, task_id: int, status: str, as_json: bool) -> None:
    """Move a task to another column (name or unambiguous prefix)."""
    actions = _actions(cli)
    task = actions.move_to(cli.store.tasks.get_task(task_id), actions.status_named(status).id)
    _emit([task], cli, as_json)


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def done(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Mark a task done."""
    task = _actions(cli).mark_done(cli.store.tasks.get_task(task_id))
    _emit([task], cli, as_json)


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def rm(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Delete a task (soft: `mtui restore ID` brings it back)."""
    task = _actions(cli).delete(cli.store.tasks.get_task(task_id))
    if as_json:
        _emit([task], cli, True)
    else:
        click.echo(f"deleted #{task.id} {task.title} (mtui restore {task.id} brings it back)")


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def restore(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Restore a deleted task."""
    task = _actions(cli).restore(task_id)
    _emit([task], cli, as_json)


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the extension."
)
@pass_cli
def import_(cli: CliContext, file: str, fmt: str | None) -> None:
    """Import tasks from a CSV or JSON export."""
    from mtui.core.transfer.records import detect_format, import_records, read_records

    fmt = detect_format(file, fmt)
    with open(file, encoding="utf-8", newline="") as handle:
        records = list(read_records(handle, fmt))
    with click.progressbar(length=len(records), label="Importing", file=sys.stderr,
                           show_pos=True) as bar:  # fmt: skip
        count, created = import_records(cli.store, records, progress=bar.update)
    click.echo(f"imported {count} tasks")
    for item in created:
        click.echo(f"created {item} (it was named in the file but not in this database)", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "md"]), default="json", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@pass_cli
def export(cli: CliContext, fmt: str, output: str | None) -> None:
    """Export every task (deleted ones too) with every field."""
    from mtui.core.transfer.records import export_records, write_records

    records = export_records(cli.store)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            write_records(records, fmt, handle)
    else:
        write_records(records, fmt, sys.stdout)
