"""Second step of quick-add: match the names a user typed against existing rows.

Works on plain lists so the store, the CLI and the TUI can each pass what they already
hold; nothing here touches the database. Goals and campaigns must exist (a typo should
not silently create an orphan tactic), so unknown ones come back with suggestions.
Channels are created on first use by the store, so they only get their spelling
normalised to an existing channel's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from mtui.core.language.quickadd import ParsedTask
from mtui.core.model import Campaign, Channel, Goal, Status
from mtui.core.plain import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _Row = TypeVar("_Row", Goal, Campaign)


class ResolveError(ValueError):
    """A name that matches nothing (or too much); ``position`` points at its token when
    known, ``suggestions`` lists likely intended names."""

    def __init__(
        self, message: str, position: int | None = None, suggestions: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.suggestions = list(suggestions)


class ResolvedTask(Record):
    """A quick-add line with ids in place of names, ready for the store to insert.
    (A record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("campaign_id", "channel", "due", "estimate_minutes", "goal_id", "owner",
                 "priority", "status_id", "tags", "title")  # fmt: skip
    _fields = ("title", "status_id", "priority", "owner", "channel", "campaign_id", "goal_id",
               "due", "tags", "estimate_minutes")  # fmt: skip

    def __init__(
        self,
        title: str,
        status_id: int,
        priority: int | None = None,
        owner: str | None = None,
        channel: str | None = None,
        campaign_id: int | None = None,
        goal_id: int | None = None,
        due: str | None = None,
        tags: list[str] | None = None,
        estimate_minutes: int | None = None,
    ) -> None:
        self.title = title
        self.status_id = status_id
        self.priority = priority
        self.owner = owner
        self.channel = channel
        self.campaign_id = campaign_id
        self.goal_id = goal_id
        self.due = due
        self.tags: list[str] = [] if tags is None else tags
        self.estimate_minutes = estimate_minutes


def resolve(
    parsed: ParsedTask,
    statuses: Sequence[Status],
    goals: Sequence[Goal],
    campaigns: Sequence[Campaign],
    default_status_id: int,
    channels: Sequence[Channel] = (),
) -> ResolvedTask:
    """Turn names into ids; raise ResolveError for the first name that does not fit."""
    positions = parsed.positions
    status_id = default_status_id
    if parsed.status is not None:
        status_id = resolve_status(parsed.status, statuses, positions.get("status")).id
    goal_id = None
    if parsed.goal is not None:
        goal_id = resolve_goal(parsed.goal, goals, positions.get("goal")).id
    campaign_id = None
    if parsed.campaign is not None:
        campaign_id = resolve_campaign(parsed.campaign, campaigns, positions.get("campaign")).id
    return ResolvedTask(
        title=parsed.title,
        status_id=status_id,
        priority=parsed.priority,
        owner=parsed.owner,
        channel=_channel_name(parsed.channel, channels),
        campaign_id=campaign_id,
        goal_id=goal_id,
        due=parsed.due,
        tags=list(parsed.tags),
        estimate_minutes=parsed.estimate_minutes,
    )


def resolve_status(name: str, statuses: Sequence[Status], position: int | None = None) -> Status:
    """Exact name first, then a unique case-insensitive prefix (``s:doi`` → Doing).

    A prefix that matches several columns is an error listing them (``s:do`` could be
    Doing or Done): guessing would file work silently in the wrong column.
    """
    wanted = name.casefold()
    for status in statuses:
        if status.name.casefold() == wanted:
            return status
    matches = [status for status in statuses if status.name.casefold().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    names = [status.name for status in statuses]
    if matches:
        options = ", ".join(status.name for status in matches)
        raise ResolveError(
            f"status {name!r} is ambiguous ({options}): type more letters",
            position,
            [m.name for m in matches],
        )
    raise ResolveError(
        f"no status {name!r}; columns are: {', '.join(names)}", position, suggest(name, names)
    )


def resolve_goal(slug: str, goals: Sequence[Goal], position: int | None = None) -> Goal:
    """A goal by slug or exact title, case-insensitively."""
    found = _by_slug_or_name(slug, goals, lambda goal: (goal.slug, goal.title))
    if found is None:
        raise _unknown("goal", "^", slug, [goal.slug for goal in goals], position)
    return found


def resolve_campaign(
    slug: str, campaigns: Sequence[Campaign], position: int | None = None
) -> Campaign:
    """A campaign by slug or exact name, case-insensitively."""
    found = _by_slug_or_name(slug, campaigns, lambda campaign: (campaign.slug, campaign.name))
    if found is None:
        raise _unknown("campaign", "c:", slug, [c.slug for c in campaigns], position)
    return found


def _by_slug_or_name(
    wanted: str, rows: Sequence[_Row], keys: Callable[[_Row], tuple[str, str]]
) -> _Row | None:
    folded = wanted.casefold()
    for row in rows:
        if any(key.casefold() == folded for key in keys(row)):
            return row
    return None


def _unknown(
    kind: str, prefix: str, name: str, slugs: list[str], position: int | None
) -> ResolveError:
    suggestions = suggest(name, slugs)
    hint = (
        "did you mean " + " or ".join(prefix + s for s in suggestions) + "?"
        if suggestions
        else f"known {kind}s: {', '.join(slugs) or 'none yet'}"
    )
    return ResolveError(f"no {kind} {name!r}: {hint}", position, suggestions)


def _channel_name(name: str | None, channels: Iterable[Channel]) -> str | None:
    """Reuse an existing channel's spelling so ``#Email`` does not create a twin."""
    if name is None:
        return None
    folded = name.casefold()
    for channel in channels:
        if channel.name.casefold() == folded:
            return channel.name
    return name


def suggest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates most like ``word``, best first: prefix matches, then similar ones."""
    import difflib  # only when a name did not resolve

    folded = word.casefold()
    scored: list[tuple[float, str]] = []
    for candidate in dict.fromkeys(candidates):
        other = candidate.casefold()
        score = difflib.SequenceMatcher(None, folded, other).ratio()
        if other.startswith(folded) or folded.startswith(other):
            score += 1.0
        elif folded in other:
            score += 0.5
        if score >= 0.5:
            scored.append((score, candidate))
    scored.sort(key=lambda item: -item[0])
    return [candidate for _, candidate in scored[:n]]
