"""Pilot tests of the quick-add screen (``a``) on the real app and a real SQLite file.

The clock is frozen at Tuesday 2026-03-10 09:00 UTC (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import OptionList, Static

from mtui.ui.app import MtuiApp
from mtui.ui.quickadd import QuickAddScreen
from mtui.ui.quickadd.input import QuickAddInput
from tests.support.ui import board_text, status_id, type_burst

pytestmark = pytest.mark.anyio

SIZE = (160, 45)


def text_of(app, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


async def open_quickadd(pilot) -> QuickAddInput:
    await pilot.press("a")
    assert isinstance(pilot.app.screen, QuickAddScreen)
    field = pilot.app.screen.query_one(QuickAddInput)
    assert field.has_focus
    return field


async def type_text(pilot, text: str) -> None:
    await type_burst(pilot, text)


async def test_typing_shows_preview_chips(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_text(pilot, "Launch email #email @ana due:fri !1 ^signups c:spring-launch")
        preview = text_of(app, "#qa-preview")
        assert preview.startswith("Launch email")
        for chip in ("→ Backlog", "#email", "@ana", "!1 high", "^signups", "c:spring-launch"):
            assert chip in preview
        assert "due Fri 13 Mar · in 3d" in preview  # real date and relative form
        assert text_of(app, "#qa-message") == ""  # nothing wrong


async def test_unknown_goal_suggests_a_name(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_text(pilot, "Post #social ^signps more")
        message = text_of(app, "#qa-message")
        assert "did you mean ^signups" in message
        # the bad token is highlighted (error spans cover `^signps`)
        field = app.screen.query_one(QuickAddInput)
        value = field.value
        problems = field.token_highlighter.problems
        assert [(value[s:e], pending) for s, e, pending in problems] == [("^signps", False)]


async def test_tab_completes_owner_and_keeps_focus(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        await type_text(pilot, "Write copy @a")
        box = app.screen.query_one("#qa-completions", OptionList)
        assert box.option_count >= 1 and box.display
        await pilot.press("tab")
        assert field.value == "Write copy @ana "
        assert field.has_focus
        await type_text(pilot, "c:sp")
        await pilot.press("tab")
        assert field.value == "Write copy @ana c:spring-launch "


async def test_completion_lists_most_recently_used_first(demo_store):
    task = demo_store.tasks.list_tasks()[0]
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        app.task_actions.edit(task, {"owner": "zoe"})  # now the most recent owner
        await open_quickadd(pilot)
        await type_text(pilot, "Plan @")
        box = app.screen.query_one("#qa-completions", OptionList)
        first = str(box.get_option_at_index(0).prompt)
        assert first == "zoe"
        await pilot.press("down", "tab")
        assert app.screen.query_one(QuickAddInput).value == "Plan @ana "


async def test_error_keeps_text_and_saves_nothing(demo_store):
    before = demo_store.tasks.count_tasks()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        line = "Webinar follow-up due:someday #email"
        await type_text(pilot, line)
        await pilot.press("enter")
        assert field.value == line
        assert isinstance(app.screen, QuickAddScreen)
        message = text_of(app, "#qa-message")
        assert "column 19" in message and "nothing saved" in message
        problems = field.token_highlighter.problems
        assert [(line[s:e], pending) for s, e, pending in problems] == [("due:someday", False)]
    assert demo_store.tasks.count_tasks() == before


async def test_rapid_entry_of_three_tasks(demo_store):
    before = {t.id for t in demo_store.tasks.list_tasks()}
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        lines = [
            "Alpha teaser #email @ana !1 ^signups",
            "Beta carousel #linkedin @raj s:next due:tomorrow +copy",
            "Gamma webinar c:webinars est:2h s:doing",
        ]
        for line in lines:
            await type_text(pilot, line)
            await pilot.press("enter")
            assert field.value == ""  # cleared, still open for the next one
            assert isinstance(app.screen, QuickAddScreen)
        await pilot.pause()
        shown = board_text(app)
        new = {t.title: t for t in demo_store.tasks.list_tasks() if t.id not in before}
        assert set(new) == {"Alpha teaser", "Beta carousel", "Gamma webinar"}
        goals = {g.slug: g.id for g in demo_store.strategy.goals()}
        campaigns = {c.slug: c.id for c in demo_store.strategy.campaigns()}
        channels = {c.name: c.id for c in demo_store.tasks.channels()}
        alpha, beta, gamma = new["Alpha teaser"], new["Beta carousel"], new["Gamma webinar"]
        assert (alpha.owner, alpha.priority, alpha.goal_id, alpha.channel_id) == (
            "ana", 1, goals["signups"], channels["email"])  # fmt: skip
        assert alpha.status_id == status_id(demo_store, "Backlog")
        assert (beta.owner, beta.status_id, beta.due, beta.tags) == (
            "raj", status_id(demo_store, "Next"), "2026-03-11", ["copy"])  # fmt: skip
        assert (gamma.campaign_id, gamma.estimate_minutes, gamma.status_id) == (
            campaigns["webinars"], 120, status_id(demo_store, "Doing"))  # fmt: skip
        for title, task in new.items():
            assert title in shown
            assert app.board.model.locate(task.id)[1] == 0  # top of its column
        assert app.board.selected.id == gamma.id  # the cursor is on the newest card
        await pilot.press("escape", "u")  # undo covers quick-adds (shared TaskActions)
        assert demo_store.tasks.get_task(gamma.id, include_deleted=True).deleted_at is not None


async def test_multi_line_paste_creates_every_line_after_confirming(demo_store):
    before = demo_store.tasks.count_tasks()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        field.post_message(events.Paste("First post #seo\nSecond post @mia\n\nThird post !2\n"))
        await pilot.pause()
        assert "create 3 tasks" in text_of(app, "#qa-message")
        assert demo_store.tasks.count_tasks() == before  # nothing until confirmed
        await pilot.press("enter")
        await pilot.pause()
        assert demo_store.tasks.count_tasks() == before + 3
        titles = {t.title for t in demo_store.tasks.list_tasks()}
        assert {"First post", "Second post", "Third post"} <= titles
        assert "Second post" in board_text(app)


async def test_paste_with_a_bad_line_saves_nothing(demo_store):
    before = demo_store.tasks.count_tasks()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        field.post_message(events.Paste("Good one #seo\nBad one ^nosuchgoal\nAnother"))
        await pilot.pause()
        assert "line 2: no goal 'nosuchgoal'" in text_of(app, "#qa-message")
        await pilot.press("enter")
        assert demo_store.tasks.count_tasks() == before


async def test_paste_can_be_cancelled_with_esc(demo_store):
    before = demo_store.tasks.count_tasks()
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        field.post_message(events.Paste("One\nTwo"))
        await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, QuickAddScreen)  # first esc cancels the paste
        await pilot.press("enter")
        assert demo_store.tasks.count_tasks() == before
        await pilot.press("escape")
        assert not isinstance(app.screen, QuickAddScreen)


async def test_f1_shows_the_grammar_and_esc_closes(demo_store):
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        grammar = app.screen.query_one("#qa-grammar", Static)
        assert not grammar.display
        await pilot.press("f1")
        assert grammar.display and "campaign:slug" in str(grammar.render())
        await pilot.press("escape")
        assert not isinstance(app.screen, QuickAddScreen)
        assert app.board.has_focus


# Issue 12, item 19: a paste with a bad line stays editable, points at the line, saves
# nothing until fixed, then saves every line as one action.
async def test_paste_with_a_bad_line_can_be_fixed_in_place_then_saved_as_one_change(demo_store):
    from mtui.ui.quickadd.screen import BatchArea

    before = {t.id for t in demo_store.tasks.list_tasks()}
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        field.post_message(events.Paste("Good one #seo\nBad one ^nosuchgoal\nAnother"))
        await pilot.pause()
        batch = app.screen.query_one(BatchArea)
        assert batch.display and batch.has_focus
        assert batch.text == "Good one #seo\nBad one ^nosuchgoal\nAnother"
        message = text_of(app, "#qa-message")
        assert "line 2: no goal 'nosuchgoal'" in message and "nothing is saved" in message
        assert batch.cursor_location == (1, len("Bad one "))  # on the bad token
        await pilot.press("enter")  # still bad: nothing saved, the text is kept
        assert {t.id for t in demo_store.tasks.list_tasks()} == before
        assert batch.text == "Good one #seo\nBad one ^nosuchgoal\nAnother"
        assert "line 2" in text_of(app, "#qa-message")
        await pilot.press("shift+end", *"^signups")  # fix the token where the cursor is
        assert batch.text == "Good one #seo\nBad one ^signups\nAnother"
        assert "create 3 tasks" in text_of(app, "#qa-message")
        await pilot.press("enter")
        await pilot.pause()
        new = [t for t in demo_store.tasks.list_tasks() if t.id not in before]
        assert sorted(t.title for t in new) == ["Another", "Bad one", "Good one"]
        assert not batch.display and field.has_focus  # back to one line
        await pilot.press("escape", "u")  # one undo step removes all three
        assert all(demo_store.tasks.get_task(t.id, include_deleted=True).deleted_at
                   for t in new)  # fmt: skip
        assert {t.id for t in demo_store.tasks.list_tasks()} == before


async def test_quick_add_saves_off_the_event_loop_into_the_undo_history(demo_store, monkeypatch):
    import threading

    from mtui.core.tasks.actions import TaskActions

    threads = []
    add_many = TaskActions.add_many

    def recording(self, items):
        threads.append(threading.current_thread())
        return add_many(self, items)

    monkeypatch.setattr(TaskActions, "add_many", recording)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        await type_text(pilot, "Off the loop #seo")
        undo_before = len(app.history.undo_stack)
        await pilot.press("enter")
        await pilot.pause()
        assert threads and threading.main_thread() not in threads, "saved on the event loop"
        assert field.value == ""
        assert len(app.history.undo_stack) == undo_before + 1
        task = next(t for t in demo_store.tasks.list_tasks() if t.title == "Off the loop")
        await pilot.press("escape", "u")
        assert demo_store.tasks.get_task(task.id, include_deleted=True).deleted_at is not None


async def test_long_line_preview_is_read_off_the_event_loop(demo_store, monkeypatch):
    """Issue 12 item 3: a pasted line of thousands of tags must not freeze typing; its
    preview is read on a thread and shown when ready (1,000 tags: well over the
    LONG_LINE threshold, and quick to draw)."""
    import threading

    from mtui.ui.quickadd import screen as quickadd_screen

    threads = []
    build = quickadd_screen.build_preview

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return build(*args, **kwargs)

    monkeypatch.setattr(quickadd_screen, "build_preview", recording)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        field = await open_quickadd(pilot)
        field.value = "Tag soup " + " ".join(f"+t{i}" for i in range(1_000))
        assert len(field.value) > quickadd_screen.LONG_LINE
        await pilot.pause()
        assert threads and threading.main_thread() not in threads, "preview on the event loop"
        preview = text_of(app, "#qa-preview")
        assert preview.startswith("Tag soup") and "+t0" in preview
        await type_text(pilot, "x")
        assert "+t999x" in text_of(app, "#qa-preview")


async def test_added_message_quotes_the_title_as_typed(demo_store):
    """Issue 12 item 23a: the confirmation showed Python's repr (``'It\\'s …'``)."""
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quickadd(pilot)
        await type_text(pilot, 'It\'s [b]big[/b] "now" #seo')
        await pilot.press("enter")
        task = next(t for t in demo_store.tasks.list_tasks() if t.title.startswith("It's"))
        assert task.title == 'It\'s [b]big[/b] "now"'
        message = text_of(app, "#qa-message")
        assert message == f'added #{task.id} “It\'s [b]big[/b] "now"” · u undoes'


def _send_keys(pilot, text: str) -> None:
    """Queue key events without waiting for anything (not even the store jobs)."""
    from textual.keys import _character_to_key

    for ch in text:
        key = "space" if ch == " " else ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(pilot.app)
        pilot.app._driver.send_message(event)


async def test_quick_add_reads_names_off_the_event_loop(demo_store, monkeypatch):
    """Issue 13: opening quick-add read statuses, goals, campaigns, channels and recent
    names on the event loop."""
    import threading

    calls: list[tuple[str, threading.Thread]] = []
    for repo, names in ((demo_store.tasks, ("statuses", "channels", "recent_names")),
                        (demo_store.strategy, ("goals", "campaigns"))):  # fmt: skip
        for name in names:
            original = getattr(repo, name)

            def recording(*args, _name=name, _original=original, **kwargs):
                calls.append((_name, threading.current_thread()))
                return _original(*args, **kwargs)

            monkeypatch.setattr(repo, name, recording)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls.clear()
        field = await open_quickadd(pilot)
        await type_text(pilot, "Write copy @a")
        assert app.screen.names is not None
        on_loop = [name for name, thread in calls if thread is threading.main_thread()]
        assert on_loop == [], f"store read on the event loop: {on_loop}"
        await pilot.press("tab")
        assert field.value == "Write copy @ana "


async def test_quick_add_opens_before_names_are_read_and_files_the_line_after(
    demo_store, monkeypatch
):
    import threading

    from textual.pilot import Pilot

    from mtui.ui.quickadd import screen as quickadd_screen

    gate = threading.Event()
    read_names = quickadd_screen.read_names

    def slow(store):
        gate.wait(10)
        return read_names(store)

    monkeypatch.setattr(quickadd_screen, "read_names", slow)
    app = MtuiApp(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        raw_pause = Pilot.__dict__["_mtui_pause"]  # waits for the app, not the store
        _send_keys(pilot, "a")
        await raw_pause(pilot)
        screen = app.screen
        assert isinstance(screen, QuickAddScreen) and screen.names is None
        assert screen.input.has_focus
        _send_keys(pilot, "Slow names #email ^signups")
        await raw_pause(pilot)
        assert screen.input.value == "Slow names #email ^signups"
        assert text_of(app, "#qa-message") == "reading names…"
        enter = events.Key("enter", "\r")
        enter.set_sender(app)
        app._driver.send_message(enter)
        await raw_pause(pilot)
        assert text_of(app, "#qa-message").startswith("reading names… the line is filed")
        assert not any(t.title == "Slow names" for t in demo_store.tasks.list_tasks())
        gate.set()
        await pilot.pause()
        task = next(t for t in demo_store.tasks.list_tasks() if t.title == "Slow names")
        goals = {g.slug: g.id for g in demo_store.strategy.goals()}
        assert task.goal_id == goals["signups"]
        assert screen.names is not None and screen.input.value == ""
