"""Small CLI defects of issue 12 item 23: wrapping, nan, JSON errors, plurals, config show."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_mtui


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wording") / "wording.db"
    assert run_mtui("demo", "--no-open", "--db", str(path)).returncode == 0
    return path


def test_standup_text_is_not_hard_wrapped_when_piped(db: Path) -> None:
    out = run_mtui("standup", "--format", "text", db=db).stdout
    lines = out.splitlines()
    assert any(len(line) > 80 for line in lines)  # long items stay on one line
    # Every line is a heading, a bullet, or empty: no continuation lines at column 0.
    sections = {"Done", "Started", "Added", "Blocked", "Overdue", "Due today", "In progress",
                "Goals", "Campaigns", "Metrics"}  # fmt: skip
    for line in lines[2:]:
        assert not line or line.startswith("  • ") or line.split(" (")[0] in sections, line
