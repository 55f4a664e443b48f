"""The local backend: one SQLite file, readable with sqlite-utils and Datasette."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from mtui.core.store.sqlite.opening import open_database
from mtui.core.store.sqlite.session import SqliteSession, Tx
from mtui.core.store.sqlite.strategy import SqliteStrategy
from mtui.core.store.sqlite.tasks import SqliteTasks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mtui.core.store.sqlite.activity import SqliteActivity
    from mtui.core.store.sqlite.admin import SqliteAdmin
    from mtui.core.store.sqlite.feed import SqliteFeed
    from mtui.core.store.sqlite.metrics import SqliteMetrics
    from mtui.core.store.sqlite.settings import SqliteSettings
    from mtui.core.store.sqlite.transfer import SqliteTransfer

__all__ = ["SqliteStore", "open_sqlite"]


class SqliteStore:
    """One SQLite file: the repositories share one connection (``SqliteSession``)."""

    def __init__(self, session: SqliteSession) -> None:
        self.session = session
        self.tasks = SqliteTasks(session)
        self.strategy = SqliteStrategy(session)

    # The other repositories are built on first use: a quick-add needs none of them,
    # and importing their modules costs start-up (``mtui add``, issue 16).
    @cached_property
    def metrics(self) -> SqliteMetrics:
        from mtui.core.store.sqlite.metrics import SqliteMetrics

        return SqliteMetrics(self.session)

    @cached_property
    def settings(self) -> SqliteSettings:
        from mtui.core.store.sqlite.settings import SqliteSettings

        return SqliteSettings(self.session)

    @cached_property
    def activity(self) -> SqliteActivity:
        from mtui.core.store.sqlite.activity import SqliteActivity

        return SqliteActivity(self.session)

    @cached_property
    def feed(self) -> SqliteFeed:
        from mtui.core.store.sqlite.feed import SqliteFeed

        return SqliteFeed(self.session)

    @cached_property
    def admin(self) -> SqliteAdmin:
        from mtui.core.store.sqlite.admin import SqliteAdmin

        return SqliteAdmin(self.session)

    @cached_property
    def transfer(self) -> SqliteTransfer:
        from mtui.core.store.sqlite.transfer import SqliteTransfer

        return SqliteTransfer(self.session)

    @property
    def actor(self) -> str:
        return self.session.actor

    @contextmanager
    def batch(self) -> Iterator[Tx]:
        with self.session.write() as tx:
            yield tx

    def close(self) -> None:
        self.session.close()


def open_sqlite(
    path: str | Path,
    *,
    migrate: bool = True,
    actor: str | None = None,
    read_only: bool = False,
    create: bool = True,
    create_parent: bool = False,
    on_create: Callable[[Path], None] | None = None,
) -> SqliteStore:
    """Open (or, with ``create``, create) the database at ``path``; see
    ``opening.open_database``. ``on_create`` is called when this call created the file."""
    from mtui.core.store.actor import default_actor

    path = Path(path).expanduser()
    opened = open_database(path, migrate=migrate, create=create, create_parent=create_parent)
    if opened.created and on_create is not None:
        on_create(path)
    session = SqliteSession(
        opened.conn,
        path,
        actor=actor or default_actor(),
        read_only=read_only or opened.read_only,
        file_read_only=opened.read_only,
    )
    return SqliteStore(session)
