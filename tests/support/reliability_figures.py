"""The reliability figures: what the reliability tests did and checked, printed at the end
of the run so that the numbers in docs/reliability.md can be measured again with one command.

tests/reliability/conftest.py gives the ``figures`` fixture and prints the summary;
a test takes the ``figures`` fixture and adds what it counted with ``figures.count`` (sums)
or ``figures.worst`` (maxima).
"""

from __future__ import annotations

from collections import Counter

import pytest

_COUNTS: Counter[str] = Counter()
_WORST: dict[str, float] = {}

# The order and the wording of the summary.
COUNT_LABELS = {
    "kills": "SIGKILLs survived by a writing process (each followed by a restart and a full check)",
    "deliveries_cut": "of those, kills that cut a Slack delivery short (the item left in flight)",
    "posted_in_flight": "of those, kills after Slack had posted the message (a blind retry would duplicate it)",
    "acked_writes": "acknowledged writes checked present after a kill (none lost)",
    "integrity_checks": "PRAGMA integrity_check runs (all ok)",
    "updates_once": "status updates delivered to Slack, each exactly once and in order",
    "concurrent_writes": "writes by concurrent processes (two cockpits and the CLI), none lost",
    "visibility_checks": "writes seen by another process (every one)",
    "concurrent_declares": "incidents declared at once from separate processes (numbers unique)",
    "locked_errors": "'database is locked' errors shown to a user",
    "faults_429": "Slack faults injected: 429 rate limits",
    "faults_5xx": "Slack faults injected: 5xx server errors",
    "faults_slow": "Slack faults injected: calls answered after 5 s",
    "faults_outage_seconds": "Slack faults injected: seconds of Slack being down",
    "keys_answered": "pane keys the cockpit answered while Slack misbehaved (every one)",
    "hostile_inputs": "hostile inputs tried (hypothesis examples and fixed cases)",
    "hostile_screens": "screens and command outputs drawn from hostile text (no raw ESC, BEL or C1 in any)",
    "secret_scans": "outputs searched for the Slack token (database, WAL, logs, exports, screenshots, tracebacks)",
    "backup_writes": "acknowledged writes found in an online backup taken while writing",
}
WORST_LABELS = {
    "visibility_lag_ms": "slowest a write took to show in another process, in ms (measured, not bounded)",
}


class Figures:
    def count(self, name: str, amount: int = 1) -> None:
        assert name in COUNT_LABELS, name
        _COUNTS[name] += amount

    def worst(self, name: str, value: float) -> None:
        assert name in WORST_LABELS, name
        _WORST[name] = max(_WORST.get(name, 0.0), value)


def print_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures counted in this run, if any, under their own heading."""
    if not _COUNTS and not _WORST:
        return
    terminalreporter.section("ictui reliability figures")
    for name, label in COUNT_LABELS.items():
        if name in _COUNTS:
            terminalreporter.write_line(f"{_COUNTS[name]:>9,}  {label}")
    for name, label in WORST_LABELS.items():
        if name in _WORST:
            terminalreporter.write_line(f"{_WORST[name]:>9,.0f}  {label}")
