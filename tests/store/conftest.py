"""Fixtures of the store tests (an empty store, ``store``, is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.demo import seed_demo
from ictui.store import Store


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """The demo data set, seeded into a fresh file."""
    opened = Store(tmp_path / "demo.db")
    seed_demo(opened)
    yield opened
    opened.close()
