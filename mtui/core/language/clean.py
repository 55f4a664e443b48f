"""Control characters in and out: stripped from text users enter, escaped in text mtui prints.

A NUL or an ESC has no business in a title: stored, it breaks exports and other tools;
printed, ``ESC ] 0 ; … BEL`` retitles the user's terminal (or worse). So every place text
enters (quick-add, CLI arguments, form validation) strips C0 and C1 control characters
and DEL, and every CLI text output escapes whatever older data still holds.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls. Tab and newline are handled by the callers' rules.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters.

    One-line fields (titles, names, tags) get tabs and line breaks as spaces; with
    ``multiline`` (notes, the brief) tabs and ``\\n`` stay and ``\\r\\n`` becomes ``\\n``.
    """
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROLS_BUT_LAYOUT.sub("", text)
    text = re.sub(r"[\t\n\r\v\f]", " ", text)
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def escape_controls(text: str, *, multiline: bool = False) -> str:
    """Make control characters visible (``\\x1b``) so printing ``text`` can never drive
    the terminal; with ``multiline`` newlines and tabs are printed as they are."""
    pattern = _CONTROLS_BUT_LAYOUT if multiline else _CONTROLS
    return pattern.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
