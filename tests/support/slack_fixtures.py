"""Fixtures for the Slack tests: a fake Slack on 127.0.0.1, settings pointing at it, a store.

Loaded for every test by ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.config import Settings
from ictui.store import Store
from support.fake_slack import FakeSlack


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
def offline_settings() -> Settings:
    return Settings(user="ana", slack_token="", slack_api_url="http://127.0.0.1:9/api/")


@pytest.fixture
def slack_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "slack.db")
    store.add_team("payments", ["checkout", "billing"])
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"], "payments")
    store.add_person("Bo Chen", "bo@example.com", ["engineer"], "payments")
    yield store
    store.close()
