"""Quick-add from parse to saved task: resolve names against the store, then save."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtui.core.language.quickadd import ParsedTask
from mtui.core.language.resolve import ResolvedTask, resolve
from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions


@dataclass
class QuickAdder:
    store: Store
    actions: TaskActions | None = None
    _lists: tuple | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.actions = self.actions or TaskActions(self.store)

    def refresh(self) -> None:
        """Forget cached goals/campaigns/columns (after they change)."""
        self._lists = None

    def resolve(self, parsed: ParsedTask) -> ResolvedTask:
        if self._lists is None:
            self._lists = (
                self.store.tasks.statuses(),
                self.store.strategy.goals(),
                self.store.strategy.campaigns(),
                self.store.tasks.channels(),
            )
        statuses, goals, campaigns, channels = self._lists
        assert self.actions is not None
        return resolve(
            parsed, statuses, goals, campaigns, self.actions.default_status().id, channels
        )

    def save(self, resolved: ResolvedTask) -> Task:
        return self.save_many([resolved])[0]

    def save_many(self, resolved_tasks: list[ResolvedTask]) -> list[Task]:
        """Save several quick-adds as one action: one transaction, all or nothing."""
        assert self.actions is not None
        return self.actions.add_many([_fields(r) for r in resolved_tasks])


def _fields(resolved: ResolvedTask) -> tuple[dict, str | None]:
    """The store fields of a resolved quick-add, and the channel name to create."""
    fields = {
        "title": resolved.title,
        "status_id": resolved.status_id,
        "priority": resolved.priority,
        "owner": resolved.owner,
        "due": resolved.due,
        "goal_id": resolved.goal_id,
        "campaign_id": resolved.campaign_id,
        "tags": list(resolved.tags),
        "estimate_minutes": resolved.estimate_minutes,
    }
    return fields, resolved.channel
