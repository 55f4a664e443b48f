"""Path selectors for JSON responses: ``results.visitors.value``, ``rows[0].metricValues[1].value``.

Syntax (deliberately small):

- ``key`` steps into an object; keys are separated by ``.``;
- ``[n]`` indexes a list, ``[-1]`` counts from the end;
- ``["any key"]`` steps into an object by a key that contains ``.``, ``[`` or ``]``;
- a path may start with an index (``[0].nb_visits``) when the response is a list;
- ``a.value | a`` lists alternatives: the first path that matches is read (for an API
  that answers in two shapes across versions, such as Umami's ``{"value": 5}`` and ``5``).

A path that does not match says which element was missing, e.g.
``'results.visitors' not found: no key 'visitors' (keys: bounce_rate, pageviews)``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mtui.core.metrics.fetching.errors import SelectorError
from mtui.core.wording import count

Segment = str | int

_KEY = re.compile(r"[^.\[\]\"]+")
_INDEX = re.compile(r"\[(-?[0-9]{1,9})\]")
_QUOTED = re.compile(r'\["((?:[^"\\]|\\.)*)"\]')


def parse_path(selector: str) -> tuple[Segment, ...]:
    """Split a selector into keys (str) and indexes (int); SelectorError if malformed."""
    text = selector.strip()
    if not text:
        raise SelectorError("empty selector")
    segments: list[Segment] = []
    pos = 0
    expect_key = True  # at the start or right after a "."
    while pos < len(text):
        char = text[pos]
        if char == "[":
            if (m := _INDEX.match(text, pos)) is not None:
                segments.append(int(m[1]))
            elif (m := _QUOTED.match(text, pos)) is not None:
                try:
                    segments.append(json.loads(f'"{m[1]}"'))
                except ValueError:
                    raise SelectorError(
                        f"selector {selector!r}: bad quoted key at position {pos}"
                    ) from None
            else:
                raise SelectorError(
                    f'selector {selector!r}: expected [number] or ["key"] at position {pos}'
                )
            pos = m.end()
            expect_key = False
        elif char == ".":
            if expect_key:
                raise SelectorError(f"selector {selector!r}: empty key at position {pos}")
            pos += 1
            expect_key = True
            if pos == len(text):
                raise SelectorError(f"selector {selector!r}: ends with '.'")
        elif expect_key and (m := _KEY.match(text, pos)) is not None:
            key = m[0].strip()
            if not key:
                raise SelectorError(f"selector {selector!r}: empty key at position {pos}")
            segments.append(key)
            pos = m.end()
            expect_key = False
        else:
            raise SelectorError(f"selector {selector!r}: unexpected {char!r} at position {pos}")
    return tuple(segments)


def format_path(segments: tuple[Segment, ...] | list[Segment]) -> str:
    """Render segments back to selector syntax (for messages)."""
    out = ""
    for seg in segments:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif _KEY.fullmatch(seg) and seg == seg.strip():
            out += f".{seg}" if out else seg
        else:
            out += f"[{json.dumps(seg)}]"
    return out


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def resolve(data: Any, segments: tuple[Segment, ...]) -> Any:
    """Follow ``segments`` through ``data``; SelectorError naming the missing element."""
    current = data
    for depth, seg in enumerate(segments):
        here = format_path(segments[: depth + 1])
        if isinstance(seg, int):
            if not isinstance(current, list):
                parent = format_path(segments[:depth]) or "the top level"
                raise SelectorError(
                    f"{here!r} not found: expected a list at {parent}, got {_kind(current)}"
                )
            if not -len(current) <= seg < len(current):
                raise SelectorError(
                    f"{here!r} not found: index {seg} out of range (list has {count(len(current), 'item')})"
                )
            current = current[seg]
        else:
            if not isinstance(current, dict):
                parent = format_path(segments[:depth]) or "the top level"
                raise SelectorError(
                    f"{here!r} not found: expected an object at {parent}, got {_kind(current)}"
                )
            if seg not in current:
                keys = ", ".join(sorted(map(str, current))[:8]) or "none"
                raise SelectorError(f"{here!r} not found: no key {seg!r} (keys: {keys})")
            current = current[seg]
    return current


def split_alternatives(selector: str) -> list[str]:
    """``a | b`` as ``["a", "b"]``; a ``|`` inside ``["…"]`` does not split."""
    parts: list[str] = []
    start = 0
    quoted = False
    index = 0
    while index < len(selector):
        char = selector[index]
        if quoted and char == "\\":
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == "|" and not quoted:
            parts.append(selector[start:index])
            start = index + 1
        index += 1
    parts.append(selector[start:])
    return parts


def parse_selector(selector: str) -> list[tuple[Segment, ...]]:
    """Every alternative of ``selector`` parsed; SelectorError if any is malformed."""
    return [parse_path(part) for part in split_alternatives(selector)]


def select(data: Any, selector: str) -> Any:
    """Parse ``selector`` and resolve it in ``data`` (the first alternative that matches)."""
    paths = parse_selector(selector)
    first_error: SelectorError | None = None
    for path in paths:
        try:
            return resolve(data, path)
        except SelectorError as exc:
            first_error = first_error or exc
    assert first_error is not None
    if len(paths) > 1:
        raise SelectorError(f"{first_error} (and {len(paths) - 1} other path(s) did not match)")
    raise first_error
