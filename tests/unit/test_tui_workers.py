"""Work in threads starts one way in the cockpit. (How the modules of ictui.tui import each
other is checked with the other import rules, in test_import_contracts.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import ictui.tui

TUI = Path(ictui.tui.__file__).parent


def test_one_worker_style() -> None:
    """Work in threads goes through ictui.tui.calls.call_in_thread, and nothing else starts
    a worker (no @work, no run_worker)."""
    pattern = re.compile(r"@work\b|\brun_worker\(|from textual import[^\n]*\bwork\b")
    found = [
        f"{path.relative_to(TUI)}:{number}: {line.strip()}"
        for path in sorted(TUI.rglob("*.py"))
        if path.name != "calls.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line.partition("#")[0])
    ]
    assert found == [], "workers started outside tui/calls.py:\n" + "\n".join(found)
