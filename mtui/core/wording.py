"""Small helpers for the words mtui shows: counts with the right plural."""

from __future__ import annotations


def plural(word: str) -> str:
    """``field`` → ``fields``, ``match`` → ``matches``; enough for mtui's own nouns."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: int, word: str, many: str | None = None) -> str:
    """``1 field``, ``2 fields``, ``0 matches``, ``1,240 tasks`` (``many`` for an
    irregular plural)."""
    return f"{n:,} {word if n == 1 else many or plural(word)}"
