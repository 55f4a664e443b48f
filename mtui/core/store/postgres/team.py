"""Who may do what on a team board: ``mtui team init|add|ls|rm``.

Access is enforced by the server (migration 0004: row-level security on every board
table, by ``board_member``), not by the app: a viewer's write fails even through
hand-written SQL. These commands run as the tables' owner (whoever created the schema),
who is not subject to the policies; members connect as their own roles, which get
their table rights from the ``mtui_member`` group role and see only their boards.

Each command returns the SQL it ran, so an admin can see (and audit) the roles it made.
Membership changes are logged in the board's activity like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql

from mtui.core.errors import ReadOnlyError, ValidationError
from mtui.core.store.feed import SETTINGS
from mtui.core.store.postgres.migrate import MIGRATIONS_TABLE
from mtui.core.store.postgres.records import new_action
from mtui.core.store.postgres.session import PgSession, is_schema_owner, translating

ACCESS = ("viewer", "editor", "admin")
MEMBER_GROUP = "mtui_member"


@dataclass(frozen=True)
class Member:
    role: str
    access: str


@translating
class PgTeam:
    """Team management on one board, through the owner's session."""

    def __init__(self, session: PgSession) -> None:
        self.session = session

    def _owner_only(self) -> None:
        if not is_schema_owner(self.session.conn):
            raise ReadOnlyError(
                "managing members needs the role that owns mtui's tables (the one that "
                "ran `mtui team init`); connect as it"
            )

    def init(self) -> list[str]:
        """Make the member group role and give it the table rights that row-level
        security then narrows to each member's boards. Safe to run again."""
        self._owner_only()
        conn = self.session.conn
        schema = conn.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
        group = sql.Identifier(MEMBER_GROUP)
        statements: list[sql.Composed] = []
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [MEMBER_GROUP])
        if not exists.fetchone():
            statements.append(sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
        statements += [
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), group),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                sql.Identifier(schema), group
            ),
        ]
        for table in self._board_tables():
            statements.append(
                sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                    sql.Identifier(table), group
                )
            )
        with conn.transaction():
            for statement in statements:
                conn.execute(statement)
        return [statement.as_string(conn) for statement in statements]

    def _board_tables(self) -> list[str]:
        rows = self.session.conn.execute(
            "SELECT DISTINCT table_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name IN ('board_id', 'seq') "
            "AND table_name <> %s ORDER BY table_name",
            [MIGRATIONS_TABLE],
        )
        return [row[0] for row in rows]

    def add(self, role: str, access: str) -> list[str]:
        """Make ``role`` a member (a new login role if it does not exist yet)."""
        if access not in ACCESS:
            raise ValidationError(f"--role must be one of {', '.join(ACCESS)}")
        if not role or len(role) > 63 or not role.replace("_", "").replace("-", "").isalnum():
            raise ValidationError(
                f"{role!r} is not a role name mtui creates: use letters, digits, _ and -"
            )
        conn = self.session.conn
        self.init()  # the member group exists (checks that we own the tables, too)
        name = sql.Identifier(role)
        statements: list[sql.Composed] = []
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
            statements.append(sql.SQL("CREATE ROLE {} LOGIN").format(name))
        statements.append(sql.SQL("GRANT {} TO {}").format(sql.Identifier(MEMBER_GROUP), name))
        with self.session.write() as tx:
            for statement in statements:
                tx.execute(statement.as_string(conn))
            old = tx.execute(
                "SELECT access FROM board_member WHERE board_id = %s AND role_name = %s",
                [tx.board, role],
            ).fetchone()
            tx.execute(
                "INSERT INTO board_member (board_id, role_name, access) VALUES (%s, %s, %s) "
                "ON CONFLICT (board_id, role_name) DO UPDATE SET access = excluded.access",
                [tx.board, role, access],
            )
            tx.log(SETTINGS, "member", None, "changed", new_action(), role,
                   old[0] if old else None, access)  # fmt: skip
        shown = [statement.as_string(conn) for statement in statements]
        return [
            *shown,
            f"INSERT INTO board_member VALUES ({self.session.board}, '{role}', '{access}')",
        ]

    def remove(self, role: str) -> list[str]:
        """Take ``role`` off this board (the role itself stays: it may be on others)."""
        self._owner_only()
        with self.session.write() as tx:
            old = tx.execute(
                "DELETE FROM board_member WHERE board_id = %s AND role_name = %s RETURNING access",
                [tx.board, role],
            ).fetchone()
            if old is None:
                raise ValidationError(f"{role!r} is not a member of this board")
            tx.log(SETTINGS, "member", None, "changed", new_action(), role, old[0], None)
        return [f"DELETE FROM board_member WHERE board_id = {self.session.board} "
                f"AND role_name = '{role}'"]  # fmt: skip

    def members(self) -> list[Member]:
        rows = self.session.conn.execute(
            "SELECT role_name, access FROM board_member WHERE board_id = %s ORDER BY role_name",
            [self.session.board],
        )
        return [Member(role, access) for role, access in rows]
