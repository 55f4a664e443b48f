"""Id → record maps for showing tasks with names instead of ids."""

from __future__ import annotations

from functools import cached_property

from mtui.core.model import Campaign, Channel, Goal, Status, Task

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mtui.core.language import filter_query
    from mtui.core.store.contract import BoardStart, Store


class Lookups:
    """The board's columns, channels, goals and campaigns by id, and who ``@me`` is.
    (A plain class: every ``mtui add`` builds one, and a dataclass costs start-up.)"""

    def __init__(
        self,
        statuses: dict[int, Status],
        channels: dict[int, Channel],
        goals: dict[int, Goal],
        campaigns: dict[int, Campaign],
        me: str | None = None,  # who ``@me`` is: the store's actor
    ) -> None:
        self.statuses = statuses
        self.channels = channels
        self.goals = goals
        self.campaigns = campaigns
        self.me = me

    @classmethod
    def load(cls, store: Store) -> Lookups:
        return cls(
            statuses={s.id: s for s in store.tasks.statuses()},
            channels={c.id: c for c in store.tasks.channels()},
            goals={g.id: g for g in store.strategy.goals()},
            campaigns={c.id: c for c in store.strategy.campaigns()},
            me=store.actor,
        )

    @classmethod
    def from_start(cls, start: BoardStart, me: str | None) -> Lookups:
        """From what the board's first frame read (``store.tasks.board_start``)."""
        return cls(
            statuses={s.id: s for s in start.statuses},
            channels={c.id: c for c in start.channels},
            goals={g.id: g for g in start.goals},
            campaigns={c.id: c for c in start.campaigns},
            me=me,
        )

    @property
    def done_status_ids(self) -> set[int]:
        return {s.id for s in self.statuses.values() if s.is_done}

    def status_name(self, task: Task) -> str:
        status = self.statuses.get(task.status_id)
        return status.name if status else f"#{task.status_id}"

    def channel_name(self, task: Task) -> str | None:
        channel = self.channels.get(task.channel_id) if task.channel_id else None
        return channel.name if channel else None

    def goal_slug(self, task: Task) -> str | None:
        goal = self.goals.get(task.goal_id) if task.goal_id else None
        return goal.slug if goal else None

    def campaign_slug(self, task: Task) -> str | None:
        campaign = self.campaigns.get(task.campaign_id) if task.campaign_id else None
        return campaign.slug if campaign else None

    @cached_property
    def campaign_goals(self) -> dict[int, list[int]]:
        from mtui.core.strategy.goals import campaign_goal_map  # not needed to print a task

        return campaign_goal_map(self.campaigns.values())

    def served_goal_ids(self, task: Task) -> set[int]:
        """The goals a task serves: directly, or through its campaign (goals.served_goals)."""
        from mtui.core.strategy.goals import served_goals

        return served_goals(task.goal_id, task.campaign_id, self.campaign_goals)

    @cached_property
    def filter_maps(self) -> filter_query.FilterNames:
        """The id → name maps the filter language's compiled predicate reads (built once).

        The filter language is imported here, on first use: the first frame needs none of it."""
        from mtui.core.language import filter_query

        return filter_query.FilterNames(
            channels={i: c.name for i, c in self.channels.items()},
            goals={i: g.slug for i, g in self.goals.items()},
            campaigns={i: c.slug for i, c in self.campaigns.items()},
            statuses={i: s.name for i, s in self.statuses.items()},
            done_status_ids=frozenset(self.done_status_ids),
            campaign_goals=self.campaign_goals,
            me=self.me,
        )
