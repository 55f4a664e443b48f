"""The ``mtui`` console script.

``mtui`` and ``mtui --db PATH`` open the dashboard straight away, without loading click
and every CLI command module: start-up time is a feature, and the first paint is
measured against a bare Textual app. A plain ``mtui add …`` runs without click too
(``mtui.cli.fast_add``): a quick-add from a script should be as quick as Taskwarrior's;
so does a plain ``mtui standup`` (``mtui.cli.fast_standup``).
Anything else goes to the click CLI.
"""

from __future__ import annotations

import sys


def dashboard_db_option(args: list[str]) -> tuple[bool, str | None]:
    """``(True, db)`` when ``args`` only ask for the dashboard, else ``(False, None)``."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db" and not args[1].startswith("-"):
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return True, args[0][5:]
    return False, None


def run() -> None:
    dashboard_only, db_option = dashboard_db_option(sys.argv[1:])
    if not dashboard_only:
        from mtui.cli.fast_add import plain_add, run_add

        request = plain_add(sys.argv[1:])
        if request is not None:
            run_add(request)
            return
        from mtui.cli.fast_standup import plain_standup, run_plain_standup

        standup = plain_standup(sys.argv[1:])
        if standup is not None:
            run_plain_standup(standup)
            return
        from mtui.cli import main

        main()
        return
    from mtui.errors_exit import run_reporting_errors

    def open_dashboard() -> None:
        from mtui.gc_pause import pause_until_first_frame

        pause_until_first_frame()
        from mtui.core.config.db_location import is_default_location, resolve_db
        from mtui.core.store import is_server_url, open_store, open_store_soon
        from mtui.errors_exit import announce_created

        target = resolve_db(db_option)
        first = None
        if is_server_url(target):
            from mtui.core.first_frame import read_first_frame

            # A team board: connect and read the first frame (round trips) while
            # Textual is imported.
            opening = open_store_soon(target, read_first_frame, on_create=announce_created)
            try:
                import mtui.ui.app  # noqa: F401
            finally:
                store, first = opening()
        else:
            store = open_store(  # refused before Textual loads; the dashboard may create one
                target,
                create=True,
                create_parent=is_default_location(db_option),
                on_create=announce_created,
            )
        try:
            from mtui.ui.app import MtuiApp

            app = MtuiApp(store, first=first)
            app.run()
        finally:
            store.close()  # the last connection to close checkpoints and removes the -wal
        if app.return_code:  # an error ended the app; it printed one line saying which
            sys.exit(app.return_code)

    run_reporting_errors(open_dashboard)
