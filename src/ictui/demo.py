"""The demo data set: a SaaS company with about 80 people in R&D, and its incidents.

Everything is written through the store, at the time it happened (see
:func:`ictui.domain.clock.pinned`), so that the timelines, key events, update cadence and
post-mortem deadlines are exactly what real use would have produced. Times are relative
to now, so the demo always looks live: #41 "Slow app load times" was declared about 50
minutes ago, its last status update went out a few minutes late, and a report from
#engineering-support is waiting in triage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pendulum import DateTime

from ictui.domain.clock import now, pinned
from ictui.domain.enums import (
    ActionKind,
    ActionStatus,
    Breadth,
    Confidence,
    Impact,
    IncidentRole,
    KeyEvent,
    Role,
    Severity,
    Status,
)
from ictui.domain.errors import InvalidInput
from ictui.domain.outbox import ANNOUNCE, CREATE_CHANNEL, POST_NOTE, POST_UPDATE, Delivered, OutboxWork, SlackStep
from ictui.domain.triage import TriageAnswers
from ictui.slack.channels import channel_name
from ictui.store import Store

ESCALATION_CHANNEL_ID = "C02ENGSUPPORT"
BROADCAST_CHANNEL_ID = "C02RND00001"
SLACK_WORKSPACE = "https://example.slack.com"

# Team, the components it owns, its Slack handle. The navigation bar and the file viewer
# are shared UI parts: a problem there has more than one possible owner. "performance"
# is both the app's and the infrastructure's.
TEAMS: list[tuple[str, list[str], str]] = [
    ("Close Checklist", ["close checklist", "sign-offs", "close dashboard", "navigation bar"], "@close-checklist"),
    ("Reconciliations", ["reconciliations", "matching engine", "export", "file viewer"], "@recs"),
    ("Web Platform", ["app shell", "navigation bar", "file viewer", "login page", "performance"], "@web-platform"),
    ("DevOps", ["infrastructure", "performance", "database", "load balancers", "email delivery"], "@devops"),
    ("Integrations", ["bank feeds", "ERP sync", "public API"], "@integrations"),
    ("QE", ["test automation", "release validation"], "@qe"),
    ("Security", ["authentication", "SSO", "permissions"], "@security"),
    ("Product Support", [], "@support"),
]

# Name, email, roles, team, Slack user id.
PEOPLE: list[tuple[str, str, list[Role], str, str]] = [
    ("Marcus Chen", "marcus.chen@example.com", [Role.EM], "Close Checklist", "U02MCHEN01"),
    ("Aisha Patel", "aisha.patel@example.com", [Role.PM], "Close Checklist", "U02APATEL1"),
    ("Tom Becker", "tom.becker@example.com", [Role.TECH_LEAD], "Close Checklist", "U02TBECKR1"),
    ("Sofia Alvarez", "sofia.alvarez@example.com", [Role.EM], "Reconciliations", "U02SALVRZ1"),
    ("Kenji Watanabe", "kenji.watanabe@example.com", [Role.TECH_LEAD], "Reconciliations", "U02KWATNB1"),
    ("Dana Kim", "dana.kim@example.com", [Role.TECH_LEAD], "Web Platform", "U02DKIM001"),
    ("Ravi Singh", "ravi.singh@example.com", [Role.ENGINEER], "Web Platform", "U02RSINGH1"),
    ("Sam O'Connor", "sam.oconnor@example.com", [Role.DEVOPS, Role.TECH_LEAD], "DevOps", "U02SOCONN1"),
    ("Lena Novak", "lena.novak@example.com", [Role.DEVOPS], "DevOps", "U02LNOVAK1"),
    ("Jamal Hughes", "jamal.hughes@example.com", [Role.EM], "Integrations", "U02JHUGHS1"),
    ("Chloe Martin", "chloe.martin@example.com", [Role.PM], "Integrations", "U02CMARTN1"),
    ("Luis Fernandez", "luis.fernandez@example.com", [Role.ENGINEER], "Integrations", "U02LFERNZ1"),
    ("Nina Kowalski", "nina.kowalski@example.com", [Role.QE], "QE", "U02NKOWAL1"),
    ("Omar Haddad", "omar.haddad@example.com", [Role.SECURITY], "Security", "U02OHADDD1"),
    ("Priya Raman", "priya.raman@example.com", [Role.SUPPORT], "Product Support", "U02PRAMAN1"),
    ("Ben Carter", "ben.carter@example.com", [Role.SUPPORT], "Product Support", "U02BCARTR1"),
]

_EMAIL = {name: email for name, email, *_ in PEOPLE}


def seed_demo(store: Store) -> int:
    """Write the demo organisation and incidents #30..#44; returns how many incidents."""
    if store.list_incidents() or store.teams() or store.people():
        raise InvalidInput("the demo needs an empty database; this one already has data")
    start = now()
    for name, components, handle in TEAMS:
        store.add_team(name, components, slack_handle=handle)
    for name, email, roles, team, slack_id in PEOPLE:
        store.add_person(name, email, roles=[str(r) for r in roles], team=team, slack_user_id=slack_id)
    for write in _PAST + _ACTIVE:
        write(store, start)
    _slack_history(store)
    return len(store.list_incidents())


def _slack_history(store: Store) -> None:
    """What Slack did while these incidents ran: channels, announcements, updates, shared notes.

    The demo plays the Slack gateway's part through the store's outbox API, each item
    delivered two seconds after it was queued. So the demo opens with sent updates and
    their permalinks, and with nothing waiting: its made-up history can never reach a
    real workspace, even with a Slack token configured.
    """
    titles = {row.number: row.title for row in store.list_incidents()}
    while (work := store.outbox_claim()) is not None:
        at = work.created_at + timedelta(seconds=2)
        with pinned(at):
            store.outbox_delivered(work.id, _delivered(store, work, titles[work.incident_number], at))


def _delivered(store: Store, work: OutboxWork, title: str, at: DateTime) -> Delivered:
    channel_id = f"C0DEMO{work.incident_number:05d}"
    name = channel_name("incident", work.incident_number, title)
    ts = f"{at.int_timestamp}.{work.id:06d}"
    link = f"{SLACK_WORKSPACE}/archives/{channel_id}/p{ts.replace('.', '')}"
    if work.action == CREATE_CHANNEL:
        store.outbox_checkpoint(work.id, {"channel_id": channel_id}, channel=(channel_id, name))
        created = SlackStep(f"Slack channel #{name} created", f"{SLACK_WORKSPACE}/archives/{channel_id}", at)
        return Delivered(steps=(created,))
    if work.action == ANNOUNCE:
        link = f"{SLACK_WORKSPACE}/archives/{BROADCAST_CHANNEL_ID}/p{ts.replace('.', '')}"
        return Delivered(steps=(SlackStep("Announced in #rnd", link, at),))
    if work.action == POST_UPDATE:
        places = f"#{name}" + (" and #rnd" if work.payload.get("mirror") else "")
        return Delivered(steps=(SlackStep(f"Status update posted to {places}", link, at),), update_message=(ts, link))
    if work.action == POST_NOTE:
        return Delivered(note_message=(ts, link))
    return Delivered()  # topics and invitations leave no message worth a link


@dataclass
class _Scene:
    """One incident's history, each step written through the store at its own time.

    Times are minutes after ``origin`` (negative: before it).
    """

    store: Store
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
                self.number, title, owner=owner, due_date=due, kind=kind,
                ticket_key=ticket, status=status, author=author,
            )


def _day(start: DateTime, days_ago: int, hour: int, minute: int) -> DateTime:
    """A past working-hours moment (UTC); every past incident ends within a day of it."""
    return start.subtract(days=days_ago).set(hour=hour, minute=minute, second=0, microsecond=0)


# ---------------------------------------------------------------------- active incidents


def _incident_41(store: Store, start: DateTime) -> None:
    """The slow app: a shared UI part and performance, so two teams could own it."""
    s = _Scene(store, 41, start)
    s.declare(
        -63, "Dana Kim", "Slow app load times", triage=True,
        components=["performance", "navigation bar"],
        escalation=(-65, "Priya Raman",
                    "Heads up: Acme Corp, Globex and Initech all say the app takes 30+ seconds "
                    "to load after login this morning; some see a blank page with only the "
                    "navigation bar spinning. Screenshots in the thread. This looks new, and "
                    "serious."),
    )
    s.note(-60, "Dana Kim", "Reproduced: the first load of the app shell takes 24 s on a fresh "
           "browser profile; the navigation bar renders last.")
    s.note(-55, "Sam O'Connor", "From the metrics: p95 initial page load starts climbing from "
           "2.1 s to 9.4 s, right after yesterday's release reached all customers.",
           happened=-130, key=KeyEvent.IMPACT_STARTED)
    s.triage(
        -51, "Marcus Chen",
        TriageAnswers(
            breadth=Breadth.MANY, impact=Impact.DEGRADED, interrupts_business=True,
            workaround=False, customer_visible=True, needs_second_team=True,
            confidence=Confidence.SURE,
        ),
        "Quick check-in of Aisha (PM), Dana (tech lead) and me: many customers wait minutes "
        "per page in the middle of their close. That interrupts their business process.",
    )
    s.role(-50, "Marcus Chen", IncidentRole.IC, "Marcus Chen")
    s.role(-50, "Marcus Chen", IncidentRole.TECH_LEAD, "Dana Kim")
    s.role(-49, "Marcus Chen", IncidentRole.RESPONDER, "Sam O'Connor")
    s.role(-49, "Marcus Chen", IncidentRole.COMMS, "Aisha Patel")
    s.owners(-49, ["Web Platform", "DevOps"],
             summary="Pages take 10-30 s to load for many customers since yesterday's release. "
             "Not yet known whether the app code or the infrastructure is at fault.")
    s.note(-48, "Marcus Chen", "Ownership unclear: the app shell and navigation bar belong to Web "
           "Platform, the servers and CDN to DevOps. Both teams investigate until we know.")
    s.update(-47, "Marcus Chen",
             "We are investigating slow load times: many customers wait 10-30 seconds for pages "
             "to load after login. Web Platform and DevOps are on it. Next update in 30 minutes.")
    s.note(-44, "Sam O'Connor", "Load balancers, CDN and database healthy; cache hit ratio normal. "
           "Infrastructure looks fine.")
    finding = s.note(-40, "Ravi Singh", "The app shell bundle grew from 1.3 MB to 7.9 MB in "
                     "yesterday's release: the navigation bar now imports the whole charting "
                     "library for its new usage badge.")
    stray = s.note(-38, "Ravi Singh", "Paged Lena about the EU load balancer certificate.")
    s.delete(-37, "Ravi Singh", stray)  # meant for #42
    s.status(-33, "Marcus Chen", Status.IDENTIFIED,
             "Root cause: the navigation bar's usage badge pulls the charting library into every page.")
    s.edit(-30, "Ravi Singh", finding,
           "The app shell bundle grew from 1.3 MB to 7.9 MB in yesterday's release: the "
           "navigation bar now imports the whole charting library for its new usage badge. "
           "Confirmed with the bundle analyzer.")
    s.note(-26, "Dana Kim", "Fix: lazy-load the usage badge. PR is open; reverting the badge is plan B.")
    s.note(-20, "Nina Kowalski", "QE smoke tests of the fix on staging pass; load time back to 2.3 s.")
    # Due at -17 (30 minutes after the previous one): sent three minutes late.
    s.update(-14, "Marcus Chen",
             "Identified: a change in yesterday's release made the navigation bar load far more "
             "code than it needs, which slows every page for many customers. A fix is in "
             "testing and should reach production within the hour. Next update in 30 minutes.")
    s.note(-6, "Dana Kim", "Fix approved by QE; deploying to production now.", shared=True)


def _incident_42(store: Store, start: DateTime) -> None:
    """A SEV1 outage already mitigated: monitoring, updates every 20 minutes."""
    s = _Scene(store, 42, start)
    s.declare(
        -40, "Sofia Alvarez", "EU customers cannot log in (502 on the login page)",
        severity=Severity.SEV1, ic="Sofia Alvarez",
        components=["login page", "load balancers"],
        summary="The login page returns 502 Bad Gateway for customers served from the EU region.",
        escalation=(-43, "Ben Carter",
                    "Four tickets in five minutes: EU customers get '502 Bad Gateway' on the "
                    "login page, Initech Europe among them. Nobody in the EU can log in."),
    )
    s.note(-39, "Lena Novak", "The synthetic login check for eu-west starts failing.",
           happened=-46, key=KeyEvent.IMPACT_STARTED)
    s.role(-39, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Lena Novak")
    s.role(-38, "Sofia Alvarez", IncidentRole.RESPONDER, "Omar Haddad")
    s.owners(-38, ["DevOps"])
    s.update(-37, "Sofia Alvarez",
             "EU customers cannot log in: the login page returns an error. DevOps is "
             "investigating; Security is ruling out an attack. Next update in 20 minutes.")
    s.note(-33, "Lena Novak", "One of the two EU load balancers fails its health checks since its "
           "certificate renewal; the other one is overloaded.")
    s.note(-28, "Omar Haddad", "No sign of an attack: traffic volume and origins are normal.")
    s.status(-25, "Sofia Alvarez", Status.IDENTIFIED, "Renewed certificate was installed without its chain.")
    s.update(-17, "Sofia Alvarez",
             "We found the cause: a certificate renewal on an EU load balancer. We are moving "
             "traffic to a standby. Next update in 20 minutes.")
    s.status(-10, "Lena Novak", Status.MONITORING, "Traffic moved to the standby load balancer; logins succeed.")
    s.note(-8, "Lena Novak", "Login error rate back to 0.1 % (normal).", shared=True)


def _incident_43(store: Store, start: DateTime) -> None:
    """A SEV3 judged through the checklist: an incident, but a modest one."""
    s = _Scene(store, 43, start)
    s.declare(
        -30, "Tom Becker", "Sign-off reminder emails not sent", triage=True,
        components=["sign-offs", "email delivery"],
        escalation=(-32, "Priya Raman",
                    "Two customers say none of their reviewers got the 'sign-off due' reminder "
                    "emails today. Can someone from Close Checklist take a look?"),
    )
    s.triage(
        -25, "Aisha Patel",
        TriageAnswers(
            breadth=Breadth.MANY, impact=Impact.DEGRADED, interrupts_business=True,
            workaround=True, customer_visible=True, needs_second_team=False,
            confidence=Confidence.SURE,
        ),
        "Close deadlines slip without reminders, but preparers can nudge reviewers by hand.",
    )
    s.role(-24, "Aisha Patel", IncidentRole.IC, "Jamal Hughes")
    s.owners(-24, ["Close Checklist"])
    s.update(-22, "Jamal Hughes",
             "Sign-off reminder emails are not being sent. Sign-offs themselves work; remind "
             "reviewers by hand in the meantime. Next update in 60 minutes.")
    s.note(-18, "Tom Becker", "The reminder job has not run since last night's maintenance; "
           "checking whether its schedule was lost.")


def _incident_44(store: Store, start: DateTime) -> None:
    """Fresh from #engineering-support: waiting for someone to run the checklist."""
    s = _Scene(store, 44, start)
    s.declare(
        -6, "Kenji Watanabe", "Export to Excel times out on large reconciliations", triage=True,
        components=["export", "reconciliations"],
        escalation=(-7, "Ben Carter",
                    "Globex cannot export a 60k-row reconciliation to Excel: it spins, then "
                    "'request timed out'. Exporting one account range at a time works. "
                    "Incident, or a defect for the backlog?"),
    )


# ---------------------------------------------------------------------- past incidents


def _resolve(s: _Scene, minutes: float, author: str, note: str) -> None:
    s.status(minutes, author, Status.RESOLVED, note)


def _meeting(
    s: _Scene,
    days: int,
    facilitator: str,
    *,
    actions: list[tuple[str, str, str, ActionKind, str, ActionStatus]],
    **sections: str,
) -> None:
    """The post-mortem, ``days`` after the incident began, and the close that follows it.

    Action items are (title, owner, due as said in the meeting, kind, ticket, status now).
    """
    held = days * 24 * 60 + 60
    s.postmortem(held, facilitator, **sections)
    for title, owner, due, kind, ticket, status in actions:
        s.action(held + 50, facilitator, title, owner, due, kind, ticket, status)
    s.status(held + 60, facilitator, Status.CLOSED, "Post-mortem held; action items filed.")


def _incident_30(store: Store, start: DateTime) -> None:
    s = _Scene(store, 30, _day(start, 45, 13, 5))
    s.declare(
        0, "Omar Haddad", "Login failures after SSO certificate rotation",
        severity=Severity.SEV1, ic="Sofia Alvarez", components=["SSO", "login page"],
        escalation=(-6, "Priya Raman",
                    "Every customer on SSO gets 'invalid signature' at login. Phones are ringing."),
    )
    s.note(2, "Omar Haddad", "The SAML signing certificate was rotated at the start of the hour.",
           happened=-9, key=KeyEvent.IMPACT_STARTED)
    s.role(2, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Omar Haddad")
    s.role(3, "Sofia Alvarez", IncidentRole.RESPONDER, "Dana Kim")
    s.owners(3, ["Security", "Web Platform"])
    s.update(4, "Sofia Alvarez", "Customers using SSO cannot log in. We are investigating. Next update in 20 minutes.")
    s.status(14, "Omar Haddad", Status.IDENTIFIED, "Identity providers still hold the old certificate.")
    s.update(22, "Sofia Alvarez", "Cause found: a certificate rotation. Rolling back. Next update in 20 minutes.")
    s.status(31, "Omar Haddad", Status.MONITORING, "Old certificate restored; SSO logins succeed.")
    s.update(40, "Sofia Alvarez", "SSO logins work again. We are monitoring.")
    _resolve(s, 75, "Sofia Alvarez", "No SSO errors for 45 minutes.")
    s.update(76, "Sofia Alvarez", "Resolved: SSO logins have worked normally for 45 minutes. Post-mortem to follow.")
    _meeting(
        s, 2, "Sofia Alvarez",
        summary="SSO logins failed for every SSO customer for 40 minutes after a signing "
        "certificate rotation.",
        impact="All SSO customers (about 60 % of active users) could not log in for 40 minutes.",
        root_cause="The SAML signing certificate was rotated without publishing the new one "
        "to customers' identity providers first.",
        contributing_factors="The rotation runbook predates multi-certificate metadata. The "
        "error page said 'something went wrong', so support could not tell it was SSO.",
        went_well="Support escalated within six minutes; the rollback was quick.",
        went_badly="Nobody knew at first who owned the certificate: Security or Web Platform.",
        got_lucky="It did not happen during a month-end close.",
        kudos="Omar, for finding the rotation in the audit log within minutes.",
        actions=[
            ("Publish the next certificate in the metadata two weeks before rotating",
             "Omar Haddad", "in 2 weeks", ActionKind.PROCESS, "SEC-412", ActionStatus.DONE),
            ("Say 'SSO signature invalid' instead of the generic error page, and log the "
             "owning team", "Dana Kim", "in 3 weeks", ActionKind.MONITORING, "WEB-1880",
             ActionStatus.DONE),
        ],
    )


def _incident_31(store: Store, start: DateTime) -> None:
    s = _Scene(store, 31, _day(start, 38, 15, 40))
    s.declare(
        0, "Luis Fernandez", "Bank feed imports stuck for a handful of customers", triage=True,
        components=["bank feeds"],
        escalation=(-12, "Ben Carter",
                    "Three customers' bank transactions stopped importing yesterday evening. "
                    "They cannot reconcile cash without them."),
    )
    s.triage(
        8, "Chloe Martin",
        TriageAnswers(
            breadth=Breadth.HANDFUL, impact=Impact.BLOCKED, interrupts_business=True,
            workaround=True, customer_visible=True, needs_second_team=False,
            confidence=Confidence.SURE,
        ),
        "Cash reconciliation is blocked for them; manual CSV upload works meanwhile.",
    )
    s.role(9, "Chloe Martin", IncidentRole.IC, "Jamal Hughes")
    s.owners(9, ["Integrations"])
    s.update(12, "Jamal Hughes", "Bank transactions stopped importing for a few customers. Upload a "
             "CSV statement meanwhile. Next update in 30 minutes.")
    s.status(35, "Luis Fernandez", Status.IDENTIFIED, "The bank's API changed its pagination token format.")
    s.update(41, "Jamal Hughes", "Cause found on the bank's side; we are adapting our connector. Next update in 30 minutes.")
    s.status(70, "Luis Fernandez", Status.MONITORING, "Connector fix deployed; backfill running.")
    _resolve(s, 130, "Jamal Hughes", "All three customers' transactions imported.")
    s.update(131, "Jamal Hughes", "Resolved: missing bank transactions have been imported.")
    _meeting(
        s, 3, "Jamal Hughes",
        summary="Bank transactions stopped importing for three customers for about a day.",
        impact="Three customers could not reconcile cash until the backfill finished.",
        root_cause="The bank changed its pagination token format without notice; our "
        "connector stopped after the first page and reported success.",
        contributing_factors="No alert when an import returns no transactions at all.",
        went_well="The CSV workaround kept two of the three customers going.",
        went_badly="We learnt of it from customers, a day late.",
        kudos="Luis, for the backfill script.",
        actions=[
            ("Alert when a daily bank import returns no transactions", "Luis Fernandez",
             "in 2 weeks", ActionKind.MONITORING, "INT-733", ActionStatus.DONE),
            ("Contract tests against the bank's sandbox", "Nina Kowalski", "in 4 weeks",
             ActionKind.TEST, "QE-219", ActionStatus.IN_PROGRESS),
        ],
    )


def _incident_32(store: Store, start: DateTime) -> None:
    s = _Scene(store, 32, _day(start, 31, 9, 20))
    s.declare(
        0, "Kenji Watanabe", "Reconciliation totals off by a cent for EUR accounts", triage=True,
        components=["reconciliations", "matching engine"],
        escalation=(-20, "Priya Raman",
                    "Customers with EUR accounts see reconciliations that never tie out: off by "
                    "0.01. Their auditors are asking."),
    )
    s.triage(
        10, "Sofia Alvarez",
        TriageAnswers(
            breadth=Breadth.MANY, impact=Impact.DEGRADED, interrupts_business=True,
            workaround=False, customer_visible=True, needs_second_team=False,
            confidence=Confidence.SURE,
        ),
        "Reconciliations cannot be signed off; there is no workaround.",
    )
    s.role(11, "Sofia Alvarez", IncidentRole.IC, "Sofia Alvarez")
    s.role(11, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Kenji Watanabe")
    s.owners(11, ["Reconciliations"])
    s.update(15, "Sofia Alvarez", "EUR reconciliations show a one-cent difference. Investigating. Next update in 30 minutes.")
    s.status(40, "Kenji Watanabe", Status.IDENTIFIED, "Amounts rounded before conversion, not after.")
    s.update(44, "Sofia Alvarez", "Cause found: a rounding order change. Fix in review. Next update in 30 minutes.")
    s.status(95, "Kenji Watanabe", Status.MONITORING, "Fix deployed; recalculating affected reconciliations.")
    _resolve(s, 180, "Sofia Alvarez", "All EUR reconciliations recalculated and tying out.")
    s.update(181, "Sofia Alvarez", "Resolved: EUR reconciliations are correct again.")
    _meeting(
        s, 2, "Sofia Alvarez",
        summary="EUR reconciliations were off by one cent for three hours.",
        impact="Many EUR customers could not sign off reconciliations; no wrong data left the app.",
        root_cause="A refactor rounded amounts before the currency conversion instead of after.",
        went_well="Recalculating every affected reconciliation took 40 minutes.",
        went_badly="The matching engine's tests only used USD.",
        kudos="Kenji, for the recalculation job.",
        actions=[
            ("Property tests of the matching engine in every supported currency",
             "Kenji Watanabe", "in 3 weeks", ActionKind.TEST, "REC-1502", ActionStatus.DONE),
        ],
    )


def _incident_33(store: Store, start: DateTime) -> None:
    """Declined: a cosmetic defect, judged with certainty; the decision record says why."""
    s = _Scene(store, 33, _day(start, 27, 10, 15))
    s.declare(
        0, "Tom Becker", "Checklist header icon misaligned in Safari", triage=True,
        components=["close checklist"],
        escalation=(-5, "Ben Carter",
                    "Two customers on Safari say the icons in the checklist header overlap the "
                    "title. Everything still works. Incident?"),
    )
    s.triage(
        9, "Aisha Patel",
        TriageAnswers(
            breadth=Breadth.HANDFUL, impact=Impact.COSMETIC, interrupts_business=False,
            workaround=True, customer_visible=True, needs_second_team=False,
            confidence=Confidence.SURE,
        ),
        "Cosmetic, Safari only, nothing blocked: a defect for the Close Checklist backlog (CC-2291).",
    )


def _incident_34(store: Store, start: DateTime) -> None:
    """Uncertain answers: treated as an incident, erring on the side of caution."""
    s = _Scene(store, 34, _day(start, 22, 14, 0))
    s.declare(
        0, "Tom Becker", "Close dashboard very slow for one large customer", triage=True,
        components=["close dashboard", "performance"],
        escalation=(-15, "Priya Raman",
                    "Umbrella Corp (40k tasks) says the close dashboard takes minutes to open. "
                    "Not sure it blocks their close, they are on a call with their controller."),
    )
    s.triage(
        12, "Marcus Chen",
        TriageAnswers(
            breadth=Breadth.ONE, impact=Impact.DEGRADED, interrupts_business=None,
            workaround=None, customer_visible=True, needs_second_team=None,
            confidence=Confidence.UNSURE,
        ),
        "PM, EM and tech lead could not tell whether their close is blocked; erring on the "
        "side of caution, even if it costs the sprint.",
    )
    s.role(13, "Marcus Chen", IncidentRole.IC, "Marcus Chen")
    s.owners(13, ["Close Checklist"])
    s.status(55, "Tom Becker", Status.IDENTIFIED, "A missing index on task assignments; one query scans 40k rows per widget.")
    s.status(90, "Tom Becker", Status.MONITORING, "Index added; dashboard opens in 3 s.")
    _resolve(s, 150, "Marcus Chen", "Customer confirms the dashboard is fast again.")
    _meeting(
        s, 1, "Marcus Chen",
        summary="The close dashboard took minutes to open for one very large customer.",
        impact="One customer (40k tasks) was slowed down for a morning; their close was not blocked.",
        root_cause="A missing index on task assignments.",
        went_well="Erring on the side of caution cost half a sprint day and got it fixed the same day.",
        went_badly="For 15 minutes nobody could say whether it blocked their close.",
        actions=[
            ("Load test the dashboard with 50k tasks before each release", "Nina Kowalski",
             "in 2 weeks", ActionKind.TEST, "QE-231", ActionStatus.OPEN),
        ],
    )


def _incident_35(store: Store, start: DateTime) -> None:
    s = _Scene(store, 35, _day(start, 17, 11, 30))
    s.declare(
        0, "Ravi Singh", "File viewer blank for PDF attachments", triage=True,
        components=["file viewer"],
        escalation=(-10, "Ben Carter",
                    "Reviewers see a blank file viewer for PDF support documents in "
                    "reconciliations and in the checklist. Downloading works."),
    )
    s.triage(
        6, "Sofia Alvarez",
        TriageAnswers(
            breadth=Breadth.MANY, impact=Impact.DEGRADED, interrupts_business=True,
            workaround=True, customer_visible=True, needs_second_team=True,
            confidence=Confidence.SURE,
        ),
        "Reviewers cannot review support inside the app; downloading each file is a poor workaround.",
    )
    s.role(7, "Sofia Alvarez", IncidentRole.IC, "Sofia Alvarez")
    s.owners(7, ["Web Platform", "Reconciliations"])
    s.note(8, "Sofia Alvarez", "The file viewer is shared: Web Platform owns it, Reconciliations "
           "embeds it. Asked both tech leads to join.")
    s.update(10, "Sofia Alvarez", "PDF attachments show blank in the file viewer; download them "
             "meanwhile. Next update in 60 minutes.")
    s.status(50, "Dana Kim", Status.IDENTIFIED, "A PDF.js upgrade dropped the worker script from the build.")
    _resolve(s, 110, "Dana Kim", "Build fixed and deployed; PDFs render.")
    s.update(111, "Sofia Alvarez", "Resolved: PDF attachments display again.")
    _meeting(
        s, 2, "Sofia Alvarez",
        summary="PDF attachments showed a blank file viewer for two hours.",
        impact="Reviewers in reconciliations and the checklist had to download support files.",
        root_cause="A PDF.js upgrade dropped its worker script from the build.",
        contributing_factors="The file viewer is shared by two teams; each assumed the other "
        "tested PDFs.",
        went_well="Both teams joined within ten minutes.",
        went_badly="Half an hour passed before anyone asked who owns the file viewer.",
        actions=[
            ("Name the owning team in the file viewer's error log and alerts", "Ravi Singh",
             "in 2 weeks", ActionKind.MONITORING, "WEB-1911", ActionStatus.DONE),
            ("Smoke test of PDF, image and spreadsheet previews in the release checklist",
             "Nina Kowalski", "in 1 week", ActionKind.TEST, "QE-240", ActionStatus.DONE),
        ],
    )


def _incident_36(store: Store, start: DateTime) -> None:
    s = _Scene(store, 36, _day(start, 12, 6, 45))
    s.declare(
        0, "Sam O'Connor", "Primary database failover during maintenance",
        severity=Severity.SEV1, ic="Marcus Chen", components=["database", "infrastructure"],
        summary="The app was unavailable for every customer while the database failed over.",
    )
    s.note(1, "Sam O'Connor", "Error rate jumps to 100 % during the planned minor-version upgrade.",
           happened=-4, key=KeyEvent.IMPACT_STARTED)
    s.note(1, "Sam O'Connor", "Paged by the uptime check.", happened=-3, key=KeyEvent.DETECTED)
    s.role(2, "Marcus Chen", IncidentRole.TECH_LEAD, "Sam O'Connor")
    s.role(2, "Marcus Chen", IncidentRole.RESPONDER, "Lena Novak")
    s.owners(2, ["DevOps"])
    s.update(3, "Marcus Chen", "The app is down for all customers. DevOps is working on it. Next update in 20 minutes.")
    s.status(9, "Sam O'Connor", Status.IDENTIFIED, "Failover promoted a replica that lagged; app pods kept stale connections.")
    s.status(16, "Sam O'Connor", Status.MONITORING, "App pods restarted; the app is back.")
    s.update(18, "Marcus Chen", "The app is available again. We are monitoring. Next update in 20 minutes.")
    _resolve(s, 60, "Marcus Chen", "Stable for 45 minutes; no data lost (replica lag was 2 s, replayed).")
    s.update(61, "Marcus Chen", "Resolved: the app was unavailable for 20 minutes during database maintenance. No data was lost.")
    _meeting(
        s, 2, "Marcus Chen",
        summary="The app was unavailable for every customer for 20 minutes during a planned "
        "database upgrade.",
        impact="All customers, 20 minutes, early in the European morning. No data lost.",
        root_cause="The failover promoted a lagging replica and the app kept its connections "
        "to the old primary.",
        contributing_factors="The upgrade was planned without a maintenance notice.",
        went_well="The uptime check paged within a minute.",
        went_badly="Customers heard nothing for the first 15 minutes.",
        got_lucky="Replica lag was two seconds; nothing was lost.",
        kudos="Sam and Lena.",
        actions=[
            ("Drain app connections before a planned failover", "Sam O'Connor", "in 2 weeks",
             ActionKind.FIX, "OPS-977", ActionStatus.DONE),
            ("Announce maintenance windows to customers a week ahead", "Chloe Martin",
             "in 1 week", ActionKind.PROCESS, "PM-88", ActionStatus.OPEN),
        ],
    )


def _incident_37(store: Store, start: DateTime) -> None:
    s = _Scene(store, 37, _day(start, 9, 16, 10))
    s.declare(
        0, "Luis Fernandez", "ERP sync posted duplicate journal entries", triage=True,
        components=["ERP sync"],
        escalation=(-25, "Priya Raman",
                    "A customer found every journal entry from yesterday twice in their ERP."),
    )
    s.triage(
        15, "Jamal Hughes",
        TriageAnswers(
            breadth=Breadth.HANDFUL, impact=Impact.DATA_LOSS, interrupts_business=True,
            workaround=False, customer_visible=True, needs_second_team=False,
            confidence=Confidence.SURE,
        ),
        "Wrong data in customers' books.",
    )
    s.severity(20, "Jamal Hughes", Severity.SEV2,
               "Only five customers synced in the window and none has closed the period yet.")
    s.role(21, "Jamal Hughes", IncidentRole.IC, "Jamal Hughes")
    s.owners(21, ["Integrations"])
    s.update(23, "Jamal Hughes", "Some journal entries were posted twice to customers' ERPs. Sync "
             "is paused. Next update in 30 minutes.")
    s.status(45, "Luis Fernandez", Status.IDENTIFIED, "A retry after a timeout did not reuse its idempotency key.")
    s.update(53, "Jamal Hughes", "Cause found. We are reversing the duplicates with each customer. Next update in 30 minutes.")
    s.status(120, "Luis Fernandez", Status.MONITORING, "Duplicates reversed; sync resumed with the fix.")
    _resolve(s, 240, "Jamal Hughes", "Five customers' ledgers verified with them.")
    _meeting(
        s, 3, "Jamal Hughes",
        summary="The ERP sync posted some journal entries twice for five customers.",
        impact="Five customers had duplicate entries in their ledgers for four hours.",
        root_cause="A retry after a timeout did not reuse its idempotency key.",
        went_well="Customers were called before they noticed.",
        went_badly="The first hour was spent deciding between SEV1 and SEV2.",
        actions=[
            ("Reuse the idempotency key on every retry of an ERP post", "Luis Fernandez",
             "in 1 week", ActionKind.FIX, "INT-781", ActionStatus.DONE),
            ("Alert on duplicate journal entries within one sync", "Luis Fernandez",
             "in 3 weeks", ActionKind.MONITORING, "INT-782", ActionStatus.IN_PROGRESS),
        ],
    )


def _incident_38(store: Store, start: DateTime) -> None:
    s = _Scene(store, 38, _day(start, 7, 13, 50))
    s.declare(
        0, "Tom Becker", "Reports link missing from the navigation bar for reviewers",
        ic="Marcus Chen", components=["navigation bar", "permissions"],
        escalation=(-30, "Ben Carter",
                    "Reviewers at several customers cannot find Reports: the link is gone "
                    "from the navigation bar."),
    )
    s.owners(2, ["Web Platform", "Close Checklist"])
    s.update(5, "Marcus Chen", "Reviewers do not see the Reports link; the page itself works "
             "by URL. Next update in 60 minutes.")
    s.status(40, "Dana Kim", Status.IDENTIFIED, "A permissions refactor hid the link for the reviewer role.")
    _resolve(s, 85, "Marcus Chen", "Link restored for reviewers.")
    _meeting(
        s, 1, "Marcus Chen",
        summary="Reviewers did not see the Reports link in the navigation bar for 85 minutes.",
        impact="Reviewers at many customers; the reports themselves worked by URL.",
        root_cause="A permissions refactor hid the link for the reviewer role.",
        contributing_factors="The navigation bar is shared; its permission tests live in "
        "another team's repository.",
        actions=[
            ("Snapshot tests of the navigation bar for every role", "Ravi Singh",
             "in 2 weeks", ActionKind.TEST, "WEB-1960", ActionStatus.OPEN),
        ],
    )


def _incident_39(store: Store, start: DateTime) -> None:
    """Resolved days ago; its post-mortem is now overdue."""
    s = _Scene(store, 39, _day(start, 6, 10, 0))
    s.declare(
        0, "Omar Haddad", "Password reset links stay valid for 7 days instead of 1 hour",
        severity=Severity.SEV2, ic="Jamal Hughes", components=["authentication"],
        summary="Found by a security review; no sign of misuse.",
    )
    s.role(1, "Jamal Hughes", IncidentRole.TECH_LEAD, "Omar Haddad")
    s.owners(1, ["Security"])
    s.update(4, "Jamal Hughes", "Password reset links lived longer than intended. No sign of misuse. Next update in 30 minutes.")
    s.status(20, "Omar Haddad", Status.IDENTIFIED, "The expiry was read in hours, configured in minutes.")
    s.update(33, "Jamal Hughes", "Fix in review; existing links will be expired. Next update in 30 minutes.")
    _resolve(s, 58, "Jamal Hughes", "Fix deployed; every outstanding reset link invalidated.")


def _incident_40(store: Store, start: DateTime) -> None:
    """Resolved two days ago; its post-mortem is still to come."""
    s = _Scene(store, 40, _day(start, 2, 8, 30))
    s.declare(
        0, "Kenji Watanabe", "Bulk upload to reconciliations times out over 50 MB",
        ic="Sofia Alvarez", components=["reconciliations", "infrastructure"],
        escalation=(-18, "Priya Raman", "Two customers cannot upload their year-end bank statements (80 MB)."),
    )
    s.owners(3, ["Reconciliations", "DevOps"])
    s.update(6, "Sofia Alvarez", "Large uploads to reconciliations fail; split the file meanwhile. Next update in 60 minutes.")
    s.status(45, "Sam O'Connor", Status.IDENTIFIED, "The new ingress has a 50 MB body limit.")
    s.status(70, "Sam O'Connor", Status.MONITORING, "Limit raised to 500 MB.")
    _resolve(s, 120, "Sofia Alvarez", "Both customers uploaded their statements.")


_PAST = [
    _incident_30, _incident_31, _incident_32, _incident_33, _incident_34, _incident_35,
    _incident_36, _incident_37, _incident_38, _incident_39, _incident_40,
]
_ACTIVE = [_incident_41, _incident_42, _incident_43, _incident_44]
