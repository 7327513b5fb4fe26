"""Driving the cockpit with Pilot: the app as `ictui` opens it, keys, waits, a roster."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import OptionList

from ictui.config import Settings, load_settings
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.store.lazy_server import ServerLazyStore
from ictui.tui.app import IctuiApp
from ictui.tui.textual_compat import screen_lines
from support.scenarios import settle


def make_app(store: Store) -> IctuiApp:
    # The store as `ictui` opens it (cli/context.py): every write but a note goes through
    # the lazy store's delegation to Store, on a file and on a server alike.
    opened = ServerLazyStore(store.server) if store.on_server else LazyStore(store.path)
    return IctuiApp(opened, load_settings(), cursor_blink=False)


def same_database(store: Store) -> Store:
    """Another process's store on the same database."""
    return Store(store.server if store.on_server else store.path)


def as_opened(store: Store, settings: Settings) -> LazyStore:
    """The same database as the cockpit opens it (`ictui`), beside the test's own Store."""
    return LazyStore(store.path, settings.policy)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def choose(pilot: Pilot, label: str) -> None:
    """Highlight the option whose text starts with ``label`` in the open choice modal."""
    options = pilot.app.screen.query_one(OptionList)
    for index in range(options.option_count):
        if str(options.get_option_at_index(index).prompt).strip().lstrip("★ ").startswith(label):
            options.highlighted = index
            break
    else:
        raise AssertionError(f"no option {label!r}")
    await pilot.press("enter")
    await settle(pilot)


async def wait_for(pilot: Pilot, condition: Callable[[], object], seconds: float = 10.0) -> None:
    """Poll the real thing (the database, the fake Slack) until it holds, bounded in time."""
    for _ in range(int(seconds / 0.1)):
        await settle(pilot)
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def shows_within(pilot: Pilot, seconds: float, check: Callable[[], bool]) -> bool:
    """Whether ``check`` comes true within ``seconds`` of the app running freely."""
    for _ in range(int(seconds / 0.1)):
        if check():
            return True
        await pilot.pause(0.1)
    return check()


def screen_text(app: IctuiApp) -> str:
    """What the terminal shows now, notifications included, as text."""
    return "\n".join(screen_lines(app.screen))
