"""One measured process, started fresh in a pseudo-terminal by the benchmark.

    python -m bench.child baseline
    python -m bench.child baseline-interact DB  # the yardsticks of the keys (bench.baseline)
    python -m bench.child baseline-form         # ... and of the forms' openings
    python -m bench.child start DB        # ictui, through its real command line
    python -m bench.child interact DB     # the same, then the IC's keys (bench.script)
    python -m bench.child form DB KEY     # the same, then one form opened and closed (bench.forms)
    python -m bench.child typeahead DB KEY  # the same, then the form's key and letters at once
    python -m bench.child first-write DB KIND  # the same, then one write (bench.first_write_scenario)
    python -m bench.child baseline-first-write form|note  # ... and its yardstick

The app runs with Textual's real terminal driver, so every frame is turned into escape
codes and written, as on a desk. What was measured goes to the JSON file named by
$BENCH_RESULT; the keys of ``interact`` are typed into the terminal's input through the
file descriptor $BENCH_KEYS_FD.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

from bench.probe import PROBE, install_frame_hook

result: dict[str, Any] = {}


def baseline() -> int:
    """The yardstick: the smallest Textual app with a table, painted once."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("#", "Severity", "Status", "Title", "IC")
            table.add_rows(
                (f"#{n}", "SEV3", "investigating", f"Incident number {n}", "Ana Ruiz")
                for n in range(50, 0, -1)
            )

    def painted(app: App[None]) -> None:
        if "first_frame" not in result:
            result["first_frame"] = PROBE.first_frame
            result["list_populated"] = PROBE.first_frame  # the table is in its first frame
            app.exit()

    install_frame_hook()
    PROBE.on_frame = painted
    Baseline().run()
    return 0


def ictui(db: str, mode: str = "start", form: str = "") -> int:
    """ictui's cockpit, started the way ``ictui --db DB`` starts it."""
    from bench.probe import install_line_list_hook

    install_frame_hook()
    install_line_list_hook()
    if os.environ.get("BENCH_PHASES"):  # python -m bench.phases
        from bench.phases import install

        install()

    def painted(app: Any) -> None:
        drawn = PROBE.shows("incident-list")
        if "list_populated" in result or drawn is None or drawn.count == 0:
            return
        result["first_frame"] = PROBE.first_frame
        result["list_populated"] = PROBE.last_frame
        if mode == "start":
            app.exit()
            return
        import asyncio

        keys_fd = int(os.environ["BENCH_KEYS_FD"])
        if mode == "interact":
            from bench.script import run_script

            script = run_script(app, keys_fd, result)
        elif mode == "first-write":
            from bench.first_write_scenario import run_first_write

            script = run_first_write(app, keys_fd, result, form)
        else:
            from bench.forms import run_forms

            script = run_forms(app, keys_fd, result, form, typeahead=mode == "typeahead")
        asyncio.get_running_loop().create_task(script)

    PROBE.on_frame = painted
    from ictui.cli.main import main

    return main(["--db", db])


def run(argv: list[str]) -> int:
    mode = argv[0]
    profile_to = os.environ.get("BENCH_PROFILE")
    if profile_to:  # where the event loop's time goes: BENCH_PROFILE=FILE python -m bench
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if mode == "baseline":
        code = baseline()
    elif mode in ("baseline-interact", "baseline-form", "baseline-first-write"):
        from bench.baseline import run as run_baseline

        code = run_baseline(mode, result, argv[1] if len(argv) > 1 else "")
    elif mode in ("start", "interact"):
        code = ictui(argv[1], mode)
    elif mode in ("form", "typeahead", "first-write"):
        code = ictui(argv[1], mode, argv[2])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    if profile_to:
        profiler.disable()
        profiler.dump_stats(profile_to)
    result["exit_code"] = code
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(os.environ["BENCH_RESULT"], "w", encoding="utf-8") as out:
        json.dump(result, out)
    return code


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
