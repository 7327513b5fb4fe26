"""Fixtures of the paging tests: the fake PagerDuty on 127.0.0.1, and settings that use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ictui.config import Settings
from support.fake_pagerduty import API_TOKEN, FakePagerDuty


@pytest.fixture
def fake() -> Iterator[FakePagerDuty]:
    server = FakePagerDuty().start()
    yield server
    server.stop()


@pytest.fixture
def settings(fake: FakePagerDuty) -> Settings:
    return Settings(
        user="Marcus",
        pagerduty_events_url=fake.url,
        pagerduty_api_url=fake.url,
        pagerduty_api_token=API_TOKEN,
    )
