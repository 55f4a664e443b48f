"""The campaign status screen (``C``): one row per campaign; ``enter`` filters the board.

Rows come from ``mtui.core.strategy.campaign_status`` (shared with ``mtui campaign status``);
the detail line under the table shows the highlighted campaign's goals, metrics and flags.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from mtui.core import clock
from mtui.core.metrics.display import compact_number
from mtui.core.store.contract import Store
from mtui.core.strategy.campaign_status import CampaignRow, campaign_status
from mtui.core.strategy.goals import format_value
from mtui.ui.shell.messages import FilterBoard

BAR_WIDTH = 6
NAME_WIDTH = 26
TASKS_WIDTH = 30
ROW_HEIGHT = 2  # long cells wrap onto a second line so every column fits in 160 columns
COLUMNS = ("Campaign", "Status", "Dates", "Left", "Tasks", "Progress", "Budget", "Pacing",
           "Goals · metrics")  # fmt: skip
STATUS_STYLES = {"active": "$success", "planned": "$text-muted", "paused": "$warning", "done": ""}
GOAL_STYLES = {"on track": "$success", "achieved": "$success", "at risk": "$warning"}


def progress_bar(progress: float | None) -> Content:
    """``██████░░░░ 60%`` in theme colours."""
    if progress is None:
        return Content.styled("—", "$text-muted")
    filled = round(progress * BAR_WIDTH)
    return Content.assemble(("█" * filled, "$success"), ("░" * (BAR_WIDTH - filled), "$text-muted"),
                            f" {progress:.0%}")  # fmt: skip


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _two_lines(counts: str, width: int) -> str:
    """``4 next · 2 doing · 1 blocked · 9 done`` broken at a `` · `` to fit ``width``."""
    parts = counts.split(" · ")
    for cut in range(len(parts), 0, -1):
        first = " · ".join(parts[:cut])
        if len(first) <= width or cut == 1:
            rest = " · ".join(parts[cut:])
            return f"{first}\n{rest}" if rest else first
    return counts


def _money(value: float | None) -> str:
    return format_value(value, "currency", compact=True) if value is not None else "—"


def row_cells(row: CampaignRow) -> list[Content]:
    c, p = row.campaign, row.pacing
    flag = Content.styled(" ⚠", "$warning") if row.flags else Content("")
    left = "—" if row.days_left is None else f"{row.days_left}d" if row.days_left >= 0 else "ended"
    pacing = Content.styled("—", "$text-muted")
    if p:
        pacing = Content.styled(f"{p.percent:.0f}%{' ' + p.flag if p.flag else ''}",
                                "$warning" if p.flag else "$success")  # fmt: skip
    goals = Content(" ").join(
        Content.styled(f"^{g.goal.slug}", GOAL_STYLES.get(g.status or "", "$error" if g.status else ""))
        for g in row.goals
    )  # fmt: skip
    # The key alone (the source is in the detail line) keeps the column narrow.
    metrics = " · ".join(
        f"{k.rsplit('.', 1)[-1]} {compact_number(v)}" for k, v in row.metrics.items()
    )
    metrics = metrics or "—"
    return [
        Content.assemble((_clip(c.name, NAME_WIDTH - 2), "bold"), flag),
        Content.styled(c.status, STATUS_STYLES.get(c.status, "")),
        Content(f"{(c.start_date or '?')[5:]} → {(c.end_date or '?')[5:]}"),
        Content(left),
        Content(_two_lines(row.counts_text or "no tasks", TASKS_WIDTH)),
        progress_bar(row.progress),
        _spend_cell(row),
        pacing,
        Content.assemble(goals, "\n", (metrics, "$text-muted")),
    ]


def _spend_cell(row: CampaignRow) -> Content:
    """``$5.2k / $12k``; ``~`` before a spend read live from a metric, ``⚠`` when stale."""
    c = row.campaign
    if not c.budget:
        return Content("—")
    live = "~" if row.spend_live is not None else ""
    stale = row.spend_age is not None and row.spend_age.stale
    text = Content(f"{live}{_money(row.spend or 0)} / {_money(c.budget)}")
    return Content.assemble(text, (" ⚠", "$warning")) if stale else text


class CampaignScreen(Screen):
    DEFAULT_CSS = """
    CampaignScreen #campaign-title { padding: 0 2; background: $boost; text-style: bold; }
    CampaignScreen DataTable { height: 1fr; }
    CampaignScreen #campaign-detail { height: auto; min-height: 4; padding: 1 2;
                                      border-top: solid $primary 30%; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "filter", "Filter board"),
        Binding("j", "row(1)", "↓", show=False),  # like the board and walk mode
        Binding("k", "row(-1)", "↑", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rows: list[CampaignRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Campaigns · enter shows a campaign's tasks on the board", id="campaign-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="campaign-table")
        yield Static(id="campaign-detail")
        yield Footer()

    def on_mount(self) -> None:
        app: Any = self.app
        now = clock.now()
        app.store_job(lambda store: campaign_status(store, now), self._show)

    def _show(self, rows: list[CampaignRow]) -> None:
        """Fill the table with rows read in the background."""
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        self.rows = rows
        cells = [row_cells(row) for row in self.rows]
        for index, label in enumerate(COLUMNS):  # Content cells: widths measured here
            lines = [line for c in cells for line in c[index].plain.split("\n")]
            table.add_column(label, width=max([len(label), *(len(line) for line in lines)]))
        for row, row_content in zip(self.rows, cells, strict=True):
            table.add_row(*row_content, key=row.campaign.slug, height=ROW_HEIGHT)
        table.focus()
        self.show_detail(0)

    def show_detail(self, index: int) -> None:
        detail = self.query_one("#campaign-detail", Static)
        if not self.rows:
            detail.update("No campaigns yet: mtui campaign add NAME")
            return
        row = self.rows[index]
        parts: list[Content] = [Content.assemble((row.campaign.name, "bold"),
                                                 (f"  c:{row.campaign.slug}", "$text-muted"))]  # fmt: skip
        if row.pacing:
            p = row.pacing
            parts.append(Content(f"Spent {_money(p.spend)} of {_money(p.budget)} after "
                                 f"{p.elapsed_days} of {p.total_days} days · pacing {p.percent:.0f}% "
                                 f"· projected {_money(round(p.projected_spend))}"))  # fmt: skip
        note = row.spend_note(clock.now())
        if note:
            parts.append(Content.styled(f"Spend {note}", "$text-muted"))
        for g in row.goals:
            parts.append(Content.assemble(
                f"^{g.goal.slug} {g.goal.title}: "
                f"{format_value(g.current, g.goal.unit)} / {format_value(g.goal.target, g.goal.unit)} ",
                (g.status or "no status", GOAL_STYLES.get(g.status or "", "$error" if g.status else "")),
            ))  # fmt: skip
        parts += [Content.styled(f"⚠ {flag}", "$warning") for flag in row.flags]
        detail.update(Content("\n").join(parts))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_filter()

    def action_filter(self) -> None:
        if not self.rows:
            return
        row = self.rows[self.query_one(DataTable).cursor_row]
        self.app.post_message(FilterBoard(f"c:{row.campaign.slug}"))
        self.dismiss()

    def action_row(self, step: int) -> None:
        table = self.query_one(DataTable)
        (table.action_cursor_down if step > 0 else table.action_cursor_up)()

    def action_close(self) -> None:
        self.dismiss()
