"""Task commands: add, ls, move, done, rm, import, export."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from mtui.cli.base import TASK_ID, CliContext, echo_line, main, pass_cli
from mtui.cli.output import describe_task, emit_tasks

if TYPE_CHECKING:
    from mtui.core.model import Task


def _actions(cli: CliContext):
    from mtui.core.tasks.actions import TaskActions

    return TaskActions(cli.store)


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
    cli.creates = not dry_run  # `add` may start a new board; a dry run never creates one
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
    names = Lookups.load(cli.store)
    predicate = None
    if filter_text:
        from mtui.core import clock
        from mtui.core.language.filter_query import parse_filter

        query = parse_filter(filter_text, clock.now())
        if query.problems():
            from mtui.core.errors import ValidationError

            issue = query.problems()[0]
            raise ValidationError(
                f"filter {filter_text[issue.start : issue.end]!r}: {issue.message}"
            )
        predicate = query.compile(names.filter_maps)
    if orphans:
        from mtui.core.strategy.goals import (
            orphan_tasks,  # the one definition the brief pane counts with
        )

    def listed() -> Iterator[Task]:
        """The tasks to list, read a batch at a time (100,000 never sit in memory)."""
        for batch in cli.store.tasks.iter_tasks(status_ids=status_ids, deleted_only=deleted):
            if orphans:
                batch = orphan_tasks(batch, names.campaigns.values(), names.done_status_ids)
            yield from filter(predicate, batch) if predicate else batch

    if as_json:
        from mtui.cli.streaming import print_json_rows
        from mtui.core.transfer.records import task_record

        print_json_rows(task_record(task, names) for task in listed())
    else:
        for task in listed():
            echo_line(describe_task(task, names))


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.argument("status")
@click.option("--reason", metavar="TEXT", help="What blocks it (moving into Blocked), as b asks.")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def move(cli: CliContext, task_id: int, status: str, reason: str | None, as_json: bool) -> None:
    """Move a task to another column (name or unambiguous prefix)."""
    from mtui.core.errors import ValidationError
    from mtui.core.tasks.plans import is_blocked_column

    actions = _actions(cli)
    target = actions.status_named(status)
    task = cli.store.tasks.get_task(task_id)
    if reason is not None:
        if not is_blocked_column(target):
            raise ValidationError(f"--reason is for moving into Blocked, not {target.name}")
        task = actions.mark_blocked(task, reason)  # the same change as b on the board
    else:
        task = actions.move_to(task, target.id)
    emit_tasks([task], cli, as_json)


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def done(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Mark a task done."""
    task = _actions(cli).mark_done(cli.store.tasks.get_task(task_id))
    emit_tasks([task], cli, as_json)


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def rm(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Delete a task (soft: `mtui restore ID` brings it back)."""
    task = _actions(cli).delete(cli.store.tasks.get_task(task_id))
    if as_json:
        emit_tasks([task], cli, True)
    else:
        echo_line(f"deleted #{task.id} {task.title} (mtui restore {task.id} brings it back)")


@main.command()
@click.argument("task_id", type=TASK_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def restore(cli: CliContext, task_id: int, as_json: bool) -> None:
    """Restore a deleted task."""
    task = _actions(cli).restore(task_id)
    emit_tasks([task], cli, as_json)


class _LazyProgress:
    """A progress bar on stderr that appears with the first progress: every check runs
    before it, so a refused import prints its one line and nothing else."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.bar: Any = None  # click's progress bar, made on the first update

    def update(self, steps: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=self.length, label="Importing", file=sys.stderr,
                                         show_pos=True)  # fmt: skip
            self.bar.__enter__()
        self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the extension."
)
@click.option(
    "--on-duplicate",
    type=click.Choice(["skip", "update", "new"]),
    default="skip",
    show_default=True,
    help="A record already in the board: leave it, overwrite it, or add a copy.",
)
@pass_cli
def import_(cli: CliContext, file: str, fmt: str | None, on_duplicate: str) -> None:
    """Import an export (JSON: the whole board; CSV: tasks): all of it, or nothing."""
    from mtui.core.transfer.board import BoardFile, check_board, import_board
    from mtui.core.transfer.reading import decode, parse_json, read_file, read_tasks
    from mtui.core.transfer.records import detect_format

    fmt = detect_format(file, fmt)
    name = click.format_filename(file)
    # The whole file is read and checked before the database is opened.
    data = read_file(file)
    if fmt == "csv":
        board = BoardFile(read_tasks(data, fmt, name))
    else:
        board = check_board(parse_json(decode(data, name), name))
    progress = _LazyProgress(len(board.tasks))
    cli.creates = True  # an import may start a new board (a restore)
    try:
        summary = import_board(cli.store, board, on_duplicate=on_duplicate,
                               progress=progress.update)  # fmt: skip
    finally:
        progress.close()
    for line in summary.lines():
        click.echo(line)
    for line in summary.created_lines():
        click.echo(line, err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "md"]), default="json", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@pass_cli
def export(cli: CliContext, fmt: str, output: str | None) -> None:
    """Export the board. JSON is a full backup (`mtui import` restores it); CSV and md
    hold the tasks (every field; deleted ones too in CSV)."""
    from mtui.core.transfer.records import iter_export_records, write_records

    def write(out) -> None:  # as the tasks are read, a batch at a time
        if fmt == "json":
            from mtui.core.transfer.board import write_board

            write_board(cli.store, out)
        else:
            write_records(iter_export_records(cli.store), fmt, out)

    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            write(handle)
    else:
        write(sys.stdout)
