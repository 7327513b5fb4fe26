"""What the rest of ictui may ask of the store: the declared interface.

:class:`ictui.store.api.Store` (everything on SQLAlchemy's connections) and
:class:`ictui.store.lazy.LazyStore` (the cockpit's everyday work on SQLite's own
connection, the rest on a Store opened when first needed) both provide it; the CLI, the
Slack gateway and the TUI hold a store as a :class:`StoreAPI`. Nothing here imports the
database layer: the cockpit imports this before its first frame.
tests/store/test_store_interface.py checks that both classes match it, method by method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ictui.domain.enums import ActionKind, ActionStatus, EntryKind, IncidentRole, KeyEvent, Severity, Status
from ictui.store.location import Server

if TYPE_CHECKING:
    from ictui.domain.incident_filter import IncidentFilter
    from ictui.domain.outbox import Delivered, OutboxItemView, OutboxSummary, OutboxWork, SlackStep
    from ictui.domain.paging import Engagement, PageState, PageView, PageWork, PagingHealth, PagingSummary
    from ictui.domain.policy import Policy
    from ictui.domain.review import ActionItemView, PostMortemView, StatsView
    from ictui.domain.roster import PersonRow, TeamRow
    from ictui.domain.search import SearchHit
    from ictui.domain.slack_light import OutboxHealth
    from ictui.domain.triage import TriageAnswers, TriageResult
    from ictui.domain.views import (
        EntryView,
        IncidentRow,
        IncidentView,
        ListWindow,
        PersonView,
        RosterChange,
        TeamView,
        UpdateView,
    )


@runtime_checkable
class StoreAPI(Protocol):
    """One database: incidents, the timeline and updates, post-mortems, the Slack outbox,
    people and teams. Each method is one transaction."""

    # The SQLite file, or the PostgreSQL server (its URL without the password when printed).
    path: Path | Server
    policy: Policy

    def action_items(self, number: int | None = None, *, open_only: bool = False) -> list[ActionItemView]:
        """One incident's action items, or every incident's, oldest incident first."""
        ...

    def add_action_item(
        self,
        number: int,
        title: str,
        owner: str = "",
        due_date: str = "",
        kind: ActionKind | str = ActionKind.FIX,
        ticket_key: str = "",
        ticket_url: str = "",
        description: str = "",
        status: ActionStatus | str = ActionStatus.OPEN,
        author: str = "",
    ) -> ActionItemView:
        """Record an action item (and say so on the timeline), created during the meeting."""
        ...

    def add_entry(
        self,
        number: int,
        text: str,
        *,
        at: datetime | None = None,
        author: str = "",
        kind: EntryKind = EntryKind.NOTE,
        key_event: KeyEvent | None = None,
        shared: bool = False,
    ) -> EntryView:
        """Commit a note; it is only returned (and shown as saved) once it is on disk."""
        ...

    def add_note(
        self,
        number: int,
        text: str,
        *,
        at: datetime | None = None,
        author: str = "",
        kind: EntryKind = EntryKind.NOTE,
    ) -> tuple[EntryView, int]:
        """Commit the note the IC types every minute, straight to SQLite (note_writes)."""
        ...

    def add_person(
        self,
        name: str,
        email: str,
        roles: list[str] | None = None,
        team: str | None = None,
        slack_user_id: str = "",
    ) -> int:
        """Add someone; a person removed earlier comes back with what is given now."""
        ...

    def add_team(
        self, name: str, components: list[str], slack_handle: str = "", pagerduty_key: str = ""
    ) -> int: ...

    def assign_role(self, number: int, role: IncidentRole, email: str, author: str = "") -> IncidentView: ...

    def backup(self, target: Path) -> None: ...

    def change_severity(
        self, number: int, new: Severity, author: str = "", reason: str = ""
    ) -> IncidentView: ...

    def change_status(self, number: int, new: Status, author: str = "", note: str = "") -> IncidentView: ...

    def close(self) -> None: ...

    def components(self) -> list[str]: ...

    def declare(
        self,
        title: str,
        *,
        severity: Severity = Severity.SEV3,
        summary: str = "",
        ic_email: str | None = None,
        author: str = "",
        status: Status = Status.INVESTIGATING,
        reported_at: datetime | None = None,
        components: list[str] | None = None,
        first_entry: tuple[str, str, str, str] | None = None,
        number: int | None = None,
        invite_owners: bool = False,
    ) -> IncidentView:
        """Open an incident (or, with ``status=triage``, a report still being judged)."""
        ...

    def delete_entry(self, entry_id: int, editor: str = "") -> EntryView:
        """Soft delete: the entry leaves the timeline but stays in the record (and can come back)."""
        ...

    def delivery_lock(self) -> AbstractContextManager[bool]:
        """Held by the one process delivering the outbox; yields False if another holds it."""
        ...

    def edit_entry(
        self,
        entry_id: int,
        *,
        text: str | None = None,
        at: datetime | None = None,
        editor: str = "",
        based_on: str | None = None,
    ) -> EntryView:
        """Change an entry's text or time; ``based_on``, the text the editor started from:
        if someone changed it since, EditConflict, and this text is kept as a new entry."""
        ...

    def edit_incident(
        self,
        number: int,
        *,
        title: str | None = None,
        summary: str | None = None,
        components: list[str] | None = None,
        owning_teams: list[str] | None = None,
        cadence_minutes: int | str | None = "keep",
    ) -> IncidentView: ...

    def edit_person(
        self,
        email: str,
        *,
        name: str | None = None,
        new_email: str | None = None,
        team: str | None = None,
        roles: list[str] | None = None,
        slack_user_id: str | None = None,
    ) -> PersonView:
        """Change what is given; ``team=""`` takes the person off their team."""
        ...

    def edit_team(
        self,
        name: str,
        *,
        new_name: str | None = None,
        parts: list[str] | None = None,
        add_parts: Iterable[str] = (),
        remove_parts: Iterable[str] = (),
        slack_handle: str | None = None,
        pagerduty_key: str | None = None,
    ) -> TeamView:
        """Rename, set the parts it owns (or add and remove some), change its Slack handle
        or its PagerDuty integration key ("" clears it)."""
        ...

    def import_people(
        self, rows: list[PersonRow], source: str = "the file", problems: Iterable[tuple[int, str]] = ()
    ) -> RosterChange:
        """Add or update each row by email, all or nothing; ``problems`` (rows the file's
        reading refused) and rows naming an unknown team are refused together, in one message."""
        ...

    def import_teams(self, rows: list[TeamRow]) -> RosterChange: ...

    def incident(self, number: int) -> IncidentView: ...

    def incident_for_slack_message(self, slack_ts: str) -> int | None:
        """The incident a Slack message was imported into as its first entry, if any."""
        ...

    def incident_stats(self, days: int = 30) -> StatsView:
        """The stats screen's numbers over the last ``days`` days, in three queries."""
        ...

    def incident_with_timeline(self, number: int) -> tuple[IncidentView, list[EntryView]]:
        """The incident and its timeline as one state of the database (one read transaction): what an update
        is built from when the IC sends it."""
        ...

    def list_incidents(self, active_only: bool = False) -> list[IncidentRow]:
        """Every incident, newest first, in one query (no query per row)."""
        ...

    def list_window(
        self,
        flt: IncidentFilter,
        keep: int | None,
        fallback: int,
        page_size: int,
        pages: int = 3,
        superseded: Callable[[], bool] | None = None,
    ) -> ListWindow:
        """The incident list as a reload shows it, in one read: how many incidents there
        are and how many pass ``flt``, where incident ``keep`` is among those, and
        ``pages`` pages of ``page_size`` rows from the page above it (above the one at
        position ``fallback`` if ``keep`` does not pass). ``superseded``, asked once the
        counts are read, says the rows are no longer wanted (none are then read)."""
        ...

    def list_page(
        self,
        flt: IncidentFilter,
        limit: int,
        *,
        after: int | None = None,
        before: int | None = None,
        at: int | None = None,
    ) -> list[IncidentRow]:
        """Up to ``limit`` rows of the filtered list, newest first: those after incident
        ``after``, those just before incident ``before``, those from position ``at`` (a
        jump), or the first ones."""
        ...

    def list_pages(
        self, flt: IncidentFilter, asks: list[tuple[int, dict[str, int]]], limit: int
    ) -> list[tuple[int, list[IncidentRow]]]:
        """Several of ``list_page``'s pages in one read, each asked for as (index, keywords)."""
        ...

    def list_count(self, flt: IncidentFilter) -> int:
        """How many incidents pass ``flt`` (one count query)."""
        ...

    def list_position(self, flt: IncidentFilter, number: int) -> int | None:
        """Where incident ``number`` is among those passing ``flt`` (0: first); None if it
        does not pass."""
        ...

    def outbox_checkpoint(
        self,
        item_id: int,
        result: dict[str, Any],
        *,
        channel: tuple[str, str] | None = None,
        steps: Iterable[SlackStep] = (),
    ) -> None:
        """Record a part of an item already done in Slack, so that a retry does not redo it."""
        ...

    def outbox_claim(self) -> OutboxWork | None:
        """Take the next deliverable item and mark it in flight, in its own commit."""
        ...

    def outbox_delivered(self, item_id: int, delivered: Delivered) -> None: ...

    def outbox_failed(
        self,
        item_id: int,
        error: str,
        *,
        permanent: bool,
        retry_at: datetime | None = None,
    ) -> None:
        """A try that did not work: wait until ``retry_at``, or stop (permanent) until retried."""
        ...

    def outbox_health(self) -> OutboxHealth:
        """What the Slack light shows: pending, retrying and failed items, and why."""
        ...

    def outbox_instance(self) -> str:
        """This database's name in Slack message metadata, so that two databases posting to one channel
        never take each other's messages for their own."""
        ...

    def outbox_items(self, include_done: bool = False, limit: int = 200) -> list[OutboxItemView]:
        """Items oldest first (the most recent ``limit``), each with why it waits."""
        ...

    def outbox_next_retry(self) -> datetime | None:
        """When the next item held back by its backoff becomes due (None: none is)."""
        ...

    def outbox_retry(self, item_id: int | None = None) -> int:
        """Put failed items (one, or all with None) back in the queue; returns how many."""
        ...

    def outbox_drop(self, item_id: int, author: str = "") -> str:
        """Give up on an item (never sent; what waited behind it goes on), with a timeline line."""
        ...

    def outbox_edit(self, item_id: int, text: str, author: str = "") -> str:
        """Replace a refused update's, note's or summary's text and queue it again."""
        ...

    def hold_lease(self, name: str, owner: str, seconds: float) -> bool:
        """Take or renew a lease (one holder per database); False while another holds it."""
        ...

    def release_lease(self, name: str, owner: str) -> None: ...

    def outbox_item_text(self, item_id: int) -> str:
        """The text an editable outbox item will send."""
        ...

    def engagement(self, number: int) -> Engagement:
        """Time to engage: declared → first page accepted → first responder given a role after it."""
        ...

    def page_delivered(self, item_id: int, answer: str) -> None:
        """The provider accepted the event: the page is triggered (or resolved), on the record."""
        ...

    def page_failed(
        self, item_id: int, error: str, *, permanent: bool, retry_at: datetime | None = None
    ) -> None:
        """A try that did not work: retried at ``retry_at``, or refused for good (a 400)."""
        ...

    def page_status(self, page_id: int, state: PageState, acknowledged_by: str = "") -> None:
        """What the provider's REST API says of a page (acknowledged by whom, resolved)."""
        ...

    def paging_health(self) -> PagingHealth:
        """What the paging light shows: pages waiting, refused, triggered and acknowledged."""
        ...

    def pages(self, number: int | None = None) -> list[PageView]:
        """One incident's pages (or all), oldest first, each with its last error."""
        ...

    def paging_claim(self) -> PageWork | None:
        """Take the next deliverable paging item and mark it in flight, in its own commit."""
        ...

    def paging_next_retry(self) -> datetime | None: ...

    def paging_summary(self) -> PagingSummary:
        """(pages not yet accepted, pages refused, the latest reason): one query, for the status bar."""
        ...

    def queue_page(self, number: int, team: str, message: str = "", author: str = "") -> PageView:
        """Page a team's on-call about an incident (the page, its timeline entry and its
        outbox item in one transaction); refused, nothing queued, for an unknown team, a
        team without a PagerDuty key, or an incident that is over."""
        ...

    def outbox_summary(self) -> OutboxSummary:
        """(items not yet delivered, items failed, the most recent error) for the status bar."""
        ...

    def pending_outbox_count(self) -> int: ...

    def people(self, include_removed: bool = False) -> list[PersonView]:
        """Everyone who can be named on an incident, by name (and those removed, if asked)."""
        ...

    def person(self, email: str) -> PersonView:
        """Someone on the roster (not removed), by email; NotFound says how to add them."""
        ...

    def post_postmortem_summary(self, number: int) -> str:
        """Queue the summary for the incident channel; returns the text that will be posted."""
        ...

    def postmortem(self, number: int) -> PostMortemView:
        """The record, its action items, the timeline and what is computed from them."""
        ...

    def queue_update(
        self,
        number: int,
        text: str,
        author: str = "",
        mirror: bool | None = None,
        *,
        again: bool = False,
    ) -> UpdateView:
        """Turn the text into a queued update and its outbox item, in one transaction; the
        same text within a minute is refused (RepeatedUpdate) unless ``again``."""
        ...

    def record_triage(
        self,
        number: int,
        answers: TriageAnswers,
        author: str = "",
        reason: str = "",
        *,
        apply_severity: bool = True,
    ) -> TriageResult:
        """Store the checklist and the decision; the verdict moves a report out of triage."""
        ...

    def remove_person(self, email: str) -> PersonView: ...

    def remove_team(self, name: str) -> int:
        """Remove a team; its members stay on the roster, on no team. Returns how many."""
        ...

    def restore_entry(self, entry_id: int, editor: str = "") -> EntryView: ...

    def revision(self) -> int:
        """Changes whenever anyone commits a write; cheap enough to poll twice a second."""
        ...

    def save_draft(self, number: int, text: str, author: str = "") -> None:
        """Autosave of the composer: one draft per incident, overwritten as the IC types."""
        ...

    def save_postmortem(self, number: int, **changes: Any) -> PostMortemView:
        """Save any of the sections, ``scheduled_at``, ``held_at`` (None clears) and ``facilitator``."""
        ...

    def schedule_postmortem(self, number: int, at: datetime) -> PostMortemView:
        """Set (or move) the meeting; resolving already scheduled a default."""
        ...

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Incidents whose title, timeline, updates or post-mortem hold every word of
        ``text`` (as the start of a word), best match first, each with its matching line.
        Punctuation, quotes and operators in ``text`` are not syntax: only its words count."""
        ...

    def set_key_event(self, entry_id: int, key_event: KeyEvent | None, editor: str = "") -> EntryView: ...

    def share_entry(self, entry_id: int) -> EntryView:
        """Post a timeline note to the incident channel (once), through the outbox."""
        ...

    def slack_entry_ts(self, number: int) -> set[str]:
        """The Slack messages already on an incident's timeline (deleted entries included)."""
        ...

    def suggest_responders(self, number: int) -> list[tuple[PersonView, str]]:
        """Who to involve in incident ``number``: the owners of what it affects, leads first."""
        ...

    def sync_people(self, members: Iterable[PersonRow], *, update_names: bool = False) -> RosterChange:
        """Slack's members: matched by Slack user id, then by email; added when new; a
        name on the roster is changed to Slack's only with ``update_names``."""
        ...

    def teams(self) -> list[TeamView]: ...

    def timeline(self, number: int, include_deleted: bool = False) -> list[EntryView]: ...

    def unowned_parts(self, parts: Iterable[str]) -> list[str]:
        """The parts no team owns (a typo, or a roster still to set up)."""
        ...

    def unsent_drafts(self) -> list[int]:
        """Numbers of the incidents with a non-empty update draft."""
        ...

    def update_action_item(self, item_id: int, **changes: Any) -> ActionItemView:
        """Change any field; a ticket key (or link) typed back links the item to its ticket."""
        ...

    def updates(self, number: int) -> list[UpdateView]:
        """The incident's sent, queued and failed updates, oldest first (not its draft)."""
        ...

    def upsert_slack_entry(
        self,
        number: int,
        *,
        slack_ts: str,
        text: str,
        author: str,
        at: datetime,
        permalink: str,
    ) -> str:
        """Put a Slack message on the timeline once; an edited one updates the entry (its old text kept in
        the entry's history). Returns "added", "updated" or "unchanged"."""
        ...
