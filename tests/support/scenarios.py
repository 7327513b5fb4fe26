"""The cockpit's screens as scenarios: one code path for snapshot tests and screenshots.

A scenario seeds the demo data under a frozen clock, opens the real app on a real SQLite
file, drives it with keys, and waits for every worker before the picture is taken.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pendulum
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from ictui.config import load_settings
from ictui.demo import seed_demo
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.tui import flows
from ictui.tui.app import IctuiApp
from ictui.tui.textual_compat import screen_lines

# A Tuesday morning in Paris, in the middle of incident #41.
FROZEN = pendulum.datetime(2026, 11, 24, 9, 0, 0, tz="UTC")
SIZES = {"wide": (120, 40), "small": (80, 24)}


@contextmanager
def frozen_clock() -> Iterator[None]:
    with pendulum.travel_to(FROZEN, freeze=True):
        yield


_SEEDED: dict[str, Path] = {}


def demo_app(db_path: Path) -> IctuiApp:
    """The cockpit on a fresh copy of the demo database (call with the clock frozen).

    The demo is written once per run (every scenario has the same frozen "now") and
    copied: writing it takes seconds, copying a file does not.
    """
    key = FROZEN.isoformat()
    if key not in _SEEDED:
        seeded = Path(tempfile.mkdtemp(prefix="ictui-scenarios-")) / "demo.db"
        store = Store(seeded)
        seed_demo(store)
        store.close()
        _SEEDED[key] = seeded
    shutil.copyfile(_SEEDED[key], db_path)
    os.chmod(db_path, 0o600)
    return IctuiApp(LazyStore(db_path), load_settings(), cursor_blink=False)  # as `ictui` opens it


async def settle(pilot: Pilot) -> None:
    """Let messages flow and every worker and flow finish (a flow waiting for the IC's
    answer in a form is done for now), three times: loads start more loads.

    The Slack and paging loops run for the life of the app, so they are not waited for. A worker
    cancelled meanwhile (an exclusive poll replaced by the next) is simply done.
    """
    for _ in range(3):
        await pilot.pause()
        while True:
            for worker in [w for w in pilot.app.workers if w.group not in ("slack", "paging")]:
                try:
                    await worker.wait()
                except WorkerCancelled:
                    pass
            if not flows.busy(pilot.app):
                break
            await pilot.pause()  # a flow between two steps (tui/flows.py): its next one
    await pilot.pause()


async def select_incident(pilot: Pilot, number: int) -> None:
    """Filter to the incident, then clear the filter: the cursor stays on it."""
    await settle(pilot)
    await pilot.press("slash", *str(number), "enter")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    keys: tuple[str, ...] = ()
    incident: int | None = 41
    extra: Callable[[Pilot], Awaitable[None]] | None = field(default=None)

    async def run(self, pilot: Pilot) -> None:
        await settle(pilot)
        if self.incident is not None:
            await select_incident(pilot, self.incident)
        for key in self.keys:
            await pilot.press(key)
            await settle(pilot)
        if self.extra is not None:
            await self.extra(pilot)
            await settle(pilot)
        # A toast leaves after a few seconds of real time: whether it is still there when
        # the picture is taken depends on how busy the machine is. Pictures leave them out:
        # no new toast from here on, and those posted already are cleared once shown.
        pilot.app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]
        await settle(pilot)
        pilot.app.clear_notifications()
        # Clearing redraws the top screen's toasts only; a form's screen shows the cockpit's
        # through it.
        for screen in pilot.app.screen_stack:
            for toast in screen.query("Toast"):
                await toast.remove()
        await settle(pilot)
        await still(pilot)


async def still(pilot: Pilot, rounds: int = 50) -> None:
    """Until the screen composes the same lines twice in a row: a pane that shrank (the
    broadcast's banner) scrolls its newest line back into view a refresh later, and
    the picture is of where the screen comes to rest, however busy the machine."""
    before = screen_lines(pilot.app.screen)
    for _ in range(rounds):
        await pilot.pause()
        now = screen_lines(pilot.app.screen)
        if now == before:
            return
        before = now


SCENARIOS = [
    Scenario("cockpit", "The cockpit with incident #41 selected"),
    Scenario("timeline", "The timeline pane focused", keys=("tab",)),
    Scenario("triage", "The triage checklist of a fresh escalation", keys=("t",), incident=44),
    Scenario("composer", "The update composer with its Slack preview", keys=("c",)),
    Scenario("maximised", "The composer maximised with f11, the keys still under it", keys=("c", "f11")),
    Scenario("note", "Annotating the timeline", keys=("n", *"Rollback of the CDN config", "enter", *"Next")),
    Scenario("declare", "Declaring a new incident", keys=("D",), incident=None),
    Scenario("status", "Changing the status", keys=("s",)),
    Scenario(
        "reopen",
        "Reopening a resolved incident: a step back needs a reason",
        keys=("s", "up", "enter"),
        incident=40,
    ),
    Scenario("edit-entry", "Editing a timeline entry's text and time", keys=("tab", "e")),
    Scenario("help", "The help screen", keys=("question_mark",)),
    Scenario("broadcast", "The one-key broadcast with its undo window", keys=("U",)),
    Scenario(
        "outbox", "What waits for Slack, and why", keys=("D", *"Checkout", "ctrl+s", "o"), incident=None
    ),
    Scenario("escalations", "Reports in #engineering-support (offline here)", keys=("E",)),
    Scenario("review", "Post-mortem review mode of a past SEV1", keys=("p",), incident=36),
    Scenario("stats", "Incidents across the last 30 days", keys=("g",)),
    Scenario("people", "People and teams, and the parts each team owns", keys=("P",)),
    Scenario("assign", "Assigning a role: suggested owners first, or someone new", keys=("i",)),
]
