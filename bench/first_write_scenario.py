"""Inside a measured process (``bench.child first-write DB KIND``): ONE write of the
cockpit's, timed from its last key to the first frame that shows it where it belongs.

Runs once the whole list and the newest incident are on screen and the cockpit is idle
(bench.first_writes says what each kind types). "Shows" is read off the terminal's
characters (bench.screen_text) inside the region of the widget that shows the write (the
header, the list, the timeline): a toast saying the same words does not count.
"""

from __future__ import annotations

import asyncio
import resource
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench.first_writes import BY_NAME, CTRL_S, DOWN_ARROW, USER, Kind
from bench.probe import PROBE
from bench.screen_text import ScreenText
from bench.script import ENTER, LOOK, Scenario, ScenarioFailed, _listed


def _peak_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def region_lines(region: Any) -> list[str]:
    """The terminal's characters inside ``region`` (a Textual Region), line by line."""
    lines = PROBE.screen.text()
    return [line[region.x : region.x + region.width] for line in lines[region.y : region.y + region.height]]


def region_shows(region: Any, *texts: str) -> bool:
    """Whether one line inside ``region`` holds every one of ``texts``."""
    return any(all(text in line for text in texts) for line in region_lines(region))


# ---------------------------------------------------------------------- in the measured process


async def run_first_write(app: Any, keys_fd: int, result: dict[str, Any], kind: str) -> None:
    try:
        result.update(await FirstWrite(app, keys_fd, BY_NAME[kind]).run())
    except Exception:  # noqa: BLE001 - reported to the parent, which stops the benchmark with it
        result["error"] = traceback.format_exc()
        if PROBE.screen is not None:
            result["error"] += "\nThe screen showed:\n" + PROBE.screen.dump()
            truth = ScreenText()
            truth.fill_from(app.screen)
            result["error"] += "\nComposed:\n" + truth.dump()
    finally:
        app.exit()


class FirstWrite(Scenario):
    def __init__(self, app: Any, keys_fd: int, kind: Kind) -> None:
        super().__init__(app, keys_fd)
        self.kind = kind
        self.tag = f"{kind.name} {time.time_ns() % 1_000_000:06d}"  # a text no other run wrote

    def region(self, selector: str) -> Any:
        return self.screen.query_one(selector).region

    async def quiet(self) -> None:
        await self.until(lambda: self.app.typeahead.idle, "the keys to be handled")
        await self.settle()

    async def ready(self) -> int:
        """The cockpit as an IC finds it: the whole list, the newest incident drawn, idle."""
        await self.until(lambda: self.app.store is not None and self.screen._revision >= 0, "the whole list")
        number = _listed(self.incidents)[0].number
        await self.incident_drawn(number)
        await self.quiet()
        await asyncio.sleep(LOOK)
        PROBE.screen = ScreenText()
        PROBE.screen.fill_from(self.app.screen)  # idle: what the terminal shows
        return number

    async def run(self) -> dict[str, Any]:
        started = time.monotonic()
        number = await self.ready()
        ready_s = time.monotonic() - started
        write = getattr(self, f"_{self.kind.name}")
        done: dict[str, Any] = await write(number)
        shown_at = time.monotonic()
        peak_after = _peak_kb()
        await self.quiet()
        return {
            "kind": self.kind.name,
            "number": number,
            "ready_s": round(ready_s, 3),
            "peak_before_kb": done.pop("peak_before_kb"),
            "peak_after_kb": peak_after,
            "peak_settled_kb": _peak_kb(),
            "settled_after_ms": round((time.monotonic() - shown_at) * 1000, 1),
            **done,
        }

    async def _final(self, key: bytes, shown: Callable[[], bool], what: str) -> dict[str, Any]:
        """The last key timed until ``shown``; a question asked first is answered ``y``."""
        from ictui.tui.screens.forms import ConfirmModal

        await asyncio.sleep(0.05)
        peak_before = _peak_kb()
        started = self.press(key)
        try:
            painted = await PROBE.painted(lambda: shown() or isinstance(self.app.screen, ConfirmModal), 30.0)
        except TimeoutError:
            raise ScenarioFailed(f"no frame showed {what} within 30 s") from None
        asked = None
        if not shown():  # a question first
            asked = PROBE.screen.dump()
            await asyncio.sleep(0.05)
            started = self.press(b"y")
            try:
                painted = await PROBE.painted(shown, 30.0)
            except TimeoutError:
                raise ScenarioFailed(f"no frame showed {what} within 30 s of y") from None
        return {"ms": (painted - started) * 1000, "asked": asked, "peak_before_kb": peak_before}

    async def _type(self, text: str, field: Any) -> None:
        self.press(text.encode())
        await self.until(lambda: field.value == text, "the text to be typed")

    # ------------------------------------------------------------------ the five writes

    async def _declare(self, _number: int) -> dict[str, Any]:
        title = f"bench first {self.tag}"
        self.press(b"D")
        await self.until(lambda: PROBE.screen.shows("Declare an incident"), "the declare form")
        await self.quiet()
        await self._type(title, self.app.screen.query_one("#title"))
        header, listed = self.region("#incident-header"), self.region("#incident-list")
        done = await self._final(
            CTRL_S,
            # The list's title column is narrow: it shows the start of the title.
            lambda: region_shows(header, title) and region_shows(listed, title[:16]),
            "the new incident in the list and the header",
        )
        return {**done, "expect": {"title": title}}

    async def _status(self, number: int) -> dict[str, Any]:
        from ictui.domain.lifecycle import next_forward

        current = self.screen.state.view.status
        new = next_forward(current)
        if new is None:
            raise ScenarioFailed(f"#{number} is {current}: no status forward")
        self.press(b"s")
        await self.until(lambda: PROBE.screen.shows(f"#{number}: {current} → ?"), "the status menu")
        await self.quiet()
        header = self.region("#incident-header")
        done = await self._final(
            ENTER,
            lambda: (
                not PROBE.screen.shows(" → ?") and region_shows(header, f" {new} · ") and self._header(number)
            ),
            f"{new} in the header",
        )
        return {**done, "expect": {"number": number, "status": str(new)}}

    def _header(self, number: int) -> bool:
        return region_shows(self.region("#incident-header"), f"#{number} ")

    async def _role(self, number: int) -> dict[str, Any]:
        view = self.screen.state.view
        current = view.ic.email if view.ic else None
        self.press(b"i")
        await self.until(lambda: PROBE.screen.shows(f"Assign a role on #{number}"), "the roles form")
        await self.quiet()
        form = self.app.screen
        people = form.query_one("#person")
        for _ in range(len(form.people) + len(form.suggestions) + 1):
            option = people.highlighted_option
            if option is not None and option.id != current:
                break
            self.press(DOWN_ARROW)
            await asyncio.sleep(0.03)
            await self.quiet()
        else:
            raise ScenarioFailed("no one on the roster but the IC")
        email = option.id
        name = next(p.name for p in (*form.people, *(p for p, _ in form.suggestions)) if p.email == email)
        header = self.region("#incident-header")
        done = await self._final(
            ENTER,
            lambda: (
                not PROBE.screen.shows("Assign a role on #")
                and region_shows(header, f"IC {name} · ")
                and self._header(number)
            ),
            f"IC {name} in the header",
        )
        return {**done, "expect": {"number": number, "email": email, "role": "IC"}}

    async def _update(self, number: int) -> dict[str, Any]:
        composer = self.screen.query_one("#composer")
        self.press(b"c")
        await self.until(
            lambda: self.app.focused is not None and composer in self.app.focused.ancestors_with_self,
            "the composer to have focus",
        )
        await self.quiet()
        first = composer.text.strip().partition("\n")[0].strip()
        timeline = self.region("#timeline")
        before = self.drawn("timeline").count
        done = await self._final(
            CTRL_S,
            lambda: (
                self.drawn("timeline").count == before + 1 and region_shows(timeline, "✉", USER, first[:20])
            ),
            "the update in the timeline",
        )
        return {**done, "expect": {"number": number, "first_line": first}}

    async def _note(self, number: int) -> dict[str, Any]:
        shown_as = f"bench first {self.tag}"  # what a narrow timeline still shows of it
        text = f"{shown_as}: checked the dashboards"
        note = self.screen.query_one("#note-input")
        self.press(b"n")
        await self.until(lambda: self.app.focused is note, "the note line to open")
        await self.quiet()
        await self._type(text, note)
        timeline = self.region("#timeline")
        before = self.drawn("timeline").count
        done = await self._final(
            ENTER,
            lambda: (
                self.drawn("timeline").count == before + 1 and region_shows(timeline, "✎", USER, shown_as)
            ),
            "the note in the timeline",
        )
        return {**done, "expect": {"number": number, "text": text}}
