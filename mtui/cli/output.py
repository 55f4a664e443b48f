"""What commands print, and the command context, without importing click.

``mtui add`` runs without click when its arguments are plain (``mtui.cli.fast_add``);
everything it prints goes through here, so it prints exactly what the click command
prints. Under click, ``echo`` is click's own.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mtui.core.model import Task
    from mtui.core.store.contract import Store
    from mtui.core.tasks.lookups import Lookups


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """``click.echo``: one line (``nl=False``: the text as it is), flushed; ANSI styles
    stripped when not on a terminal.

    Without click loaded this does what click.echo does for text on a stream with a
    real encoding; ``fast_add.plain_streams`` leaves any other stream to click.
    """
    if "click" in sys.modules:
        import click

        click.echo(message, err=err, nl=nl)
        return
    stream = sys.stderr if err else sys.stdout
    text = f"{message}\n" if nl else message
    if "\x1b" in text and not _isatty(stream):
        text = re.sub(_ANSI, "", text)
    stream.write(text)
    stream.flush()


_ANSI = r"\033\[[0-?]*[ -/]*[@-~]"  # click's own pattern; compiled on first use


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def print_json(data: Any) -> None:
    """JSON with every control character escaped (json leaves DEL and C1 as they are)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    echo(re.sub(_C1, lambda match: f"\\u{ord(match[0]):04x}", text))


_C1 = "[\x7f-\x9f]"  # compiled on first use


def echo_line(text: str, *, multiline: bool = False) -> None:
    """Print text made from stored data: control characters are shown escaped, so a
    title can never drive the terminal (issue 12)."""
    from mtui.core.language.clean import escape_controls

    echo(escape_controls(text, multiline=multiline))


def is_valid_text(text: str) -> bool:
    """False when ``text`` holds lone surrogates (undecodable bytes from argv)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_stdin_text() -> str:
    """All of stdin as UTF-8 text; invalid bytes are bad input naming the line."""
    from mtui.core.errors import ValidationError

    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"stdin is not valid UTF-8 (line {line}, byte {exc.start + 1}); nothing was saved"
        ) from None


class CliContext:
    """Opens the store on first use, so commands that need no database stay fast."""

    def __init__(self, db_option: str | None, board: str | None = None) -> None:
        self.db_option = db_option
        self.board = board
        # Set by the commands that may start a new board (add, import): the store is
        # still opened only when first used, after their input has been checked.
        self.creates = False
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        from mtui.core.config.db_location import resolve_db_path

        return resolve_db_path(self.db_option)

    @property
    def db_target(self) -> str | Path:
        """The file's path, or a team server's URL (which may hold a password: never
        print it; ``store.admin.location`` is the form to show)."""
        from mtui.core.config.db_location import resolve_db

        return resolve_db(self.db_option)

    @property
    def store(self) -> Store:
        """The store, opened on first use. Unless the command set ``creates``, a missing
        file is exit 2 (one line), never a new database."""
        return self.open(create=self.creates)

    def open(self, *, create: bool) -> Store:
        """Open the store. Only the dashboard, ``demo``, ``add``, ``import`` and
        ``db migrate`` pass ``create=True``; a database they create is announced on
        stderr, and only the default location's directory is ever created."""
        if self._store is None:
            from mtui.core.config.db_location import is_default_location
            from mtui.core.store import open_store
            from mtui.errors_exit import announce_created

            self._store = open_store(
                self.db_target,
                board=self.board,
                create=create,
                create_parent=create and is_default_location(self.db_option),
                on_create=announce_created,
            )
        return self._store

    def close(self) -> None:
        """Close the store if a command opened it (when the command ends, however it
        ends): SQLite checkpoints on the last close, so the file holds every write."""
        store, self._store = self._store, None
        if store is not None:
            store.close()


def describe_task(task: Task, names: Lookups) -> str:
    """One task as ``mtui ls`` prints it: ``#12 Title [Doing] @ana #email !1 …``."""
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
    bits += [f"(blocked: {task.blocked_reason})"] if task.blocked_reason else []
    return " ".join(bits)


def emit_tasks(tasks: list[Task], cli: CliContext, as_json: bool) -> None:
    """Tasks as lines (``describe_task``), or as one JSON list of records."""
    from mtui.core.tasks.lookups import Lookups
    from mtui.core.transfer.records import task_record

    names = Lookups.load(cli.store)
    if as_json:
        print_json([task_record(t, names) for t in tasks])
    else:
        for task in tasks:
            echo_line(describe_task(task, names))
