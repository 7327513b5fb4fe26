"""Every form and screen the cockpit opens, timed from its key to the frame that shows it.

Runs inside a measured process (``bench.child form DB NAME`` or ``typeahead DB NAME``),
once the list is on screen and the newest incident (5,000 entries) drawn. Each process
opens ONE form: its first opening there is the cold figure (the form's modules, its CSS,
its first read all paid by that key), whatever form the benchmark timed before it in
another process. The form is closed again with ``escape``, and opened ``WARM_OPENS``
more times: the warm figure is their median.

"Visible" is read off the terminal, as the IC reads it: the first frame written whose
characters show the form's own texts (its title and its last line, bench.screen_text),
so a form counts as open when it is drawn, not when it is mounted.

Type-ahead: for the forms whose first field takes text, the key and the letters after
it are written to the terminal in one go, at machine speed, while the form is still to
be imported, read and mounted; once it shows, its field must hold exactly those letters
(the letters are cockpit keys too: one that slipped past would open something else).
"""

from __future__ import annotations

import asyncio
import difflib
import os
import statistics
import time
import traceback
from dataclasses import dataclass
from typing import Any

from bench.probe import PROBE
from bench.screen_text import ScreenText
from bench.script import ENTER, ESCAPE, LOOK, Scenario, ScenarioFailed

WARM_OPENS = 3
# Where the first opening's time goes (python -m bench.phases), never in python -m bench.
PHASES_WANTED = bool(os.environ.get("BENCH_PHASES"))
# Cockpit keys, all of them (d, i, s, o: declare... roles, status, outbox): any that
# reached the cockpit instead of the form would be seen.
TYPED = "disk io slow"


@dataclass(frozen=True)
class Opening:
    name: str  # the key, as docs/keys.md writes it
    label: str
    key: bytes
    shows: tuple[str, ...]  # all on screen: it is open; the first one gone: it is closed
    where: str = "list"  # list | timeline (an entry selected) | postmortem | review
    field: str | None = None  # the field typed into first (type-ahead), a CSS selector

    @property
    def slug(self) -> str:
        return {"?": "help", "/": "slash", "ctrl+p": "ctrl_p"}.get(self.name, self.name)


OPENINGS = (
    Opening(
        "D", "declare", b"D", ("Declare an incident", "ctrl+s declares · escape cancels"), field="#title"
    ),
    Opening("s", "status", b"s", (" → ?", "Why (optional)", "enter chooses · escape cancels")),
    Opening("v", "severity", b"v", (": severity ", "Why (optional)", "enter chooses · escape cancels")),
    Opening("i", "roles (assign)", b"i", ("Assign a role on #", "enter or ctrl+s assigns · escape cancels")),
    Opening("P", "people and teams", b"P", ("People and teams", "a adds a person · A a team")),
    Opening(
        "e", "edit a timeline entry", b"e", ("Edit timeline entry", 'times: "14:32", "-5m"'), where="timeline"
    ),
    Opening(
        "m",
        "key event of an entry",
        b"m",
        ("Mark this entry as", "enter chooses · escape cancels"),
        where="timeline",
    ),
    Opening("p", "post-mortem review", b"p", ("POST-MORTEM  #", "Action items"), where="postmortem"),
    Opening(
        "a",
        "action item (in the review)",
        b"a",
        ("ctrl+s saves · escape cancels · tab moves between fields",),
        where="review",
    ),
    Opening("g", "stats", b"g", ("ACROSS INCIDENTS", "Open action items by owner")),
    Opening("E", "escalations (no Slack: says so)", b"E", ("Slack is not configured", "Reports in")),
    Opening("o", "outbox", b"o", ("Slack outbox: what waits, and why", "r retries failed items")),
    Opening("?", "help", b"?", ("ictui keeps one record per incident", "shift+tab  Previous pane")),
    Opening("ctrl+p", "command palette", b"\x10", ("Search for commands…",)),
    Opening("n", "note line", b"n", ("Note (enter saves, stays open; escape closes)",), field="#note-input"),
    Opening("c", "update composer", b"c", ("Send update",)),
    Opening("/", "filter", b"/", ("Filter: text, sev1, sev:1,2, status:inv, active",), field="#filter"),
)
BY_NAME = {o.name: o for o in OPENINGS}
BY_SLUG = {o.slug: o for o in OPENINGS}
TYPEAHEAD = tuple(o for o in OPENINGS if o.field)


def opening(name: str) -> Opening:
    return BY_SLUG.get(name) or BY_NAME[name]


async def run_forms(app: Any, keys_fd: int, result: dict[str, Any], name: str, typeahead: bool) -> None:
    try:
        scenario = FormsScenario(app, keys_fd, opening(name))
        result.update(await (scenario.type_ahead() if typeahead else scenario.openings()))
    except Exception:  # noqa: BLE001 - reported to the parent, which stops the benchmark with it
        result["error"] = traceback.format_exc()
        if PROBE.screen is not None:
            result["error"] += "\nThe screen showed:\n" + PROBE.screen.dump()
    finally:
        app.exit()


class FormsScenario(Scenario):
    def __init__(self, app: Any, keys_fd: int, form: Opening) -> None:
        super().__init__(app, keys_fd)
        self.form = form

    def showing(self) -> bool:
        return PROBE.screen.shows(*self.form.shows)

    async def quiet(self) -> None:
        """No key waiting or being handled, no worker running, then a short pause."""
        await self.until(lambda: self.app.typeahead.idle, "the keys to be handled")
        await self.settle()

    async def ready(self) -> None:
        """The cockpit as an IC finds it, then what this form is opened from."""
        await self.until(lambda: self.app.store is not None and self.screen._revision >= 0, "the whole list")
        # Every row (a list that holds them all) or the window read (a paged list).
        rows = getattr(self.incidents, "_rows", None) or list(self.incidents.window.rows)
        await self.incident_drawn(rows[0].number)
        await self.settle()
        PROBE.screen = ScreenText()
        self.app.screen.refresh()  # a whole frame for the text grid to start from
        await self.quiet()
        where = self.form.where
        if where == "timeline":
            self.press(ENTER)
            await self.until(lambda: self.app.focused is self.timeline, "the timeline to have focus")
        elif where in ("postmortem", "review"):
            # An incident that has a post-mortem: the newest resolved or closed one.
            from ictui.domain.enums import Status

            index = next(i for i, row in enumerate(rows) if row.status in (Status.RESOLVED, Status.CLOSED))
            for _ in range(index):
                self.press(b"j")
                await asyncio.sleep(0.05)
            await self.incident_drawn(rows[index].number)
            await self.quiet()
            await asyncio.sleep(LOOK)
            if where == "review":
                self.press(b"p")
                await self.until(
                    lambda: getattr(self.app.screen, "view", None) is not None, "the post-mortem to be read"
                )
        await self.quiet()
        self.base = self.app.screen

    async def open(self) -> float:
        return await self.timed(self.form.key, self.showing, f"the {self.form.label}")

    async def close(self) -> None:
        await self.quiet()
        self.press(ESCAPE)
        await self.until(
            lambda: self.app.screen is self.base and not PROBE.screen.shows(self.form.shows[0]),
            f"the {self.form.label} to close",
        )
        await self.quiet()
        await asyncio.sleep(LOOK)

    # ------------------------------------------------------------------ the two runs

    async def openings(self) -> dict[str, Any]:
        from bench.phases import PHASES

        await self.ready()
        PHASES.on, PHASES.key_at = PHASES_WANTED, time.monotonic()
        cold = await self.open()
        PHASES.on = False
        await self.close()
        cold_events, PHASES.events = PHASES.events, []
        warm = []
        for _ in range(WARM_OPENS):
            PHASES.on, PHASES.key_at = PHASES_WANTED and not warm, time.monotonic()
            warm.append(await self.open())
            PHASES.on = False
            await self.close()
        phases = {"phases": cold_events, "phases_warm": PHASES.events} if PHASES_WANTED else {}
        return {"form": self.form.name, "cold_ms": cold, "warm_ms": warm, **phases}

    async def type_ahead(self) -> dict[str, Any]:
        """The key and ``TYPED`` at once, cold then warm: what the field holds once open."""
        await self.ready()
        tries = []
        for attempt in ("cold", "warm"):
            started = self.press(self.form.key + TYPED.encode())
            try:
                # The letters may come in the very frame that opens it: a field that holds
                # them shows them, not its placeholder.
                await self.until(
                    lambda: self.showing() or PROBE.screen.shows(TYPED),
                    f"the {self.form.label}",
                    timeout=10.0,
                )
                shown_ms = (time.monotonic() - started) * 1000
                await self.quiet()
                field = self.app.screen.query_one(self.form.field)
                value = field.value
            except (ScenarioFailed, LookupError):
                value, shown_ms = None, None
            arrived = 0 if value is None else _arrived(TYPED, value)
            tries.append(
                {
                    "attempt": attempt,
                    "typed": TYPED,
                    "field": value,
                    "arrived": arrived,
                    "screen": type(self.app.screen).__name__,
                    "focused": type(self.app.focused).__name__ if self.app.focused else None,
                    "shown_ms": shown_ms,
                }
            )
            if value is None:
                tries[-1]["showed"] = PROBE.screen.dump()
                break
            field.value = ""  # the note line stays open while it holds text
            await self.close()
        return {"form": self.form.name, "typeahead": tries}


def _arrived(typed: str, value: str) -> int:
    """How many of the typed characters the field holds, in their order."""
    return sum(block.size for block in difflib.SequenceMatcher(None, typed, value).get_matching_blocks())


def warm_median(result: dict[str, Any]) -> float:
    return statistics.median(result["warm_ms"])
