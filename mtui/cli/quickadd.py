"""`mtui add`: the quick-add language from the shell (the same parser as the TUI)."""

from __future__ import annotations

import json

import click

from mtui.cli.base import CliContext, fail


def add_lines(cli: CliContext, lines: list[str], *, dry_run: bool, as_json: bool) -> None:
    """Parse every line first; only when all are valid is anything saved."""
    from mtui.core import clock
    from mtui.core.language.quickadd import QuickAddError, parse_quickadd

    if not lines:
        fail("nothing to add", code=2)
    now = clock.now()
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(parse_quickadd(line, now))
        except QuickAddError as exc:
            where = f"line {number}, " if len(lines) > 1 else ""
            if as_json:
                click.echo(json.dumps({"error": str(exc.message), "position": exc.position}))
                raise SystemExit(2) from None
            fail(
                f"{where}column {exc.position + 1}: {exc.message}\n  {line}\n  {' ' * exc.position}^",
                code=2,
            )
    if dry_run:
        payload = [p.to_json_dict() for p in parsed]
        if as_json:
            click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False))
        else:
            for fields in payload:
                click.echo(
                    ", ".join(f"{k}={v!r}" for k, v in fields.items() if v not in (None, []))
                )
        return
    from mtui.cli.tasks import _emit
    from mtui.core.language.resolve import ResolveError
    from mtui.core.tasks.quick_add import QuickAdder

    adder = QuickAdder(cli.store)
    resolved = []
    for number, (line, item) in enumerate(zip(lines, parsed, strict=True), start=1):
        try:
            resolved.append(adder.resolve(item))  # every line resolves before anything is saved
        except ResolveError as exc:
            where = f"line {number}: " if len(lines) > 1 else ""
            if as_json:
                click.echo(json.dumps({"error": exc.message, "position": exc.position,
                                       "suggestions": exc.suggestions}))  # fmt: skip
                raise SystemExit(2) from None
            fail(f"{where}{exc.message}; nothing was saved\n  {line}", code=2)
    tasks = [adder.save(r) for r in resolved]
    _emit(tasks, cli, as_json)
