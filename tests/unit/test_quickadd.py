"""The quick-add parser: a table of lines with expected parses, error positions, and
hypothesis properties (never crashes, format round-trips, plain titles survive)."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtui.core.language.quickadd import (
    MAX_ESTIMATE_MINUTES,
    ParsedTask,
    QuickAddError,
    Token,
    format_quickadd,
    parse_quickadd,
    scan,
    token_at,
)

NOW = pendulum.datetime(2026, 11, 26, 10, 0, tz="Europe/Berlin")  # Thursday

JSON_KEYS = [
    "title",
    "status",
    "priority",
    "owner",
    "channel",
    "campaign",
    "goal",
    "due",
    "tags",
    "estimate_minutes",
]

LINES: list[tuple[str, dict[str, Any]]] = [
    (
        "Launch email #email @ana due:fri !1 ^signups c:spring-launch",
        {
            "title": "Launch email",
            "channel": "email",
            "owner": "ana",
            "due": "2026-11-27",
            "priority": 1,
            "goal": "signups",
            "campaign": "spring-launch",
        },
    ),
    ("#email Launch @ana email", {"title": "Launch email", "channel": "email", "owner": "ana"}),
    ("Post !high", {"title": "Post", "priority": 1}),
    ("Post !med", {"title": "Post", "priority": 2}),
    ("Post !low", {"title": "Post", "priority": 3}),
    ("Post !h", {"title": "Post", "priority": 1}),
    ("Post !M", {"title": "Post", "priority": 2}),
    ("Post !3", {"title": "Post", "priority": 3}),
    ("Post campaign:spring-launch", {"title": "Post", "campaign": "spring-launch"}),
    ('Post c:"spring launch"', {"title": "Post", "campaign": "spring launch"}),
    ("Post d:tomorrow", {"title": "Post", "due": "2026-11-27"}),
    ('Post due:"next week"', {"title": "Post", "due": "2026-11-30"}),
    ("Post due:fri15:00", {"title": "Post", "due": "2026-11-27T15:00:00+01:00"}),
    ("Post due:thu", {"title": "Post", "due": "2026-12-03"}),
    ("Post DUE:+2w", {"title": "Post", "due": "2026-12-10"}),
    ("Post s:doing", {"title": "Post", "status": "doing"}),
    ('Post status:"in review"', {"title": "Post", "status": "in review"}),
    ("Post +copy +seo", {"title": "Post", "tags": ["copy", "seo"]}),
    ("Post +copy +Copy +copy", {"title": "Post", "tags": ["copy"]}),
    ("Post est:2h", {"title": "Post", "estimate_minutes": 120}),
    ("Post est:30m", {"title": "Post", "estimate_minutes": 30}),
    ("Post est:1h30m", {"title": "Post", "estimate_minutes": 90}),
    ("Post est:1.5h", {"title": "Post", "estimate_minutes": 90}),
    ("Post estimate:45min", {"title": "Post", "estimate_minutes": 45}),
    ('"#email tip" post #social', {"title": "#email tip post", "channel": "social"}),
    # Issue 12 item 26: "#" and digits is a number; quotes that protect nothing are kept.
    ("Weekly newsletter #16", {"title": "Weekly newsletter #16"}),
    ("#16 tips #email", {"title": "#16 tips", "channel": "email"}),
    ('Post #"16"', {"title": "Post", "channel": "16"}),
    ('Review "Q4 plan" deck', {"title": 'Review "Q4 plan" deck'}),
    ('"#1 tip" post', {"title": '"#1 tip" post'}),
    ('Say "it\'s" ok', {"title": 'Say "it\'s" ok'}),
    ('Post about "due:fri and @ana"', {"title": "Post about due:fri and @ana"}),
    ('"C#"-based demo', {"title": '"C#"-based demo'}),
    ("Mail email@example.com", {"title": "Mail email@example.com"}),
    ("Learn C# and a+b", {"title": "Learn C# and a+b"}),
    ("Grow 50%! now", {"title": "Grow 50%! now"}),
    ("Fix https://x.com/#frag", {"title": "Fix https://x.com/#frag"}),
    ("Call at 3:30", {"title": "Call at 3:30"}),
    ("Re: pricing page", {"title": "Re: pricing page"}),
    ("  lots   of\tspace  ", {"title": "lots of space"}),
    ("Post @ana @Ana", {"title": "Post", "owner": "ana"}),
    ("Post due:fri due:friday", {"title": "Post", "due": "2026-11-27"}),
    (
        'Post @"Ana Maria" #"paid social"',
        {"title": "Post", "owner": "Ana Maria", "channel": "paid social"},
    ),
    ('Say "he said \\"hi\\""', {"title": 'Say he said "hi"'}),
]


@pytest.mark.parametrize(("text", "expected"), LINES)
def test_line_parses_as_expected(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_quickadd(text, NOW).to_json_dict()
    defaults: dict[str, Any] = dict.fromkeys(JSON_KEYS)
    defaults["tags"] = []
    assert parsed == {**defaults, **expected}


def test_json_dict_has_exactly_the_documented_keys() -> None:
    parsed = parse_quickadd("Post", NOW).to_json_dict()
    assert list(parsed) == JSON_KEYS
    assert parsed["tags"] == [] and parsed["due"] is None


ERRORS = [
    ("Post !9", 5, "priority"),
    ("Post due:blah", 5, "tomorrow"),
    ("Post est:2", 5, "estimate"),
    ("Post est:0m", 5, "range"),
    ("Post #", 5, "channel"),
    ("Post @", 5, "owner"),
    ("Post due:", 5, "due"),
    ("Post ^ x", 5, "goal"),
    ('Post "abc', 5, "unterminated"),
    ('Post c:"spring', 5, "unterminated"),
    ('Post c:"a"b', 5, "space after"),
    ("Post due:fri due:mon", 13, "two different due"),
    ("Post !1 !3", 8, "two different priority"),
    ("Post @ana @raj", 10, "two different owner"),
    ('Post +"two words"', 5, "one word"),
    ("#email @ana", 0, "title"),
    ('"" #x', 0, "title"),
    ("", 0, "title"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), ERRORS)
def test_errors_point_at_the_bad_token(text: str, position: int, fragment: str) -> None:
    with pytest.raises(QuickAddError) as info:
        parse_quickadd(text, NOW)
    assert info.value.position == position
    assert fragment in info.value.message


def test_scan_marks_bad_tokens_and_keeps_going() -> None:
    tokens = scan('Plan #e @ due:blah !2 "x', NOW)
    assert [t.kind for t in tokens] == ["text", "channel", "error", "error", "priority", "error"]
    assert tokens[2].intended == "owner"
    assert tokens[3].intended == "due" and tokens[3].message
    assert (tokens[1].start, tokens[1].end, tokens[1].value) == (5, 7, "e")


def test_scan_without_now_does_not_judge_dates() -> None:
    assert scan("x due:whenever")[1] == Token("due", "whenever", 2, 14)


def test_token_at_finds_the_token_under_the_cursor() -> None:
    tokens = scan("Post @an")
    found = token_at(tokens, 8)
    assert found is not None and found.kind == "owner" and found.value == "an"


def test_positions_are_kept_for_resolution() -> None:
    parsed = parse_quickadd("Post ^signups c:spring", NOW)
    assert parsed.positions == {"goal": 5, "campaign": 14}


def test_format_quotes_what_would_read_as_tokens() -> None:
    parsed = ParsedTask(title="#1 tip for @ana", channel="paid social", tags=["x"])
    text = format_quickadd(parsed)
    assert text == '#1 tip for "@ana" #"paid social" +x'
    assert parse_quickadd(text, NOW) == parsed


# ---------------------------------------------------------------- hypothesis

FRAGMENTS = [
    " ",
    "  ",
    "\t",
    '"',
    '\\"',
    "\\",
    "#",
    "@",
    "!",
    "^",
    "+",
    "c:",
    "campaign:",
    "due:",
    "d:",
    "s:",
    "status:",
    "est:",
    "1",
    "9",
    "h",
    "high",
    "fri",
    "dec31",
    "15:00",
    "9am",
    "+3d",
    "eow",
    "2026-12-03",
    "x",
    "ana",
    "email",
    "2h",
    "30m",
    "1.5h",
    "\u00a0",
    "é",
]


@given(st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS)).map("".join)))
def test_parser_raises_only_quick_add_error(text: str) -> None:
    try:
        parsed = parse_quickadd(text, NOW)
    except QuickAddError as exc:
        assert exc.message
        assert 0 <= exc.position <= len(text)
    else:
        assert parsed.title and parsed.title == " ".join(parsed.title.split())


# Control characters are stripped on input (issue 12), so they are no title text.
_NON_SPACE = st.characters(codec="utf-8", exclude_categories=["Cc"]).filter(
    lambda ch: not ch.isspace()
)
_ANY_WORD = st.one_of(
    st.text(_NON_SPACE, min_size=1, max_size=8),
    st.sampled_from(["#1", "@x", '"', '"a"', "c:x", "due:", "!", "+", "\\", '\\"', 'a"b', "s:"]),
)
_PHRASE = st.lists(_ANY_WORD, min_size=1, max_size=4).map(" ".join)
_TAG = st.text(_NON_SPACE, min_size=1, max_size=8)
_ZONES = [
    ZoneInfo("Europe/Berlin"),
    datetime.UTC,
    datetime.timezone(datetime.timedelta(hours=-3, minutes=-30)),
]
_DUE = st.one_of(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)).map(datetime.date.isoformat),
    st.datetimes(
        datetime.datetime(1990, 1, 1),
        datetime.datetime(2100, 1, 1),
        timezones=st.sampled_from(_ZONES),
    ).map(datetime.datetime.isoformat),
)


@st.composite
def parsed_tasks(draw: st.DrawFn) -> ParsedTask:
    """Any ParsedTask the parser could produce: collapsed whitespace, no empty values."""
    return ParsedTask(
        title=draw(_PHRASE),
        status=draw(st.none() | _PHRASE),
        priority=draw(st.none() | st.integers(1, 3)),
        owner=draw(st.none() | _PHRASE),
        channel=draw(st.none() | _PHRASE),
        campaign=draw(st.none() | _PHRASE),
        goal=draw(st.none() | _PHRASE),
        due=draw(st.none() | _DUE),
        tags=draw(st.lists(_TAG, max_size=4, unique_by=str.lower)),
        estimate_minutes=draw(st.none() | st.integers(1, MAX_ESTIMATE_MINUTES)),
    )


@given(parsed_tasks())
def test_format_then_parse_round_trips(task: ParsedTask) -> None:
    assert parse_quickadd(format_quickadd(task), NOW) == task


# A word holds no token when it does not start with a quote, a sigil or a known key.
_KEYED = re.compile(r"(?i)(c|campaign|d|due|s|status|est|estimate):")
_PLAIN_WORD = st.text(_NON_SPACE, min_size=1, max_size=10).filter(
    lambda w: w[0] not in '"#@!^+' and not _KEYED.match(w)
)
_GAP = st.text(st.sampled_from(" \t\n\u00a0\u2003"), min_size=1, max_size=3)


@given(st.lists(_PLAIN_WORD, min_size=1, max_size=8))
def test_title_without_tokens_is_kept_unchanged(words: list[str]) -> None:
    title = " ".join(words)
    parsed = parse_quickadd(title, NOW)
    assert parsed == ParsedTask(title=title)
    assert format_quickadd(parsed) == title


@given(st.lists(st.tuples(_GAP, _PLAIN_WORD), min_size=1, max_size=6), _GAP)
def test_title_whitespace_is_collapsed(pieces: list[tuple[str, str]], tail: str) -> None:
    text = "".join(gap + word for gap, word in pieces) + tail
    assert parse_quickadd(text, NOW).title == " ".join(word for _, word in pieces)


def _calls_to_parse(text: str) -> int:
    """Python and builtin calls made while parsing ``text``: a machine-independent
    measure of work (no timing), deterministic from run to run."""
    import sys

    count = 0

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        parse_quickadd(text, NOW)
    finally:
        sys.setprofile(None)
    return count


def _tag_line(n: int) -> str:
    return "Tag soup " + " ".join(f"+t{i}" for i in range(n))


def test_many_tags_parse_in_linear_work() -> None:
    """Issue 12 item 3: de-duplicating tags scanned every earlier tag (quadratic: 20,000
    tags took 8 s). Four times the tags must cost about four times the work."""
    small, large = _calls_to_parse(_tag_line(1_000)), _calls_to_parse(_tag_line(4_000))
    assert large / small < 6, (small, large)


def test_fifty_thousand_tags_keep_first_spelling_once() -> None:
    tags = [f"t{i}" for i in range(50_000)]
    text = "Tag soup " + " ".join(f"+{t}" for t in tags) + " +T0 +t49999 +New"
    parsed = parse_quickadd(text, NOW)
    assert parsed.tags == [*tags, "New"]
    assert parsed.title == "Tag soup"
