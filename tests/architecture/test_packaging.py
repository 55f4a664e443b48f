"""The built wheel carries migrations/ and themes/, and runs from a fresh venv."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)], check=True,
                   capture_output=True)  # fmt: skip
    (built,) = out.glob("mtui-*.whl")
    return built


def test_wheel_ships_migrations_and_themes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mtui/_data/migrations/mtui_migrations.py" in names
    assert "mtui/_data/migrations/postgres/0001_initial.sql" in names  # the team backend's
    assert {"mtui/_data/themes/mtui-dark.toml", "mtui/_data/themes/mtui-light.toml",
            "mtui/_data/themes/mtui-high-contrast.toml"} <= names  # fmt: skip
    assert any(n.endswith("entry_points.txt") for n in names)


def test_wheel_installed_in_a_fresh_venv_creates_a_database(wheel: Path, tmp_path: Path) -> None:
    uv = shutil.which("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), str(wheel)], check=True,
                   capture_output=True)  # fmt: skip
    db = tmp_path / "fresh.db"
    result = subprocess.run([str(venv / "bin" / "mtui"), "--db", str(db), "add", "From the wheel"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [str(venv / "bin" / "mtui"), "--db", str(db), "ls"], capture_output=True, text=True
    )
    assert "From the wheel" in listed.stdout
