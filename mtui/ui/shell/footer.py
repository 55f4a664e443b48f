"""The dashboard's key footer: rebuilt only when what it shows changes, never cut mid-word.

Textual's ``Footer`` recomposes all its keys on every focus or binding change: each
modal open and close, each filter bar open and close, each pane switch. Composing and
styling ten ``FooterKey`` widgets costs tens of milliseconds, so this footer compares
what it would show with what it shows and only then rebuilds. While another screen is
on top (a modal) it is only a dimmed backdrop and is left as it was.

On a narrow terminal Textual's footer scrolls its overflow out of sight, cutting the
last visible key mid-word. This one switches to the compact style and then leaves out
whole keys from the end (the app-wide ones: the focused pane's keys come first),
always keeping the help key, whose screen lists every key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, cast

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

from mtui.ui.textual_compat import FooterKey, footer_bindings_ready

if TYPE_CHECKING:
    from textual.screen import Screen


class ShownKey(NamedTuple):
    """One key as the footer shows it."""

    display: str
    description: str
    action: str
    enabled: bool

    def width(self, compact: bool) -> int:
        """Cells taken in the footer row (from ``FooterKey``/``Footer`` DEFAULT_CSS).

        Regular: " k " + "Description " (key padding 0 1, description padding 0 1 0 0).
        Compact: "k" + " Description" + a 1-cell right margin.
        """
        text = cell_len(self.display)
        if self.description:
            text += cell_len(self.description) + 1
        return text + (1 if compact else 2)


def fit_keys(keys: tuple[ShownKey, ...], width: int, pinned: frozenset[str]) -> tuple[int, bool]:
    """How many leading keys fit in ``width`` cells, and whether in the compact style.

    The regular style if everything fits; otherwise compact, leaving out keys from the
    end, but never one whose action is ``pinned`` (those are shown after the others).
    """
    if sum(key.width(compact=False) for key in keys) <= width:
        return len(keys), False
    room = width - sum(key.width(compact=True) for key in keys if key.action in pinned)
    count = 0
    for key in keys:
        if key.action in pinned:
            continue
        room -= key.width(compact=True)
        if room < 0:
            break
        count += 1
    return count, True


class MtuiFooter(Footer):
    """A ``Footer`` that rebuilds only on a visible change and fits narrow terminals."""

    PINNED_ACTIONS = frozenset({"toggle_help"})
    PALETTE_WIDTH = 13  # "▏^p Palette " docked right: border, key, description, padding

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[ShownKey, ...] | None = None  # what the last compose read
        self._fit: tuple[int, bool] | None = None  # fit_keys() at the last compose

    def _keys(self, screen: Screen) -> tuple[ShownKey, ...]:
        """The keys ``Footer.compose`` would show, in its order (first binding per action)."""
        seen: dict[str, ShownKey] = {}
        for _, binding, enabled, _ in screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                display = self.app.get_key_display(binding)
                seen[binding.action] = ShownKey(
                    display, binding.description, binding.action, enabled
                )
        return tuple(seen.values())

    def _room(self) -> int:
        width = self.screen.size.width
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            width -= self.PALETTE_WIDTH
        return width

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if not footer_bindings_ready(self):
            return
        self._shown = shown = self._keys(self.screen)
        keys = [w for w in widgets if not w.has_class("-command-palette")]
        if not all(isinstance(w, FooterKey) for w in keys) or len(keys) != len(shown):
            self._fit = None  # binding groups (unused in mtui): show them as Textual does
            yield from widgets
            return
        footer_keys = cast(list[FooterKey], keys)
        self._fit = count, compact = fit_keys(shown, self._room(), self.PINNED_ACTIONS)
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        kept = [k for k in footer_keys if k.action not in self.PINNED_ACTIONS][:count]
        kept += [k for k in footer_keys if k.action in self.PINNED_ACTIONS]
        for key in kept:  # their data-bound ``compact`` would otherwise restyle each later
            key.set_reactive(FooterKey.compact, compact)
            key.set_class(compact, "-compact")
        yield from kept
        yield from (w for w in widgets if w.has_class("-command-palette"))

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild only if this footer's screen is on top and the keys shown would change."""
        if footer_bindings_ready(self) and self.is_attached and screen is self.screen:
            if self.app.screen is not screen:
                return  # behind a modal; the screen's resume refreshes the bindings again
            if self._keys(screen) == self._shown:
                return
        super().bindings_changed(screen)

    def on_resize(self, event: events.Resize) -> None:
        """Refit the keys when the new width changes which of them fit."""
        shown, fit = self._shown, self._fit
        if shown is not None and fit_keys(shown, self._room(), self.PINNED_ACTIONS) != fit:
            self.call_after_refresh(self.recompose)
