"""The command line as a user runs it: ``python -m ictui`` in a subprocess, with an
environment that cannot reach the developer's data or Slack."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

Run = subprocess.CompletedProcess

# The command the user types: the one pip installed beside this Python (its entry point).
INSTALLED = str(Path(sys.executable).parent / "ictui")


def cli_env(home: Path) -> dict[str, str]:
    """The user's environment, minus anything that could reach their data or Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICTUI_", "SLACK_", "PAGERDUTY_"))}
    env.update(
        ICTUI_TZ="Europe/Paris",
        ICTUI_USER="tester",
        ICTUI_CONFIG=str(home / "config.toml"),
        ICTUI_DB=str(home / "default.db"),
    )
    return env


def own_env(**extra: str) -> dict[str, str]:
    """The test's own environment (tests/conftest.py isolates it), and what the test adds."""
    return {**os.environ, **extra}


def _run(
    env: Mapping[Any, Any],
    db: Path | str | None,
    args: Sequence[str | bytes],
    *,
    text: bool,
    installed: bool = False,
    umask: int | None = None,
    cwd: Path | None = None,
) -> Run:
    program = [INSTALLED] if installed else [sys.executable, "-m", "ictui"]
    command = [*program, *(["--db", os.fspath(db)] if db is not None else []), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=text,
        env=env,
        timeout=120,  # a deadline for "never", not a speed
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


def ictui(
    env: Mapping[str, str],
    db: Path | str | None,
    *args: str | bytes,
    installed: bool = False,
    umask: int | None = None,
    cwd: Path | None = None,
) -> Run:
    """``ictui --db DB ARGS`` in a subprocess, as a user runs it, its output as text.

    ``python -m ictui`` with this Python; ``installed=True`` runs the installed ``ictui``
    command instead. ``umask`` is the one the process starts with, ``cwd`` its folder.
    """
    return _run(env, db, args, text=True, installed=installed, umask=umask, cwd=cwd)


def ictui_bytes(env: Mapping[Any, Any], db: Path | str | None, *args: str | bytes) -> Run:
    """The same, with its output as bytes: for arguments, variables and output that are not
    UTF-8 (``env`` may then have bytes keys and values)."""
    return _run(env, db, args, text=False)


def ictui_many(
    env: dict[str, str], runs: dict[str, tuple[Path | str | None, Sequence[str]]]
) -> dict[str, Run]:
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        futures = {name: pool.submit(ictui, env, db, *args) for name, (db, args) in runs.items()}
        return {name: future.result() for name, future in futures.items()}


def ok(run: Run) -> Run:
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run


def assert_one_clear_error(run: Run) -> str:
    lines = run.stderr.splitlines()
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr + run.stdout
    assert len(lines) == 1 and lines[0].startswith("ictui: "), run.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
