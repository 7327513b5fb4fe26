"""Fixtures for the tests that run the installed ``ictui`` in a pseudo-terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.ptyterm import cli


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, seeded once by the CLI; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    cli(path, "seed", "--demo")
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ictui.db"
    shutil.copyfile(demo_template, path)  # no process has it open: a plain copy is whole
    return path
