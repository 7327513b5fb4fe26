"""What the tests share: the fake Slack, the scenarios, the cockpit and CLI helpers, the
child processes, the pseudo-terminal. Importable as ``support.…`` (pytest puts ``tests/``
on the path: ``pythonpath`` in pyproject.toml)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
