"""What happens in a demo incident, as data, and the one function that writes it.

An incident is a :class:`DemoIncident`: its number, when it began, and its steps in the
order they happened, each a record of what someone did (declared it, wrote a note, ran
the triage, changed its status, sent an update, held the post-mortem...). Times are
minutes after the incident's origin (negative: before it). :func:`write_incident` plays
the steps through the store, each at its own time (``pinned``), so that the timelines,
key events, update cadence and post-mortem deadlines are what real use would produce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field

from pendulum import DateTime

from ictui.demo.organisation import EMAIL as _EMAIL
from ictui.demo.organisation import ESCALATION_CHANNEL_ID, SLACK_WORKSPACE
from ictui.domain.clock import pinned
from ictui.domain.enums import ActionKind, ActionStatus, IncidentRole, KeyEvent, Severity, Status
from ictui.domain.triage import TriageAnswers
from ictui.store.interface import StoreAPI

# ---------------------------------------------------------------------- the steps


@dataclass(frozen=True)
class Declare:
    """The incident declared; ``escalation`` is (minutes, who, text) of the message in
    #engineering-support it came from."""

    minutes: float
    author: str
    title: str
    _: KW_ONLY
    severity: Severity = Severity.SEV3
    triage: bool = False
    ic: str | None = None
    summary: str = ""
    components: list[str] | None = None
    escalation: tuple[float, str, str] | None = None


@dataclass(frozen=True)
class Note:
    """A note recorded at ``minutes``, about something that ``happened`` then or earlier;
    ``label`` names it for a later :class:`EditEntry` or :class:`DeleteEntry`."""

    minutes: float
    author: str
    text: str
    _: KW_ONLY
    happened: float | None = None
    key: KeyEvent | None = None
    shared: bool = False
    label: str | None = None


@dataclass(frozen=True)
class Triage:
    minutes: float
    author: str
    answers: TriageAnswers
    reason: str = ""


@dataclass(frozen=True)
class Assign:
    minutes: float
    author: str
    role: IncidentRole
    person: str


@dataclass(frozen=True)
class ChangeStatus:
    minutes: float
    author: str
    new: Status
    note: str = ""


@dataclass(frozen=True)
class Resolve:
    minutes: float
    author: str
    note: str


@dataclass(frozen=True)
class ChangeSeverity:
    minutes: float
    author: str
    new: Severity
    reason: str


@dataclass(frozen=True)
class Update:
    """A status update queued for Slack."""

    minutes: float
    author: str
    text: str


@dataclass(frozen=True)
class Owners:
    minutes: float
    teams: list[str]
    summary: str | None = None


@dataclass(frozen=True)
class EditEntry:
    """The entry a :class:`Note` labelled ``entry`` gets a new text."""

    minutes: float
    editor: str
    entry: str
    text: str


@dataclass(frozen=True)
class DeleteEntry:
    minutes: float
    editor: str
    entry: str


# An action item filed in the meeting: (title, owner, due as said there ("in 2 weeks"),
# kind, ticket, status now).
ActionItem = tuple[str, str, str, ActionKind, str, ActionStatus]


@dataclass(frozen=True)
class Meeting:
    """The post-mortem, ``days`` after the incident began, and the close that follows it:
    its record (the sections given), then its action items, then the incident closed."""

    days: int
    facilitator: str
    _: KW_ONLY
    actions: list[ActionItem] = field(default_factory=list)
    summary: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    contributing_factors: str | None = None
    went_well: str | None = None
    went_badly: str | None = None
    got_lucky: str | None = None
    kudos: str | None = None

    def sections(self) -> dict[str, str]:
        names = (
            "summary",
            "impact",
            "root_cause",
            "contributing_factors",
            "went_well",
            "went_badly",
            "got_lucky",
            "kudos",
        )
        return {name: value for name in names if (value := getattr(self, name)) is not None}


Step = (
    Declare
    | Note
    | Triage
    | Assign
    | ChangeStatus
    | Resolve
    | ChangeSeverity
    | Update
    | Owners
    | EditEntry
    | DeleteEntry
    | Meeting
)


@dataclass(frozen=True)
class DemoIncident:
    """One incident's history. ``day`` is when it began, (days ago, hour, minute) UTC;
    None: now, for the incidents still running."""

    number: int
    steps: Sequence[Step]
    about: str = ""
    day: tuple[int, int, int] | None = None


# ---------------------------------------------------------------------- writing them


def write_incident(store: StoreAPI, incident: DemoIncident, start: DateTime) -> None:
    """Play ``incident``'s steps through ``store``, each at its own time."""
    origin = start if incident.day is None else _day(start, *incident.day)
    s = _Scene(store, incident.number, origin)
    labelled: dict[str, int] = {}
    for step in incident.steps:
        match step:
            case Declare():
                s.declare(
                    step.minutes,
                    step.author,
                    step.title,
                    severity=step.severity,
                    triage=step.triage,
                    ic=step.ic,
                    summary=step.summary,
                    components=step.components,
                    escalation=step.escalation,
                )
            case Note():
                entry_id = s.note(
                    step.minutes,
                    step.author,
                    step.text,
                    happened=step.happened,
                    key=step.key,
                    shared=step.shared,
                )
                if step.label is not None:
                    labelled[step.label] = entry_id
            case Triage():
                s.triage(step.minutes, step.author, step.answers, step.reason)
            case Assign():
                s.role(step.minutes, step.author, step.role, step.person)
            case ChangeStatus():
                s.status(step.minutes, step.author, step.new, step.note)
            case Resolve():
                s.status(step.minutes, step.author, Status.RESOLVED, step.note)
            case ChangeSeverity():
                s.severity(step.minutes, step.author, step.new, step.reason)
            case Update():
                s.update(step.minutes, step.author, step.text)
            case Owners():
                s.owners(step.minutes, step.teams, step.summary)
            case EditEntry():
                s.edit(step.minutes, step.editor, labelled[step.entry], step.text)
            case DeleteEntry():
                s.delete(step.minutes, step.editor, labelled[step.entry])
            case Meeting():
                held = step.days * 24 * 60 + 60
                s.postmortem(held, step.facilitator, **step.sections())
                for title, owner, due, kind, ticket, status in step.actions:
                    s.action(held + 50, step.facilitator, title, owner, due, kind, ticket, status)
                s.status(held + 60, step.facilitator, Status.CLOSED, "Post-mortem held; action items filed.")


def _day(start: DateTime, days_ago: int, hour: int, minute: int) -> DateTime:
    """A past working-hours moment (UTC); every past incident ends within a day of it."""
    return start.subtract(days=days_ago).set(hour=hour, minute=minute, second=0, microsecond=0)


@dataclass
class _Scene:
    """One incident's history, each step written through the store at its own time.

    Times are minutes after ``origin`` (negative: before it).
    """

    store: StoreAPI
    number: int
    origin: DateTime

    def at(self, minutes: float) -> DateTime:
        return self.origin.add(seconds=round(minutes * 60))

    def declare(
        self,
        minutes: float,
        author: str,
        title: str,
        *,
        severity: Severity = Severity.SEV3,
        triage: bool = False,
        ic: str | None = None,
        summary: str = "",
        components: list[str] | None = None,
        escalation: tuple[float, str, str] | None = None,
    ) -> None:
        """``escalation`` is (minutes, who, text) of the message in #engineering-support."""
        first_entry = None
        reported_at = None
        if escalation:
            when, who, text = escalation
            reported_at = self.at(when)
            ts = f"{reported_at.int_timestamp}.{reported_at.microsecond:06d}"
            permalink = f"{SLACK_WORKSPACE}/archives/{ESCALATION_CHANNEL_ID}/p{ts.replace('.', '')}"
            first_entry = (text, who, permalink, ts)
        with pinned(self.at(minutes)):
            self.store.declare(
                title,
                number=self.number,
                severity=severity,
                summary=summary,
                ic_email=_EMAIL[ic] if ic else None,
                author=author,
                status=Status.TRIAGE if triage else Status.INVESTIGATING,
                reported_at=reported_at,
                components=components,
                first_entry=first_entry,
            )

    def note(
        self,
        minutes: float,
        author: str,
        text: str,
        *,
        happened: float | None = None,
        key: KeyEvent | None = None,
        shared: bool = False,
    ) -> int:
        """A note recorded at ``minutes``, about something that ``happened`` then or earlier."""
        with pinned(self.at(minutes)):
            entry = self.store.add_entry(
                self.number,
                text,
                at=self.at(happened) if happened is not None else None,
                author=author,
                key_event=key,
                shared=shared,
            )
        return entry.id

    def triage(self, minutes: float, author: str, answers: TriageAnswers, reason: str = "") -> None:
        with pinned(self.at(minutes)):
            self.store.record_triage(self.number, answers, author=author, reason=reason)

    def role(self, minutes: float, author: str, role: IncidentRole, person: str) -> None:
        with pinned(self.at(minutes)):
            self.store.assign_role(self.number, role, _EMAIL[person], author=author)

    def status(self, minutes: float, author: str, new: Status, note: str = "") -> None:
        with pinned(self.at(minutes)):
            self.store.change_status(self.number, new, author, note)

    def severity(self, minutes: float, author: str, new: Severity, reason: str) -> None:
        with pinned(self.at(minutes)):
            self.store.change_severity(self.number, new, author, reason)

    def update(self, minutes: float, author: str, text: str) -> None:
        with pinned(self.at(minutes)):
            self.store.queue_update(self.number, text, author=author)

    def owners(self, minutes: float, teams: list[str], summary: str | None = None) -> None:
        with pinned(self.at(minutes)):
            self.store.edit_incident(self.number, owning_teams=teams, summary=summary)

    def edit(self, minutes: float, editor: str, entry_id: int, text: str) -> None:
        with pinned(self.at(minutes)):
            self.store.edit_entry(entry_id, text=text, editor=editor)

    def delete(self, minutes: float, editor: str, entry_id: int) -> None:
        with pinned(self.at(minutes)):
            self.store.delete_entry(entry_id, editor=editor)

    def postmortem(self, minutes: float, facilitator: str, **sections: str) -> None:
        """The meeting, held at ``minutes``: the record written during it."""
        with pinned(self.at(minutes)):
            self.store.save_postmortem(
                self.number, held_at=self.at(minutes), facilitator=facilitator, **sections
            )

    def action(
        self,
        minutes: float,
        author: str,
        title: str,
        owner: str,
        due: str,
        kind: ActionKind,
        ticket: str,
        status: ActionStatus,
    ) -> None:
        """An action item filed in the meeting; ``due`` as said there ("in 2 weeks")."""
        with pinned(self.at(minutes)):
            self.store.add_action_item(
                self.number,
                title,
                owner=owner,
                due_date=due,
                kind=kind,
                ticket_key=ticket,
                status=status,
                author=author,
            )
