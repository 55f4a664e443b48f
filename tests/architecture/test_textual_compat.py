"""Each private Textual API mtui uses still exists and is still called.

``mtui/ui/textual_compat.py`` is the only place that names them. These tests fail when
a Textual upgrade renames an attribute or stops calling a hook we override (an
override that is never called again would otherwise fail silently).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from mtui.ui import textual_compat as compat

pytestmark = pytest.mark.anyio


class CountingModal(compat.ScreenPaintHooks, ModalScreen[None]):
    """Counts how often Textual calls the two screen hooks."""

    def __init__(self) -> None:
        super().__init__()
        self.resumes = 0
        self.paints = 0
        self.keep_styles = False

    def compose(self) -> ComposeResult:
        yield Static("modal")

    def restyle_on_resume(self) -> bool:
        self.resumes += 1
        return not self.keep_styles

    def skip_compositor_refresh(self) -> bool:
        self.paints += 1
        return False


class PasteInput(compat.PasteHook, Input):
    def __init__(self) -> None:
        super().__init__()
        self.pastes: list[str] = []

    def handle_paste(self, text: str) -> bool:
        self.pastes.append(text)
        return "\n" in text  # several lines: ours; one line: Textual inserts it


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield PasteInput()
        yield Footer()


async def test_screen_resume_and_compositor_hooks_are_called() -> None:
    app = Host()
    async with app.run_test() as pilot:
        modal = CountingModal()
        await app.push_screen(modal)
        await pilot.pause()
        assert modal.resumes >= 1
        assert modal.paints >= 1
        app.pop_screen()
        await pilot.pause()
        resumes = modal.resumes
        modal.keep_styles = True
        await app.push_screen(modal)
        await pilot.pause()
        assert modal.resumes > resumes


async def test_paste_hook_sees_the_text_first() -> None:
    app = Host()
    async with app.run_test() as pilot:
        field = app.query_one(PasteInput)
        field.focus()
        field.post_message(events.Paste("one\ntwo"))
        await pilot.pause()
        assert field.pastes == ["one\ntwo"]
        assert field.value == ""  # taken by handle_paste
        field.post_message(events.Paste("three"))
        await pilot.pause()
        assert field.value == "three"  # handed back to Textual


async def test_css_generation_moves_when_the_theme_changes() -> None:
    app = Host()
    async with app.run_test() as pilot:
        before = compat.css_generation(app)
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        assert compat.css_generation(app) > before


async def test_repaint_and_dirty_widgets_are_readable() -> None:
    app = Host()
    async with app.run_test() as pilot:
        screen: Screen[None] = app.screen
        assert isinstance(compat.repaint_pending(screen), bool)
        static = Static("x")
        await screen.mount(static)
        static.refresh()
        assert isinstance(compat.dirty_widgets(screen), set)
        await pilot.pause()


async def test_footer_keys_and_bindings_ready() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        assert compat.footer_bindings_ready(footer) is True
        keys = list(footer.query(compat.FooterKey))
        assert keys, "the footer no longer composes FooterKey widgets"
        assert all(hasattr(key, "action") for key in keys)


async def test_refresh_ansi_colours_replaces_the_colour_filter() -> None:
    from textual.filter import ANSIToTruecolor

    app = Host()
    async with app.run_test():
        app._filters.append(ANSIToTruecolor(app.ansi_theme))
        before = [f for f in app._filters if isinstance(f, ANSIToTruecolor)]
        compat.refresh_ansi_colours(app)  # AttributeError if the hook is gone
        after = [f for f in app._filters if isinstance(f, ANSIToTruecolor)]
        assert before and after and after[0] is not before[0]


async def test_pump_busy_and_queued_messages_are_readable() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.query_one(PasteInput)
        assert compat.pump_busy(field) is False
        field.post_message(events.Paste("x"))
        assert compat.has_queued_messages(field) is True
        assert compat.pump_busy(field) is True
        await pilot.pause()
        assert compat.pump_busy(field) is False


class FailingApp(compat.FatalErrorHook, App[None]):
    """A key whose handler raises: a defect nothing handles."""

    BINDINGS = [("f", "fail", "Fail")]

    def compose(self) -> ComposeResult:
        yield Static("x")

    def fatal_error_text(self, error: BaseException | None) -> str:
        return f"mtui: {error}"

    def action_fail(self) -> None:
        raise ValueError("boom")


async def test_fatal_error_hook_replaces_the_traceback_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MTUI_DEBUG", raising=False)
    app = FailingApp()
    with pytest.raises(ValueError, match="boom"):  # Pilot still re-raises it for tests
        async with app.run_test() as pilot:
            await pilot.press("f")
            await pilot.pause()
    assert app.fatal_text == "mtui: boom"  # Textual called the hook, with the error
    assert app.return_code == 1
    printed = capsys.readouterr().err
    assert printed.strip() == "mtui: boom"  # Textual printed our line, no traceback


class FixedInput(compat.FixedSizeInput, Input):
    DEFAULT_CSS = "FixedInput { width: 1fr; height: 1; border: none; padding: 0; }"


class TwoInputs(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedInput(id="fixed")
        yield Input(id="plain")


async def test_fixed_size_input_types_without_a_layout() -> None:
    """Textual's Input still sets its virtual size from the text (else the hook has
    nothing to do), and the fixed one stores it without asking for a layout."""
    app = TwoInputs()
    async with app.run_test() as pilot:
        await pilot.pause()
        plain, fixed = app.query_one("#plain", Input), app.query_one("#fixed", FixedInput)
        plain.value = "typed"
        assert plain._layout_required, "Input no longer re-lays out per value: drop the hook"
        await pilot.pause()
        fixed.value = "typed"
        assert not fixed._layout_required
        assert fixed.virtual_size.width == plain.virtual_size.width == len("typed") + 1
        await pilot.pause()
        assert fixed.value == "typed"
