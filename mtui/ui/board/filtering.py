"""Bridge from the board's lookups to the filter language in ``mtui.core.language.filter_query``."""

from __future__ import annotations

import pendulum

from mtui.core.language import filter_query
from mtui.core.tasks.lookups import Lookups
from mtui.ui.board.columns import Predicate


def compile_filter(
    text: str, now: pendulum.DateTime, lookups: Lookups
) -> tuple[Predicate | None, list[str]]:
    """A predicate for ``text`` (None when nothing filters) and messages for bad tokens."""
    query = filter_query.parse_filter(text, now)
    errors = [issue.message for issue in query.errors]
    if query.is_empty:
        return None, errors
    return query.compile(lookups.filter_maps), errors
