"""``mtui add`` without click: a quick-add from a script or a launcher should feel instant,
and loading click and every command module costs more than the add itself.

``plain_add`` accepts only the plain form of the command, which click would read the
same way: ``mtui [--db PATH] [--board NAME] add [--dry-run] [--json] WORDS…``. Anything
else (``--help``, ``--version``, ``--``, an unknown option, a missing argument, a
repeated global option, undecodable bytes, shell completion, a stream click would
re-encode) returns None, and click runs the command as always, with its own messages
and exit codes. ``run_add`` then does what the click command does, in the same order:
the config file's problems, ``--json`` errors, the add, the store closed at the end.
``tests/cli`` runs every ``mtui add`` through this path; ``tests/cli/test_fast_add.py``
checks that it and click agree.
"""

from __future__ import annotations

import codecs
import os
import sys

GLOBAL_OPTIONS = ("--db", "--board")
ADD_FLAGS = ("--dry-run", "--json")


class AddRequest:
    """What a plain ``mtui add`` asks for. (A plain class: a dataclass costs start-up.)"""

    __slots__ = ("as_json", "board", "db_option", "dry_run", "words")

    def __init__(self, *, db_option: str | None, board: str | None, words: tuple[str, ...],
                 dry_run: bool, as_json: bool) -> None:  # fmt: skip
        self.db_option = db_option
        self.board = board
        self.words = words
        self.dry_run = dry_run
        self.as_json = as_json


def split_globals(args: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """``mtui [--db PATH] [--board NAME] COMMAND…`` as (the global options given,
    ``COMMAND…``), or None when the options are anything but that plain form (an
    unknown or repeated option, a missing or empty value, or one that looks like an
    option): click reads those."""
    values: dict[str, str] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        name, equals, value = args[i].partition("=")
        if name not in GLOBAL_OPTIONS or name in values:
            return None
        if not equals:
            if i + 1 >= len(args):
                return None
            i += 1
            value = args[i]
        if not value or value.startswith("-"):
            return None
        values[name] = value
        i += 1
    return values, args[i:]


def plain_add(args: list[str]) -> AddRequest | None:
    """The ``mtui add`` that ``args`` (argv without the program) asks for, or None when
    anything about them is for click to read."""
    split = split_globals(args)
    if split is None:
        return None
    values, command = split
    if not command or command[0] != "add":
        return None
    rest = command[1:]
    words = tuple(word for word in rest if word not in ADD_FLAGS)
    if not words or any(w.startswith("-") and w != "-" for w in words):
        return None
    if not all(is_text(arg) for arg in args) or not plain_streams():
        return None
    return AddRequest(
        db_option=values.get("--db"),
        board=values.get("--board"),
        words=words,
        dry_run="--dry-run" in rest,
        as_json="--json" in rest,
    )


def is_text(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False  # click refuses it with its own message
    return True


def plain_streams() -> bool:
    """True when click.echo would write to stdout and stderr as they are (no shell
    completion asked for, both streams there, neither with an ASCII encoding)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return False
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if stream is None or not encoding or getattr(stream, "errors", None) is None:
            return False
        try:
            if codecs.lookup(encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


def run_add(request: AddRequest) -> None:
    """``mtui add`` as the click command runs it (see ``mtui.cli.tasks.add``)."""
    from mtui.cli.output import CliContext, echo
    from mtui.errors_exit import report_errors_as_json, run_reporting_errors

    cli = CliContext(request.db_option, request.board)
    try:

        def add() -> None:
            from mtui.core.config.user_config import active_config

            for problem in active_config().problems:  # a bad config never stops mtui
                echo(f"mtui: {problem} (using the default)", err=True)
            if request.as_json:
                report_errors_as_json()
            from mtui.cli.output import read_stdin_text
            from mtui.cli.quickadd import add_lines

            words = request.words
            lines = read_stdin_text().splitlines() if words == ("-",) else [" ".join(words)]
            cli.creates = not request.dry_run  # a dry run never creates a board
            add_lines(cli, [line for line in lines if line.strip()],
                      dry_run=request.dry_run, as_json=request.as_json)  # fmt: skip

        run_reporting_errors(add)
    finally:
        cli.close()
