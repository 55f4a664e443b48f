"""Driving the command palette and reading notifications in Pilot tests (import it)."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from tests.support.ui import type_burst


def notices(app) -> list[str]:
    """The text of every notification the app has shown (and not yet expired)."""
    return [str(n.message) for n in app._notifications]


async def palette_options(pilot, text: str, expect: str) -> list[str]:
    """Open the palette, type ``text`` and wait until an option containing ``expect``."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_burst(pilot, text)
    prompts: list[str] = []
    for _ in range(100):  # searches run in a worker: wait for the results, not for a time
        await pilot.pause(0.02)
        command_list = pilot.app.screen.query_one(CommandList)
        prompts = [str(option.prompt) for option in command_list.options]
        if any(expect in prompt for prompt in prompts):
            return prompts
    raise AssertionError(f"no palette option with {expect!r}; got {prompts}")


async def run_from_palette(pilot, text: str, expect: str) -> None:
    """Choose the first option (which must contain ``expect``) for ``text``."""
    prompts = await palette_options(pilot, text, expect)
    assert expect in prompts[0], prompts[:5]
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
