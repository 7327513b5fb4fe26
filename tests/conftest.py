"""Fixtures shared by the tests of every folder: an isolated environment, stores on real
SQLite files and on a throwaway PostgreSQL, and the fake Slack on 127.0.0.1.

A folder's own fixtures are in its conftest.py (tests/tui/conftest.py, ...); tests/support
holds helpers, never fixtures: a test never imports a fixture by name.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.pg import Cluster, pg_bin_dir, unavailable_reason
from ictui.config import Settings
from ictui.store import Store
from support.fake_slack import FakeSlack
from support.pg_server import ENGINES, database_for


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test on the throwaway PostgreSQL server is in the slow tier: the server's half
    of the two-engine tests (``engine``), and the tests that take the server itself.
    ``pytest -m "not slow"`` leaves them out; the full run has them all. And the code checks
    go first."""
    for item in items:
        params = getattr(item, "callspec", None)
        on_server = params is not None and params.params.get("engine") == "postgresql"
        if on_server or {"pg_url", "pg_cluster"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    # The linter, formatter and type checker run first (tests/unit/test_code_quality.py):
    # CI says at once when one of them fails.
    first = [item for item in items if item.path.name == "test_code_quality.py"]
    if first:
        items[:] = first + [item for item in items if item.path.name != "test_code_quality.py"]


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


# ---------------------------------------------------------------- a throwaway PostgreSQL


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session (support/pg_server.py says how and when it is skipped)."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must test PostgreSQL too: {reason}")
        pytest.skip(reason)
    cluster = Cluster(pg_bin_dir())  # type: ignore[arg-type]
    started = time.monotonic()
    cluster.start()
    cluster.started_in = time.monotonic() - started  # type: ignore[attr-defined]
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh database on the session's cluster, dropped after the test."""
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop_database(url)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: for the store's contract tests, which run on both."""
    return str(request.param)


@pytest.fixture
def any_store(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Iterator[Any]:
    """An empty store on each engine in turn."""
    opened = Store(database_for(request, engine, tmp_path))
    try:
        yield opened
    finally:
        opened.close()


# ---------------------------------------------------------------- the fake Slack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.rnd = fake.add_channel("rnd")  # type: ignore[attr-defined]
    fake.support = fake.add_channel("engineering-support")  # type: ignore[attr-defined]
    yield fake
    fake.stop()


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> Settings:
    return Settings(
        user="ana",
        slack_token=fake_slack.token,
        slack_api_url=fake_slack.url,
        broadcast_channel="#rnd",
        escalation_channel="#engineering-support",
        channel_prefix="incident",
    )


@pytest.fixture
def slack_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "slack.db")
    store.add_team("payments", ["checkout", "billing"])
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"], "payments")
    store.add_person("Bo Chen", "bo@example.com", ["engineer"], "payments")
    yield store
    store.close()
