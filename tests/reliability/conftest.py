"""Fixtures of the reliability tests: the figures they count, printed at the end of the run."""

from __future__ import annotations

import pytest

from support.reliability_figures import Figures, print_summary


@pytest.fixture
def figures() -> Figures:
    return Figures()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    print_summary(terminalreporter)
