"""Words and numbers the sources screen and the source form share (light to import:
the sources screen draws them before the form's modules are loaded)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from mtui.core.metrics.source_input import env_state, looks_like_secret
from mtui.core.strategy.kpi import metric_name

TEST_GROUP = "source-test"  # thread workers that fetch a source once (nothing stored)


def exact_number(value: float) -> str:
    """A value as it would be stored, readable: ``3,145``, ``0.3648``, ``52.5``."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10g}"


def env_line(name: str) -> Text:
    """``✓ set`` or ``✗ not set — export NAME=…``: never the value."""
    state = env_state(name)
    if looks_like_secret(name):
        return Text("✗ that looks like a secret: type the variable's NAME", style="bold red")
    if state == "set":
        return Text.assemble(
            ("✓ set", "bold green"), (f"  ${name.strip()} is in mtui's environment", "dim")
        )
    if state == "invalid":
        return Text("✗ not a variable's name (letters, digits and _)", style="red")
    what = "set but empty" if state == "empty" else "not set"
    return Text.assemble(
        (f"✗ {what}", "bold red"),
        (f" — export {name.strip()}=… in the shell that starts mtui", ""),
    )


def result_text(name: str, result: Any) -> Text:
    """A test's outcome: the numbers it would store, or the one-line error."""
    text = Text()
    slug_name = name or "source"
    if result.ok:
        text.append("✓ test ok", style="bold green")
        text.append(f" in {result.duration_ms} ms — would store (a test stores nothing):\n")
    else:
        text.append("✗ test failed: ", style="bold red")
        text.append(str(result.error or "unknown error"))
        if result.values:
            text.append("\n  read before the failure:", style="dim")
        text.append("\n" if result.values else "")
    for key, value in result.values.items():
        partial = "  (partial: the real value is higher)" if key in result.partial else ""
        text.append(f"  {metric_name(slug_name, key)} = ", style="dim")
        text.append(exact_number(value), style="bold")
        text.append(partial + "\n", style="yellow")
    if result.period:
        text.append(f"  period {result.period}\n", style="dim")
    for note in result.notes:
        text.append(f"  note: {note}\n", style="dim")
    text.rstrip()
    return text
