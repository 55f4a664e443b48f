"""Command palette (ctrl+p) providers: jump to a task, goal or campaign; run any action.

Tasks come from the board's in-memory model (no store read, fast at 10,000 tasks);
goals, campaigns, owners and channels are read once when the palette opens. Each
command goes through the app's own actions and messages, so the palette does exactly
what the keys do.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mtui.ui.shell.messages import FilterBoard

if TYPE_CHECKING:
    from mtui.core.model import Task
    from mtui.core.store.contract import Store
    from mtui.ui.app import MtuiApp

T = TypeVar("T")

MAX_TASK_HITS = 40  # the palette shows a screenful; scoring 10,000 titles is the cost


class _MtuiProvider(Provider):
    @property
    def mtui(self) -> MtuiApp:
        return cast("MtuiApp", self.app)

    def _filter(self, query: str, note: str) -> None:
        self.mtui.post_message(FilterBoard(query))
        self.mtui.notify(note, timeout=2)

    async def _read(self, job: Callable[[Store], T]) -> T | None:
        """``job`` on the app's background store; a store that cannot be read is a
        notice (None), and the palette goes on without these commands."""
        try:
            return await self.mtui.io.run(job)
        except Exception as exc:
            self.mtui.report_error(exc)
            return None


# Tasks -------------------------------------------------------------------------------
def _all_tasks(app: MtuiApp) -> Iterable[Task]:
    for column in app.board.model.columns:
        yield from column.tasks


def jump_to_task(app: MtuiApp, task_id: int) -> bool:
    """Select ``task_id`` on the board and focus it; clear a filter hiding it."""
    board = app.board
    if not board.select_task(task_id) and board.filter_active:
        app.on_filter_board(FilterBoard(""))
    app.action_focus_pane("board")
    if board.select_task(task_id):
        return True
    app.notify("That task is in Done, older than the cards shown there.", timeout=3)
    return False


def title_scorer(query: str) -> Callable[[str], float]:
    """A fast fuzzy score in 0..1: substring hits first (earlier is better), then
    in-order letters (tighter is better). Textual's matcher is ~50x slower per title,
    so it only highlights the few hits shown."""
    wanted = query.strip().lower()
    letters = [ch for ch in wanted if not ch.isspace()]
    pattern = re.compile(".*?".join(map(re.escape, letters)))

    def score(title: str) -> float:
        text = title.lower()
        at = text.find(wanted)
        if at >= 0:
            return 1.0 - 0.5 * at / (len(text) + 1)
        found = pattern.search(text)
        if found is None:
            return 0.0
        return 0.45 * len(letters) / (found.end() - found.start())

    return score


class TaskProvider(_MtuiProvider):
    """Fuzzy search over task titles; the best few dozen hits only."""

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        score_of = title_scorer(query)
        scored: list[tuple[float, int, Task]] = []
        for task in _all_tasks(self.mtui):
            score = score_of(task.title)
            if score > 0:
                scored.append((score, -task.id, task))
        matcher = self.matcher(query)
        for score, _neg_id, task in heapq.nlargest(MAX_TASK_HITS, scored):
            yield Hit(
                score,
                matcher.highlight(task.title),
                partial(jump_to_task, self.mtui, task.id),
                text=task.title,
                help=f"Task #{task.id}" + (f" · @{task.owner}" if task.owner else ""),
            )

    async def discover(self) -> Hits:
        """The cards in progress: the ones people most often jump back to."""
        doing = [c for c in self.mtui.board.model.columns if c.status.name.lower() == "doing"]
        for task in (doing[0].tasks if doing else [])[:5]:
            yield DiscoveryHit(
                f"Go to: {task.title}",
                partial(jump_to_task, self.mtui, task.id),
                help="Task in Doing",
            )


# Goals and campaigns -----------------------------------------------------------------
class GoalProvider(_MtuiProvider):
    """Jump to a goal: select it in the brief pane and show its tactics on the board."""

    async def startup(self) -> None:
        self.goals = await self._read(lambda store: store.strategy.goals()) or []

    def _open(self, slug: str) -> None:
        from mtui.ui.strategy.brief_pane import BriefPane

        self.mtui.query_one(BriefPane).select_goal(slug)
        self._filter(f"^{slug}", f"Board: tactics serving ^{slug}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for goal in self.goals:
            text = f"Goal: {goal.title} ^{goal.slug}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, goal.slug),
                          text=text, help="Select it in the brief, filter the board")  # fmt: skip


class CampaignProvider(_MtuiProvider):
    """Jump to a campaign: filter the board to its tasks."""

    async def startup(self) -> None:
        self.campaigns = await self._read(lambda store: store.strategy.campaigns()) or []

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for campaign in self.campaigns:
            text = f"Campaign: {campaign.name} c:{campaign.slug}"
            score = matcher.match(text)
            if score > 0:
                command = partial(self._filter, f"c:{campaign.slug}", f"Board: c:{campaign.slug}")
                yield Hit(score, matcher.highlight(text), command, text=text,
                          help=f"Filter the board · {campaign.status}")  # fmt: skip


# Actions -----------------------------------------------------------------------------
Command = tuple[str, str, Callable[[], object]]


def action_commands(app: MtuiApp, names: dict[str, list[str]]) -> list[Command]:
    """Every action as (title, help, callable); the main ones first (shown on discover)."""
    run = app.run_action
    commands: list[Command] = [
        ("Add task", "Quick-add a task (a)", partial(run, "quick_add")),
        ("Stand-up", "What changed, who is blocked, goals (s)", partial(run, "standup")),
        ("Campaign status", "Budget pacing and progress (C)", partial(run, "campaigns")),
        ("Filter the board", "Text and quick-add tokens (/)", partial(run, "filter")),
        ("Clear the filter", "Show every task", partial(app.post_message, FilterBoard(""))),
        ("Filter: orphan tactics", "Open tasks serving no goal",
         partial(app.post_message, FilterBoard("is:orphan"))),
        ("Refresh metrics", "Poll every source now (r)", partial(run, "refresh_metrics")),
        ("Metric sources", "Add, edit, test or remove a source (e on metrics)",
         partial(run, "sources")),
        ("Undo", "Undo the last change (u)", partial(run, "undo")),
        ("Redo", "Redo (ctrl+r)", partial(run, "redo")),
        ("Zoom pane", "Focused pane full screen, or back (z)", partial(run, "zoom")),
        ("Help", "Every key and the quick-add grammar (?)", partial(run, "toggle_help")),
        ("Change theme", "Pick a theme (remembered)", app.action_change_theme),
    ]  # fmt: skip
    for name, key in (("brief", "1"), ("board", "2"), ("metrics", "3")):
        commands.append((f"Focus {name}", f"({key})", partial(run, f"focus_pane('{name}')")))
    for owner in sorted(names.get("owner", [])):
        commands.append((f"Filter: owner @{owner}", "Tasks of this owner",
                         partial(app.post_message, FilterBoard(f"@{owner}"))))  # fmt: skip
    for channel in sorted(names.get("channel", [])):
        commands.append((f"Filter: channel #{channel}", "Tasks in this channel",
                         partial(app.post_message, FilterBoard(f"#{channel}"))))  # fmt: skip
    for theme in sorted(app.available_themes):
        commands.append((f"Theme: {theme}", "Switch theme (remembered)",
                         partial(setattr, app, "theme", theme)))  # fmt: skip
    return commands


DISCOVER_COUNT = 13  # the fixed actions before the per-owner/channel/theme ones


class ActionProvider(_MtuiProvider):
    """Run any action; filters by each known owner and channel; switch theme."""

    async def startup(self) -> None:
        names = await self._read(lambda store: store.tasks.recent_names()) or {}
        self.commands = action_commands(self.mtui, names)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self.commands:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)

    async def discover(self) -> Hits:
        for title, help_text, command in self.commands[:DISCOVER_COUNT]:
            yield DiscoveryHit(title, command, text=title, help=help_text)


PROVIDERS: set[type[Provider]] = {ActionProvider, TaskProvider, GoalProvider, CampaignProvider}
