"""The quick-add language: one line of text becomes a fully filed task.

``Launch email #email @ana due:fri !1 ^signups c:spring-launch`` is read in two steps:
this module only *reads* the text (no database, no name lookups), and
:mod:`mtui.core.language.resolve` then matches statuses, goals and campaigns against real rows.
The TUI and ``mtui add`` share this parser, and the board filter reuses its lexer.

Lexical rules, chosen so that ordinary titles survive:

* A token starts only at the start of a whitespace-separated word, so
  ``email@example.com``, ``C#``, ``a+b`` and ``https://x.com/#frag`` stay title text.
* ``"..."`` at the start of a word is literal text. Its quotes are dropped from the
  title only when they protect a token (``"#email tips"``); quotes around plain words
  (``Review "Q4 plan"``) are part of the title. Inside quotes ``\\"`` is a quote and
  ``\\\\`` a backslash.
* ``#`` followed by a number (``Weekly newsletter #16``) is title text, not a channel.
* A token value may be quoted to hold spaces: ``c:"spring launch"``.
* Keys (``due:``, ``c:`` …) are case-insensitive; values are kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtui.core.language.clean import strip_controls
from mtui.core.language.day_words import due_day_iso
from mtui.core.plain import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any

SIGILS: dict[str, str] = {
    "#": "channel",
    "@": "owner",
    "!": "priority",
    "^": "goal",
    "+": "tag",
}
KEYS: dict[str, str] = {
    "c": "campaign",
    "campaign": "campaign",
    "d": "due",
    "due": "due",
    "s": "status",
    "status": "status",
    "est": "estimate",
    "estimate": "estimate",
}
FIELD_KINDS = (
    "status",
    "priority",
    "owner",
    "channel",
    "goal",
    "campaign",
    "due",
    "tag",
    "estimate",
)
TEXT_KINDS = ("text", "literal")

PRIORITY_WORDS: dict[str, int] = {
    "1": 1,
    "h": 1,
    "hi": 1,
    "high": 1,
    "2": 2,
    "m": 2,
    "med": 2,
    "medium": 2,
    "3": 3,
    "l": 3,
    "lo": 3,
    "low": 3,
}
MAX_ESTIMATE_MINUTES = 1000 * 60
# Digits read per number in an estimate: enough for any estimate in range, few enough
# that float()/int() can never overflow or hit Python's int-conversion limit.
_MAX_NUMBER_CHARS = 9

_KEY_PREFIX = re.compile(r"([A-Za-z]+):")
_NUMBER_WORD = re.compile(r"\d+[.,:;!?)]*")  # "#16", "#16:", "#3," are numbers
# Compiled on first use (re's cache): only ``est:`` needs them.
_ESTIMATE_HOURS = r"(\d+(?:\.\d+)?)h(?:(\d+)m?)?"
_ESTIMATE_MINUTES = r"(\d+)m(?:in)?"

_EXAMPLES = {
    "channel": "#email",
    "owner": "@ana",
    "priority": "!1",
    "goal": "^signups",
    "tag": "+copy",
    "campaign": "c:spring-launch",
    "due": "due:fri",
    "status": "s:doing",
    "estimate": "est:2h",
}


class QuickAddError(ValueError):
    """Quick-add text that cannot be filed; ``position`` is the 0-based offset of the
    offending token so the input can point at it while keeping the text."""

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class Token(FrozenRecord):
    """One lexical piece of the input, with offsets for highlighting and autocomplete.

    ``kind`` is ``text``, ``literal`` (quoted text), one of FIELD_KINDS, or ``error``.
    ``value`` is the unquoted value (without the sigil or key). For an ``error`` token,
    ``message`` says what is wrong and ``intended`` names the kind it was meant to be.
    ``negated`` is only set by the filter lexer (``-@ana``). (A frozen record, not a
    dataclass: ``mtui.core.plain``.)
    """

    __slots__ = ("end", "intended", "kind", "message", "negated", "start", "value")
    _fields = ("kind", "value", "start", "end", "message", "intended", "negated")
    kind: str
    value: str
    start: int
    end: int
    message: str | None
    intended: str | None
    negated: bool

    def __init__(self, kind: str, value: str, start: int, end: int, message: str | None = None,
                 intended: str | None = None, negated: bool = False) -> None:  # fmt: skip
        set_field = object.__setattr__  # frozen: as a frozen dataclass's __init__ does
        set_field(self, "kind", kind)
        set_field(self, "value", value)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "message", message)
        set_field(self, "intended", intended)
        set_field(self, "negated", negated)


class ParsedTask(Record):
    """What a quick-add line says, before names are matched against the database.
    (A record, not a dataclass: ``mtui.core.plain``.)"""

    __slots__ = ("campaign", "channel", "due", "estimate_minutes", "goal", "owner",
                 "positions", "priority", "status", "tags", "title")  # fmt: skip
    _fields = ("title", "status", "priority", "owner", "channel", "campaign", "goal", "due",
               "tags", "estimate_minutes")  # fmt: skip

    def __init__(
        self,
        title: str,
        status: str | None = None,
        priority: int | None = None,
        owner: str | None = None,
        channel: str | None = None,
        campaign: str | None = None,
        goal: str | None = None,
        due: str | None = None,
        tags: list[str] | None = None,
        estimate_minutes: int | None = None,
        positions: dict[str, int] | None = None,
    ) -> None:
        self.title = title
        self.status = status
        self.priority = priority
        self.owner = owner
        self.channel = channel
        self.campaign = campaign
        self.goal = goal
        self.due = due
        self.tags: list[str] = [] if tags is None else tags
        self.estimate_minutes = estimate_minutes
        # Where each field's token started, so later steps (resolve) can point at it
        # (neither compared nor printed).
        self.positions: dict[str, int] = {} if positions is None else positions

    def to_json_dict(self) -> dict[str, Any]:
        """The ``mtui add --dry-run --json`` shape: absent values are null / []."""
        return {
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "owner": self.owner,
            "channel": self.channel,
            "campaign": self.campaign,
            "goal": self.goal,
            "due": self.due,
            "tags": list(self.tags),
            "estimate_minutes": self.estimate_minutes,
        }


# ---------------------------------------------------------------------------- lexing


def lex(text: str, *, negation: bool = False) -> list[Token]:
    """Split text into tokens without judging values (never raises).

    Only the syntax is checked here: empty values and unterminated quotes become
    ``error`` tokens. With ``negation`` a leading ``-`` or ``!`` before a field token
    marks it negated (the filter language uses this; quick-add does not).
    """
    return list(_lex(text, negation))


def _lex(text: str, negation: bool) -> Iterator[Token]:
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        token = _lex_word(text, i, negation)
        yield token
        i = token.end
        if token.kind == "literal" and i < n and not text[i].isspace():
            # Text glued to a closing quote (`"C#"-based`) stays title text.
            end = _word_end(text, i)
            yield Token("text", text[i:end], i, end)
            i = end


def _lex_word(text: str, start: int, negation: bool) -> Token:
    """The token starting at ``start`` (the first character of a word)."""
    if text[start] == '"':
        return _lex_literal(text, start)
    negated = False
    value_start = start
    if negation and text[start] in "-!" and _field_at(text, start + 1) is not None:
        negated = True
        value_start = start + 1
    found = _field_at(text, value_start)
    if found is None:
        end = _word_end(text, start)
        return Token("text", text[start:end], start, end)
    kind, value_start = found
    return _lex_field(text, start, kind, value_start, negated)


def _field_at(text: str, i: int) -> tuple[str, int] | None:
    """(kind, value offset) if a sigil or ``key:`` starts at ``i``, else None."""
    if i >= len(text) or text[i].isspace():
        return None
    if text[i] in SIGILS:
        if text[i] == "#" and _NUMBER_WORD.fullmatch(text, i + 1, _word_end(text, i + 1)):
            return None  # "Weekly newsletter #16:" is a number, not a channel
        return SIGILS[text[i]], i + 1
    match = _KEY_PREFIX.match(text, i)
    if match and match[1].lower() in KEYS:
        return KEYS[match[1].lower()], match.end()
    return None


def _lex_literal(text: str, start: int) -> Token:
    quoted = read_quoted(text, start)
    if quoted is None:
        return _unterminated(text, start, "literal")
    content, end = quoted
    return Token("literal", content, start, end)


def _lex_field(text: str, start: int, kind: str, value_start: int, negated: bool) -> Token:
    """A field token whose value (bare or quoted) starts at ``value_start``."""
    if value_start < len(text) and text[value_start] == '"':
        quoted = read_quoted(text, value_start)
        if quoted is None:
            return _unterminated(text, start, kind)
        content, end = quoted
        if end < len(text) and not text[end].isspace():
            end = _word_end(text, end)
            message = "put a space after the closing quote"
            return Token("error", text[start:end], start, end, message, kind, negated)
        value = " ".join(content.split())
    else:
        end = _word_end(text, value_start)
        value = text[value_start:end]
    if not value:
        message = f"empty {kind}: write it like {_EXAMPLES[kind]}"
        return Token("error", "", start, end, message, kind, negated)
    return Token(kind, value, start, end, negated=negated)


def _unterminated(text: str, start: int, kind: str) -> Token:
    message = 'unterminated quote: close it with "'
    return Token("error", text[start:], start, len(text), message, kind)


def _word_end(text: str, i: int) -> int:
    n = len(text)
    while i < n and not text[i].isspace():
        i += 1
    return i


def read_quoted(text: str, start: int) -> tuple[str, int] | None:
    """Read ``"..."`` at ``start``: (content, offset after the closing quote), or None
    when the quote is never closed. ``\\"`` and ``\\\\`` are escapes; other backslashes
    are kept as typed."""
    buf: list[str] = []
    i, n = start + 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in '"\\':
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(buf), i + 1
        buf.append(ch)
        i += 1
    return None


def quote(value: str) -> str:
    """Wrap a value in quotes, escaping what read_quoted unescapes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------- interpreting


class _ValueProblem(ValueError):
    """A token whose syntax is fine but whose value means nothing (``!9``)."""


def parse_priority(value: str) -> int:
    """``1``/``high``/``h`` → 1 … ``3``/``low``/``l`` → 3."""
    try:
        return PRIORITY_WORDS[value.lower()]
    except KeyError:
        raise _ValueProblem(
            f"unknown priority '!{value}': use !1 !2 !3 or !high !med !low"
        ) from None


def parse_estimate(value: str) -> int:
    """``2h`` ``30m`` ``1h30m`` ``1.5h`` → minutes; a unit is required (is ``2`` hours?)."""
    compact = value.lower().replace(" ", "")
    out_of_range = _ValueProblem(
        f"estimate {value!r} is out of range (1 minute to {MAX_ESTIMATE_MINUTES // 60}h)"
    )
    minutes: float | None = None
    if match := re.fullmatch(_ESTIMATE_HOURS, compact):
        if any(len(part or "") > _MAX_NUMBER_CHARS for part in match.groups()):
            raise out_of_range
        minutes = float(match[1]) * 60 + int(match[2] or 0)
    elif match := re.fullmatch(_ESTIMATE_MINUTES, compact):
        if len(match[1]) > _MAX_NUMBER_CHARS:
            raise out_of_range
        minutes = int(match[1])
    if minutes is None:
        raise _ValueProblem(
            f"can't read estimate {value!r}: use e.g. est:30m, est:2h, est:1h30m or est:1.5h"
        )
    rounded = round(minutes)
    if not 1 <= rounded <= MAX_ESTIMATE_MINUTES:
        raise out_of_range
    return rounded


def format_estimate(minutes: int) -> str:
    """The shortest text that parse_estimate reads back as ``minutes``."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def _interpret(token: Token, now: _dt.datetime | None) -> Any:
    """The meaning of a field token's value; raises _ValueProblem if it has none.

    Without ``now`` due dates are not checked (lexing for highlight only).
    """
    kind, value = token.kind, token.value
    if kind == "priority":
        return parse_priority(value)
    if kind == "estimate":
        return parse_estimate(value)
    if kind == "due":
        if now is None:
            return value
        day = due_day_iso(value, now.date())  # the common words, without pendulum
        if day is not None:
            return day
        from mtui.core.language.dates import DateError, parse_when

        try:
            return parse_when(value, now).iso
        except DateError as exc:
            raise _ValueProblem(exc.message) from None
    value = strip_controls(value).strip()  # NUL, ESC & co. never become data
    if not value:
        raise _ValueProblem(f"empty {kind}: write it like {_EXAMPLES[kind]}")
    if kind == "tag" and any(ch.isspace() for ch in value):
        raise _ValueProblem(f"a tag is one word: '+{value}'")
    return value


def _same(kind: str, old: Any, new: Any) -> bool:
    """Repeating a token with the same value is harmless; names compare case-insensitively."""
    if isinstance(old, str) and kind != "due":
        return old.lower() == new.lower()
    return bool(old == new)


def _analyse(text: str, now: _dt.datetime | None) -> list[tuple[Token, Any]]:
    """Lex, interpret every value and flag conflicts: (token, meaning) pairs in order.

    Problems become ``error`` tokens (meaning None), so scan() can show all of them and
    parse_quickadd() can raise the first.
    """
    result: list[tuple[Token, Any]] = []
    seen: dict[str, tuple[Token, Any]] = {}
    for token in lex(text):
        if token.kind in TEXT_KINDS or token.kind == "error":
            result.append((token, token.value))
            continue
        try:
            meaning = _interpret(token, now)
        except _ValueProblem as exc:
            result.append((_as_error(token, str(exc)), None))
            continue
        earlier = seen.get(token.kind)
        if token.kind != "tag" and earlier and not _same(token.kind, earlier[1], meaning):
            message = (
                f"two different {token.kind} values: "
                f"{text[earlier[0].start : earlier[0].end]!r} and "
                f"{text[token.start : token.end]!r}"
            )
            result.append((_as_error(token, message), None))
            continue
        seen.setdefault(token.kind, (token, meaning))
        result.append((token, meaning))
    return result


def _as_error(token: Token, message: str) -> Token:
    return Token("error", token.value, token.start, token.end, message, token.kind)


def scan(text: str, now: _dt.datetime | None = None) -> list[Token]:
    """Every token with its kind and offsets, for highlighting and autocomplete.

    Never raises: bad tokens come back as kind ``error`` with a message. Pass ``now``
    to have due dates checked too.
    """
    return [token for token, _ in _analyse(text, now)]


def token_at(tokens: list[Token], offset: int) -> Token | None:
    """The token under (or just before) a cursor offset, for autocomplete."""
    for token in tokens:
        if token.start <= offset <= token.end:
            return token
    return None


# -------------------------------------------------------------------------- parsing


def parse_quickadd(text: str, now: _dt.datetime) -> ParsedTask:
    """Read one quick-add line; raise QuickAddError at the first problem."""
    analysed = _analyse(text, now)
    for token, _ in analysed:
        if token.kind == "error":
            raise QuickAddError(token.message or "invalid token", token.start)
    task = ParsedTask(title=_title([token for token, _ in analysed], text))
    if not task.title:
        raise QuickAddError("a task needs a title: add some words besides the tokens", 0)
    seen_tags: set[str] = set()
    for token, meaning in analysed:
        if token.kind in TEXT_KINDS:
            continue
        if token.kind == "tag":
            _add_tag(task, meaning, seen_tags)
        elif getattr(task, _attribute(token.kind)) is None:
            setattr(task, _attribute(token.kind), meaning)
        task.positions.setdefault(token.kind, token.start)
    return task


def _protects_tokens(content: str) -> bool:
    """Whether quoted ``content`` would read differently unquoted (holds a token or a
    quote of its own), i.e. whether its quotes delimit a literal."""
    return not content.strip() or any(token.kind != "text" for token in lex(content))


def _attribute(kind: str) -> str:
    return "estimate_minutes" if kind == "estimate" else kind


def _add_tag(task: ParsedTask, tag: str, seen: set[str]) -> None:
    """Tags are a set in spirit: keep the first spelling of each, in order.

    ``seen`` holds the lowered tags already kept, so each tag costs one set lookup (a
    scan of ``task.tags`` per tag made a line of 20,000 tags take seconds)."""
    key = tag.lower()
    if key not in seen:
        seen.add(key)
        task.tags.append(tag)


def title_of(tokens: list[Token], text: str) -> str:
    """The title the text tokens of ``text`` make (what the preview shows and
    parse_quickadd saves)."""
    return _title(tokens, text)


def _title(tokens: list[Token], text: str) -> str:
    """Join the text pieces without control characters; pieces that touched in the
    input stay touching. A quoted piece keeps its quotes unless they protect a token
    (``"#email tips"``): quotes that delimit nothing are part of the title."""
    parts: list[str] = []
    previous_end: int | None = None
    for token in tokens:
        if token.kind not in TEXT_KINDS:
            continue
        if previous_end is not None and token.start > previous_end:
            parts.append(" ")
        value = token.value
        if token.kind == "literal" and not _protects_tokens(value):
            value = text[token.start] + value + text[token.end - 1]
        parts.append(strip_controls(value))
        previous_end = token.end
    return " ".join("".join(parts).split())


# ----------------------------------------------------------------------- formatting


def format_quickadd(parsed: ParsedTask) -> str:
    """Quick-add text that parses back to ``parsed`` (used to edit a task as one line)."""
    parts = [_format_title(parsed.title)]
    if parsed.status is not None:
        parts.append("s:" + _format_value(parsed.status))
    if parsed.priority is not None:
        parts.append(f"!{parsed.priority}")
    if parsed.owner is not None:
        parts.append("@" + _format_value(parsed.owner))
    if parsed.channel is not None:
        channel = _format_value(parsed.channel)
        parts.append("#" + (quote(channel) if channel.isdigit() else channel))
    if parsed.goal is not None:
        parts.append("^" + _format_value(parsed.goal))
    if parsed.campaign is not None:
        parts.append("c:" + _format_value(parsed.campaign))
    if parsed.due is not None:
        parts.append("due:" + _format_value(parsed.due))
    parts.extend("+" + _format_value(tag) for tag in parsed.tags)
    if parsed.estimate_minutes is not None:
        parts.append("est:" + format_estimate(parsed.estimate_minutes))
    return " ".join(parts)


def _format_value(value: str) -> str:
    """Bare when it reads back unchanged, quoted otherwise."""
    if value and not value.startswith('"') and not any(ch.isspace() for ch in value):
        return value
    return quote(value)


def _format_title(title: str) -> str:
    """Quote only the runs of words that would otherwise read as tokens (``"#1"``)."""
    out: list[str] = []
    risky: list[str] = []
    for word in title.split():
        if _is_plain_word(word):
            if risky:
                out.append(quote(" ".join(risky)))
                risky = []
            out.append(word)
        else:
            risky.append(word)
    if risky:
        out.append(quote(" ".join(risky)))
    return " ".join(out)


def _is_plain_word(word: str) -> bool:
    return lex(word) == [Token("text", word, 0, len(word))]
