"""`python -m mtui` is the same as the `mtui` command."""

from mtui.entry import run

run()
