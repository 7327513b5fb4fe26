"""The linter, the formatter and the type checker, as CI runs them: before every other
test (tests/conftest.py puts these first), each failing with what the tool said.

The tools are the test extras' (pyproject.toml pins them), run from the same virtual
environment as pytest; their settings are pyproject.toml's [tool.ruff] and [tool.mypy].
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["src", "tests", "bench"]


def _run(tool: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    found = shutil.which(tool, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{tool} is missing: install the test extras (pip install -e '.[test]')")
    return subprocess.run([found, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    run = _run("ruff", "check", "--no-cache", *CHECKED)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_code_is_formatted_as_ruff_formats_it() -> None:
    run = _run("ruff", "format", "--check", "--no-cache", *CHECKED)
    assert run.returncode == 0, "run `ruff format src tests bench`:\n" + run.stdout + run.stderr


@pytest.mark.slow
def test_mypy_finds_no_type_error() -> None:
    run = _run("mypy")  # the files of [tool.mypy]: src
    assert run.returncode == 0, run.stdout + run.stderr
