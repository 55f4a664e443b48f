"""JSON output written as it is made: long lists go out a batch at a time.

The text is byte for byte what ``base.print_json`` prints for the whole value (indented
by two, control characters escaped), so scripts reading ``--json`` see no change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click

from mtui.cli.output import _C1


def _escaped(text: str) -> str:
    if text.isascii() and "\x7f" not in text:  # both checks run at C speed; most text
        return text
    return re.sub(_C1, lambda match: f"\\u{ord(match[0]):04x}", text)


def print_json_rows(rows: Iterable[Any]) -> None:
    """``print_json(list(rows))``, printed as the rows come."""
    from mtui.core.transfer.json_text import JsonText

    JsonText(default=str).write_array(rows, lambda text: click.echo(_escaped(text), nl=False))
    click.echo("")


def print_json_text(data: Any) -> None:
    """``print_json(data)``, several times faster for a big value."""
    from mtui.core.transfer.json_text import JsonText

    click.echo(_escaped(JsonText(default=str).encode(data)))
