"""Snapshots of every cockpit screen at 120x40 and 80x24 with a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.scenarios import SCENARIOS, SIZES, Scenario, demo_app, frozen_clock


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_screen(snap_compare, tmp_path: Path, scenario: Scenario, size: tuple[int, int]) -> None:
    with frozen_clock():
        app = demo_app(tmp_path / "demo.db")
        assert snap_compare(app, terminal_size=size, run_before=scenario.run)
