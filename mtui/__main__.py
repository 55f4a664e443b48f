"""`python -m mtui` is the same as the `mtui` command."""

from mtui.cli import main

main()
