"""Fixtures of the Slack tests (the fake Slack and its settings are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from ictui.config import Settings


@pytest.fixture
def offline_settings() -> Settings:
    """Settings with no token and an address where nothing answers."""
    return Settings(user="ana", slack_token="", slack_api_url="http://127.0.0.1:9/api/")
