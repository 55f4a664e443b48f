"""The quick-add grammar as shown by ``f1`` on the quick-add screen (mirrors the README)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

HINTS = "enter save · tab complete · ↑↓ choose · esc close · f1 grammar"
PLACEHOLDER = "Title #channel @owner due:fri !1 ^goal c:campaign s:column +tag est:2h"
EXAMPLE = "Launch email #email @ana due:fri !1 ^signups c:spring-launch +copy est:2h"

GRAMMAR_ROWS = (
    ("#name", "channel (new ones: enter twice)", "#email #linkedin (#16 is text)"),
    ("@name", "owner (new ones: enter twice)", "@ana"),
    ("!1 !2 !3  !high !med !low", "priority", "!1 !low"),
    ("^slug", "goal (must exist)", "^signups"),
    ("c:slug  campaign:slug", "campaign (must exist)", 'c:spring-launch c:"spring launch"'),
    ("due:WHEN  d:WHEN", "due date", "today tmr fri +3d +2w eow eom eoq dec3 2026-12-03"),
    ("", "… with a time", "fri15:00 tomorrow9am"),
    ("s:name  status:name", "column (a prefix is enough)", "s:doing s:next"),
    ("+word", "tag", "+copy"),
    ("est:DURATION", "estimate", "est:30m est:2h est:1h30m"),
    ('"..."', "literal text, no tokens inside", '"#email tips" post'),
)


def grammar_text() -> Text:
    """The grammar as an aligned table, with a full example and the paste rule."""
    text = Text("Free text is the title; these tokens can go anywhere in the line.\n")
    width = max(len(row[0]) for row in GRAMMAR_ROWS) + 2
    for token, meaning, examples in GRAMMAR_ROWS:
        text.append(token.ljust(width), Style(bold=True))
        text.append(meaning.ljust(32))
        text.append(examples + "\n", Style(dim=True))
    text.append("Example: ", Style(italic=True))
    text.append(EXAMPLE + "\n")
    text.append("Weekdays mean the next such day. Paste several lines to add several tasks.")
    return text
