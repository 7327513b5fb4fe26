"""Concurrency: two cockpits and the command line writing to one database at once.

Nobody is shown "database is locked", no write is lost, each cockpit sees every one of
the others' writes (it polls the revision as the real one does; how fast is measured and
printed, not bounded: no test asserts a speed), and incidents
declared at the same moment from separate processes get distinct numbers. The cockpits
are processes writing through the store API, and two real apps in one process.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.pilot import Pilot

from ictui.config import Settings
from ictui.domain.enums import EntryKind
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.tui.app import IctuiApp
from ictui.tui.screens.cockpit import POLL_SECONDS
from ictui.tui.widgets.timeline import TimelineView
from support.cli import Run, ictui
from support.cockpit import type_text
from support.reliability_procs import Child, child_env
from support.scenarios import settle

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from support.reliability_figures import Figures

WRITE_SECONDS = 13.0
# The command line writes notes for this long, from when both cockpits watch.
CLI_SECONDS = 7.0
# A cockpit's pace while an incident is busy is a note every few seconds; each of these
# writes ten times a second.
WRITE_INTERVAL = 0.1
# A deadline for "never", not a speed: how fast a write shows elsewhere is measured and
# printed (the figures), not bounded in a test.
NEVER_SECONDS = 30.0
DECLARES = 6


def cli_at(db: Path, *args: str) -> tuple[Run, float]:
    """Run the CLI; returns the run and when it returned (its write is committed by then)."""
    return ictui(child_env(), db, *args), time.monotonic()


def test_two_cockpits_and_the_cli_write_at_once_lose_nothing_and_see_each_other(
    tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "shared.db"
    store = Store(db)
    number = store.declare("Checkout fails").number
    store.close()
    options = ("--watch", "--seconds", str(WRITE_SECONDS), "--interval", str(WRITE_INTERVAL))
    cockpits = {tag: Child.writer(db, number, tag, *options, env=child_env()) for tag in ("alpha", "bravo")}

    cli_runs: list[tuple[str, subprocess.CompletedProcess[str], float]] = []
    stop_cli = threading.Event()

    def cli_notes() -> None:
        index = 0
        while not stop_cli.is_set():
            text = f"cli note {index}"
            run, at = cli_at(db, "note", str(number), text)
            cli_runs.append((text, run, at))
            index += 1

    watching = {tag: float(child.wait_for_line("watching ").split()[1]) for tag, child in cockpits.items()}
    notes = threading.Thread(target=cli_notes)
    notes.start()
    time.sleep(CLI_SECONDS)
    stop_cli.set()
    notes.join()
    # Then a burst of incidents declared at the same moment, the cockpits still writing.
    # Starting six interpreters at once starves a small machine for a moment, so the
    # visibility figures are taken before it.
    burst = time.monotonic()
    with ThreadPoolExecutor(DECLARES) as pool:
        declares = list(
            pool.map(lambda i: ictui(child_env(), db, "declare", f"Concurrent report {i}"), range(DECLARES))
        )
    for child in cockpits.values():
        assert child.finish() == 0, child.stderr()
        assert child.stderr() == ""

    # Nobody was shown an error: no "database is locked", nothing on stderr, exit 0.
    for run in [r for _, r, _ in cli_runs] + declares:
        assert (run.returncode, run.stderr) == (0, ""), run.stderr
    figures.count("locked_errors", 0)

    # Nothing lost.
    store = Store(db)
    try:
        stored_notes = {e.text for e in store.timeline(number) if e.kind is EntryKind.NOTE}
        stored_updates = {u.text for u in store.updates(number)}
        numbers = [row.number for row in store.list_incidents()]
        assert store.integrity_check() == "ok"
    finally:
        store.close()
    written: dict[str, float] = {}
    for tag, child in cockpits.items():
        for kind, index, _, at in child.acks():
            written[f"{tag} {kind} {index}"] = at
            assert f"{tag} {kind} {index}" in (stored_notes if kind == "note" else stored_updates)
    for text, _, at in cli_runs:
        written[text] = at
        assert text in stored_notes
    figures.count("concurrent_writes", len(written) + len(declares))

    # Incident numbers: one each, no gaps, none shared.
    printed = sorted(int(run.stdout) for run in declares)
    assert sorted(numbers) == list(range(1, DECLARES + 2))
    assert printed == list(range(2, DECLARES + 2))
    figures.count("concurrent_declares", DECLARES)

    # Each cockpit saw every write of the others while it was watching.
    checked = 0
    for tag, child in cockpits.items():
        seen = {text: at for at, text in child.seen()}
        for text, acked_at in written.items():
            if text.startswith(f"{tag} ") or not watching[tag] < acked_at < burst - POLL_SECONDS:
                continue
            assert text in seen, f"{tag} never saw {text!r}"
            lag = seen[text] - acked_at
            figures.worst("visibility_lag_ms", lag * 1000)
            checked += 1
    figures.count("visibility_checks", checked)
    assert checked > 2 * len(cli_runs)


def _shown(app: IctuiApp, text: str) -> bool:
    """Whether the text is drawn in the app's timeline, not merely loaded."""
    timeline = app.screen.query_one(TimelineView)
    lines = [
        "".join(segment.text for segment in timeline.render_line(y)) for y in range(timeline.size.height)
    ]
    return any(text in line for line in lines)


async def _wait_until_shown(pilots: list[Pilot], app: IctuiApp, text: str, since: float) -> float:
    while not _shown(app, text):
        if time.monotonic() - since > NEVER_SECONDS:
            raise AssertionError(f"{text!r} never showed")
        await asyncio.sleep(0.02)
    for pilot in pilots:
        await pilot.pause()
    return time.monotonic() - since


async def test_two_cockpit_apps_on_one_database_show_each_others_notes(
    tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "two.db"
    store = Store(db)
    number = store.declare("Login broken").number
    store.close()
    alpha = IctuiApp(lambda: LazyStore(db), Settings(user="alpha"), cursor_blink=False)
    bravo = IctuiApp(lambda: LazyStore(db), Settings(user="bravo"), cursor_blink=False)
    async with alpha.run_test(size=(120, 40)) as pa, bravo.run_test(size=(120, 40)) as pb:
        await settle(pa)
        await settle(pb)
        assert alpha.screen.number == bravo.screen.number == number
        lags = []
        for round_ in range(2):
            for writer, pilot, reader in ((alpha, pa, bravo), (bravo, pb, alpha)):
                text = f"{writer.settings.user} typed {round_}"
                await pilot.press("n")
                await type_text(pilot, text)
                started = time.monotonic()
                await pilot.press("enter")
                lags.append(await _wait_until_shown([pa, pb], reader, text, started))
                await pilot.press("escape")
        # And a note from another terminal reaches both.
        run, committed = await asyncio.to_thread(cli_at, db, "note", str(number), "from the terminal")
        assert run.returncode == 0, run.stderr
        for app in (alpha, bravo):
            lags.append(await _wait_until_shown([pa, pb], app, "from the terminal", committed))
    assert len(lags) == 2 * 2 + 2  # every note shown in the other cockpit, and the terminal's in both
    for lag in lags:
        figures.worst("visibility_lag_ms", lag * 1000)
    figures.count("visibility_checks", len(lags))
