"""The unit tests' collection: the code checks first."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The linter, formatter and type checker run before every other test of the run
    (tests/unit/test_code_quality.py): CI says at once when one of them fails."""
    first = [item for item in items if item.path.name == "test_code_quality.py"]
    if first:
        items[:] = first + [item for item in items if item.path.name != "test_code_quality.py"]
