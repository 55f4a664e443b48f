"""``mtui standup`` without click: the report is read at a stand-up, every morning, and
loading click and every command module took longer than reading a year of activity log.

``plain_standup`` accepts only the plain form of the command, which click would read the
same way: ``mtui [--db PATH] [--board NAME] standup [--since WHEN] [--owner NAME]
[--format md|text|json] [--mark]`` (each option at most once, ``--opt VALUE`` or
``--opt=VALUE``). Anything else (``--help``, an unknown or repeated option, a value
that is empty or starts with ``-``, undecodable bytes, shell completion, a stream click
would re-encode) returns None, and click runs the command as always. ``run_standup`` is
the command itself, for both paths; ``tests/cli/test_fast_standup_cli.py`` checks that
they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtui.cli.fast_add import is_text, plain_streams, split_globals

if TYPE_CHECKING:
    from mtui.cli.output import CliContext

VALUE_OPTIONS = ("--since", "--owner", "--format")
FORMATS = ("md", "text", "json")


class StandupRequest:
    """What a plain ``mtui standup`` asks for. (A plain class: a dataclass costs start-up.)"""

    __slots__ = ("board", "db_option", "fmt", "mark", "owner", "since")

    def __init__(self, *, db_option: str | None, board: str | None, since: str | None,
                 owner: str | None, fmt: str, mark: bool) -> None:  # fmt: skip
        self.db_option = db_option
        self.board = board
        self.since = since
        self.owner = owner
        self.fmt = fmt
        self.mark = mark


def plain_standup(args: list[str]) -> StandupRequest | None:
    """The ``mtui standup`` that ``args`` (argv without the program) asks for, or None
    when anything about them is for click to read."""
    split = split_globals(args)
    if split is None:
        return None
    globals_, command = split
    if not command or command[0] != "standup":
        return None
    values: dict[str, str] = {}
    mark = False
    rest = command[1:]
    i = 0
    while i < len(rest):
        name, equals, value = rest[i].partition("=")
        if name == "--mark" and not equals and not mark:
            mark = True
            i += 1
            continue
        if name not in VALUE_OPTIONS or name in values:
            return None
        if not equals:
            if i + 1 >= len(rest):
                return None
            i += 1
            value = rest[i]
        if not value or value.startswith("-"):
            return None
        values[name] = value
        i += 1
    fmt = values.get("--format", "md")
    if fmt not in FORMATS:
        return None
    if not all(is_text(arg) for arg in args) or not plain_streams():
        return None
    return StandupRequest(db_option=globals_.get("--db"), board=globals_.get("--board"),
                          since=values.get("--since"), owner=values.get("--owner"),
                          fmt=fmt, mark=mark)  # fmt: skip


def run_plain_standup(request: StandupRequest) -> None:
    """``mtui standup`` as the click group and command run it: the config file's
    problems first, the report, the store closed at the end."""
    from mtui.cli.output import CliContext, echo
    from mtui.errors_exit import run_reporting_errors

    cli = CliContext(request.db_option, request.board)
    try:

        def report() -> None:
            from mtui.core.config.user_config import active_config

            for problem in active_config().problems:  # a bad config never stops mtui
                echo(f"mtui: {problem} (using the default)", err=True)
            run_standup(cli, request.since, request.owner, request.fmt, request.mark)

        run_reporting_errors(report)
    finally:
        cli.close()


def run_standup(
    cli: CliContext, since: str | None, owner: str | None, fmt: str, mark: bool
) -> None:
    """Print the report in ``fmt``; with ``mark``, then record a stand-up held now."""
    from mtui.cli.output import echo
    from mtui.core import clock
    from mtui.core.standup.format import LIST_LIMIT
    from mtui.core.standup.report import standup_report

    # Markdown and text show LIST_LIMIT tasks a section: what they do not show is
    # counted, not read in full. JSON is complete.
    shown = None if fmt == "json" else LIST_LIMIT
    report = standup_report(cli.store, since=since, owner=owner, shown=shown)
    full_listing = json_command(since, owner)
    if fmt == "json":
        from mtui.cli.streaming import print_json_text
        from mtui.core.standup.format import to_json

        print_json_text(to_json(report))
    elif fmt == "text":
        import sys

        from rich.console import Console

        from mtui.core.standup.format import to_rich

        # Piped (a file, a chat tool, a pager): one line per item, never rich's 80-column
        # hard wrap with continuation lines at column 0. A terminal wraps as usual.
        Console(highlight=False, soft_wrap=not sys.stdout.isatty()).print(
            to_rich(report, full_listing=full_listing)
        )
    else:
        from mtui.core.standup.format import to_markdown

        echo(to_markdown(report, full_listing=full_listing), nl=False)
    if mark:
        cli.store.settings.mark_standup(clock.utc_stamp())
        echo(f"stand-up recorded at {clock.now().format('ddd D MMM HH:mm')}", err=True)


def json_command(since: str | None, owner: str | None) -> str:
    """This report again, complete, as JSON: what a capped section points to."""
    command = "mtui standup --format json"
    if not since and not owner:
        return command
    import shlex

    if since:
        command += f" --since {shlex.quote(since)}"
    if owner:
        command += f" --owner {shlex.quote(owner)}"
    return command
