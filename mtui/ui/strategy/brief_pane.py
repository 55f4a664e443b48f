"""The Big M pane: the brief, the goals and the orphan count, next to the board.

Everything is selectable from the keyboard: up/down (j/k) walk the brief sections and
the goals, ``e``/``enter`` act on the selection, ``g`` adds a goal, ``o`` filters the
board to orphan tactics, ``h`` opens the brief's history. ``reload()`` runs a handful of
queries (no per-task work), so the app may call it after every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from mtui.core.model import Brief, Goal
from mtui.core.store.contract import Store
from mtui.core.strategy import brief as briefs
from mtui.core.strategy.goals import goal_tree
from mtui.core.strategy.overview import read_goals_overview
from mtui.core.wording import count
from mtui.ui.shell.messages import DataChanged, FilterBoard
from mtui.ui.strategy.render import GoalContext, goal_text, section_text

if TYPE_CHECKING:
    from textual.screen import Screen

T = TypeVar("T")

ORPHAN_FILTER = "is:orphan"
FOCUS_KEY = "1"  # the app's key that focuses this pane (MtuiApp.BINDINGS)


_SHOWN: WeakKeyDictionary[Static, str] = WeakKeyDictionary()


def _update(widget: Static, text: str) -> None:
    """``widget.update(text)`` unless it already shows ``text``: an update always asks
    for a layout of the screen (~20–50 ms here), and the pane re-reads on every metrics
    fetch, where nothing it shows has usually changed."""
    if _SHOWN.get(widget) != text:
        _SHOWN[widget] = text
        widget.update(text)


@dataclass(frozen=True)
class BriefPaneData:
    """Everything the pane shows, read in one go away from the event loop."""

    brief: Brief
    goals: list[Goal]
    context: GoalContext


def read_brief_pane(store: Store) -> BriefPaneData:
    """The brief, goals, campaigns, columns and one task aggregate."""
    overview = read_goals_overview(store)
    return BriefPaneData(store.strategy.brief(), overview.goals, overview)


class SectionItem(Static):
    """One brief section; ``e`` edits its fields."""

    def __init__(self, section: briefs.BriefSection) -> None:
        super().__init__(classes="item section")
        self.section = section


class GoalItem(Static):
    """One goal or key result; ``enter`` filters the board to its tactics."""

    def __init__(self, goal: Goal, depth: int) -> None:
        super().__init__(classes="item goal")
        self.goal = goal
        self.depth = depth


class BriefPane(VerticalScroll, can_focus=True):
    """The brief summary with the composed positioning statement, then the goals."""

    DEFAULT_CSS = """
    BriefPane { scrollbar-size-vertical: 1; }
    BriefPane .item { padding: 0 0 0 1; }
    BriefPane #goals-heading { margin: 1 0 0 0; }
    BriefPane .item.-selected { background: $boost; border-left: outer $accent; padding: 0; }
    BriefPane:focus .item.-selected { background: $primary 15%; }
    BriefPane #intro { color: $text-muted; margin: 0 0 1 0; }
    BriefPane .heading { text-style: bold; color: $text-muted; }
    BriefPane #no-goals { color: $text-muted; padding: 0 0 0 1; }
    BriefPane #orphans { color: $warning; padding: 0 0 0 1; margin: 1 0 0 0; }
    BriefPane #orphans.-none { color: $success; }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("e", "edit", "Edit"),
        Binding("enter", "open", "Filter goal", show=False),
        Binding("g", "add_goal", "Goal+"),
        Binding("c", "add_campaign", "Campaign+", show=False),
        Binding("o", "orphans", "Orphans"),
        Binding("h", "history", "History"),
    ]

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.selected = 0
        self.brief = Brief()
        self.context: GoalContext | None = None
        self.orphans = 0
        self._wanted_goal: str | None = None  # asked for before the goals were shown

    def on_mount(self) -> None:
        # The items are built and filled after the first paint: the board's titles are
        # what the user waits for (styling and laying out ten empty rows is not).
        self.call_after_refresh(self.reload)

    def _build(self) -> None:
        self.mount_all(
            [
                Static("", id="intro"),
                *(SectionItem(sec) for sec in briefs.SECTIONS),
                Static("Goals", classes="heading", id="goals-heading"),
                Static("No goals yet: press g to add one.", id="no-goals"),
                Static("", id="orphans"),
            ]
        )

    def on_resize(self) -> None:
        self._render_items()

    # Data ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the brief, goals, campaigns, columns and one task aggregate, in the
        background (``read_brief_pane``), then show them."""
        if not self.children:
            self._build()
            if not self.children:  # the app is closing: nothing was mounted
                return
        if self._reading:  # one read at a time; one more after it sees every change
            self._read_again = True
            return
        self._reading = True
        app: Any = self.app
        if app.store_job(read_brief_pane, self._show, self._read_done, quiet=True) is None:
            self._reading = False  # the store is closed: the app is exiting

    # A metrics poll commits once per source and each commit asks for a reload: reads
    # that overlapped made the store thread compete with the event loop for the GIL.
    _reading = False
    _read_again = False

    def _read_done(self, _exc: object = None) -> None:
        self._reading = False
        if self._read_again and self.is_attached:
            self._read_again = False
            self.reload()

    def _show(self, data: BriefPaneData) -> None:
        again = self._read_again
        self._read_done()
        if again:
            return  # a newer read is on its way
        if not self.is_attached:
            return
        self.brief = data.brief
        self.context = data.context
        self.orphans = data.context.alignment.orphans
        self._sync_goal_items(goal_tree(data.goals))
        self._render_items()

    def _sync_goal_items(self, tree: list[tuple[Goal, int]]) -> None:
        """Reuse the goal widgets when the goals are the same ones (the common case)."""
        existing = list(self.query(GoalItem))
        if [(i.goal.id, i.depth) for i in existing] == [(g.id, d) for g, d in tree]:
            for item, (goal, _depth) in zip(existing, tree, strict=True):
                item.goal = goal
            return
        for item in existing:
            item.remove()
        if tree:
            self.mount_all([GoalItem(g, d) for g, d in tree], before="#orphans")
        self.call_after_refresh(self._render_items)

    @property
    def items(self) -> list[SectionItem | GoalItem]:
        """Selectable rows, top to bottom."""
        return [*self.query(SectionItem), *(i for i in self.query(GoalItem) if i.is_attached)]

    @property
    def selected_item(self) -> SectionItem | GoalItem | None:
        items = self.items
        return items[min(self.selected, len(items) - 1)] if items else None

    def _render_items(self) -> None:
        if self.context is None:
            return
        if self._wanted_goal is not None:
            self._select_wanted_goal()
        width = max(12, self.scrollable_content_region.width - 2)
        empty = briefs.is_empty(self.brief)
        # The hints' keys work in this pane: until it has focus they first name the key
        # that focuses it (the board has focus when the app opens; issue 12, item 16).
        reach = "" if self.has_focus else f"press {FOCUS_KEY}, then "
        intro = self.query_one("#intro", Static)
        _update(intro, f"Start here: {reach}pick a section with ↑↓ and press e to fill it in."
                if empty else "")  # fmt: skip
        intro.display = empty
        chosen = self.selected_item
        for item in self.items:
            expanded = item is chosen and self.has_focus
            item.set_class(item is chosen, "-selected")
            if isinstance(item, SectionItem):
                _update(item, section_text(item.section, self.brief, width, expanded=expanded))
            else:
                _update(
                    item, goal_text(item.goal, item.depth, self.context, width, expanded=expanded)
                )
        no_goals = self.query_one("#no-goals", Static)
        no_goals.display = not any(True for _ in self.query(GoalItem))
        if no_goals.display:
            _update(no_goals, f"No goals yet: {reach or 'press '}g to add one.")
        orphans = self.query_one("#orphans", Static)
        orphans.set_class(self.orphans == 0, "-none")
        _update(orphans, f"⚠ {count(self.orphans, 'orphan tactic')} (o)" if self.orphans
                else "✔ every open tactic serves a goal")  # fmt: skip

    def on_focus(self) -> None:
        self.call_after_refresh(self._render_items)  # has_focus is set after this event

    def on_blur(self) -> None:
        self.call_after_refresh(self._render_items)

    # Actions -------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        items = self.items
        if not items:
            return
        self.selected = max(0, min(len(items) - 1, self.selected + step))
        self._render_items()
        chosen = self.selected_item
        if chosen is not None:
            self.call_after_refresh(self.scroll_to_widget, chosen, animate=False)

    def select_goal(self, slug: str) -> None:
        """Move the selection to a goal (tests and the command palette use this). The
        goals load in the background: asked for before they are shown, the selection
        moves when they are."""
        self._wanted_goal = slug
        self._select_wanted_goal()
        self._render_items()

    def _select_wanted_goal(self) -> None:
        for index, item in enumerate(self.items):
            if isinstance(item, GoalItem) and item.goal.slug == self._wanted_goal:
                self.selected = index
                self._wanted_goal = None
                return

    def action_open(self) -> None:
        item = self.selected_item
        if isinstance(item, GoalItem):
            self.post_message(FilterBoard(f"^{item.goal.slug}"))
            self.notify(f"Board: tactics serving ^{item.goal.slug}", timeout=2)
        else:
            self.action_edit()

    def action_orphans(self) -> None:
        self.post_message(FilterBoard(ORPHAN_FILTER))
        self.notify("Board: orphan tactics (open, serving no goal)", timeout=2)

    def action_edit(self) -> None:
        from mtui.ui.strategy.forms import GoalForm
        from mtui.ui.strategy.section_editor import SectionEditor

        item = self.selected_item
        if isinstance(item, GoalItem):
            goal = item.goal
            self._open_with(
                lambda store: store.strategy.goals(),
                lambda goals: GoalForm(self.store, editing=goal, goals=goals),
                self._after_save,
            )
        elif isinstance(item, SectionItem):
            key = item.section.key
            self._open_with(
                lambda store: store.strategy.brief(),
                lambda brief: SectionEditor(self.store, key, brief),
                self._after_brief,
            )

    def action_add_goal(self) -> None:
        from mtui.ui.strategy.forms import GoalForm

        self._open_with(
            lambda store: store.strategy.goals(),
            lambda goals: GoalForm(self.store, goals=goals),
            self._after_save,
        )

    def action_add_campaign(self) -> None:
        from mtui.ui.strategy.forms import CampaignForm

        self._open_with(
            lambda store: store.strategy.goals(),
            lambda goals: CampaignForm(self.store, goals=goals),
            self._after_save,
        )

    def action_history(self) -> None:
        from mtui.ui.strategy.history import BriefHistoryScreen

        self._open_with(lambda store: store.strategy.brief_versions(), BriefHistoryScreen)

    def _open_with(
        self,
        read: Callable[[Store], T],
        screen: Callable[[T], Screen[Any]],
        on_close: Callable[[Any], None] | None = None,
    ) -> None:
        """Read what a screen needs in the background, then open it with that (the
        event loop never waits on the store, even to open a form)."""
        app: Any = self.app
        app.store_job(read, lambda data: self.app.push_screen(screen(data), on_close))

    def _after_brief(self, saved: object) -> None:
        if saved is not None:
            self.reload()  # the board does not show the brief: no DataChanged needed

    def _after_save(self, saved: object) -> None:
        if saved is not None:
            self.reload()
            self.post_message(DataChanged())  # goal/campaign names feed the board's lookups
