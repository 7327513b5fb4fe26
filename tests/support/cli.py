"""The command line as a user runs it: ``python -m ictui`` in a subprocess, with an
environment that cannot reach the developer's data or Slack."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

Run = subprocess.CompletedProcess


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


def ictui(env: dict[str, str], db: Path | str | None, *args: str) -> Run:
    command = [sys.executable, "-m", "ictui", *(["--db", str(db)] if db is not None else []), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL
    )


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
