"""Pilot tests: the help screen is generated from the bindings; the footer follows focus."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from mtui.ui.app import MtuiApp
from mtui.ui.board import BoardView
from mtui.ui.metrics.strip import MetricsStrip
from mtui.ui.quickadd.help import EXAMPLE
from mtui.ui.shell.help import HelpScreen, describe, key_label
from mtui.ui.strategy.brief_pane import BriefPane

pytestmark = pytest.mark.anyio

SIZE = (160, 45)


def help_text(app) -> str:
    return "\n".join(str(s.content) for s in app.screen.query(Static))


async def open_help(pilot) -> str:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    return help_text(pilot.app)


async def test_help_lists_every_board_binding(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_help(pilot)
        board = str(app.screen.query_one("#keys-1", Static).content).splitlines()
        assert len(board) == len(BoardView.BINDINGS)
        for line, binding in zip(board, BoardView.BINDINGS, strict=True):
            assert line.startswith(key_label(app, binding, {})), line
            assert line.endswith(describe(binding)), line
        for key in ("H", "shift+→", "J", "K", "x", "b", "d", "e", "⏎"):
            assert key in text


async def test_help_covers_every_pane_and_the_grammar(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        text = await open_help(pilot)
        for title in ("Anywhere", "Board (2)", "Brief (1)", "Metrics (3)", "Filter bar (/)"):
            assert title in text
        for cls in (MtuiApp, BriefPane, MetricsStrip):
            for binding in cls.BINDINGS:
                assert describe(binding) in text
        assert "^p" in text and "Command palette" in text
        assert EXAMPLE in text and "due:WHEN" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_shows_keys_overridden_in_the_config(demo_store, isolated_config):
    from mtui.core.config.user_config import reset_active_config

    (isolated_config / "config.toml").write_text('[keys]\nquick_add = "n"\n')
    reset_active_config()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_help(pilot)
        anywhere = str(app.screen.query_one("#keys-0", Static).content).splitlines()
        assert any(line.startswith("n ") and "Quick-add" in line for line in anywhere)


async def test_footer_shows_the_focused_panes_keys(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:

        def footer() -> set[str]:
            return {key.description for key in app.screen.query(FooterKey)}

        await pilot.pause()
        on_board = footer()
        assert {"Add", "Filter", "Help", "Edit", "Done", "Delete"} <= on_board
        await pilot.press("1")
        await pilot.pause()
        on_brief = footer()
        assert {"Goal+", "Orphans", "Add", "Help"} <= on_brief
        assert "Delete" not in on_brief


async def test_help_documents_every_term_the_filter_parser_accepts(demo_store):
    """Issue 12, item 27: the filter section is the parser's table, and the parser's own
    vocabulary (sigils, keys, due: words and operators, is: flags, negation) is all in it."""
    import re

    from mtui.core.language.filter_query import (
        DUE_OPERATORS,
        DUE_WORDS,
        FILTER_TERMS,
        FLAGS,
        NEGATIONS,
    )
    from mtui.core.language.quickadd import KEYS, PRIORITY_WORDS, SIGILS

    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_help(pilot)
        section = str(app.screen.query_one("#filter-language", Static).content)
    rows = [re.split(r"\s{2,}", line) for line in section.splitlines()]
    spellings = [token for row in rows if len(row) == 3 for token in row[0].split()]
    assert len([row for row in rows if len(row) == 3]) == len(FILTER_TERMS)

    def documented(prefix: str) -> bool:
        return any(token.startswith(prefix) for token in spellings)

    accepted = [
        *SIGILS,
        *(f"{key}:" for key, kind in KEYS.items() if kind != "estimate"),
        *(f"!{word}" for word in PRIORITY_WORDS),
        *(f"due:{op}" for op in DUE_OPERATORS),
        *(f"due:{word}" for word in DUE_WORDS),
        *FLAGS,
        '"',
    ]
    missing = [spelling for spelling in accepted if not documented(spelling)]
    assert missing == []
    for negation in NEGATIONS:  # before a token, not just a word
        assert any(t.startswith(negation) and t[1:2] in "@#^+is" for t in spellings), negation
    assert "Done cards never match a due: term" in section.replace("\n", " ")
