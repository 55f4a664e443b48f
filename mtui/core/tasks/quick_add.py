"""Quick-add from parse to saved task: resolve names against the store, then save."""

from __future__ import annotations

from mtui.core.language.quickadd import ParsedTask, QuickAddError, parse_quickadd
from mtui.core.language.resolve import ResolvedTask, ResolveError, resolve
from mtui.core.model import Task
from mtui.core.plain import FrozenRecord
from mtui.core.tasks.actions import TaskActions

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any

    from mtui.core.store.contract import Store


class NewName(FrozenRecord):
    """An owner or channel no task or plan has used yet. (A frozen record, not a
    dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("kind", "name")
    _fields = ("kind", "name")
    kind: str  # "owner" or "channel"
    name: str

    def __init__(self, kind: str, name: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "name", name)

    @property
    def label(self) -> str:
        """``new channel #emial`` / ``new owner @r``."""
        sigil = "#" if self.kind == "channel" else "@"
        return f"new {self.kind} {sigil}{self.name}"


ME = "me"  # ``@me``: the person at the keyboard (the store's actor)


class QuickAdder:
    """Resolves and saves quick-add lines against one store, reading its lists once.
    (A plain class: every ``mtui add`` builds one, and a dataclass costs start-up.)"""

    def __init__(self, store: Store, actions: TaskActions | None = None) -> None:
        self.store = store
        self.actions: TaskActions | None = actions or TaskActions(store)
        self._lists: tuple | None = None
        self._owners: dict[str, bool] = {}  # casefold → known

    def refresh(self) -> None:
        """Forget cached goals/campaigns/columns/owners (after they change)."""
        self._lists = None
        self._owners = {}

    def resolve(self, parsed: ParsedTask) -> ResolvedTask:
        statuses, goals, campaigns, channels = self._load()
        assert self.actions is not None
        resolved = resolve(
            parsed, statuses, goals, campaigns, self.actions.default_status().id, channels
        )
        if resolved.owner is not None and resolved.owner.casefold() == ME:
            resolved.owner = self.store.actor  # who this store records changes as
        return resolved

    def _load(self) -> tuple:
        if self._lists is None:
            self._lists = (
                self.store.tasks.statuses(),
                self.store.strategy.goals(),
                self.store.strategy.campaigns(),
                self.store.tasks.channels(),
            )
        return self._lists

    def new_names(self, resolved: ResolvedTask) -> list[NewName]:
        """The owner and channel this task would be the first to use: typos (``#emial``,
        ``@r``) must not become data silently, so callers confirm or report them."""
        _statuses, goals, campaigns, channels = self._load()
        found = []
        if resolved.channel and all(
            c.name.casefold() != resolved.channel.casefold() for c in channels
        ):
            found.append(NewName("channel", resolved.channel))
        if resolved.owner and not self._owner_known(resolved.owner, (*goals, *campaigns)):
            found.append(NewName("owner", resolved.owner))
        return found

    def _owner_known(self, owner: str, plans: tuple) -> bool:
        """Whether ``owner`` owns a live task, a goal or a campaign, or is the person at
        the keyboard (@me: you are never a new owner); compared casefolded."""
        wanted = owner.casefold()
        known = self._owners.get(wanted)
        if known is None:
            known = (
                wanted == self.store.actor.casefold()
                or any(row.owner.casefold() == wanted for row in plans if row.owner)
                or self.store.tasks.owner_in_use(owner)
            )
            self._owners[wanted] = known
        return known

    def save(self, resolved: ResolvedTask) -> Task:
        return self.save_many([resolved])[0]

    def save_many(self, resolved: list[ResolvedTask]) -> list[Task]:
        """Create every task as one action: one transaction, one undo step."""
        assert self.actions is not None
        return self.actions.add_many([(task_fields(r), r.channel) for r in resolved])

    def save_lines(self, lines: list[str], now: _dt.datetime) -> list[Task] | LineProblem:
        """Parse, resolve and save ``lines`` as one action, or nothing at all: the first
        line that does not fit comes back as a ``LineProblem`` (1-based ``line``)."""
        resolved: list[ResolvedTask] = []
        for number, line in enumerate(lines, start=1):
            try:
                resolved.append(self.resolve(parse_quickadd(line, now)))
            except (QuickAddError, ResolveError) as exc:
                return LineProblem(number, exc.message, exc.position)
        return self.save_many(resolved)


class LineProblem(FrozenRecord):
    """Why a quick-add line cannot be filed: its number, the message, the column.
    (A frozen record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("line", "message", "position")
    _fields = ("line", "message", "position")
    line: int
    message: str
    position: int | None

    def __init__(self, line: int, message: str, position: int | None = None) -> None:
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "position", position)


def task_fields(resolved: ResolvedTask) -> dict[str, Any]:
    """The task row a resolved quick-add line becomes."""
    return {
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
