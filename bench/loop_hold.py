"""How long the cockpit's event loop is held while Slack misbehaves, against a bare app.

    python -m bench.loop_hold            # 2 runs of each app, phases of 2, 2, 6 and 20 s
    python -m bench.loop_hold --quick    # 1 run of each, phases of 1, 1, 6 and 4 s

The cockpit (headless, as the tests drive it, with the real Slack thread and WebClient
talking to tests/support/fake_slack.py on 127.0.0.1) while the IC sends updates, types
notes and moves between panes, and Slack rate-limits every third call, answers 503,
takes 5 s per call and goes away. A timer due every 20 ms records the longest the event
loop went without running it, less the time the operating system kept the thread
waiting for a CPU (other programs are not the cockpit's doing); once with Python's
garbage collections left in, once without. The baseline is the smallest Textual app
doing the same keys at the same pace (a 10,000-row DataTable, an Input whose Enter
appends a line to a Log), for as long. Each run is a fresh process, alternating.

This was a bound in tests/reliability/test_reliability_slack.py (100 ms); a bound in a
test fails on slow hardware and hides regressions on fast hardware: here it is a
figure, with its ratio to the baseline measured beside it on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import machine
from bench.terminal import REPO

TICK = 0.02
PHASES = {"rate_limits": 2.0, "server_errors": 2.0, "slow": 6.0, "down": 20.0}
QUICK_PHASES = {"rate_limits": 1.0, "server_errors": 1.0, "slow": 6.0, "down": 4.0}
_SCHEDSTAT = Path("/proc/thread-self/schedstat")
KEYS = ["tab", "k", "k", "j", "j", "shift+tab"]


def _runqueue_wait() -> float:
    """Seconds this thread has spent ready to run but waiting for a CPU (Linux), else 0."""
    try:
        return int(_SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class LoopWatch:
    """The longest the event loop went without running a timer due every 20 ms."""

    def __init__(self) -> None:
        self.worst = self.worst_with_gc = 0.0
        self.ticks = 0
        self._gc_seconds = 0.0
        self._gc_started = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> dict[str, float]:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        gc.callbacks.remove(self._on_gc)
        return {
            "hold_ms": round(self.worst * 1000, 1),
            "hold_gc_ms": round(self.worst_with_gc * 1000, 1),
            "ticks": self.ticks,
        }

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.thread_time()
        else:
            self._gc_seconds += time.thread_time() - self._gc_started

    async def _run(self) -> None:
        last, waited, collected = time.monotonic(), _runqueue_wait(), self._gc_seconds
        while True:
            await asyncio.sleep(TICK)
            now, now_waited, now_collected = time.monotonic(), _runqueue_wait(), self._gc_seconds
            held = (now - last - TICK) - (now_waited - waited)
            self.worst_with_gc = max(self.worst_with_gc, held)
            self.worst = max(self.worst, held - (now_collected - collected))
            self.ticks += 1
            last, waited, collected = now, now_waited, now_collected


async def _busy(pilot: Any, seconds: float, note: Any) -> None:
    """A note, then a key every half second, for ``seconds``."""
    await note()
    ends, keys = time.monotonic() + seconds, list(KEYS)
    while time.monotonic() < ends:
        await pilot.press(keys[0])
        keys = keys[1:] + keys[:1]
        await asyncio.sleep(0.5)


async def _until(condition: Any, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("not within a minute: the run is void")
        await asyncio.sleep(0.05)


async def ictui_run(phases: dict[str, float]) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "tests"))
    from textual.widgets import TextArea

    from ictui.config import Settings
    from ictui.domain.enums import UpdateState
    from ictui.slack.outbox import deliver_pending
    from ictui.store import Store
    from ictui.store.lazy import LazyStore
    from ictui.tui.app import IctuiApp
    from support.fake_slack import FakeSlack

    fake = FakeSlack().start()
    fake.add_channel("rnd")
    fake.add_user("ana", "ana@example.com", "Ana Ruiz")
    settings = Settings(
        user="ana",
        slack_token=fake.token,
        slack_api_url=fake.url,
        broadcast_channel="#rnd",
        channel_prefix="incident",
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hold.db"
        store = Store(path)
        store.add_person("Ana Ruiz", "ana@example.com", ["EM"])
        number = store.declare("Search is slow", ic_email="ana@example.com").number
        deliver_pending(store, settings)
        app = IctuiApp(LazyStore(path, settings.policy), settings, cursor_blink=False, pace_interpreter=True)
        sent = 0
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(1.0)
            watch = LoopWatch()
            watch.start()

            async def update() -> None:
                nonlocal sent
                sent += 1
                await pilot.press("c")
                await pilot.pause()
                app.screen.query_one("#composer-text", TextArea).text = f"update {sent}"
                await pilot.press("ctrl+s")
                await _until(lambda: any(u.text == f"update {sent}" for u in store.updates(number)))
                await pilot.press("escape")

            async def note() -> None:
                await pilot.press("n", *"a note while slack misbehaves", "enter")
                await pilot.press("escape")

            def delivered() -> bool:
                return all(u.state is UpdateState.SENT for u in store.updates(number))

            fake.rate_limit_every = 3
            await update()
            await _busy(pilot, phases["rate_limits"], note)
            fake.rate_limit_every = 0
            fake.server_error_next(4, status=503)
            await update()
            await _busy(pilot, phases["server_errors"], note)
            fake.delay = 5.0
            await update()
            await _busy(pilot, phases["slow"], note)
            fake.delay = 0
            await asyncio.to_thread(fake.go_down)
            await update()
            await _busy(pilot, phases["down"], note)
            await asyncio.to_thread(fake.come_back)
            await _until(delivered)
            result = await watch.stop()
        store.close()
    fake.stop()
    return result


async def baseline_run(seconds: float) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Input, Log

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(id="table")
            yield Input(id="line")
            yield Log(id="log")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("#", "severity", "status", "title")
            table.add_rows([(str(n), "SEV3", "closed", f"Incident {n}") for n in range(10_000)])

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.query_one(Log).write_line(event.value)
            event.input.value = ""

    app = Baseline()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        watch = LoopWatch()
        watch.start()
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            app.query_one(Input).focus()
            await pilot.press(*"a note while slack misbehaves", "enter")
            app.query_one(DataTable).focus()
            for key in ["down", "down", "up", "up", "tab", "shift+tab"]:
                await pilot.press(key)
                await asyncio.sleep(0.5)
        return await watch.stop()


def _child(which: str, phases: dict[str, float]) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.loop_hold", "--child", which, "--phases", json.dumps(phases)]
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {which} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(quick: bool, runs: int | None = None) -> dict[str, Any]:
    """Baseline and ictui runs, alternating, each a fresh process; the worst hold of each."""
    phases = QUICK_PHASES if quick else PHASES
    runs = runs or (1 if quick else 2)
    ours, base = [], []
    for _ in range(runs):
        base.append(_child("baseline", phases))
        ours.append(_child("ictui", phases))
        print(f"  baseline {base[-1]}, ictui {ours[-1]}", flush=True)
    worst = {k: max(r[k] for r in ours) for k in ("hold_ms", "hold_gc_ms")}
    worst_base = {k: max(r[k] for r in base) for k in ("hold_ms", "hold_gc_ms")}
    return {
        "phases_s": phases,
        "runs": {"ictui": ours, "baseline": base},
        "ictui": worst,
        "baseline": worst_base,
        "ratio_gc": round(worst["hold_gc_ms"] / max(worst_base["hold_gc_ms"], 0.1), 2),
        "ratio": round(worst["hold_ms"] / max(worst_base["hold_ms"], 0.1), 2),
    }


def markdown(result: dict[str, Any]) -> str:
    ours, base = result["ictui"], result["baseline"]
    return (
        f"Event loop held at most while Slack misbehaves ({sum(result['phases_s'].values()):.0f} s of work, "
        f"{len(result['runs']['ictui'])} run(s) of each app, the worst):\n\n"
        "| | ictui | bare Textual app | Ratio |\n|---|---|---|---|\n"
        f"| garbage collections in | {ours['hold_gc_ms']:.0f} ms | {base['hold_gc_ms']:.0f} ms | {result['ratio_gc']:.2f}× |\n"
        f"| the app's own work | {ours['hold_ms']:.0f} ms | {base['hold_ms']:.0f} ms | {result['ratio']:.2f}× |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loop_hold", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run of each, shorter phases")
    parser.add_argument("--runs", type=int, help="runs of each app (2)")
    parser.add_argument("--out", type=Path, help="write the result here as JSON")
    parser.add_argument("--child", choices=("ictui", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--phases", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        phases = json.loads(args.phases)
        run = ictui_run(phases) if args.child == "ictui" else baseline_run(sum(phases.values()) + 4)
        print(json.dumps(asyncio.run(run)))
        return 0
    print(f"event loop hold while Slack misbehaves; machine {machine()}", flush=True)
    result = {
        "command": "python -m bench.loop_hold" + (" --quick" if args.quick else ""),
        **measure(args.quick, args.runs),
    }
    print(markdown(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
