"""What a server URL names, and that its password is never shown (no server needed)."""

from __future__ import annotations

import pytest

from mtui.core.errors import DatabaseRefused
from mtui.core.store import is_server_url
from mtui.core.store.postgres.url import parse_server_url


def test_board_comes_from_the_option_then_the_url_then_main() -> None:
    assert parse_server_url("postgresql://h/db").board == "main"
    assert parse_server_url("postgresql://h/db?board=growth").board == "growth"
    assert parse_server_url("postgresql://h/db?board=growth", board="ops").board == "ops"


def test_board_is_taken_out_and_libpq_parameters_pass_through() -> None:
    url = parse_server_url("postgres://ana@h:5433/db?sslmode=require&board=growth&host=/run/pg")
    assert "board" not in url.conninfo
    assert "sslmode=require" in url.conninfo and "host=%2Frun%2Fpg" in url.conninfo
    assert url.location == "postgres://ana@h:5433/db?sslmode=require&host=%2Frun%2Fpg&board=growth"


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://ana:s3cr%40t@h/db",
        "postgresql://ana@h/db?password=s3cr%40t",
        "postgresql://ana:s3cr%40t@h/db?board=x&password=s3cr%40t",
    ],
)
def test_a_password_is_kept_for_libpq_but_never_shown(text: str) -> None:
    url = parse_server_url(text)
    assert url.password == "s3cr@t"
    for shown in (url.display, url.location, repr(url), url.redact(f"failed: {url.conninfo}")):
        assert "s3cr" not in shown, shown
    assert url.redact("password s3cr@t rejected") == "password *** rejected"


def test_only_server_schemes_are_server_urls() -> None:
    assert is_server_url("postgresql://h/db") and is_server_url("postgres://h/db")
    assert not is_server_url("sqlite:///x.db") and not is_server_url("/tmp/postgresql.db")
    with pytest.raises(DatabaseRefused):
        parse_server_url("mysql://h/db")
    with pytest.raises(DatabaseRefused):
        parse_server_url("postgresql://h/db", board=" ")
