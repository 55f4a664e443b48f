"""Report sections (``mtui.core.standup.format.ReportSection``) as Textual widgets.

Roles map to theme variables, so the stand-up view follows the theme like the board.
Each item is its own row with the bullet beside it, so wrapped lines stay indented.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from mtui.core.standup.format import ReportSection, Run

ROLE_STYLES = {
    "": "",
    "strong": "bold",
    "owner": "$accent",
    "muted": "$text-muted",
    "good": "$success",
    "bad": "$error",
    "warn": "$warning",
    "code": "bold",  # a command, in "… and 40 more (mtui ls …)"
}

# On screen one owner's tasks go one per line, indented under the owner.
SCREEN_SEPARATOR = "\n  "


def runs_content(runs: Iterable[Run]) -> Content:
    return Content.assemble(*((text, ROLE_STYLES.get(role, "")) for text, role in runs))


def section_widgets(section: ReportSection) -> list[Widget]:
    """A title with its count, then one bullet row per item (or the "empty" word)."""
    count = f" {section.count}" if section.count is not None else ""
    title = Content.assemble((section.title, "bold $primary"), (count, "$text-muted"))
    widgets: list[Widget] = [Static(title, classes="report-title")]
    for item in section.items or [[(section.empty, "muted")]]:
        widgets.append(
            Horizontal(
                Static("•", classes="report-bullet"),
                Static(runs_content(item), classes="report-item"),
                classes="report-row",
            )
        )
    return widgets
