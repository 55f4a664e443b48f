"""QuickAddScreen: a compact panel docked over the bottom of the dashboard.

The board stays visible above it, so each task added with ``enter`` can be seen landing
at the top of its column; the input is cleared and stays open for the next one. Saving
goes through the app's shared TaskActions, so ``u`` undoes a quick-add like any move.
"""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from mtui.core import clock
from mtui.core.errors import MtuiError
from mtui.core.language.quickadd import QuickAddError, parse_quickadd
from mtui.core.language.resolve import ResolvedTask, ResolveError
from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.quick_add import QuickAdder
from mtui.ui.quickadd.completion import Completion, complete
from mtui.ui.quickadd.help import EXAMPLE, HINTS, PLACEHOLDER, grammar_text
from mtui.ui.quickadd.input import QuickAddInput
from mtui.ui.quickadd.preview import Names, Preview, build_preview
from mtui.ui.shell.messages import TasksAdded


class QuickAddScreen(ModalScreen[None]):
    """Type a line, see what it means, ``enter`` to file it; ``esc`` closes."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f1", "toggle_grammar", "Grammar"),
    ]

    DEFAULT_CSS = """
    QuickAddScreen { align: center bottom; background: $background 10%; }
    #quickadd {
        width: 100%; height: auto; padding: 0 1;
        border: round $accent; border-title-color: $accent; border-title-style: bold;
        background: $surface;
    }
    #quickadd > QuickAddInput { border: none; height: 1; padding: 0; background: $boost; }
    #qa-completions {
        display: none; height: auto; max-height: 8; width: 48; border: none;
        background: $panel;
    }
    #qa-completions.-open { display: block; }
    #qa-preview { height: auto; }
    #qa-message { height: auto; color: $text-muted; }
    #qa-message.-error { color: $error; text-style: bold; }
    #qa-message.-ok { color: $success; }
    #qa-message.-warn { color: $warning; }
    #qa-hints { color: $text-muted; }
    #qa-grammar { display: none; height: auto; border-top: solid $primary 40%; }
    #qa-grammar.-open { display: block; }
    """

    def __init__(self, store: Store, actions: TaskActions | None = None) -> None:
        super().__init__()
        self.store = store
        self._actions = actions
        self.adder: QuickAdder | None = None
        self.names: Names | None = None
        self.recent: dict[str, list[str]] = {}
        self._names_stale = False
        self._completion: Completion | None = None
        self._strict = False  # after a failed enter: show every problem, even the last token
        self._pending: list[tuple[str, ResolvedTask]] | None = None
        self._confirmed: str | None = None  # the line whose new names enter confirmed

    def compose(self) -> ComposeResult:
        with Vertical(id="quickadd") as panel:
            panel.border_title = "Quick add"
            yield QuickAddInput(placeholder=PLACEHOLDER, id="qa-input")
            completions = OptionList(id="qa-completions")
            completions.can_focus = False
            yield completions
            yield Static("", id="qa-preview")
            yield Static("", id="qa-message")
            yield Static(HINTS, id="qa-hints")
            yield Static(grammar_text(), id="qa-grammar")

    @property
    def input(self) -> QuickAddInput:
        return self.query_one(QuickAddInput)

    def on_mount(self) -> None:
        actions = self._actions or getattr(self.app, "task_actions", None)
        self.adder = QuickAdder(self.store, actions if isinstance(actions, TaskActions) else None)
        self._load_names()
        self.watch(self.input, "cursor_position", self._on_cursor_moved, init=False)
        self.input.focus()

    def _load_names(self) -> None:
        """Read the lists names resolve and complete against (once, not per keystroke)."""
        assert self.adder is not None and self.adder.actions is not None
        self.adder.refresh()
        statuses = self.store.tasks.statuses()
        self.names = Names(
            statuses=statuses,
            goals=self.store.strategy.goals(),
            campaigns=self.store.strategy.campaigns(),
            channels=self.store.tasks.channels(),
            default_status=self.adder.actions.default_status().name,
        )
        self.recent = dict(self.store.tasks.recent_names())
        self.recent["status"] = [s.name for s in statuses]
        owners = [*self.recent.get("owner", [])]
        owners += [row.owner for row in (*self.names.goals, *self.names.campaigns) if row.owner]
        self.names = replace(self.names, owners=frozenset(o.casefold() for o in owners))
        self._names_stale = False

    # Live preview ------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._pending = None
        self._confirmed = None
        self._strict = False
        if event.value.strip() and self._names_stale:
            self._load_names()
        self._update()

    def _on_cursor_moved(self) -> None:
        self._update_completion()

    def _update(self) -> None:
        """Redraw the chips, the problem line and the token highlight for the input."""
        text = self.input.value
        if not text.strip():
            self.input.token_highlighter.set_problems(text, [])
            self.query_one("#qa-preview", Static).update("")
            self._update_completion()
            return
        assert self.names is not None
        cursor = None if self._strict else self.input.cursor_position
        preview = build_preview(text, clock.now(), self.names, cursor)
        self.input.token_highlighter.set_problems(
            text, [(p.start, p.end, p.pending) for p in preview.problems if p.end > p.start]
        )
        self.input.refresh()
        self.query_one("#qa-preview", Static).update(self._render_preview(preview))
        error = preview.first_error
        if error is not None:
            self._say(error.message, "-error")
        elif preview.problems:
            self._say("… " + preview.problems[0].message)
        elif preview.warnings:
            self._say("⚠ " + preview.warnings[0] + ": enter saves anyway", "-warn")
        else:
            self._say("")
        self._update_completion()

    def _render_preview(self, preview: Preview) -> Text:
        styles = self.input.kind_styles()
        text = Text()
        text.append(preview.title or "(no title yet)", Style(bold=True, italic=not preview.title))
        for chip in preview.chips:
            text.append("  ")
            text.append(f" {chip.label} ", styles.get(chip.kind, Style()))
        return text

    def _say(self, message: str, kind: str = "") -> None:
        line = self.query_one("#qa-message", Static)
        line.update(Text(message))
        line.set_class(kind == "-error", "-error")
        line.set_class(kind == "-ok", "-ok")
        line.set_class(kind == "-warn", "-warn")

    # Completion --------------------------------------------------------------------
    def _update_completion(self) -> None:
        field = self.input
        found = complete(field.value, field.cursor_position, self.recent)
        box = self.query_one("#qa-completions", OptionList)
        if found == self._completion:
            return
        self._completion = found
        box.set_class(found is not None, "-open")
        box.clear_options()
        if found is not None:
            box.add_options(found.candidates)
            box.highlighted = 0

    def on_quick_add_input_complete(self, message: QuickAddInput.Complete) -> None:
        box = self.query_one("#qa-completions", OptionList)
        if self._completion is not None:
            self._accept(self._completion.candidates[box.highlighted or 0])

    def on_quick_add_input_choose(self, message: QuickAddInput.Choose) -> None:
        box = self.query_one("#qa-completions", OptionList)
        if self._completion is not None:
            count = len(self._completion.candidates)
            box.highlighted = ((box.highlighted or 0) + message.step) % count

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._completion is not None:
            self._accept(self._completion.candidates[event.option_index])
        self.input.focus()

    def _accept(self, choice: str) -> None:
        assert self._completion is not None
        text, cursor = self._completion.apply(self.input.value, choice)
        self.input.value = text
        self.input.cursor_position = cursor

    # Saving ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._pending is not None:
            self._save_pending()
            return
        text = event.value
        if not text.strip():
            self._say("type a task first, e.g. " + EXAMPLE)
            return
        try:
            task = self._save_line(text)
            if task is None:
                return
        except (QuickAddError, ResolveError) as exc:
            self._fail(exc.message, exc.position)
        except MtuiError as exc:
            self._fail(str(exc), None)
        else:
            self.input.value = ""
            self._added([task])

    def _save_line(self, text: str) -> Task | None:
        """Parse, resolve, save: one transaction; raises before writing if anything is off.

        A line that would create a new owner or channel (``#emial``) is only saved on
        the second enter; the first one says so (None: nothing saved yet)."""
        assert self.adder is not None
        resolved = self.adder.resolve(parse_quickadd(text, clock.now()))
        new = self.adder.new_names(resolved)
        if new and self._confirmed != text:
            self._confirmed = text
            labels = " and ".join(name.label for name in new)
            self._say(f"{labels} — enter again to create", "-warn")
            return None
        self._confirmed = None
        return self.adder.save(resolved)

    def _fail(self, message: str, position: int | None) -> None:
        """Keep the text, highlight every problem, say what is wrong; nothing was saved."""
        self._strict = True
        self._update()
        where = f"column {position + 1}: " if position is not None else ""
        self._say(f"{where}{message} — nothing saved", "-error")

    def _added(self, tasks: list[Task]) -> None:
        """Tell the app (the board shows the cards at once, cursor on the newest) and confirm."""
        self._names_stale = True  # new owners/channels, new recency order
        self.post_message(TasksAdded(tasks))
        if len(tasks) == 1:
            self._say(f"added #{tasks[0].id} {tasks[0].title!r} · u undoes", "-ok")
        else:
            self._say(f"added {len(tasks)} tasks", "-ok")

    # Multi-line paste --------------------------------------------------------------
    def on_quick_add_input_pasted_lines(self, message: QuickAddInput.PastedLines) -> None:
        """Check every line first; offer to create them only if all are valid."""
        assert self.adder is not None
        now = clock.now()
        pending: list[tuple[str, ResolvedTask]] = []
        for number, line in enumerate(message.lines, start=1):
            try:
                pending.append((line, self.adder.resolve(parse_quickadd(line, now))))
            except (QuickAddError, ResolveError) as exc:
                self._pending = None
                self._show_lines(message.lines, bad=number)
                self._say(f"line {number}: {exc.message} — nothing will be saved", "-error")
                return
        self._pending = pending
        self._show_lines(message.lines)
        new = dict.fromkeys(n.label for _, r in pending for n in self.adder.new_names(r))
        also = f" ({', '.join(new)})" if new else ""
        self._say(f"create {len(pending)} tasks{also}? enter confirms · esc cancels", "-ok")

    def _show_lines(self, lines: list[str], bad: int | None = None) -> None:
        text = Text()
        error = self.input.kind_styles()["error"]
        for number, line in enumerate(lines, start=1):
            if number > 1:
                text.append("\n")
            text.append(f"{number:>3}  ", Style(dim=True))
            if number == bad:
                text.append(line, error)
            else:
                text.append(self.input.highlighter(line) if self.input.highlighter else line)
        self.query_one("#qa-preview", Static).update(text)

    def _save_pending(self) -> None:
        assert self.adder is not None and self._pending is not None
        pending, self._pending = self._pending, None
        try:
            with self.store.batch():
                tasks = [self.adder.save(resolved) for _line, resolved in pending]
        except MtuiError as exc:
            self._say(f"{exc} — nothing saved", "-error")
            return
        self.query_one("#qa-preview", Static).update("")
        self._added(tasks)

    # Keys --------------------------------------------------------------------------
    def action_close(self) -> None:
        """esc cancels a pending paste first, then closes."""
        if self._pending is not None:
            self._pending = None
            self.query_one("#qa-preview", Static).update("")
            self._say("paste cancelled: nothing saved")
            return
        self.dismiss()

    def action_toggle_grammar(self) -> None:
        self.query_one("#qa-grammar", Static).toggle_class("-open")
