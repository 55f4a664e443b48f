"""`mtui add`: the quick-add language from the shell (the same parser as the TUI).

Imports no click and no pendulum: ``mtui add`` runs this without click when its
arguments are plain (``mtui.cli.fast_add``), and a line without a due date, or with a
day word (``due:fri``), is read with the standard library.
"""

from __future__ import annotations

import json

from mtui.cli.output import CliContext, echo, emit_tasks
from mtui.errors_exit import fail


def add_lines(cli: CliContext, lines: list[str], *, dry_run: bool, as_json: bool) -> None:
    """Parse every line first; only when all are valid is anything saved."""
    from mtui.core import clock
    from mtui.core.language.quickadd import QuickAddError, parse_quickadd

    if not lines:
        fail("nothing to add", code=2)
    now = clock.current()
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(parse_quickadd(line, now))
        except QuickAddError as exc:
            where = f"line {number}, " if len(lines) > 1 else ""
            if as_json:
                echo(json.dumps({"error": str(exc.message), "position": exc.position}))
                raise SystemExit(2) from None
            fail(
                f"{where}column {exc.position + 1}: {exc.message}\n  {line}\n  {' ' * exc.position}^",
                code=2,
            )
    from mtui.core.language.day_words import within_a_year
    from mtui.core.language.resolve import ResolveError
    from mtui.core.tasks.quick_add import QuickAdder

    # A dry run checks exactly what a real add checks: names resolve against the database.
    adder = QuickAdder(cli.store)
    resolved = []
    for number, (line, item) in enumerate(zip(lines, parsed, strict=True), start=1):
        try:
            resolved.append(adder.resolve(item))  # every line resolves before anything is saved
        except ResolveError as exc:
            where = f"line {number}: " if len(lines) > 1 else ""
            if as_json:
                echo(json.dumps({"error": exc.message, "position": exc.position,
                                       "suggestions": exc.suggestions}))  # fmt: skip
                raise SystemExit(2) from None
            fail(f"{where}{exc.message}; nothing was saved\n  {line}", code=2)
    for number, item in enumerate(parsed, start=1):
        warning = None
        if item.due and not within_a_year(item.due, now.date()):
            from mtui.core.language.dates import distance_warning  # pendulum

            warning = distance_warning(item.due, now)
        if warning:
            where = f"line {number}: " if len(lines) > 1 else ""
            echo(f"mtui: warning: {where}{warning}", err=True)
    new_names = list(dict.fromkeys(n for r in resolved for n in adder.new_names(r)))
    if dry_run:
        for new in new_names:
            echo(f"{new.label} would be created", err=True)
        payload = [p.to_json_dict() for p in parsed]
        if as_json:
            echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False))
        else:
            for fields in payload:
                echo(", ".join(f"{k}={v!r}" for k, v in fields.items() if v not in (None, [])))
        return
    tasks = adder.save_many(resolved)  # one transaction: a killed batch saves nothing
    emit_tasks(tasks, cli, as_json)
    for new in new_names:  # on stderr, so --json output stays one document
        echo(f"{new.label} created", err=True)
