"""The board filter language: free text plus the quick-add tokens.

``launch @ana #email due:<fri -+draft`` keeps tasks whose title, notes or tags contain
"launch", owned by someone starting with "ana", on a channel starting with "email",
due before Friday and without a tag starting with "draft".

It runs on every keystroke, so two rules shape it:

* parse_filter() never raises. A half-typed token (``@``, ``due:<``) simply does not
  filter yet; a token that cannot mean anything (``!9``, ``due:blah``) is skipped and
  reported in ``FilterQuery.errors`` for the UI to show.
* FilterQuery.compile() does all name matching once, against the lookup maps, so the
  predicate it returns only does set look-ups and substring tests per task.

Combining: different kinds AND together; repeats of a single-valued kind (``@ana @raj``)
OR together; free words, tags and due conditions AND (``due:>mon due:<fri`` is a range).
A leading ``-`` (or ``!`` before a token, e.g. ``!@ana``) negates a word or token.

``is:orphan`` keeps open tasks that serve no goal, directly or through their campaign
(the brief pane's orphan count); ``-is:orphan`` keeps the aligned ones.

Every ``due:`` term matches open tasks only: finished work is never late (the board shows
when a Done card was done, not its due date), and ``s:done`` is how to look at finished
work. ``due:overdue`` is what the stand-up report calls overdue: due on an earlier day,
or today at a time already past (``due:<today`` compares days only).

``FILTER_TERMS`` below is the one description of the language: the help screen (``?``)
prints it, the README's "Filter language" section follows it, and a test checks that
every spelling the parser accepts is in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pendulum

from mtui.core.language.dates import DateError, parse_when
from mtui.core.language.filter_index import Mask, TaskIndex
from mtui.core.language.quickadd import Token, lex, parse_priority
from mtui.core.model import Task

Predicate = Callable[[Task], bool]

DUE_OPERATORS = ("<=", ">=", "<", ">", "=")  # longest first: the regex tries them in order
DUE_WORDS = ("overdue", "none", "any")
FLAGS = {"is:orphan": "orphan", "is:orphans": "orphan"}
NEGATIONS = ("-", "!")  # before a word or token: leave out what it matches
_DUE_OP = re.compile(f"({'|'.join(map(re.escape, DUE_OPERATORS))})?(.*)", re.DOTALL)
_SINGLE_VALUED = ("owner", "channel", "goal", "campaign", "status", "priority")


@dataclass(frozen=True, slots=True)
class FilterTermDoc:
    """One line of the filter language's documentation.

    ``syntax``: the spellings (space-separated); ``meaning``: one line; ``example``: a
    filter using it (tests parse every example).
    """

    syntax: str
    meaning: str
    example: str


FILTER_TERMS: tuple[FilterTermDoc, ...] = (
    FilterTermDoc("word", "title, notes or tags contain it; all must", "launch email"),
    FilterTermDoc('"a phrase"', "title, notes or tags contain the phrase", '"launch email"'),
    FilterTermDoc("@name", "owner starts with name; @me is you (the config's user, or your role)", "@ana"),
    FilterTermDoc("#name", "channel starts with name", "#email"),
    FilterTermDoc("!1 !2 !3 !high !medium !low", "priority (or short: !h !med !lo …)", "!1 !med"),
    FilterTermDoc("^slug", "serves the goal (or its campaign does)", "^signups"),
    FilterTermDoc("c:slug campaign:slug", "campaign starts with slug", "c:spring"),
    FilterTermDoc("s:name status:name", "column starts with name", "s:doing"),
    FilterTermDoc("+word", "has a tag starting with word", "+copy"),
    FilterTermDoc(
        "due:WHEN d:WHEN due:=WHEN", "due that day: today fri +3d eom 2026-12-03…",
        "due:fri",
    ),
    FilterTermDoc("due:<WHEN due:<=WHEN", "due before / on or before the day", "due:<=fri"),
    FilterTermDoc("due:>WHEN due:>=WHEN", "due after / on or after; with < a range",
                  "due:>=mon due:<=fri"),
    FilterTermDoc("due:overdue", "due before now: an earlier day, or a past time", "due:overdue"),
    FilterTermDoc("due:none due:any", "no due date / any due date", "due:none"),
    FilterTermDoc("is:orphan is:orphans", "open tasks that serve no goal (orphans)",
                  "is:orphan"),
    FilterTermDoc("-word !@name -is:orphan", "negation: leave out what matches", "-draft !@ana"),
)  # fmt: skip

FILTER_RULES = (
    "Terms of different kinds must all match; repeats of @ # ^ c: s: ! match any (@ana @raj);",
    "words, +tags and due: terms must all match. Done cards never match a due: term",
    "(finished work is never late): s:done lists finished work.",
)


def due_hint() -> str:
    """What ``due:`` takes besides a date, for error messages."""
    words = ", ".join(DUE_WORDS)
    operators = " ".join(op for op in sorted(DUE_OPERATORS, key=len) if op != "=")
    return f"or use {words}, and {operators} before a date"


@dataclass(frozen=True, slots=True)
class FilterIssue:
    """A token that could not be used, with its offsets for inline display."""

    message: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DueCondition:
    """``op`` is one of < <= > >= = (against ``day``, an ISO date) or overdue/none/any."""

    op: str
    day: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One usable piece of the filter. ``value`` is lower-cased text, a priority int or
    a DueCondition, depending on ``kind``."""

    kind: str
    value: Any
    negated: bool = False
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class FilterNames:
    """Id → name maps the predicate needs; the store builds them once per refresh.

    ``campaign_goals`` (campaign id → goal ids it serves) lets ``^goal`` also match
    tactics that serve the goal through their campaign.
    """

    channels: Mapping[int, str] = field(default_factory=dict)
    goals: Mapping[int, str] = field(default_factory=dict)
    campaigns: Mapping[int, str] = field(default_factory=dict)
    statuses: Mapping[int, str] = field(default_factory=dict)
    done_status_ids: AbstractSet[int] = frozenset()
    campaign_goals: Mapping[int, Iterable[int]] = field(default_factory=dict)
    me: str | None = None  # ``@me``: the person at the keyboard (the store's actor)


@dataclass(slots=True)
class FilterQuery:
    """A parsed filter; ``compile`` turns it into a fast per-task predicate."""

    terms: list[Term] = field(default_factory=list)
    errors: list[FilterIssue] = field(default_factory=list)
    today: str = ""
    now: pendulum.DateTime | None = None  # for due:overdue on a due date with a time
    # Tokens still being typed (``@``, ``due:<``, an open quote): the board waits for
    # more keys, a command line (``mtui ls --filter``) reports them as errors.
    incomplete: list[FilterIssue] = field(default_factory=list)

    def problems(self) -> list[FilterIssue]:
        """Every token that does not filter, in text order: for callers with no next key."""
        return sorted([*self.errors, *self.incomplete], key=lambda issue: issue.start)

    @property
    def is_empty(self) -> bool:
        """True when nothing filters (empty input or only half-typed tokens)."""
        return not self.terms

    def compile(self, lookups: FilterNames) -> CompiledFilter:
        """A predicate for this query; build it once per keystroke, call it per task.

        Cheap set look-ups come first and free text last, so most tasks are rejected
        before their text is searched. The result also filters a whole list at once
        (``CompiledFilter.select``), which is how the board uses it.
        """
        checks: list[_Check] = []
        for kind in _SINGLE_VALUED:
            values = [t.value for t in self.terms if t.kind == kind and not t.negated]
            if values:
                checks.append(self._matcher(kind, values, lookups))
        for term in self.terms:
            if term.kind in ("tag", "due", "orphan") and not term.negated:
                checks.append(self._matcher(term.kind, [term.value], lookups))
        for term in self.terms:
            if term.negated and term.kind != "text":
                checks.append(_negate(self._matcher(term.kind, [term.value], lookups)))
        words = [t.value for t in self.terms if t.kind == "text" and not t.negated]
        banned = [t.value for t in self.terms if t.kind == "text" and t.negated]
        if words:
            checks.append(_text_check(words))
        if banned:
            checks.append(_negate(_text_check(banned, any_word=True)))
        return CompiledFilter(checks)

    def _matcher(self, kind: str, values: list[Any], lookups: FilterNames) -> _Check:
        if kind == "owner":
            if lookups.me:
                values = [lookups.me.lower() if v.lower() == "me" else v for v in values]
            return _owner_check(tuple(values))
        if kind == "channel":
            return _id_check("channel_id", _ids_by_prefix(lookups.channels, values))
        if kind == "campaign":
            return _id_check("campaign_id", _ids_by_prefix(lookups.campaigns, values))
        if kind == "status":
            return _id_check("status_id", _ids_by_prefix(lookups.statuses, values))
        if kind == "goal":
            return _goal_check(_ids_by_prefix(lookups.goals, values), lookups.campaign_goals)
        if kind == "priority":
            return _priority_check(frozenset(values))
        if kind == "tag":
            return _tag_check(values[0])
        if kind == "orphan":
            return _orphan_check(lookups.campaign_goals, lookups.done_status_ids)
        return _due_check(values[0], self.today, lookups.done_status_ids, self.now)


# -------------------------------------------------------------------------- parsing


def parse_filter(text: str, now: pendulum.DateTime) -> FilterQuery:
    """Read filter text; never raises (see the module docstring)."""
    query = FilterQuery(today=now.date().isoformat(), now=now)
    for token in _lex_forgiving(text):
        term_or_issue = _term(token, now)
        if isinstance(term_or_issue, Term):
            query.terms.append(term_or_issue)
        elif term_or_issue is not None:
            query.errors.append(term_or_issue)
        elif token.kind == "text":
            if token.value.lower().lstrip("-").startswith("is:"):  # a flag half typed
                message = f"finish the is: term, e.g. {next(iter(FLAGS))}"
                query.incomplete.append(FilterIssue(message, token.start, token.end))
        elif token.kind != "literal":
            message = token.message or "put a date after the operator, e.g. due:<fri"
            query.incomplete.append(FilterIssue(message, token.start, token.end))
    return query


def _lex_forgiving(text: str) -> list[Token]:
    """Lex, treating a quote still open at the end as closed: ``c:"spring la`` filters
    by what has been typed so far."""
    tokens = lex(text, negation=True)
    if tokens and tokens[-1].kind == "error" and tokens[-1].end == len(text):
        closed = lex(text + '"', negation=True)
        if closed and closed[-1].kind != "error":
            return closed
    return tokens


def _term(token: Token, now: pendulum.DateTime) -> Term | FilterIssue | None:
    """The Term a token stands for, an issue to report, or None if it is incomplete."""
    if token.kind == "error":
        return None  # empty value or dangling quote: still being typed
    if token.kind in ("text", "literal"):
        return _text_term(token)
    if token.kind == "priority":
        try:
            value: Any = parse_priority(token.value)
        except ValueError as exc:
            return FilterIssue(str(exc), token.start, token.end)
    elif token.kind == "due":
        value = _due_condition(token.value, now)
        if value is None:
            return None
        if isinstance(value, str):
            return FilterIssue(value, token.start, token.end)
    elif token.kind == "estimate":
        return FilterIssue("estimates can't be filtered on", token.start, token.end)
    else:
        value = token.value.lower()
    return Term(token.kind, value, token.negated, token.start, token.end)


def _text_term(token: Token) -> Term | FilterIssue | None:
    value = token.value.lower()
    negated = token.kind == "text" and value.startswith("-")
    if negated:
        value = value[1:]
    if token.kind == "text" and value in FLAGS:
        return Term(FLAGS[value], True, negated, token.start, token.end)
    if token.kind == "text" and value.startswith("is:"):
        if any(flag.startswith(value) for flag in FLAGS):
            return None  # still being typed
        return FilterIssue(f"unknown is: term; try {next(iter(FLAGS))}", token.start, token.end)
    if not value.strip():
        return None
    return Term("text", " ".join(value.split()), negated, token.start, token.end)


def _due_condition(value: str, now: pendulum.DateTime) -> DueCondition | str | None:
    """``<fri`` / ``>=today`` / ``dec3`` / ``overdue`` → a condition, an error message,
    or None while only the operator has been typed."""
    match = _DUE_OP.fullmatch(value)
    op, when = (match[1] or "=", match[2]) if match else ("=", value)
    if not when:
        return None
    if op == "=" and when.lower() in DUE_WORDS:
        return DueCondition(when.lower())
    try:
        due = parse_when(when, now)
    except DateError as exc:
        return f"{exc.message}; {due_hint()}"
    return DueCondition(op, due.day.isoformat())


# ------------------------------------------------------------------------- matching
#
# Every check comes in two forms that must agree: ``test`` decides one task (the
# command line, a single card), ``mask`` decides a whole ``TaskIndex`` at once in C
# loops (the board, on every keystroke), or returns None when it cannot (an attribute
# with too many distinct values), and then ``test`` runs on what the other checks kept.

MaskOf = Callable[[TaskIndex], Mask | None]


class _Check(NamedTuple):
    test: Predicate
    mask: MaskOf


class CompiledFilter:
    """A compiled filter: ``f(task)`` says whether one task matches; ``f.select(index)``
    lists the matching tasks of a ``TaskIndex``, in its order (the same answer, faster)."""

    __slots__ = ("_checks", "_test")

    def __init__(self, checks: list[_Check]) -> None:
        self._checks = tuple(checks)
        self._test = _all_of([check.test for check in checks])

    def __call__(self, task: Task) -> bool:
        return self._test(task)

    def select(self, index: TaskIndex) -> list[Task]:
        masks: list[Mask] = []
        rest: list[Predicate] = []
        for check in self._checks:
            mask = check.mask(index)
            if mask is None:
                rest.append(check.test)
            else:
                masks.append(mask)
        kept = index.select(masks)
        if rest:
            test = _all_of(rest)
            kept = [task for task in kept if test(task)]
        return kept


def _all_of(checks: list[Predicate]) -> Predicate:
    if not checks:
        return lambda task: True
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def all_match(task: Task) -> bool:
        # A plain loop: all() over a generator costs a frame per task.
        for check in frozen:  # noqa: SIM110
            if not check(task):
                return False
        return True

    return all_match


def _both(masks: list[Mask | None], index: TaskIndex) -> Mask | None:
    """The tasks every mask keeps; None if any mask is unknown."""
    known = [mask for mask in masks if mask is not None]
    if len(known) < len(masks):
        return None
    return index.both(known)


def _negate(check: _Check) -> _Check:
    test, mask = check

    def inverted(index: TaskIndex) -> Mask | None:
        kept = mask(index)
        return None if kept is None else index.invert(kept)

    return _Check(lambda task: not test(task), inverted)


# A task's searchable text, lower-cased once and reused while it is unchanged.
# Lower-casing the titles and notes of 10,000 tasks on every keystroke costs more than
# the matching itself, so the result is cached per task id and validated against the
# task's current strings by identity (a reloaded or edited task carries new ones).
# Entry: (title, notes, tags copy, haystack, lower-cased tags). The board does not use
# this cache: its columns keep a TaskIndex, which holds the same text more compactly.
_Folded = tuple[str, str, list[str], str, tuple[str, ...]]
_FOLDED: dict[int, _Folded] = {}
_FOLDED_LIMIT = 200_000


def _fold(task: Task) -> _Folded:
    """Compute and cache a task's lower-cased title, notes and tags."""
    if len(_FOLDED) >= _FOLDED_LIMIT:
        _FOLDED.clear()
    tags_lower = tuple(tag.lower() for tag in task.tags)
    haystack = "\n".join((task.title.lower(), task.notes.lower(), *tags_lower))
    entry = (task.title, task.notes, list(task.tags), haystack, tags_lower)
    _FOLDED[task.id] = entry
    return entry


def _folded(task: Task) -> _Folded:
    """The cached fold of a task, refreshed when its text changed."""
    entry = _FOLDED.get(task.id)
    if (
        entry is None
        or entry[0] is not task.title
        or entry[1] is not task.notes
        or entry[2] != task.tags
    ):
        entry = _fold(task)
    return entry


def prepare(tasks: Iterable[Task]) -> None:
    """Fold the text of many tasks ahead of time, so the first filter keystroke does not
    pay for lower-casing every task (for callers of the per-task predicate)."""
    for task in tasks:
        _folded(task)


def _text_check(words: list[str], *, any_word: bool = False) -> _Check:
    """Free words against title, notes and tags: all must match (or any, to exclude).

    The cache check of _folded() is inlined and plain loops replace all()/any(): on
    this hot path each extra Python frame per task costs as much as the search itself.
    """
    frozen = tuple(words)
    get = _FOLDED.get

    def matches(task: Task) -> bool:
        entry = get(task.id)
        if (
            entry is None
            or entry[0] is not task.title
            or entry[1] is not task.notes
            or entry[2] != task.tags
        ):
            entry = _fold(task)
        haystack = entry[3]
        for word in frozen:
            if (word in haystack) is any_word:
                return any_word
        return not any_word

    def mask(index: TaskIndex) -> Mask:
        text = index.text()
        found = [index.containing(text, word) for word in frozen]
        if not any_word:
            return index.both(found)
        either = found[0]
        for other in found[1:]:
            either = index.either(either, other)
        return either

    return _Check(matches, mask)


def _ids_by_prefix(names: Mapping[int, str], prefixes: list[str]) -> frozenset[int]:
    """Ids whose name starts with any prefix; resolving names once keeps per-task work
    to a set look-up."""
    wanted = tuple(prefixes)
    return frozenset(id_ for id_, name in names.items() if name.lower().startswith(wanted))


def _id_check(attribute: str, ids: frozenset[int]) -> _Check:
    """Direct attribute access: a generic getattr would double the per-task cost."""
    test: Predicate
    if attribute == "channel_id":
        test = lambda task: task.channel_id in ids  # noqa: E731
    elif attribute == "campaign_id":
        test = lambda task: task.campaign_id in ids  # noqa: E731
    else:
        test = lambda task: task.status_id in ids  # noqa: E731
    return _Check(test, lambda index: index.where(attribute, ids.__contains__))


def _owner_check(prefixes: tuple[str, ...]) -> _Check:
    def owned(owner: str | None) -> bool:
        return owner is not None and owner.lower().startswith(prefixes)

    return _Check(lambda task: owned(task.owner), lambda index: index.where("owner", owned))


def _goal_check(goal_ids: frozenset[int], campaign_goals: Mapping[int, Iterable[int]]) -> _Check:
    """Direct goal, or a campaign that serves one of the goals."""
    campaign_ids = frozenset(
        campaign_id
        for campaign_id, served in campaign_goals.items()
        if not goal_ids.isdisjoint(served)
    )

    def mask(index: TaskIndex) -> Mask | None:
        by_goal = index.where("goal_id", goal_ids.__contains__)
        by_campaign = index.where("campaign_id", campaign_ids.__contains__)
        if by_goal is None or by_campaign is None:
            return None
        return index.either(by_goal, by_campaign)

    return _Check(lambda task: task.goal_id in goal_ids or task.campaign_id in campaign_ids, mask)


def _orphan_check(
    campaign_goals: Mapping[int, Iterable[int]], done_ids: AbstractSet[int]
) -> _Check:
    """Open tasks with no goal of their own and no campaign serving a goal."""
    aligned_campaigns = frozenset(cid for cid, served in campaign_goals.items() if tuple(served))

    def mask(index: TaskIndex) -> Mask | None:
        return _both(
            [
                index.where("goal_id", lambda goal_id: goal_id is None),
                index.where("campaign_id", lambda cid: cid not in aligned_campaigns),
                index.where("status_id", lambda status_id: status_id not in done_ids),
            ],
            index,
        )

    return _Check(
        lambda task: (
            task.goal_id is None
            and task.campaign_id not in aligned_campaigns
            and task.status_id not in done_ids
        ),
        mask,
    )


def _priority_check(priorities: frozenset[int]) -> _Check:
    return _Check(
        lambda task: task.priority in priorities,
        lambda index: index.where("priority", priorities.__contains__),
    )


def _tag_check(prefix: str) -> _Check:
    """Any tag starting with the prefix; lower-cased tags come from the text cache."""
    get = _FOLDED.get

    def has_tag(task: Task) -> bool:
        if not task.tags:
            return False
        entry = get(task.id)
        if (
            entry is None
            or entry[0] is not task.title
            or entry[1] is not task.notes
            or entry[2] != task.tags
        ):
            entry = _fold(task)
        for tag in entry[4]:  # noqa: SIM110
            if tag.startswith(prefix):
                return True
        return False

    def mask(index: TaskIndex) -> Mask | None:
        if "\0" in prefix:  # the index separates tags with NUL
            return None
        return index.containing(index.tags(), "\0" + prefix)

    return _Check(has_tag, mask)


def _due_check(
    condition: DueCondition,
    today: str,
    done_ids: AbstractSet[int],
    now: pendulum.DateTime | None = None,
) -> _Check:
    """Compare the first ten characters of the stored ISO value (its date) as strings.

    Done cards never match (see the module docstring): their due date asks nothing more.
    """
    op, day = condition.op, condition.day or ""
    due_matches: Callable[[str | None], bool]
    if op == "none":
        due_matches = lambda due: due is None  # noqa: E731
    elif op == "any":
        due_matches = lambda due: due is not None  # noqa: E731
    elif op == "overdue":
        due_matches = _overdue(today, now)
    else:
        compare = _COMPARISONS[op]
        due_matches = lambda due: due is not None and compare(due[:10], day)  # noqa: E731

    def mask(index: TaskIndex) -> Mask | None:
        return _both(
            [
                index.where("status_id", lambda status_id: status_id not in done_ids),
                index.where("due", due_matches),
            ],
            index,
        )

    return _Check(
        lambda task: task.status_id not in done_ids and due_matches(task.due),
        mask,
    )


def _overdue(today: str, now: pendulum.DateTime | None) -> Callable[[str | None], bool]:
    """Due on an earlier day, or today at a time already past (the stand-up report's
    "overdue"). Only a time due today is parsed: string comparison does the rest."""

    def overdue(due: str | None) -> bool:
        if due is None:
            return False
        day = due[:10]
        if day != today:
            return day < today
        return now is not None and len(due) > 10 and _passed(due, now)

    return overdue


def _passed(due: str, now: pendulum.DateTime) -> bool:
    try:
        moment = pendulum.parse(due, tz=now.timezone or pendulum.UTC)
    except ValueError:
        return False
    return isinstance(moment, pendulum.DateTime) and moment < now


_COMPARISONS: dict[str, Callable[[str, str], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
}
