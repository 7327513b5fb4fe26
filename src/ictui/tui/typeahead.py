"""Type-ahead: every key goes where the IC meant it, however fast it comes.

Textual routes a key to the focused widget and moves on to the next key at once, before
the first one has been handled: `n` (open the note line) followed at typing speed by
`note one` sent the letters to the incident list, where they were commands, because the
note line took the focus only when `n` reached the screen's binding. And a form pushed
after a read in a thread, or still mounting, let the next keys reach the screen under it.

Here a key is routed only once the one before it has been handled all the way up: a
:class:`KeyDone` marker is posted behind each key to the same widget and bubbles up the
same way, so it reaches the app after every handler and binding of that key has run.
A second marker then makes the same trip behind what those handlers posted in turn (an
input's Submitted, a line's Closed, the focus moved by an action), so that the next key
finds the focus where the key before it put it.
Keys also wait while something a key asked for is on its way (a screen being mounted, an
incident being read before its form can open, the database being opened, a form's answer
being written until its effect is on screen): :meth:`TypeAhead.hold`. They then go, in
the order typed, to whatever has the focus, so that each acts on what the IC would have
seen had the cockpit been instant. A hold that is never released lets go by itself (a
lost release must not lock the keyboard), and then the keys held behind it are dropped
and the IC told how many: they were typed for what never came, and applied to the
screen as it is they would act where the IC did not mean (letters of a note read as the
list's commands). So does a hold whose keys lost their meaning when it ends (a declare
that failed: the note typed after it was meant for the new incident).

Nothing here depends on how fast the machine is: a hold lasts until what it waits for
has happened, however long that takes on a loaded laptop, up to a deadline for "never";
a key's marker is waited for while the widget it went to is there, and given up on only
after the event loop has turned several times without it (a stalled loop counts once).

While keys wait behind a hold, ``on_held`` is told how many (a marker on screen).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.timer import Timer


# A deadline for "never" (a lost release), not a speed: a form or an incident that takes
# longer than this to come on a loaded machine still gets its keys before it.
HOLD_SECONDS = 30.0
# A key whose marker was lost (the widget it went to was removed while handling it). The
# watchdog looks every KEY_SECONDS / LOST_TICKS and gives up after LOST_TICKS looks in a
# row: a loop stalled for seconds (a loaded machine, a collection) counts as one look,
# since routing the next key early is the very thing this module prevents.
KEY_SECONDS = 2.0
LOST_TICKS = 4
# Marker trips behind a key: the key itself, then what its handlers posted.
TRIPS = 2
# A write that holds the keys until its effect is on screen: long enough for a slow
# server, after which the keys typed behind it are dropped (they were meant for a screen
# that never came), never applied to the old one.
WRITE_HOLD_SECONDS = 60.0


class KeyDone(Message):
    """Posted behind a key, to the widget the key went to: it bubbles up after the key."""

    def __init__(self, serial: int, trip: int = 1) -> None:
        super().__init__()
        self.serial = serial
        self.trip = trip


class TypeAhead:
    """Holds keys and pastes while the previous one is being handled or a hold is on."""

    def __init__(
        self,
        app: App,
        dispatch: Callable[[events.Event], Awaitable[None]],
        on_held: Callable[[int], object] | None = None,
    ) -> None:
        self._app = app
        self._dispatch = dispatch
        self._on_held = on_held
        self._shown_held = 0
        self._waiting: deque[events.Event] = deque()
        self._holds: dict[object, Timer | None] = {}
        # The key being handled (its serial), or 0 when none is.
        self._in_flight = 0
        self._serial = 0
        # The watchdog's looks at the key in flight without its marker (see LOST_TICKS);
        # one watchdog for all keys (a timer made and cancelled for every key cost the
        # event loop a task each).
        self._looks = 0
        self._watchdog: Timer | None = None
        # Keys whose marker was given up on (the keys after them went on unmarked).
        self.given_up = 0
        self._target: MessagePump | None = None
        self._pumping = False

    @property
    def idle(self) -> bool:
        """No key waits or is being handled, and nothing holds them."""
        return not (self._waiting or self._holds or self._in_flight or self._pumping)

    # ------------------------------------------------------------------ holds

    def hold(
        self,
        reason: object,
        seconds: float | None = HOLD_SECONDS,
        on_expiry: Callable[[], object] | None = None,
        what: str = "The cockpit did not answer in time",
    ) -> None:
        """Keys wait until :meth:`release` is called with the same ``reason``, or ``seconds``
        have passed: then ``on_expiry`` runs (what the keys waited for is given up), and
        the keys waiting are dropped and said (``what``: why), never
        applied to a screen they were not typed for. ``seconds=None``: no time limit (the
        database opening: the app ends if it fails)."""
        previous = self._holds.pop(reason, None)
        if previous is not None:
            previous.stop()
        if seconds is None:
            self._holds[reason] = None
            return

        def expired() -> None:
            if reason not in self._holds:
                return
            if on_expiry is not None:
                on_expiry()
            self.drop_after(reason, what)

        self._holds[reason] = self._app.set_timer(seconds, expired, name="typeahead hold")

    def hold_for_write(self, reason: object, what: str) -> None:
        """Keys wait until the write ``what`` is on screen (:meth:`release`), or give up
        after WRITE_HOLD_SECONDS: the keys typed behind it are then dropped, and said."""

        self.hold(reason, WRITE_HOLD_SECONDS, what=f"{what[:1].upper()}{what[1:]} is taking too long")

    def drop_after(self, reason: object, why: str) -> None:
        """End the hold ``reason`` dropping the keys typed behind it: ``why`` says so."""
        dropped = self.release(reason, drop_waiting=True)
        if dropped:
            keys = "1 key" if dropped == 1 else f"{dropped} keys"
            self._app.notify(
                f"{why}: the {keys} typed after it were not applied", severity="warning", timeout=8
            )

    def release(self, reason: object, *, drop_waiting: bool = False) -> int:
        """End the hold ``reason``; with ``drop_waiting``, the keys waiting are dropped
        (what they were typed for did not happen). Returns how many were dropped."""
        if reason not in self._holds:
            self._tell_held()
            return 0
        timer = self._holds.pop(reason)
        if timer is not None:
            timer.stop()
        dropped = 0
        if drop_waiting:
            dropped = len(self._waiting)
            self._waiting.clear()
        self._pump()
        self._tell_held()
        return dropped

    def held(self, reason: object) -> bool:
        return reason in self._holds

    @property
    def held_count(self) -> int:
        """Keys waiting behind a hold now (what the marker shows)."""
        return self._shown_held

    @property
    def waiting(self) -> int:
        """Keys typed and not yet routed."""
        return len(self._waiting)

    def _tell_held(self) -> None:
        """The marker: how many keys wait behind a hold (0: none, or nothing holds them)."""
        count = len(self._waiting) if self._holds else 0
        if count != self._shown_held and self._on_held is not None:
            self._shown_held = count
            self._on_held(count)

    # ------------------------------------------------------------------ keys

    async def take(self, event: events.Event) -> None:
        """A key or a paste from the terminal: routed now, or after the ones before it."""
        if isinstance(event, events.Key) and (escaped := escape_then_key(event)) is not None:
            for key in escaped:
                await self.take(key)
            return
        if not self.idle:
            self._waiting.append(event)
            if self._holds:
                self._tell_held()
            return
        await self._route(event)

    async def _route(self, event: events.Event) -> None:
        await self._dispatch(event)
        if not event.is_forwarded:
            return  # a priority binding took it, on the app: nothing more will happen to it
        self._serial += 1
        self._in_flight = self._serial
        self._target = self._app.focused or self._app.screen
        if not self._target.post_message(KeyDone(self._serial)):
            self._key_done(self._serial)
            return
        self._looks = 0
        if self._watchdog is None:
            self._watchdog = self._app.set_interval(
                KEY_SECONDS / LOST_TICKS, self._lost_marker, name="typeahead watchdog"
            )

    def _lost_marker(self) -> None:
        """A key whose widget is gone, or whose marker LOST_TICKS looks in a row did not
        see come back, lost it: the keys after it go on."""
        if not self._in_flight:
            return
        self._looks += 1
        target = self._target
        if self._looks >= LOST_TICKS or target is None or not target.is_attached:
            self.given_up += 1
            self._key_done(self._in_flight)

    def key_done(self, message: KeyDone) -> None:
        """The app received a :class:`KeyDone`: the key (and what it set off) is handled."""
        message.stop()
        if message.serial != self._in_flight:
            return
        if (
            message.trip < TRIPS
            and self._target is not None
            and self._target.post_message(KeyDone(message.serial, message.trip + 1))
        ):
            return
        self._key_done(message.serial)

    def screen_changed(self) -> None:
        """A screen opened or closed: the key that did it is done (the screen holds the keys
        after it until it is ready; its marker may be dropped with the widget it went to)."""
        if self._in_flight:
            self._key_done(self._in_flight)

    def _key_done(self, serial: int) -> None:
        if serial != self._in_flight:
            return
        self._in_flight = 0
        self._target = None
        self._pump()

    def _pump(self) -> None:
        if self._pumping or self._in_flight or self._holds or not self._waiting:
            return
        # Marked at once: a key that comes before the next one has been routed waits too.
        self._pumping = True
        self._app.call_later(self._route_next)

    async def _route_next(self) -> None:
        self._pumping = False
        if self._in_flight or self._holds or not self._waiting:
            return
        event = self._waiting.popleft()
        self._tell_held()
        await self._route(event)
        if not self._in_flight:
            self._pump()


def escape_then_key(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """``escape`` and the key typed after it, if the terminal's parser made them one.

    A terminal sends alt+v as escape then v, so Textual reads escape followed by a key
    within 0.1 s as alt and that key: the IC who left the composer with escape and pressed
    `v` for the severity at once got a "v" typed into the update, and stayed in it. ictui
    binds no alt+letter, so alt and a printable character are split back into the two
    keys pressed (alt+backspace and alt+delete, which edit text, are left alone).
    """
    character = event.character
    if (
        not event.key.startswith("alt+")
        or character is None
        or len(character) != 1
        or not character.isprintable()
    ):
        return None
    name = event.key.removeprefix("alt+")
    if name.startswith("shift+") and character.isupper():
        name = character  # Textual names a capital by itself ("D"), shifted only with alt
    return events.Key("escape", "\x1b"), events.Key(name, character)
