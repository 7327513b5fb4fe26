"""Where a form's first opening goes: imports, thread reads, CSS, compose, the frame.

    python -m bench.phases                 # every form, once each, on the large database
    python -m bench.phases i o p           # some of them (keys as docs/keys.md writes them)

Not part of ``python -m bench``: the hooks below cost a little on every import, every
CSS parse and every thread worker, which the figures should not carry. Each form opens
once, cold, in its own fresh process (``bench.child form`` with $BENCH_PHASES set), then
again; what happened between its key and the frame that showed it is printed for both:

- ``imports``: modules imported for the first time (on the event loop, and in threads),
  the top-level ones with their time, nested imports included in them;
- ``reads``: thread workers (their description, from start to result), e.g. the people
  read before the assign form is pushed;
- ``css``: Textual parsing style sheets (a screen's CSS_PATH, widgets' DEFAULT_CSS seen
  the first time) and applying styles to the new widgets;
- ``push``: from the key to ``push_screen``, and from there to the screen composed, to
  the first frame that shows the form.
"""

from __future__ import annotations

import builtins
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Phases:
    on: bool = False
    key_at: float = 0.0
    events: list[dict[str, Any]] = field(default_factory=list)

    def record(self, kind: str, started: float, ended: float, **details: Any) -> None:
        if self.on:
            main = threading.current_thread() is threading.main_thread()
            self.events.append(
                {
                    "kind": kind,
                    "start_ms": (started - self.key_at) * 1000,
                    "ms": (ended - started) * 1000,
                    "thread": "loop" if main else "worker",
                    **details,
                }
            )


PHASES = Phases()
_depth = threading.local()


def install() -> None:
    """Timing hooks on imports, style sheets, screen pushes and compose, thread workers."""
    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    from ictui.tui.textual_compat import time_textual_internals

    original_import = builtins.__import__

    def timed_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if not PHASES.on:
            return original_import(name, *args, **kwargs)
        depth = getattr(_depth, "value", 0)
        before = len(sys.modules)
        _depth.value = depth + 1
        started = time.monotonic()
        try:
            return original_import(name, *args, **kwargs)
        finally:
            _depth.value = depth
            added = len(sys.modules) - before
            if depth == 0 and added:
                PHASES.record("import", started, time.monotonic(), module=name, new_modules=added)

    builtins.__import__ = timed_import

    def timing(cls: type, name: str, kind: str, detail: Any = None) -> None:
        method = getattr(cls, name)

        def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            try:
                return method(self, *args, **kwargs)
            finally:
                PHASES.record(
                    kind, started, time.monotonic(), **({"what": detail(self, args)} if detail else {})
                )

        setattr(cls, name, timed)

    timing(Stylesheet, "update_nodes", "css apply", lambda self, args: "nodes")
    timing(App, "push_screen", "push_screen", lambda self, args: type(args[0]).__name__ if args else "")
    # "css parse", "compose" and "thread read": inside Textual, through its private names.
    time_textual_internals(PHASES.record)


def summary(events: list[dict[str, Any]], shown_ms: float) -> str:
    """One form's cold opening, in words and milliseconds."""
    lines = [f"key → visible {shown_ms:.0f} ms"]
    pushes = [e for e in events if e["kind"] == "push_screen"]
    if pushes:
        lines.append(f"  key → push_screen({pushes[0]['what']}) at {pushes[0]['start_ms']:.0f} ms")
    for kind in ("import", "thread read", "css parse", "css apply", "compose"):
        chosen = [e for e in events if e["kind"] == kind]
        if not chosen:
            continue
        total = sum(e["ms"] for e in chosen)
        if kind == "import":
            for thread in ("loop", "worker"):
                mine = [e for e in chosen if e["thread"] == thread]
                if mine:
                    top = sorted(mine, key=lambda e: -e["ms"])[:4]
                    names = ", ".join(
                        f"{e['module']} {e['ms']:.0f} ms ({e['new_modules']} modules)" for e in top
                    )
                    lines.append(
                        f"  imports on the {'event loop' if thread == 'loop' else 'worker thread'}: "
                        f"{sum(e['ms'] for e in mine):.0f} ms: {names}"
                    )
        elif kind == "thread read":
            for e in chosen:
                lines.append(f"  thread worker '{e['what']}': {e['ms']:.0f} ms (from {e['start_ms']:.0f} ms)")
        else:
            lines.append(f"  {kind}: {total:.0f} ms in {len(chosen)} call{'s' if len(chosen) != 1 else ''}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import os
    from pathlib import Path

    from bench import dataset as ds
    from bench.forms import OPENINGS, opening
    from bench.terminal import run_child

    forms = [opening(name) for name in argv] or list(OPENINGS)
    data = ds.database(10_000, ds.default_cache())
    os.environ["BENCH_PHASES"] = "1"
    scratch = Path(tempfile.mkdtemp(prefix="ictui-phases-"))
    db = str(ds.scratch_copy(data, scratch))
    for form in forms:
        result = run_child(["form", db, form.slug], timeout=120).result
        if "error" in result:
            print(f"{form.name} ({form.label}): failed\n{result['error']}")
            continue
        print(f"{form.name} ({form.label}), first time: " + summary(result["phases"], result["cold_ms"]))
        print(
            "  later: " + summary(result["phases_warm"], result["warm_ms"][0]).replace("\n", "\n  "),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
