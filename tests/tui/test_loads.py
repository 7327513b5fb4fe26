"""Loads that run one at a time (ictui.tui.loads): never left waiting for ever."""

from __future__ import annotations

import threading

from textual.app import App

from ictui.tui.loads import LatestLoad


async def test_a_cancelled_load_does_not_hold_back_the_next_one() -> None:
    """A refresh queued behind a load whose worker was cancelled still runs."""
    release = threading.Event()
    shown: list[str] = []

    class Host(App[None]):
        pass

    app = Host()
    async with app.run_test() as pilot:
        loads: LatestLoad[str] = LatestLoad(app, group="list", description="loading")

        def stuck() -> str:
            release.wait(5)
            return "stale"

        loads.request(stuck, shown.append)
        await pilot.pause(0.05)
        assert loads.busy
        (worker,) = app.workers
        app.workers.cancel_group(app, "list")  # as when its screen goes away
        release.set()
        while not worker.is_finished:
            await pilot.pause(0.01)
        loads.request(lambda: "fresh", shown.append)
        for _ in range(100):
            await pilot.pause(0.01)
            if shown:
                break
        assert shown == ["fresh"]
        assert not loads.busy
