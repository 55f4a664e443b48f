"""JSON text exactly as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it,
but several times faster and, for long lists, in pieces.

Python's ``json`` has a C encoder only for compact output; with ``indent`` it falls
back to a pure-Python generator yielding one small string per token, which made
``mtui export`` spend most of its time there (11 s of 13 for 10,000 tasks with their
history). Here each value becomes one string, with the C string escaper for text and
``repr`` for numbers, and a list of records can be written one record at a time
(``write_array``), so ``mtui ls --json`` and ``mtui export`` never hold the whole
document. ``tests/unit/test_json_text.py`` checks the output against ``json.dumps``.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterable
from itertools import compress
from json.encoder import encode_basestring  # the C escaper (ensure_ascii=False) when built

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The C encoder json uses for compact output (None on a Python built without it).
c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)

INDENT = "  "
_INF = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _null(_value: None) -> str:
    return "null"


def _bool(value: bool) -> str:
    return "true" if value else "false"


_FLAT = frozenset({str, int, float, bool, type(None)})
_EMPTY = frozenset({list, dict})  # empty, written the same compact or indented
_FLAT_OR_EMPTY = _FLAT | _EMPTY
_STR = frozenset({str})
# Stands in for a nested value while the C encoder writes a dict's own level.
_MARK = "\x00\x01mtui-json-nested\x01\x00"
_MARK_TEXT = json.dumps(_MARK, ensure_ascii=False)

_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: _bool,
    type(None): _null,
}


class JsonText:
    """``encode(value, level)``: ``json.dumps(value, indent=2, ensure_ascii=False,
    default=default)`` for a value nested ``level`` deep (its inner lines indented
    accordingly; the first line is not)."""

    def __init__(self, default: Callable[[Any], Any] | None = None) -> None:
        self.default = default
        self._encoders: dict[int, Callable[[Any], str]] = {}

    def encode(self, value: Any, level: int = 0) -> str:
        scalar = _SCALARS.get(type(value))
        if scalar is not None:
            return scalar(value)
        if isinstance(value, dict):
            return self._dict(value, level)
        if isinstance(value, list | tuple):
            return self._list(value, level)
        return self._other(value, level)

    def _list(self, items: list[Any] | tuple[Any, ...], level: int) -> str:
        if not items:
            return "[]"
        inner = "\n" + INDENT * (level + 1)
        if all(type(item) is str for item in items):  # tags, names
            body = ("," + inner).join(map(encode_basestring, items))
        elif all(type(item) in _FLAT for item in items):
            body = self._compact(level)(items)[1:-1]
        else:
            body = self._items(items, level)
        return "[" + inner + body + "\n" + INDENT * level + "]"

    def _items(self, items: list[Any] | tuple[Any, ...], level: int) -> str:
        """The items of a list at ``level``, joined by its separator, without the brackets.

        A run of records (non-empty dicts) goes through the C encoder in one call: with
        the records' own item separator, records come out as ``{…}`` + separator +
        ``{…}``; only there can a separator (the one place a raw newline occurs) be
        followed by ``{``, so each boundary is rewritten to the indented form. Nested
        values stand in as markers, as in ``_dict``."""
        inner = "\n" + INDENT * (level + 1)
        if not all(type(item) is dict and item for item in items):
            deeper = level + 1
            return ("," + inner).join([self.encode(item, deeper) for item in items])
        keys_inner = "\n" + INDENT * (level + 2)
        nested_values: list[str] = []
        tag_inner = "\n" + INDENT * (level + 3)  # a list of text inside a record
        tag_joint, tag_outer = "," + tag_inner, "\n" + INDENT * (level + 2)
        flat_items = []
        for item in items:
            types = list(map(type, item.values()))  # these checks run at C speed
            if _FLAT.issuperset(types):
                flat_items.append(item)
                continue
            if _FLAT_OR_EMPTY.issuperset(types):  # scalars and lists/dicts (tags, history)
                nested = [key for key in compress(item, map(_EMPTY.__contains__, types))
                          if item[key]]  # fmt: skip
            else:
                nested = [key for key, value in item.items()
                          if type(value) not in _FLAT and (value or type(value) not in _EMPTY)]  # fmt: skip
            if nested:
                item = dict(item)
                for key in nested:
                    value = item[key]
                    if type(value) is list and _STR.issuperset(map(type, value)):  # tags
                        nested_values.append(
                            "[" + tag_inner + tag_joint.join(map(encode_basestring, value))
                            + tag_outer + "]"
                        )  # fmt: skip
                    else:
                        nested_values.append(self.encode(value, level + 2))
                    item[key] = _MARK
            flat_items.append(item)
        text = self._compact(level + 1)(flat_items)[2:-2]  # without "[{" and "}]"
        text = text.replace("}," + keys_inner + "{", inner + "}," + inner + "{" + keys_inner)
        body = "{" + keys_inner + text + inner + "}"
        if not nested_values:
            return body
        pieces = body.split(_MARK_TEXT)
        if len(pieces) != len(nested_values) + 1:  # a value held the marker's text itself
            deeper = level + 1
            return ("," + inner).join([self._dict_by_items(item, deeper) for item in items])
        return (
            "".join(piece + value for piece, value in zip(pieces, nested_values, strict=False))
            + pieces[-1]
        )

    def _dict(self, mapping: dict[Any, Any], level: int) -> str:
        """The C encoder writes the dict's own level (its separators carry the newline
        and indent); any value that is not a plain scalar stands in as a marker string
        and is put in afterwards, encoded one level deeper."""
        if not mapping:
            return "{}"
        inner = "\n" + INDENT * (level + 1)
        nested = [key for key, value in mapping.items() if type(value) not in _FLAT]
        flat = mapping
        if nested:
            flat = dict(mapping)
            for key in nested:
                flat[key] = _MARK
        body = self._compact(level)(flat)[1:-1]
        if nested:
            pieces = body.split(_MARK_TEXT)
            if len(pieces) != len(nested) + 1:  # a value held the marker's text itself
                return self._dict_by_items(mapping, level)
            deeper = level + 1
            values = [self.encode(mapping[key], deeper) for key in nested]
            body = "".join(piece + value for piece, value in zip(pieces, values, strict=False))
            body += pieces[-1]
        return "{" + inner + body + "\n" + INDENT * level + "}"

    def _dict_by_items(self, mapping: dict[Any, Any], level: int) -> str:
        inner = "\n" + INDENT * (level + 1)
        parts = [f"{_key(key)}: {self.encode(value, level + 1)}" for key, value in mapping.items()]
        return "{" + inner + ("," + inner).join(parts) + "\n" + INDENT * level + "}"

    def _compact(self, level: int) -> Callable[[Any], str]:
        """A C encoder whose item separator is this level's line break (made once per
        level: ``JSONEncoder.encode`` would build a new one on every call)."""
        encode = self._encoders.get(level)
        if encode is None:
            separator = ",\n" + INDENT * (level + 1)
            if c_make_encoder is None:  # a Python without the C accelerator
                encode = json.JSONEncoder(
                    ensure_ascii=False, check_circular=False, default=self._flat_default,
                    separators=(separator, ": "),
                ).encode  # fmt: skip
            else:
                chunks = c_make_encoder(
                    None, self._flat_default, encode_basestring, None, ": ", separator,
                    False, False, True,
                )  # fmt: skip

                def encode(value: Any, chunks: Any = chunks) -> str:
                    return "".join(chunks(value, 0))

            self._encoders[level] = encode
        return encode

    @staticmethod
    def _flat_default(value: Any) -> Any:
        raise AssertionError(f"not a plain scalar: {type(value).__name__}")  # never reached

    def _other(self, value: Any, level: int) -> str:
        """Subclasses of the JSON types, then ``default`` (as ``json`` orders them)."""
        if isinstance(value, str):
            return encode_basestring(value)
        if value is True or value is False:
            return _bool(value)
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        if self.default is None:
            raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")
        return self.encode(self.default(value), level)

    def write_array(
        self, items: Iterable[Any], write: Callable[[str], object], level: int = 0, every: int = 500
    ) -> None:
        """Write ``encode(list(items), level)`` through ``write``, ``every`` items at a
        time, never holding the whole list or its text."""
        inner = "\n" + INDENT * (level + 1)
        chunk: list[Any] = []
        started = False
        for item in items:
            chunk.append(item)
            if len(chunk) >= every:
                write(("," if started else "[") + inner + self._items(chunk, level))
                started = True
                chunk.clear()
        if chunk:
            write(("," if started else "[") + inner + self._items(chunk, level))
            started = True
        write("\n" + INDENT * level + "]" if started else "[]")


def _key(key: Any) -> str:
    """A dict key that is not a str, as ``json`` writes it."""
    if isinstance(key, str):
        text = key
    elif isinstance(key, float):
        text = _float(key)
    elif key is True or key is False:
        text = _bool(key)
    elif key is None:
        text = "null"
    elif isinstance(key, int):
        text = int.__repr__(key)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
    return encode_basestring(text)
