"""Storage: the repository contract, and the backends behind it (``sqlite/``).

``open_store`` picks the backend from what names the database: a plain path or a
``sqlite:///path`` URL is a local SQLite file; ``postgresql://…`` is a team server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mtui.core.errors import DatabaseRefused, ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")
    from mtui.core.store.contract import Store, TeamAdmin

__all__ = [
    "Store", "TeamAdmin", "is_server_url", "migrate_store", "open_store", "open_store_soon",
    "open_team",
    "shown_location", "sqlite_path",
]  # fmt: skip

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(target: str | Path) -> bool:
    return str(target).startswith(SERVER_SCHEMES)


def shown_location(target: str | Path, board: str | None = None) -> str:
    """What names the board for people: a path, or a server URL with its board and
    without its password (the URL given may hold one; it must never be printed)."""
    if is_server_url(target):
        from mtui.core.store.postgres.url import parse_server_url

        return parse_server_url(str(target), board=board).location
    return str(sqlite_path(target))


def sqlite_path(target: str | Path) -> Path:
    """The file a plain path or ``sqlite:///path`` URL names."""
    text = str(target)
    if text.startswith("sqlite://"):
        rest = text[len("sqlite://") :]
        if not rest.startswith("/"):
            raise DatabaseRefused(f"{text}: write sqlite:///relative/or/absolute/path")
        text = rest[1:] if rest.startswith("//") else rest
    return Path(text).expanduser()


def open_store(
    target: str | Path,
    *,
    migrate: bool = True,
    actor: str | None = None,
    read_only: bool = False,
    board: str | None = None,
    create: bool = True,
    create_parent: bool = False,
    on_create: Callable[[Any], None] | None = None,
) -> Store:
    """Open the board that ``target`` names (see ``sqlite.opening.open_database``).

    A missing file (or a server's missing board) is created only with ``create`` (else
    DatabaseRefused), in an existing directory unless ``create_parent``; ``on_create``
    is told (the path, or the server and board) when it was, so a caller can say so. The CLI decides per command (``mtui.cli.base.CliContext.open``).
    On a server, ``board`` (``--board NAME``) picks one of its boards, else the URL's
    ``?board=``, else "main". psycopg is imported only here, for server URLs.
    """
    if is_server_url(target):
        from mtui.core.store.postgres import open_postgres

        return open_postgres(
            str(target), board=board, migrate=migrate, actor=actor, read_only=read_only,
            create=create, on_create=on_create,
        )  # fmt: skip
    if board is not None:
        raise DatabaseRefused("--board names a board on a team server; a local file holds one")
    from mtui.core.store.sqlite import open_sqlite

    return open_sqlite(
        sqlite_path(target),
        migrate=migrate,
        actor=actor,
        read_only=read_only,
        create=create,
        create_parent=create_parent,
        on_create=on_create,
    )


def open_store_soon(
    target: str | Path, then: Callable[[Store], T], **options: Any
) -> Callable[[], tuple[Store, T]]:
    """Start ``open_store(target, **options)`` and then ``then(store)`` in a thread; the
    function returned waits for both and returns the store and what ``then`` returned
    (or raises what they raised, the store closed).

    For the dashboard on a team board: the connection, the checks and the first
    frame's reads wait on the network for several round trips, which the caller fills
    by importing the app meanwhile. The thread imports only the backend and its driver;
    the modules both sides need are imported here first, so the two never import the
    same one at once.
    """
    import threading

    from mtui.core import clock, resources  # noqa: F401  (shared with the dashboard)
    from mtui.core.store import stamps  # noqa: F401

    outcome: list[Any] = []

    def run() -> None:
        try:
            store = open_store(target, **options)
        except BaseException as exc:  # handed to the caller, raised there
            outcome.append(exc)
            return
        try:
            outcome.append((store, then(store)))
        except BaseException as exc:
            store.close()
            outcome.append(exc)

    thread = threading.Thread(target=run, name="mtui-open-store", daemon=True)
    thread.start()

    def opened() -> tuple[Store, T]:
        thread.join()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    return opened


def migrate_store(
    target: str | Path,
    *,
    create_parent: bool = False,
    on_create: Callable[[Path], None] | None = None,
) -> tuple[list[str], str | None]:
    """Apply the pending migrations of the board ``target`` names (``mtui db migrate``).

    Returns the migrations applied (none when up to date) and where the backup written
    before them is, if one was; a caller never needs to know which backend it migrated.
    """
    if is_server_url(target):
        from mtui.core.store.postgres import migrate_server

        return migrate_server(str(target))
    from mtui.core.store.sqlite.opening import migrate_file

    return migrate_file(sqlite_path(target), create_parent=create_parent, on_create=on_create)


def open_team(
    target: str | Path, board: str | None = None, *, create: bool = False
) -> tuple[Store, TeamAdmin]:
    """The board ``target`` names and its members (``mtui team``): a team board only.
    Only ``create`` (``mtui team init``) makes a board that is not there yet."""
    if not is_server_url(target):
        raise ValidationError(
            "members belong to a team board on a PostgreSQL server: "
            "use --db postgresql://host/dbname (a local file has one user)"
        )
    from mtui.core.store.postgres import open_postgres
    from mtui.core.store.postgres.team import PgTeam

    store = open_postgres(str(target), board=board, create=create)
    return store, PgTeam(store.session)


def __getattr__(name: str) -> Any:
    """``Store`` and ``TeamAdmin``, loaded on first use: the contract's Protocols cost
    start-up that opening a store (``mtui add``) does not need."""
    if name in ("Store", "TeamAdmin"):
        from mtui.core.store import contract

        return getattr(contract, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
