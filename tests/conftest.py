"""Fixtures shared by every test: an isolated environment and stores on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.demo import seed_demo
from ictui.store import Store
from support.pg_server import any_store, engine, pg_cluster, pg_url  # noqa: F401  (fixtures: a throwaway PostgreSQL)

# The fake Slack's fixtures, and the reliability figures printed after the run.
pytest_plugins = ["support.slack_fixtures", "support.reliability_figures"]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config, database, zone or Slack token."""
    monkeypatch.setenv("ICTUI_TZ", "Europe/Paris")
    monkeypatch.setenv("ICTUI_USER", "tester")
    monkeypatch.setenv("ICTUI_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("ICTUI_DB", str(tmp_path / "default" / "ictui.db"))
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_API_URL",
        "ICTUI_BROADCAST_CHANNEL",
        "ICTUI_ESCALATION_CHANNEL",
        "ICTUI_CHANNEL_PREFIX",
        "PAGERDUTY_EVENTS_URL",
        "PAGERDUTY_API_URL",
        "PAGERDUTY_API_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty database in a fresh file."""
    opened = Store(tmp_path / "ictui.db")
    yield opened
    opened.close()


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """The demo data set, seeded into a fresh file."""
    opened = Store(tmp_path / "demo.db")
    seed_demo(opened)
    yield opened
    opened.close()
