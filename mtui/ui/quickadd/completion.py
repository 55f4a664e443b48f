"""Completion of the name after ``#`` ``@`` ``^`` ``c:`` and ``s:`` (pure, no Textual).

Candidates come from the store, most recently used first (``Store.recent_names``), so
the owner or channel you used a minute ago is one tab away. Matching is by prefix, then
by substring, case-insensitively; the cursor must be at the end of the token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from mtui.core.language.quickadd import Token, scan, token_at

# Token kinds that name something in the database, and the prefix each is written with.
COMPLETABLE = {"owner": "@", "channel": "#", "goal": "^", "campaign": "c:", "status": "s:"}
MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Completion:
    """Candidates for the value between ``start`` and ``end`` of the input text."""

    kind: str
    prefix: str  # what is typed so far (the value, without sigil or key)
    start: int  # offset where the value starts (after ``@`` / ``c:``)
    end: int  # offset where the token ends
    candidates: list[str]

    def apply(self, text: str, choice: str) -> tuple[str, int]:
        """The text with ``choice`` in place of the typed value, and the new cursor.

        A space is added after it so the next word can be typed straight away.
        """
        value = f'"{choice}"' if any(ch.isspace() for ch in choice) else choice
        rest = text[self.end :]
        glue = "" if rest.startswith(" ") else " "
        new_text = text[: self.start] + value + glue + rest
        return new_text, self.start + len(value) + 1


@lru_cache(maxsize=4)
def plain_tokens(text: str) -> tuple[Token, ...]:
    """``scan(text)`` once per text: the highlighter (every render, every cursor blink)
    and completion (every cursor move) share it, so a long line is read once."""
    return tuple(scan(text))


def _value_start(text: str, token: Token) -> int:
    """Where a field token's value begins: after its sigil or its ``key:``."""
    if text[token.start] in "#@^":
        return token.start + 1
    colon = text.find(":", token.start, token.end)
    return colon + 1 if colon >= 0 else token.end


def _kind(token: Token) -> str | None:
    kind = token.intended if token.kind == "error" else token.kind
    return kind if kind in COMPLETABLE else None


def rank(prefix: str, names: Sequence[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """Names starting with ``prefix`` (in their given order), then names containing it."""
    folded = prefix.casefold()
    starts = [name for name in names if name.casefold().startswith(folded)]
    inside = [name for name in names if folded and folded in name.casefold()[1:]]
    seen = dict.fromkeys(starts + [n for n in inside if n not in starts])
    return list(seen)[:limit]


def complete(text: str, cursor: int, names: Mapping[str, Sequence[str]]) -> Completion | None:
    """What to offer for the token the cursor is at the end of, or None."""
    if cursor <= 0 or cursor > len(text) or (cursor < len(text) and not text[cursor].isspace()):
        return None
    token = token_at(list(plain_tokens(text)), cursor)
    if token is None or token.end != cursor:
        return None
    kind = _kind(token)
    if kind is None:
        return None
    start = _value_start(text, token)
    typed = text[start:cursor]
    if typed.startswith('"'):
        return None  # quoted values are free text (``c:"spring launch"``)
    candidates = rank(typed, names.get(kind, ()))
    if not candidates or candidates == [typed]:
        return None
    return Completion(kind, typed, start, cursor, candidates)
