"""Notes without vi (issue 12, item 24): the edit modal's notes field, $EDITOR only when
set, a marker on cards with notes, and the links in notes listed and opened."""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import TextArea

from mtui.core.language.links import find_links
from mtui.core.tasks.actions import TaskActions
from mtui.ui.app import MtuiApp
from mtui.ui.board.cards import NOTES_MARK
from mtui.ui.board.edit_modal import EditTaskScreen
from tests.support.ui import board_text, select

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
TITLE = "Write launch announcement email"


@pytest.fixture
def no_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither $VISUAL nor $EDITOR, and any attempt to start a program fails the test."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)

    def refuse(*args, **kwargs):
        raise AssertionError(f"an editor was started: {args}")

    monkeypatch.setattr(subprocess, "call", refuse)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(MtuiApp, "open_url", lambda self, url, **kw: urls.append(url))
    return urls


async def test_e_without_editor_opens_the_notes_field_and_saves_one_undoable_edit(
    demo_store, no_editor
):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditTaskScreen)
        area = screen.query_one("#notes", TextArea)
        assert area.has_focus
        assert "ctrl+g" not in str(screen.query_one("#notes-label").render())
        await pilot.press("ctrl+g")  # no $EDITOR: nothing runs (refuse() would fail)
        area.load_text("Brief from Ana")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EditTaskScreen)
        assert demo_store.tasks.get_task(task.id).notes == "Brief from Ana"
        await pilot.press("u")
        assert demo_store.tasks.get_task(task.id).notes == task.notes
        # The second open (a kept screen) also lands in the notes field.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#notes", TextArea).has_focus
        await pilot.press("escape")
        await pilot.press("enter")  # while enter still starts at the title
        await pilot.pause()
        assert app.screen.query_one("#title").has_focus


async def test_notes_and_other_fields_save_as_one_action(demo_store, no_editor):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#title").value = "Renamed"
        app.screen.query_one("#notes", TextArea).load_text("New notes")
        await pilot.press("ctrl+s")
        saved = demo_store.tasks.get_task(task.id)
        assert (saved.title, saved.notes) == ("Renamed", "New notes")
        changed = [e for e in demo_store.tasks.events(task_id=task.id) if e.kind == "changed"]
        assert {e.field for e in changed[-2:]} == {"title", "notes"}
        assert len({e.action_id for e in changed[-2:]}) == 1
        await pilot.press("u")
        restored = demo_store.tasks.get_task(task.id)
        assert (restored.title, restored.notes) == (TITLE, task.notes)


async def test_ctrl_e_in_the_modal_uses_editor_when_set(demo_store, tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\\nfrom my editor')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task = select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert "ctrl+g" in str(screen.query_one("#notes-label").render())
        await pilot.press("ctrl+g")
        area = screen.query_one("#notes", TextArea)
        assert area.text == task.notes + "\nfrom my editor"
        assert demo_store.tasks.get_task(task.id).notes == task.notes  # saved with the form
        await pilot.press("ctrl+s")
        assert demo_store.tasks.get_task(task.id).notes == task.notes + "\nfrom my editor"


async def test_cards_with_notes_show_a_marker(demo_store):
    plain = TaskActions(demo_store).add({"title": "Plain card", "status_id": 1})
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.board
        assert board.select_task(plain.id)
        noted = select(app, demo_store, TITLE)
        assert noted.notes
        lines = board_text(app).splitlines()
        title_row = next(i for i, line in enumerate(lines) if "Plain card" in line)
        column = lines[title_row].index("Plain card")
        meta = lines[title_row + 1][column - 1 : column + 20]
        assert NOTES_MARK not in meta
        noted_row = next(i for i, line in enumerate(lines) if "Write launch" in line)
        column = lines[noted_row].index("Write launch")
        assert NOTES_MARK in lines[noted_row + 2][column - 1 : column + 20]


async def test_links_in_notes_are_listed_and_open(demo_store, no_editor, opened):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        select(app, demo_store, TITLE)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        links = screen.query_one("#notes-links")
        assert not links.display or not links.links
        await pilot.press("ctrl+o")  # no links: nothing opens
        assert opened == []
        area = screen.query_one("#notes", TextArea)
        area.load_text(
            "Draft: https://docs.example.com/launch.\nAssets at http://cdn.example.com/a"
        )
        await pilot.pause()
        text = str(links.render())
        assert "https://docs.example.com/launch" in text
        assert "http://cdn.example.com/a" in text
        area.focus()
        area.move_cursor((1, 15))  # inside the second link
        await pilot.press("ctrl+o")
        assert opened == ["http://cdn.example.com/a"]
        await pilot.click("#notes-links", offset=(4, 1))  # the first listed link
        assert opened[-1] == "https://docs.example.com/launch"


def test_find_links():
    text = "See https://a.io/x. Also (https://b.io/y) and https://en.wikipedia.org/wiki/X_(y), https://a.io/x"
    assert find_links(text) == [
        "https://a.io/x",
        "https://b.io/y",
        "https://en.wikipedia.org/wiki/X_(y)",
    ]
    assert find_links("no links, ftp://x.io, https:// alone") == []
