"""The board filter: what each token keeps, how they combine, and forgiving parsing."""

from __future__ import annotations

import dataclasses

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.language.filter_index import TaskIndex
from mtui.core.language.filter_query import DueCondition, FilterNames, parse_filter, prepare
from mtui.core.model import Task

NOW = pendulum.datetime(2026, 11, 26, 10, 0, tz="Europe/Berlin")  # Thursday
LOOKUPS = FilterNames(
    channels={1: "email", 2: "social", 3: "seo"},
    goals={10: "signups", 11: "mqls"},
    campaigns={20: "spring-launch", 21: "black-friday"},
    statuses={1: "Backlog", 2: "Doing", 3: "Done"},
    done_status_ids=frozenset({3}),
    campaign_goals={21: [11]},
)


def _task(id_: int, title: str, **fields: object) -> Task:
    return Task(id=id_, title=title, status_id=fields.pop("status_id", 1), position=id_, **fields)  # type: ignore[arg-type]


TASKS = [
    _task(1, "Launch email", owner="Ana", channel_id=1, priority=1, due="2026-11-25", goal_id=10),
    _task(
        2, "LinkedIn carousel", owner="raj", channel_id=2, tags=["copy", "Design"], due="2026-11-27"
    ),
    _task(3, "Fix UTM tags", channel_id=3, notes="Broken on the pricing page", status_id=2),
    _task(4, "Old launch recap", owner="ana", due="2026-11-20", status_id=3, campaign_id=20),
    _task(5, "Black Friday ads", campaign_id=21, priority=2, due="2026-11-27T15:00:00+01:00"),
    _task(6, "Webinar follow-up", owner="anabel", tags=["draft"], due="2026-12-03"),
]


def ids(query: str) -> list[int]:
    """The tasks ``query`` keeps, asked one task at a time and all at once (the board's
    way, through a TaskIndex): both must agree."""
    compiled = parse_filter(query, NOW).compile(LOOKUPS)
    one_by_one = [task.id for task in TASKS if compiled(task)]
    assert [task.id for task in compiled.select(TaskIndex(TASKS))] == one_by_one
    return one_by_one


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [1, 2, 3, 4, 5, 6]),
        ("launch", [1, 4]),
        ("LAUNCH email", [1]),
        ("pricing", [3]),
        ("design", [2]),
        ('"launch recap"', [4]),
        ("-launch", [2, 3, 5, 6]),
        ("@ana", [1, 4, 6]),
        ("@anab", [6]),
        ("@ana @raj", [1, 2, 4, 6]),
        ("-@ana", [2, 3, 5]),
        ("!@ana", [2, 3, 5]),
        ("#email", [1]),
        ("#e #so", [1, 2]),
        ("-#email", [2, 3, 4, 5, 6]),
        ("^signups", [1]),
        ("^mqls", [5]),
        ("c:spring", [4]),
        ("c:black", [5]),
        ("!1", [1]),
        ("!high !2", [1, 5]),
        ("+cop", [2]),
        ("+copy +design", [2]),
        ("-+draft", [1, 2, 3, 4, 5]),
        ("s:doi", [3]),
        ("s:done", [4]),
        ("due:overdue", [1]),
        ("due:<fri", [1]),  # 4 is Done: finished work is never due
        ("due:<=fri", [1, 2, 5]),
        ("due:fri", [2, 5]),
        ("due:>today", [2, 5, 6]),
        ("due:>=tomorrow due:<nw", [2, 5]),
        ("due:none", [3]),
        ("due:any", [1, 2, 5, 6]),
        ("-due:none", [1, 2, 4, 5, 6]),
        ("launch @ana #email !1 due:overdue ^sign", [1]),
        ("launch @raj", []),
    ],
)
def test_query_keeps_expected_tasks(query: str, expected: list[int]) -> None:
    assert ids(query) == expected


@pytest.mark.parametrize("query", ["@", "#", "due:", "due:<", "c:", "!", "-", "s:", "+"])
def test_half_typed_tokens_do_not_filter_or_complain(query: str) -> None:
    parsed = parse_filter(query, NOW)
    assert parsed.is_empty and parsed.errors == []
    assert ids(query) == [1, 2, 3, 4, 5, 6]


def test_open_quote_filters_by_what_was_typed_so_far() -> None:
    assert ids('#"soc') == [2]
    assert ids('"launch rec') == [4]


def test_meaningless_tokens_are_reported_and_skipped() -> None:
    parsed = parse_filter("launch !9 due:blah est:2h", NOW)
    assert [(e.start, e.end) for e in parsed.errors] == [(7, 9), (10, 18), (19, 25)]
    assert "priority" in parsed.errors[0].message
    assert "overdue" in parsed.errors[1].message
    assert [term.kind for term in parsed.terms] == ["text"]
    assert ids("launch !9 due:blah") == [1, 4]


def test_due_terms_carry_the_resolved_day() -> None:
    terms = parse_filter("due:<fri due:overdue", NOW).terms
    assert [term.value for term in terms] == [
        DueCondition("<", "2026-11-27"),
        DueCondition("overdue"),
    ]


def test_edited_title_is_searched_afresh() -> None:
    task = _task(99, "Alpha")
    predicate = parse_filter("beta", NOW).compile(LOOKUPS)
    assert not predicate(task)
    task.title = "Beta launch"
    assert predicate(task)
    task.tags.append("gamma")
    assert parse_filter("gamma", NOW).compile(LOOKUPS)(task)


def test_unknown_names_match_nothing() -> None:
    assert ids("#tiktok") == []
    assert ids("^nothing") == []


@given(st.text(max_size=40))
def test_parse_filter_never_raises(text: str) -> None:
    parsed = parse_filter(text, NOW)
    predicate = parsed.compile(LOOKUPS)
    kept = [task for task in TASKS if predicate(task)]
    assert len(kept) <= len(TASKS)
    assert all(0 <= issue.start <= issue.end <= len(text) for issue in parsed.errors)


def test_prepare_warms_the_cache_without_changing_results() -> None:
    before = ids("launch")
    prepare(TASKS)
    assert ids("launch") == before == [1, 4]


# --------------------------------------------- issue 12, item 27: Done cards and the docs


@pytest.mark.parametrize(
    "query",
    ["due:<today", "due:overdue", "due:<=today", "due:=2026-11-20", "due:2026-11-20", "due:any",
     "d:<fri", "due:>=2026-11-01 due:<=2026-11-30"],
)  # fmt: skip
def test_done_cards_never_match_a_due_term(query: str) -> None:
    """Task 4 is Done and was due on 2026-11-20: it is not late, nor due on any day."""
    assert 4 not in ids(query)
    assert 4 in ids("-" + query.split()[0])  # and the negation keeps it


def test_overdue_and_before_today_are_the_same_list() -> None:
    assert ids("due:overdue") == ids("due:<today") == [1]


def test_every_documented_example_parses_and_filters() -> None:
    from mtui.core.language.filter_query import FILTER_TERMS

    for doc in FILTER_TERMS:
        parsed = parse_filter(doc.example, NOW)
        assert parsed.problems() == [], doc
        assert parsed.terms, doc


def test_unknown_is_terms_are_reported_and_half_typed_ones_wait() -> None:
    parsed = parse_filter("is:orfan", NOW)
    assert parsed.terms == [] and "is:orphan" in parsed.errors[0].message
    waiting = parse_filter("is:orph", NOW)
    assert waiting.errors == [] and waiting.is_empty and waiting.incomplete


def test_the_readme_documents_every_filter_term() -> None:
    from pathlib import Path

    from mtui.core.language.filter_query import DUE_OPERATORS, DUE_WORDS, FLAGS
    from mtui.core.language.quickadd import KEYS, SIGILS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Filter language", 1)[1].split("\n## ", 1)[0]
    spellings = [
        *(f"`{sigil}" for sigil in SIGILS),
        *(f"{key}:" for key, kind in KEYS.items() if kind != "estimate"),
        *(f"`due:{op}" for op in DUE_OPERATORS if op != "="),
        *(f"due:{word}" for word in DUE_WORDS),
        *(flag for flag in FLAGS if not flag.endswith("s")),
        "`-term`",
        "`!term`",
        "Done cards never match",
    ]
    assert [s for s in spellings if s not in section] == []


def test_overdue_includes_a_time_already_past_today() -> None:
    """What the stand-up report counts as overdue, so its "… and N more overdue (mtui ls
    --filter 'due:overdue')" line names a command listing exactly those (item 29)."""
    earlier = _task(7, "Morning post", due="2026-11-26T08:00:00+01:00")
    later = _task(8, "Evening post", due="2026-11-26T18:00:00+01:00")
    finished = _task(9, "Done post", due="2026-11-26T08:00:00+01:00", status_id=3)
    overdue = parse_filter("due:overdue", NOW).compile(LOOKUPS)
    assert [overdue(t) for t in (earlier, later, finished)] == [True, False, False]
    before_today = parse_filter("due:<today", NOW).compile(LOOKUPS)
    assert not before_today(earlier)


def test_at_me_is_the_person_at_the_keyboard() -> None:
    """``@me`` filters by the store's actor (the config's user, or the database role)."""
    from dataclasses import replace

    as_raj = replace(LOOKUPS, me="raj")
    predicate = parse_filter("@me", NOW).compile(as_raj)
    assert [task.id for task in TASKS if predicate(task)] == [2]
    assert ids("@me") == []  # nobody called "me…" without an actor


# ------------------------- issue 16: the board filters a TaskIndex column-wise (C loops)

_TERMS = st.sampled_from(
    ["launch", "email", "a", "pricing", "ads", "@ana", "@r", "@me", "#e", "#so", "^signups",
     "^mqls", "c:spring", "c:b", "!1", "!2", "+cop", "+d", "s:do", "s:b", "due:overdue",
     "due:<fri", "due:fri", "due:>=today", "due:none", "due:any", "is:orphan", '"h ad"']
)  # fmt: skip
_QUERIES = st.lists(st.tuples(st.booleans(), _TERMS), max_size=4).map(
    lambda parts: " ".join(("-" if negated else "") + term for negated, term in parts)
)
_RANDOM_TASKS = st.lists(
    st.builds(
        dict,
        title=st.sampled_from(["Launch email", "Black Friday ads", "Fix pricing", "Ads"]),
        owner=st.sampled_from([None, "Ana", "raj", "anabel", "me"]),
        channel_id=st.sampled_from([None, 1, 2, 3]),
        campaign_id=st.sampled_from([None, 20, 21]),
        goal_id=st.sampled_from([None, 10, 11]),
        priority=st.sampled_from([None, 1, 2, 3]),
        status_id=st.sampled_from([1, 2, 3]),
        due=st.sampled_from(
            [
                None,
                "2026-11-20",
                "2026-11-26",
                "2026-11-26T09:00:00+01:00",
                "2026-11-26T23:00:00+01:00",
                "2026-11-27",
                "2026-12-03",
            ]
        ),
        tags=st.lists(st.sampled_from(["copy", "Design", "draft", "ads"]), max_size=2),
        notes=st.sampled_from(["", "Broken on the pricing page", "launch\nEmail"]),
    ),
    max_size=12,
)


@given(_RANDOM_TASKS, _QUERIES)
def test_selecting_from_an_index_equals_asking_each_task(fields: list[dict], query: str) -> None:
    tasks = [_task(index + 1, **dict(values)) for index, values in enumerate(fields)]
    compiled = parse_filter(query, NOW).compile(dataclasses.replace(LOOKUPS, me="raj"))
    expected = [task.id for task in tasks if compiled(task)]
    assert [task.id for task in compiled.select(TaskIndex(tasks))] == expected


def test_attributes_with_too_many_values_fall_back_to_each_task() -> None:
    """Owners beyond what a one-byte code numbers: asked per task, same answer."""
    tasks = [_task(index, f"Task {index}", owner=f"o{index}") for index in range(300)]
    index = TaskIndex(tasks)
    assert index.codes("owner") is None
    compiled = parse_filter("@o1 task", NOW).compile(LOOKUPS)
    expected = [task.id for task in tasks if compiled(task)]
    assert [task.id for task in compiled.select(index)] == expected
    assert len(expected) == 111  # o1, o10-o19, o100-o199


@given(_RANDOM_TASKS, st.lists(_QUERIES, min_size=1, max_size=4))
def test_one_index_asked_in_turn_answers_as_a_fresh_one(
    fields: list[dict], queries: list[str]
) -> None:
    """The index keeps its last selection to narrow or reuse it (a filter typed further):
    each answer is still the one a fresh index gives."""
    tasks = [_task(index + 1, **dict(values)) for index, values in enumerate(fields)]
    kept = TaskIndex(tasks)
    for query in queries:
        compiled = parse_filter(query, NOW).compile(LOOKUPS)
        expected = [task.id for task in compiled.select(TaskIndex(tasks))]
        assert [task.id for task in compiled.select(kept)] == expected


def test_an_unchanged_answer_is_the_same_list_again() -> None:
    """A keystroke that keeps the same tasks gets the last list back (the board then
    keeps the column's drawn lines), and typing further still narrows correctly."""
    index = TaskIndex(TASKS)
    first = parse_filter("la", NOW).compile(LOOKUPS).select(index)
    assert [task.id for task in first] == [1, 4, 5]
    assert parse_filter("la ", NOW).compile(LOOKUPS).select(index) is first
    narrower = parse_filter("lau", NOW).compile(LOOKUPS).select(index)
    assert [task.id for task in narrower] == [1, 4]
    assert [task.id for task in first] == [1, 4, 5]  # the list handed out is never changed
