"""A form or screen opened again looks exactly as it did the first time.

Later openings are styled once, as they are mounted (``tui/screen_styles.py``): the
picture of the second opening, colours and all, must be the picture of the first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from support.scenarios import SIZES, demo_app, frozen_clock, select_incident, settle, still


async def _picture(pilot: Pilot, keys: tuple[str, ...]) -> str:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    await still(pilot)
    return pilot.app.export_screenshot()


# (name, incident, keys to where it opens from, keys that open it)
OPENINGS = [
    ("declare", None, (), ("D",)),
    ("status", 41, (), ("s",)),
    ("severity", 41, (), ("v",)),
    ("roles", 41, (), ("i",)),
    ("edit-entry", 41, ("tab",), ("e",)),
    ("review", 36, (), ("p",)),
    ("action-item", 36, ("p",), ("a",)),
    ("stats", 41, (), ("g",)),
    ("help", 41, (), ("question_mark",)),
    ("outbox", 41, (), ("o",)),
    ("people", 41, (), ("P",)),
]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize(("name", "incident", "before", "keys"), OPENINGS, ids=[o[0] for o in OPENINGS])
async def test_opened_again_looks_the_same(
    tmp_path: Path,
    name: str,
    incident: int | None,
    before: tuple[str, ...],
    keys: tuple[str, ...],
    size: tuple[int, int],
) -> None:
    with frozen_clock():
        app = demo_app(tmp_path / "demo.db")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            if incident is not None:
                await select_incident(pilot, incident)
            for key in before:
                await pilot.press(key)
                await settle(pilot)
            app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]  # no toast in the pictures
            base = app.screen
            first = await _picture(pilot, keys)
            assert app.screen is not base, f"{name} did not open"
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is base, f"{name} did not close"
            again = await _picture(pilot, keys)
            assert again == first, f"{name} opened again does not look as it did the first time"
