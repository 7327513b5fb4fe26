"""The writes of every day in plain SQL, for the cockpit's lazy stores and the full Store.

A status change, a severity, a role, an update (and its draft) and a declaration are each
one transaction on the DB-API connection (store/write_rows.py): the writers' lock taken at
BEGIN, the rows of the change and the Slack actions it queues, the revision bumped. The statements are in
store/incident_writes.py and store/update_writes.py; here, the arguments are checked and
the write run. A cockpit that only does these never imports SQLAlchemy (store/lazy.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from ictui.domain.enums import IncidentRole, Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.limits import checked, checked_list
from ictui.domain.policy import Policy
from ictui.domain.views import IncidentView, UpdateView
from ictui.store import incident_writes, update_writes
from ictui.store.everyday import EverydayOps
from ictui.store.write_rows import write_transaction

T = TypeVar("T")


class EverydayWrites(EverydayOps):
    """The everyday reads and the note (EverydayOps), and the writes of every day."""

    policy: Policy

    def _sql_write(self, work: Callable[[Any], T]) -> T:
        """Run ``work`` in one write transaction on a driver connection (write_rows)."""
        result, revision = self._raw_write(lambda connection: write_transaction(connection, work))
        self._wrote(revision)
        return result

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
        """Open an incident (or, with ``status=triage``, a report still being judged).

        ``first_entry`` is (text, author, permalink, slack_ts) of the message it came
        from, recorded as the first timeline entry: how the incident surfaced.
        ``number`` is for the demo's history, which starts at #30 like a team's would;
        otherwise the next number is taken. ``invite_owners`` invites the people of the
        teams that own the affected parts to the channel along with the IC.
        """
        title = checked("title", title, required=True)
        summary = checked("note", summary, what="the summary")
        parts = checked_list("part", components)
        if status not in (Status.TRIAGE, Status.INVESTIGATING):
            raise InvalidInput("a new incident starts in triage or investigating")
        if number is not None and number < 1:
            raise InvalidInput("incident numbers start at 1")
        return self._sql_write(
            lambda connection: incident_writes.declare(
                connection,
                self.policy,
                title=title,
                severity=severity,
                summary=summary,
                ic_email=ic_email,
                author=author,
                status=status,
                reported_at=reported_at,
                components=parts,
                first_entry=first_entry,
                number=number,
                invite_owners=invite_owners,
            )
        )

    def change_status(self, number: int, new: Status, author: str = "", note: str = "") -> IncidentView:
        note = checked("note", note)
        return self._sql_write(
            lambda connection: incident_writes.change_status(
                connection, self.policy, number, new, author, note
            )
        )

    def change_severity(self, number: int, new: Severity, author: str = "", reason: str = "") -> IncidentView:
        reason = checked("note", reason, what="the reason")
        return self._sql_write(
            lambda connection: incident_writes.change_severity(
                connection, self.policy, number, new, author, reason
            )
        )

    def assign_role(self, number: int, role: IncidentRole, email: str, author: str = "") -> IncidentView:
        return self._sql_write(
            lambda connection: incident_writes.assign_role(connection, number, role, email, author)
        )

    def queue_update(
        self, number: int, text: str, author: str = "", mirror: bool | None = None, *, again: bool = False
    ) -> UpdateView:
        """Turn the text into a queued update and its outbox item, in one transaction.

        The same text queued for the incident less than a minute before is refused
        (:class:`RepeatedUpdate`) unless ``again``: checked under the writers' lock, so of
        two sends racing (a double ``ctrl+s``, two cockpits) only the first passes.
        """
        text = checked("update", text)
        if not text:
            raise InvalidInput("the update is empty")
        return self._sql_write(
            lambda connection: update_writes.queue_update(
                connection, self.policy, number, text, author, mirror, again
            )
        )

    def save_draft(self, number: int, text: str, author: str = "") -> None:
        """Autosave of the composer: one draft per incident, overwritten as the IC types."""
        self._sql_write(lambda connection: update_writes.save_draft(connection, number, text, author))
