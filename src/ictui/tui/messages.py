"""What the app and its screens say to each other, and what screens may ask of the app.

The app tells screens through messages (the database opened, the list read before it,
someone wrote to the database, what the Slack loop's last run did); a screen that shows it handles it, the others let
it go. Screens ask the app for its services through :class:`AppServices` (``services``),
never through the app's class: no screen imports ``tui/app.py``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from textual.message import Message

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ictui.config import Settings
    from ictui.domain.outbox import DeliveryReport
    from ictui.domain.views import IncidentRow
    from ictui.paging.delivery import PagingReport as PagesSent
    from ictui.store.interface import StoreAPI
    from ictui.tui.loads import InOrder
    from ictui.tui.typeahead import TypeAhead


@dataclass(frozen=True)
class Peeked:
    """The incident list read before the store opened, for the cockpit to show.

    ``painted`` is to be set once it is on screen (the store's opening waits for it);
    ``revision`` is the database's when every incident was read, None for the newest
    screenful only.
    """

    rows: list[IncidentRow]
    painted: threading.Event
    revision: int | None


class AppServices(Protocol):
    """What a screen needs from the app (``IctuiApp`` provides it)."""

    @property
    def store(self) -> StoreAPI | None:
        """The database, once open (None before)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def typeahead(self) -> TypeAhead:
        """The keys typed ahead, held while a form a key opens is on its way."""

    @property
    def writes(self) -> InOrder:
        """Every write the IC asks for, one at a time, in the order asked."""

    def escalations_seen(self) -> None:
        """The IC opened the escalation channel's reports: none is new any more."""

    def cockpit_ready(self) -> None:
        """The cockpit shows the database: the keys typed while it opened go on."""

    def deliver_outbox(self) -> None:
        """Something was queued for Slack: send it now when Slack is configured."""

    def deliver_pages(self) -> None:
        """A page was queued: send it now."""

    def take_peeked(self) -> Peeked | None:
        """The list read before the store opened, once."""

    def pace_interpreter(self) -> None:
        """What is alive now is left out of later garbage collections."""


def services(node: DOMNode) -> AppServices:
    """The app ``node`` runs in, as the services it offers screens."""
    return cast("AppServices", node.app)


# ---------------------------------------------------------------------- app to screens


class StoreReady(Message):
    """The database is open: screens may load (posted to the screen on top)."""


class KeysHeld(Message, bubble=False):
    """``count`` keys typed ahead wait for what is on its way (0: none wait)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class ListPeeked(Message, bubble=False):
    """The list read before the store opened is waiting (``AppServices.take_peeked``)."""


class DatabaseChanged(Message, bubble=False):
    """Someone wrote to the database (posted to every screen in the stack, once per new
    ``revision``: tui/changes.py): a screen showing an older revision reads again."""

    def __init__(self, revision: int) -> None:
        super().__init__()
        self.revision = revision


class SlackRun(Message, bubble=False):
    """What the Slack loop's last run did (posted to every screen): ``report`` when it
    delivered or tried to, ``error`` what it met ("" once a run went through)."""

    def __init__(self, report: DeliveryReport | None, error: str) -> None:
        super().__init__()
        self.report = report
        self.error = error


# ---------------------------------------------------------------------- to the app


class NewReports(Message, bubble=False):
    """Reports that arrived in the escalation channel since the IC last opened ``E``."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class EscalationArrived(Message):
    """Someone just wrote in the escalation channel (Socket Mode, from the Slack thread)."""

    def __init__(self, author: str, text: str) -> None:
        super().__init__()
        self.author = author
        self.text = text


class SlackReport(Message):
    """A delivery run finished (posted to the app from the Slack thread)."""

    def __init__(self, report: DeliveryReport | None, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error


class PagingReport(Message):
    """A paging run finished (posted to the app from the paging thread)."""

    def __init__(self, report: PagesSent | None, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error
