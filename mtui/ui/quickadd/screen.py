"""QuickAddScreen: a compact panel docked over the bottom of the dashboard.

The board stays visible above it, so each task added with ``enter`` can be seen landing
at the top of its column; the input is cleared and stays open for the next one. A line
is checked at once against the names read when the panel opened, then saved from the
app's background store (``app.store_job``) into the app's undo history, so ``u`` undoes a
quick-add like any move.

A paste of several lines opens them in an editable box: a bad line is pointed at (its
number and what is wrong, the cursor on it) and nothing is saved until every line is
valid; then ``enter`` saves them all as one action (one undo step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.worker import get_current_worker

from mtui.core import clock
from mtui.core.errors import MtuiError
from mtui.core.language.quickadd import QuickAddError, parse_quickadd
from mtui.core.language.resolve import ResolveError, resolve
from mtui.core.model import Task
from mtui.core.store.contract import Store
from mtui.core.tasks.actions import TaskActions
from mtui.core.tasks.quick_add import LineProblem, NewName, QuickAdder
from mtui.core.wording import count
from mtui.ui.quickadd.completion import Completion, complete
from mtui.ui.quickadd.help import EXAMPLE, HINTS, PLACEHOLDER, grammar_text
from mtui.ui.quickadd.input import QuickAddInput
from mtui.ui.quickadd.preview import Names, Preview, build_preview
from mtui.ui.shell.messages import TasksAdded
from mtui.ui.shell.store_jobs import PREVIEW_GROUP

# Characters: a longer line gets its preview from a thread, not the event loop.
LONG_LINE = 2_000


class BatchArea(TextArea):
    """The pasted lines, editable: ``enter`` saves them (ctrl+j starts a new line)."""

    class Submitted(Message):
        """Enter was pressed in the batch box."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())
            return
        if event.key in ("ctrl+j", "shift+enter"):
            event.stop()
            event.prevent_default()
            self.replace("\n", *self.selection)
            return
        await super()._on_key(event)


def batch_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number in the box, line) for every non-blank line."""
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


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
    #qa-batch { display: none; height: auto; max-height: 12; border: none; padding: 0; }
    #quickadd.-batch > #qa-batch { display: block; }
    #quickadd.-batch > QuickAddInput, #quickadd.-batch > #qa-preview { display: none; }
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
        # The names lines resolve and complete against, read by a store job (never on
        # the event loop): None until the first read is back.
        self.names: Names | None = None
        self.recent: dict[str, list[str]] = {}
        self._names_stale = False
        self._names_loading = False
        self._submit_when_loaded = False  # enter came before the names: file it then
        self._completion: Completion | None = None
        self._strict = False  # after a failed enter: show every problem, even the last token
        self._saving = False  # a save is in the background: enter waits for it
        self._confirmed: str | None = None  # the line whose new names enter confirmed

    def compose(self) -> ComposeResult:
        with Vertical(id="quickadd") as panel:
            panel.border_title = "Quick add"
            yield QuickAddInput(placeholder=PLACEHOLDER, id="qa-input")
            yield BatchArea(id="qa-batch", show_line_numbers=True, soft_wrap=False)
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
        self._load_names()
        self.watch(self.input, "cursor_position", self._on_cursor_moved, init=False)
        self.input.focus()

    @property
    def batch_area(self) -> BatchArea:
        return self.query_one(BatchArea)

    @property
    def in_batch(self) -> bool:
        return self.query_one("#quickadd").has_class("-batch")

    def _load_names(self) -> None:
        """Read the lists names resolve and complete against (once, not per keystroke),
        in the app's background store; the screen works meanwhile and completes names,
        checks and previews once they are back."""
        if self._names_loading:
            return
        self._names_loading = True

        def loaded(result: tuple[Names, dict[str, list[str]]]) -> None:
            self._names_loading = False
            if not self.is_attached:
                return
            self.names, self.recent = result
            self._names_stale = False
            self._completion = None  # offer the fresh names
            if self.in_batch:
                self._check_batch(point=False)
            elif self._submit_when_loaded:
                self._submit_when_loaded = False
                self._submit(self.input.value)
            else:
                self._update()

        def refused(_exc: MtuiError) -> None:
            self._names_loading = False
            if self.is_attached and self.names is None:
                self.dismiss()  # nothing to check a line against: the app's notice says why

        app: Any = self.app
        if app.store_job(read_names, loaded, refused) is None:
            self._names_loading = False

    # Live preview ------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._confirmed = None
        self._strict = False
        if event.value.strip() and self._names_stale:
            self._load_names()
        self._update()

    def _on_cursor_moved(self) -> None:
        self._update_completion()

    def _update(self) -> None:
        """Redraw the chips, the problem line and the token highlight for the input.

        A long line (a paste of thousands of tokens) is read on a thread, so a keystroke
        never waits for it; the newest text wins and older answers are dropped.
        """
        text = self.input.value
        if not text.strip():
            self.input.token_highlighter.set_problems(text, [])
            self.query_one("#qa-preview", Static).update("")
            self._update_completion()
            return
        if self.names is None:  # still being read: the preview follows when they are
            self._say("reading names…")
            self._update_completion()
            return
        cursor = None if self._strict else self.input.cursor_position
        now, names = clock.now(), self.names
        if len(text) <= LONG_LINE:
            self._show_preview(text, build_preview(text, now, names, cursor))
            return

        def read() -> None:
            preview = build_preview(text, now, names, cursor)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_preview, text, preview)

        self.run_worker(read, thread=True, exclusive=True, group=PREVIEW_GROUP,
                        exit_on_error=False)  # fmt: skip

    def _show_preview(self, text: str, preview: Preview) -> None:
        if not self.is_mounted or self.input.value != text:
            return  # the user typed on: a newer preview is coming
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
            options = len(self._completion.candidates)
            box.highlighted = ((box.highlighted or 0) + message.step) % options

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
    def _check(self, line: str) -> tuple[str, int | None] | None:
        """What is wrong with ``line`` against the names read on open (no store call),
        or None if it can be filed."""
        assert self.names is not None
        names = self.names
        default = next((s.id for s in names.statuses if s.name == names.default_status),
                       names.statuses[0].id if names.statuses else 0)  # fmt: skip
        try:
            resolve(parse_quickadd(line, clock.now()), names.statuses, names.goals,
                    names.campaigns, default, names.channels)  # fmt: skip
        except (QuickAddError, ResolveError) as exc:
            return exc.message, exc.position
        return None

    def _new_names(self, line: str) -> list[str]:
        """``new channel #emial`` / ``new owner @r`` for names no task or plan has used."""
        assert self.names is not None
        names = self.names
        default = next((s.id for s in names.statuses if s.name == names.default_status),
                       names.statuses[0].id if names.statuses else 0)  # fmt: skip
        resolved = resolve(parse_quickadd(line, clock.now()), names.statuses, names.goals,
                           names.campaigns, default, names.channels)  # fmt: skip
        found = []
        if resolved.channel and all(
            c.name.casefold() != resolved.channel.casefold() for c in names.channels
        ):
            found.append(NewName("channel", resolved.channel).label)
        if resolved.owner and resolved.owner.casefold() not in names.owners:
            found.append(NewName("owner", resolved.owner).label)
        return found

    def _save(
        self,
        lines: list[str],
        done: Callable[[list[Task]], Any],
        failed: Callable[[LineProblem | MtuiError], Any],
    ) -> None:
        """Save ``lines`` as one action from the app's background store, recorded in the
        app's undo history; ``done(tasks)`` or ``failed(why)`` runs on the event loop."""
        app: Any = self.app
        history = getattr(app, "history", None)
        now = clock.now()

        def job(store: Store) -> list[Task] | LineProblem:
            actions = TaskActions(store, history) if history is not None else None
            return QuickAdder(store, actions).save_lines(lines, now)

        def answered(result: list[Task] | LineProblem) -> None:
            self._saving = False
            if isinstance(result, LineProblem):
                failed(result)
            else:
                done(result)

        def refused(exc: MtuiError) -> None:
            self._saving = False
            failed(exc)

        self._saving = True
        if app.store_job(job, answered, refused) is None:  # the app is closing
            self._saving = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, text: str) -> None:
        """Check ``text`` against the names read on open and save it in the background."""
        if not text.strip():
            self._say("type a task first, e.g. " + EXAMPLE)
            return
        if self.names is None:  # typed faster than the names were read: file it then
            self._submit_when_loaded = True
            self._say("reading names… the line is filed as soon as they are in")
            return
        problem = self._check(text)
        if problem is not None:
            self._fail(*problem)
            return
        if self._saving:
            return
        new = self._new_names(text)
        if new and self._confirmed != text:
            self._confirmed = text  # typos (#emial, @r) must not become data silently
            self._say(f"{' and '.join(new)} — enter again to create", "-warn")
            return
        self._confirmed = None
        self.input.value = ""  # ready for the next line at once; put back if refused

        def failed(why: LineProblem | MtuiError) -> None:
            reason = why.message if isinstance(why, LineProblem) else str(why)
            if self.input.value:  # the user is already typing the next one
                self._say(f"not saved: {text} — {reason}", "-error")
                return
            self.input.value = text
            self._fail(reason, why.position if isinstance(why, LineProblem) else None)

        self._save([text], self._added, failed)

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
            # Plain text (``_say`` never reads markup), quoted as the board's notices are.
            self._say(f"added #{tasks[0].id} “{tasks[0].title}” · u undoes", "-ok")
        else:
            self._say(f"added {len(tasks)} tasks as one change · u undoes", "-ok")

    # Multi-line paste --------------------------------------------------------------
    def on_quick_add_input_pasted_lines(self, message: QuickAddInput.PastedLines) -> None:
        """Open the pasted lines in the batch box, checked; nothing is saved yet."""
        self.query_one("#quickadd").add_class("-batch")
        self._update_completion_closed()
        batch = self.batch_area
        batch.load_text("\n".join(message.lines))
        batch.focus()
        self._check_batch(point=True)

    def _update_completion_closed(self) -> None:
        box = self.query_one("#qa-completions", OptionList)
        box.remove_class("-open")
        self._completion = None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area is self.batch_area and self.in_batch:
            self._check_batch(point=False)

    def _check_batch(self, *, point: bool) -> list[str] | None:
        """Check every line; say which is wrong (and move the cursor to it when
        ``point``), or how many will be created. The lines if all are valid."""
        if self._names_stale:
            self._load_names()  # checked again when they are back
        if self.names is None:
            self._say("reading names… the lines are checked as soon as they are in")
            return None
        lines = batch_lines(self.batch_area.text)
        if not lines:
            self._say("no lines left: esc goes back to one line", "-error")
            return None
        for number, line in lines:
            problem = self._check(line)
            if problem is not None:
                message, position = problem
                if point:
                    self._point_at(number, line, position)
                bad = sum(1 for _n, other in lines if self._check(other) is not None)
                more = f" ({count(bad - 1, 'more line')} to fix)" if bad > 1 else ""
                self._say(f"line {number}: {message}{more} — fix it here; nothing is saved "
                          "until every line is valid · esc cancels", "-error")  # fmt: skip
                return None
        self._say(f"create {count(len(lines), 'task')}? enter saves them as one change · esc cancels",
                  "-ok")  # fmt: skip
        return [line for _n, line in lines]

    def _point_at(self, number: int, line: str, position: int | None) -> None:
        """Put the batch box's cursor on the bad token of line ``number``."""
        row = number - 1
        raw = self.batch_area.document.get_line(row)
        column = len(raw) - len(raw.lstrip()) + (position or 0)
        self.batch_area.move_cursor((row, min(column, len(raw))))

    def on_batch_area_submitted(self, message: BatchArea.Submitted) -> None:
        lines = self._check_batch(point=True)
        if lines is None or self._saving:
            return
        self._say(f"saving {count(len(lines), 'task')}…")

        def done(tasks: list[Task]) -> None:
            self._leave_batch()
            self._added(tasks)

        def failed(why: LineProblem | MtuiError) -> None:
            if isinstance(why, LineProblem):  # a name changed meanwhile: point at it
                number, line = batch_lines(self.batch_area.text)[why.line - 1]
                self._point_at(number, line, why.position)
                self._say(f"line {number}: {why.message} — nothing saved", "-error")
            else:
                self._say(f"{why} — nothing saved", "-error")

        self._save(lines, done, failed)

    def _leave_batch(self) -> None:
        self.query_one("#quickadd").remove_class("-batch")
        self.batch_area.load_text("")
        self.query_one("#qa-preview", Static).update("")
        self.input.focus()

    # Keys --------------------------------------------------------------------------
    def action_close(self) -> None:
        """esc cancels a pasted batch first, then closes."""
        if self.in_batch:
            self._leave_batch()
            self._say("paste cancelled: nothing saved")
            return
        self.dismiss()

    def action_toggle_grammar(self) -> None:
        self.query_one("#qa-grammar", Static).toggle_class("-open")


def read_names(store: Store) -> tuple[Names, dict[str, list[str]]]:
    """The names a quick-add line resolves against, and the recently used ones for
    completion (a store job: runs on the background store)."""
    statuses = store.tasks.statuses()
    goals, campaigns = store.strategy.goals(), store.strategy.campaigns()
    recent = dict(store.tasks.recent_names())
    recent["status"] = [s.name for s in statuses]
    owners = [*recent.get("owner", [])]
    owners += [g.owner for g in goals if g.owner]
    owners += [c.owner for c in campaigns if c.owner]
    owners += ["me", store.actor]  # you are never a new owner
    names = Names(
        statuses=statuses,
        goals=goals,
        campaigns=campaigns,
        channels=store.tasks.channels(),
        default_status=TaskActions(store).default_status().name,
        owners=frozenset(o.casefold() for o in owners),
        me=store.actor,
    )
    return names, recent
