"""The demo's fifteen incidents, as data: what happened in each, step by step.

Past incidents (#30 to #40) began on a working day weeks ago and end within a day, most
with their post-mortem held; the active ones (#41 to #44) are happening now. Minutes are
after the incident began; ``ictui.demo.steps`` says what each step is and writes them.
"""

from __future__ import annotations

from ictui.demo.steps import (
    Assign,
    ChangeSeverity,
    ChangeStatus,
    Declare,
    DeleteEntry,
    DemoIncident,
    EditEntry,
    Meeting,
    Note,
    Owners,
    Resolve,
    Triage,
    Update,
)
from ictui.domain.enums import (
    ActionKind,
    ActionStatus,
    Breadth,
    Confidence,
    Impact,
    IncidentRole,
    KeyEvent,
    Severity,
    Status,
)
from ictui.domain.triage import TriageAnswers

# ---------------------------------------------------------------------- past incidents

PAST: list[DemoIncident] = [
    DemoIncident(
        30,
        day=(45, 13, 5),
        steps=[
            Declare(
                0,
                "Omar Haddad",
                "Login failures after SSO certificate rotation",
                severity=Severity.SEV1,
                ic="Sofia Alvarez",
                components=["SSO", "login page"],
                escalation=(
                    -6,
                    "Priya Raman",
                    "Every customer on SSO gets 'invalid signature' at login. Phones are ringing.",
                ),
            ),
            Note(
                2,
                "Omar Haddad",
                "The SAML signing certificate was rotated at the start of the hour.",
                happened=-9,
                key=KeyEvent.IMPACT_STARTED,
            ),
            Assign(2, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Omar Haddad"),
            Assign(3, "Sofia Alvarez", IncidentRole.RESPONDER, "Dana Kim"),
            Owners(3, ["Security", "Web Platform"]),
            Update(
                4,
                "Sofia Alvarez",
                "Customers using SSO cannot log in. We are investigating. Next update in 20 minutes.",
            ),
            ChangeStatus(
                14, "Omar Haddad", Status.IDENTIFIED, "Identity providers still hold the old certificate."
            ),
            Update(
                22,
                "Sofia Alvarez",
                "Cause found: a certificate rotation. Rolling back. Next update in 20 minutes.",
            ),
            ChangeStatus(
                31, "Omar Haddad", Status.MONITORING, "Old certificate restored; SSO logins succeed."
            ),
            Update(40, "Sofia Alvarez", "SSO logins work again. We are monitoring."),
            Resolve(75, "Sofia Alvarez", "No SSO errors for 45 minutes."),
            Update(
                76,
                "Sofia Alvarez",
                "Resolved: SSO logins have worked normally for 45 minutes. Post-mortem to follow.",
            ),
            Meeting(
                2,
                "Sofia Alvarez",
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
                    (
                        "Publish the next certificate in the metadata two weeks before rotating",
                        "Omar Haddad",
                        "in 2 weeks",
                        ActionKind.PROCESS,
                        "SEC-412",
                        ActionStatus.DONE,
                    ),
                    (
                        "Say 'SSO signature invalid' instead of the generic error page, and log the "
                        "owning team",
                        "Dana Kim",
                        "in 3 weeks",
                        ActionKind.MONITORING,
                        "WEB-1880",
                        ActionStatus.DONE,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        31,
        day=(38, 15, 40),
        steps=[
            Declare(
                0,
                "Luis Fernandez",
                "Bank feed imports stuck for a handful of customers",
                triage=True,
                components=["bank feeds"],
                escalation=(
                    -12,
                    "Ben Carter",
                    "Three customers' bank transactions stopped importing yesterday evening. "
                    "They cannot reconcile cash without them.",
                ),
            ),
            Triage(
                8,
                "Chloe Martin",
                TriageAnswers(
                    breadth=Breadth.HANDFUL,
                    impact=Impact.BLOCKED,
                    interrupts_business=True,
                    workaround=True,
                    customer_visible=True,
                    needs_second_team=False,
                    confidence=Confidence.SURE,
                ),
                "Cash reconciliation is blocked for them; manual CSV upload works meanwhile.",
            ),
            Assign(9, "Chloe Martin", IncidentRole.IC, "Jamal Hughes"),
            Owners(9, ["Integrations"]),
            Update(
                12,
                "Jamal Hughes",
                "Bank transactions stopped importing for a few customers. Upload a "
                "CSV statement meanwhile. Next update in 30 minutes.",
            ),
            ChangeStatus(
                35, "Luis Fernandez", Status.IDENTIFIED, "The bank's API changed its pagination token format."
            ),
            Update(
                41,
                "Jamal Hughes",
                "Cause found on the bank's side; we are adapting our connector. Next update in 30 minutes.",
            ),
            ChangeStatus(
                70, "Luis Fernandez", Status.MONITORING, "Connector fix deployed; backfill running."
            ),
            Resolve(130, "Jamal Hughes", "All three customers' transactions imported."),
            Update(131, "Jamal Hughes", "Resolved: missing bank transactions have been imported."),
            Meeting(
                3,
                "Jamal Hughes",
                summary="Bank transactions stopped importing for three customers for about a day.",
                impact="Three customers could not reconcile cash until the backfill finished.",
                root_cause="The bank changed its pagination token format without notice; our "
                "connector stopped after the first page and reported success.",
                contributing_factors="No alert when an import returns no transactions at all.",
                went_well="The CSV workaround kept two of the three customers going.",
                went_badly="We learnt of it from customers, a day late.",
                kudos="Luis, for the backfill script.",
                actions=[
                    (
                        "Alert when a daily bank import returns no transactions",
                        "Luis Fernandez",
                        "in 2 weeks",
                        ActionKind.MONITORING,
                        "INT-733",
                        ActionStatus.DONE,
                    ),
                    (
                        "Contract tests against the bank's sandbox",
                        "Nina Kowalski",
                        "in 4 weeks",
                        ActionKind.TEST,
                        "QE-219",
                        ActionStatus.IN_PROGRESS,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        32,
        day=(31, 9, 20),
        steps=[
            Declare(
                0,
                "Kenji Watanabe",
                "Reconciliation totals off by a cent for EUR accounts",
                triage=True,
                components=["reconciliations", "matching engine"],
                escalation=(
                    -20,
                    "Priya Raman",
                    "Customers with EUR accounts see reconciliations that never tie out: off by "
                    "0.01. Their auditors are asking.",
                ),
            ),
            Triage(
                10,
                "Sofia Alvarez",
                TriageAnswers(
                    breadth=Breadth.MANY,
                    impact=Impact.DEGRADED,
                    interrupts_business=True,
                    workaround=False,
                    customer_visible=True,
                    needs_second_team=False,
                    confidence=Confidence.SURE,
                ),
                "Reconciliations cannot be signed off; there is no workaround.",
            ),
            Assign(11, "Sofia Alvarez", IncidentRole.IC, "Sofia Alvarez"),
            Assign(11, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Kenji Watanabe"),
            Owners(11, ["Reconciliations"]),
            Update(
                15,
                "Sofia Alvarez",
                "EUR reconciliations show a one-cent difference. Investigating. Next update in 30 minutes.",
            ),
            ChangeStatus(
                40, "Kenji Watanabe", Status.IDENTIFIED, "Amounts rounded before conversion, not after."
            ),
            Update(
                44,
                "Sofia Alvarez",
                "Cause found: a rounding order change. Fix in review. Next update in 30 minutes.",
            ),
            ChangeStatus(
                95,
                "Kenji Watanabe",
                Status.MONITORING,
                "Fix deployed; recalculating affected reconciliations.",
            ),
            Resolve(180, "Sofia Alvarez", "All EUR reconciliations recalculated and tying out."),
            Update(181, "Sofia Alvarez", "Resolved: EUR reconciliations are correct again."),
            Meeting(
                2,
                "Sofia Alvarez",
                summary="EUR reconciliations were off by one cent for three hours.",
                impact="Many EUR customers could not sign off reconciliations; no wrong data left the app.",
                root_cause="A refactor rounded amounts before the currency conversion instead of after.",
                went_well="Recalculating every affected reconciliation took 40 minutes.",
                went_badly="The matching engine's tests only used USD.",
                kudos="Kenji, for the recalculation job.",
                actions=[
                    (
                        "Property tests of the matching engine in every supported currency",
                        "Kenji Watanabe",
                        "in 3 weeks",
                        ActionKind.TEST,
                        "REC-1502",
                        ActionStatus.DONE,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        33,
        about="Declined: a cosmetic defect, judged with certainty; the decision record says why.",
        day=(27, 10, 15),
        steps=[
            Declare(
                0,
                "Tom Becker",
                "Checklist header icon misaligned in Safari",
                triage=True,
                components=["close checklist"],
                escalation=(
                    -5,
                    "Ben Carter",
                    "Two customers on Safari say the icons in the checklist header overlap the "
                    "title. Everything still works. Incident?",
                ),
            ),
            Triage(
                9,
                "Aisha Patel",
                TriageAnswers(
                    breadth=Breadth.HANDFUL,
                    impact=Impact.COSMETIC,
                    interrupts_business=False,
                    workaround=True,
                    customer_visible=True,
                    needs_second_team=False,
                    confidence=Confidence.SURE,
                ),
                "Cosmetic, Safari only, nothing blocked: a defect for the Close Checklist backlog (CC-2291).",
            ),
        ],
    ),
    DemoIncident(
        34,
        about="Uncertain answers: treated as an incident, erring on the side of caution.",
        day=(22, 14, 0),
        steps=[
            Declare(
                0,
                "Tom Becker",
                "Close dashboard very slow for one large customer",
                triage=True,
                components=["close dashboard", "performance"],
                escalation=(
                    -15,
                    "Priya Raman",
                    "Umbrella Corp (40k tasks) says the close dashboard takes minutes to open. "
                    "Not sure it blocks their close, they are on a call with their controller.",
                ),
            ),
            Triage(
                12,
                "Marcus Chen",
                TriageAnswers(
                    breadth=Breadth.ONE,
                    impact=Impact.DEGRADED,
                    interrupts_business=None,
                    workaround=None,
                    customer_visible=True,
                    needs_second_team=None,
                    confidence=Confidence.UNSURE,
                ),
                "PM, EM and tech lead could not tell whether their close is blocked; erring on the "
                "side of caution, even if it costs the sprint.",
            ),
            Assign(13, "Marcus Chen", IncidentRole.IC, "Marcus Chen"),
            Owners(13, ["Close Checklist"]),
            ChangeStatus(
                55,
                "Tom Becker",
                Status.IDENTIFIED,
                "A missing index on task assignments; one query scans 40k rows per widget.",
            ),
            ChangeStatus(90, "Tom Becker", Status.MONITORING, "Index added; dashboard opens in 3 s."),
            Resolve(150, "Marcus Chen", "Customer confirms the dashboard is fast again."),
            Meeting(
                1,
                "Marcus Chen",
                summary="The close dashboard took minutes to open for one very large customer.",
                impact="One customer (40k tasks) was slowed down for a morning; their close was not blocked.",
                root_cause="A missing index on task assignments.",
                went_well="Erring on the side of caution cost half a sprint day and got it fixed the same day.",
                went_badly="For 15 minutes nobody could say whether it blocked their close.",
                actions=[
                    (
                        "Load test the dashboard with 50k tasks before each release",
                        "Nina Kowalski",
                        "in 2 weeks",
                        ActionKind.TEST,
                        "QE-231",
                        ActionStatus.OPEN,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        35,
        day=(17, 11, 30),
        steps=[
            Declare(
                0,
                "Ravi Singh",
                "File viewer blank for PDF attachments",
                triage=True,
                components=["file viewer"],
                escalation=(
                    -10,
                    "Ben Carter",
                    "Reviewers see a blank file viewer for PDF support documents in "
                    "reconciliations and in the checklist. Downloading works.",
                ),
            ),
            Triage(
                6,
                "Sofia Alvarez",
                TriageAnswers(
                    breadth=Breadth.MANY,
                    impact=Impact.DEGRADED,
                    interrupts_business=True,
                    workaround=True,
                    customer_visible=True,
                    needs_second_team=True,
                    confidence=Confidence.SURE,
                ),
                "Reviewers cannot review support inside the app; downloading each file is a poor workaround.",
            ),
            Assign(7, "Sofia Alvarez", IncidentRole.IC, "Sofia Alvarez"),
            Owners(7, ["Web Platform", "Reconciliations"]),
            Note(
                8,
                "Sofia Alvarez",
                "The file viewer is shared: Web Platform owns it, Reconciliations "
                "embeds it. Asked both tech leads to join.",
            ),
            Update(
                10,
                "Sofia Alvarez",
                "PDF attachments show blank in the file viewer; download them "
                "meanwhile. Next update in 60 minutes.",
            ),
            ChangeStatus(
                50,
                "Dana Kim",
                Status.IDENTIFIED,
                "A PDF.js upgrade dropped the worker script from the build.",
            ),
            Resolve(110, "Dana Kim", "Build fixed and deployed; PDFs render."),
            Update(111, "Sofia Alvarez", "Resolved: PDF attachments display again."),
            Meeting(
                2,
                "Sofia Alvarez",
                summary="PDF attachments showed a blank file viewer for two hours.",
                impact="Reviewers in reconciliations and the checklist had to download support files.",
                root_cause="A PDF.js upgrade dropped its worker script from the build.",
                contributing_factors="The file viewer is shared by two teams; each assumed the other "
                "tested PDFs.",
                went_well="Both teams joined within ten minutes.",
                went_badly="Half an hour passed before anyone asked who owns the file viewer.",
                actions=[
                    (
                        "Name the owning team in the file viewer's error log and alerts",
                        "Ravi Singh",
                        "in 2 weeks",
                        ActionKind.MONITORING,
                        "WEB-1911",
                        ActionStatus.DONE,
                    ),
                    (
                        "Smoke test of PDF, image and spreadsheet previews in the release checklist",
                        "Nina Kowalski",
                        "in 1 week",
                        ActionKind.TEST,
                        "QE-240",
                        ActionStatus.DONE,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        36,
        day=(12, 6, 45),
        steps=[
            Declare(
                0,
                "Sam O'Connor",
                "Primary database failover during maintenance",
                severity=Severity.SEV1,
                ic="Marcus Chen",
                components=["database", "infrastructure"],
                summary="The app was unavailable for every customer while the database failed over.",
            ),
            Note(
                1,
                "Sam O'Connor",
                "Error rate jumps to 100 % during the planned minor-version upgrade.",
                happened=-4,
                key=KeyEvent.IMPACT_STARTED,
            ),
            Note(1, "Sam O'Connor", "Paged by the uptime check.", happened=-3, key=KeyEvent.DETECTED),
            Assign(2, "Marcus Chen", IncidentRole.TECH_LEAD, "Sam O'Connor"),
            Assign(2, "Marcus Chen", IncidentRole.RESPONDER, "Lena Novak"),
            Owners(2, ["DevOps"]),
            Update(
                3,
                "Marcus Chen",
                "The app is down for all customers. DevOps is working on it. Next update in 20 minutes.",
            ),
            ChangeStatus(
                9,
                "Sam O'Connor",
                Status.IDENTIFIED,
                "Failover promoted a replica that lagged; app pods kept stale connections.",
            ),
            ChangeStatus(16, "Sam O'Connor", Status.MONITORING, "App pods restarted; the app is back."),
            Update(
                18, "Marcus Chen", "The app is available again. We are monitoring. Next update in 20 minutes."
            ),
            Resolve(
                60, "Marcus Chen", "Stable for 45 minutes; no data lost (replica lag was 2 s, replayed)."
            ),
            Update(
                61,
                "Marcus Chen",
                "Resolved: the app was unavailable for 20 minutes during database maintenance. No data was lost.",
            ),
            Meeting(
                2,
                "Marcus Chen",
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
                    (
                        "Drain app connections before a planned failover",
                        "Sam O'Connor",
                        "in 2 weeks",
                        ActionKind.FIX,
                        "OPS-977",
                        ActionStatus.DONE,
                    ),
                    (
                        "Announce maintenance windows to customers a week ahead",
                        "Chloe Martin",
                        "in 1 week",
                        ActionKind.PROCESS,
                        "PM-88",
                        ActionStatus.OPEN,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        37,
        day=(9, 16, 10),
        steps=[
            Declare(
                0,
                "Luis Fernandez",
                "ERP sync posted duplicate journal entries",
                triage=True,
                components=["ERP sync"],
                escalation=(
                    -25,
                    "Priya Raman",
                    "A customer found every journal entry from yesterday twice in their ERP.",
                ),
            ),
            Triage(
                15,
                "Jamal Hughes",
                TriageAnswers(
                    breadth=Breadth.HANDFUL,
                    impact=Impact.DATA_LOSS,
                    interrupts_business=True,
                    workaround=False,
                    customer_visible=True,
                    needs_second_team=False,
                    confidence=Confidence.SURE,
                ),
                "Wrong data in customers' books.",
            ),
            ChangeSeverity(
                20,
                "Jamal Hughes",
                Severity.SEV2,
                "Only five customers synced in the window and none has closed the period yet.",
            ),
            Assign(21, "Jamal Hughes", IncidentRole.IC, "Jamal Hughes"),
            Owners(21, ["Integrations"]),
            Update(
                23,
                "Jamal Hughes",
                "Some journal entries were posted twice to customers' ERPs. Sync "
                "is paused. Next update in 30 minutes.",
            ),
            ChangeStatus(
                45,
                "Luis Fernandez",
                Status.IDENTIFIED,
                "A retry after a timeout did not reuse its idempotency key.",
            ),
            Update(
                53,
                "Jamal Hughes",
                "Cause found. We are reversing the duplicates with each customer. Next update in 30 minutes.",
            ),
            ChangeStatus(
                120, "Luis Fernandez", Status.MONITORING, "Duplicates reversed; sync resumed with the fix."
            ),
            Resolve(240, "Jamal Hughes", "Five customers' ledgers verified with them."),
            Meeting(
                3,
                "Jamal Hughes",
                summary="The ERP sync posted some journal entries twice for five customers.",
                impact="Five customers had duplicate entries in their ledgers for four hours.",
                root_cause="A retry after a timeout did not reuse its idempotency key.",
                went_well="Customers were called before they noticed.",
                went_badly="The first hour was spent deciding between SEV1 and SEV2.",
                actions=[
                    (
                        "Reuse the idempotency key on every retry of an ERP post",
                        "Luis Fernandez",
                        "in 1 week",
                        ActionKind.FIX,
                        "INT-781",
                        ActionStatus.DONE,
                    ),
                    (
                        "Alert on duplicate journal entries within one sync",
                        "Luis Fernandez",
                        "in 3 weeks",
                        ActionKind.MONITORING,
                        "INT-782",
                        ActionStatus.IN_PROGRESS,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        38,
        day=(7, 13, 50),
        steps=[
            Declare(
                0,
                "Tom Becker",
                "Reports link missing from the navigation bar for reviewers",
                ic="Marcus Chen",
                components=["navigation bar", "permissions"],
                escalation=(
                    -30,
                    "Ben Carter",
                    "Reviewers at several customers cannot find Reports: the link is gone "
                    "from the navigation bar.",
                ),
            ),
            Owners(2, ["Web Platform", "Close Checklist"]),
            Update(
                5,
                "Marcus Chen",
                "Reviewers do not see the Reports link; the page itself works "
                "by URL. Next update in 60 minutes.",
            ),
            ChangeStatus(
                40,
                "Dana Kim",
                Status.IDENTIFIED,
                "A permissions refactor hid the link for the reviewer role.",
            ),
            Resolve(85, "Marcus Chen", "Link restored for reviewers."),
            Meeting(
                1,
                "Marcus Chen",
                summary="Reviewers did not see the Reports link in the navigation bar for 85 minutes.",
                impact="Reviewers at many customers; the reports themselves worked by URL.",
                root_cause="A permissions refactor hid the link for the reviewer role.",
                contributing_factors="The navigation bar is shared; its permission tests live in "
                "another team's repository.",
                actions=[
                    (
                        "Snapshot tests of the navigation bar for every role",
                        "Ravi Singh",
                        "in 2 weeks",
                        ActionKind.TEST,
                        "WEB-1960",
                        ActionStatus.OPEN,
                    ),
                ],
            ),
        ],
    ),
    DemoIncident(
        39,
        about="Resolved days ago; its post-mortem is now overdue.",
        day=(6, 10, 0),
        steps=[
            Declare(
                0,
                "Omar Haddad",
                "Password reset links stay valid for 7 days instead of 1 hour",
                severity=Severity.SEV2,
                ic="Jamal Hughes",
                components=["authentication"],
                summary="Found by a security review; no sign of misuse.",
            ),
            Assign(1, "Jamal Hughes", IncidentRole.TECH_LEAD, "Omar Haddad"),
            Owners(1, ["Security"]),
            Update(
                4,
                "Jamal Hughes",
                "Password reset links lived longer than intended. No sign of misuse. Next update in 30 minutes.",
            ),
            ChangeStatus(
                20, "Omar Haddad", Status.IDENTIFIED, "The expiry was read in hours, configured in minutes."
            ),
            Update(
                33,
                "Jamal Hughes",
                "Fix in review; existing links will be expired. Next update in 30 minutes.",
            ),
            Resolve(58, "Jamal Hughes", "Fix deployed; every outstanding reset link invalidated."),
        ],
    ),
    DemoIncident(
        40,
        about="Resolved two days ago; its post-mortem is still to come.",
        day=(2, 8, 30),
        steps=[
            Declare(
                0,
                "Kenji Watanabe",
                "Bulk upload to reconciliations times out over 50 MB",
                ic="Sofia Alvarez",
                components=["reconciliations", "infrastructure"],
                escalation=(
                    -18,
                    "Priya Raman",
                    "Two customers cannot upload their year-end bank statements (80 MB).",
                ),
            ),
            Owners(3, ["Reconciliations", "DevOps"]),
            Update(
                6,
                "Sofia Alvarez",
                "Large uploads to reconciliations fail; split the file meanwhile. Next update in 60 minutes.",
            ),
            ChangeStatus(45, "Sam O'Connor", Status.IDENTIFIED, "The new ingress has a 50 MB body limit."),
            ChangeStatus(70, "Sam O'Connor", Status.MONITORING, "Limit raised to 500 MB."),
            Resolve(120, "Sofia Alvarez", "Both customers uploaded their statements."),
        ],
    ),
]

# ---------------------------------------------------------------------- active incidents

ACTIVE: list[DemoIncident] = [
    DemoIncident(
        41,
        about="The slow app: a shared UI part and performance, so two teams could own it.",
        steps=[
            Declare(
                -63,
                "Dana Kim",
                "Slow app load times",
                triage=True,
                components=["performance", "navigation bar"],
                escalation=(
                    -65,
                    "Priya Raman",
                    "Heads up: Acme Corp, Globex and Initech all say the app takes 30+ seconds "
                    "to load after login this morning; some see a blank page with only the "
                    "navigation bar spinning. Screenshots in the thread. This looks new, and "
                    "serious.",
                ),
            ),
            Note(
                -60,
                "Dana Kim",
                "Reproduced: the first load of the app shell takes 24 s on a fresh "
                "browser profile; the navigation bar renders last.",
            ),
            Note(
                -55,
                "Sam O'Connor",
                "From the metrics: p95 initial page load starts climbing from "
                "2.1 s to 9.4 s, right after yesterday's release reached all customers.",
                happened=-130,
                key=KeyEvent.IMPACT_STARTED,
            ),
            Triage(
                -51,
                "Marcus Chen",
                TriageAnswers(
                    breadth=Breadth.MANY,
                    impact=Impact.DEGRADED,
                    interrupts_business=True,
                    workaround=False,
                    customer_visible=True,
                    needs_second_team=True,
                    confidence=Confidence.SURE,
                ),
                "Quick check-in of Aisha (PM), Dana (tech lead) and me: many customers wait minutes "
                "per page in the middle of their close. That interrupts their business process.",
            ),
            Assign(-50, "Marcus Chen", IncidentRole.IC, "Marcus Chen"),
            Assign(-50, "Marcus Chen", IncidentRole.TECH_LEAD, "Dana Kim"),
            Assign(-49, "Marcus Chen", IncidentRole.RESPONDER, "Sam O'Connor"),
            Assign(-49, "Marcus Chen", IncidentRole.COMMS, "Aisha Patel"),
            Owners(
                -49,
                ["Web Platform", "DevOps"],
                summary="Pages take 10-30 s to load for many customers since yesterday's release. "
                "Not yet known whether the app code or the infrastructure is at fault.",
            ),
            Note(
                -48,
                "Marcus Chen",
                "Ownership unclear: the app shell and navigation bar belong to Web "
                "Platform, the servers and CDN to DevOps. Both teams investigate until we know.",
            ),
            Update(
                -47,
                "Marcus Chen",
                "We are investigating slow load times: many customers wait 10-30 seconds for pages "
                "to load after login. Web Platform and DevOps are on it. Next update in 30 minutes.",
            ),
            Note(
                -44,
                "Sam O'Connor",
                "Load balancers, CDN and database healthy; cache hit ratio normal. "
                "Infrastructure looks fine.",
            ),
            Note(
                -40,
                "Ravi Singh",
                "The app shell bundle grew from 1.3 MB to 7.9 MB in "
                "yesterday's release: the navigation bar now imports the whole charting "
                "library for its new usage badge.",
                label="finding",
            ),
            Note(-38, "Ravi Singh", "Paged Lena about the EU load balancer certificate.", label="stray"),
            DeleteEntry(-37, "Ravi Singh", "stray"),  # meant for #42
            ChangeStatus(
                -33,
                "Marcus Chen",
                Status.IDENTIFIED,
                "Root cause: the navigation bar's usage badge pulls the charting library into every page.",
            ),
            EditEntry(
                -30,
                "Ravi Singh",
                "finding",
                "The app shell bundle grew from 1.3 MB to 7.9 MB in yesterday's release: the "
                "navigation bar now imports the whole charting library for its new usage badge. "
                "Confirmed with the bundle analyzer.",
            ),
            Note(
                -26, "Dana Kim", "Fix: lazy-load the usage badge. PR is open; reverting the badge is plan B."
            ),
            Note(-20, "Nina Kowalski", "QE smoke tests of the fix on staging pass; load time back to 2.3 s."),
            # Due at -17 (30 minutes after the previous one): sent three minutes late.
            Update(
                -14,
                "Marcus Chen",
                "Identified: a change in yesterday's release made the navigation bar load far more "
                "code than it needs, which slows every page for many customers. A fix is in "
                "testing and should reach production within the hour. Next update in 30 minutes.",
            ),
            Note(-6, "Dana Kim", "Fix approved by QE; deploying to production now.", shared=True),
        ],
    ),
    DemoIncident(
        42,
        about="A SEV1 outage already mitigated: monitoring, updates every 20 minutes.",
        steps=[
            Declare(
                -40,
                "Sofia Alvarez",
                "EU customers cannot log in (502 on the login page)",
                severity=Severity.SEV1,
                ic="Sofia Alvarez",
                components=["login page", "load balancers"],
                summary="The login page returns 502 Bad Gateway for customers served from the EU region.",
                escalation=(
                    -43,
                    "Ben Carter",
                    "Four tickets in five minutes: EU customers get '502 Bad Gateway' on the "
                    "login page, Initech Europe among them. Nobody in the EU can log in.",
                ),
            ),
            Note(
                -39,
                "Lena Novak",
                "The synthetic login check for eu-west starts failing.",
                happened=-46,
                key=KeyEvent.IMPACT_STARTED,
            ),
            Assign(-39, "Sofia Alvarez", IncidentRole.TECH_LEAD, "Lena Novak"),
            Assign(-38, "Sofia Alvarez", IncidentRole.RESPONDER, "Omar Haddad"),
            Owners(-38, ["DevOps"]),
            Update(
                -37,
                "Sofia Alvarez",
                "EU customers cannot log in: the login page returns an error. DevOps is "
                "investigating; Security is ruling out an attack. Next update in 20 minutes.",
            ),
            Note(
                -33,
                "Lena Novak",
                "One of the two EU load balancers fails its health checks since its "
                "certificate renewal; the other one is overloaded.",
            ),
            Note(-28, "Omar Haddad", "No sign of an attack: traffic volume and origins are normal."),
            ChangeStatus(
                -25,
                "Sofia Alvarez",
                Status.IDENTIFIED,
                "Renewed certificate was installed without its chain.",
            ),
            Update(
                -17,
                "Sofia Alvarez",
                "We found the cause: a certificate renewal on an EU load balancer. We are moving "
                "traffic to a standby. Next update in 20 minutes.",
            ),
            ChangeStatus(
                -10,
                "Lena Novak",
                Status.MONITORING,
                "Traffic moved to the standby load balancer; logins succeed.",
            ),
            Note(-8, "Lena Novak", "Login error rate back to 0.1 % (normal).", shared=True),
        ],
    ),
    DemoIncident(
        43,
        about="A SEV3 judged through the checklist: an incident, but a modest one.",
        steps=[
            Declare(
                -30,
                "Tom Becker",
                "Sign-off reminder emails not sent",
                triage=True,
                components=["sign-offs", "email delivery"],
                escalation=(
                    -32,
                    "Priya Raman",
                    "Two customers say none of their reviewers got the 'sign-off due' reminder "
                    "emails today. Can someone from Close Checklist take a look?",
                ),
            ),
            Triage(
                -25,
                "Aisha Patel",
                TriageAnswers(
                    breadth=Breadth.MANY,
                    impact=Impact.DEGRADED,
                    interrupts_business=True,
                    workaround=True,
                    customer_visible=True,
                    needs_second_team=False,
                    confidence=Confidence.SURE,
                ),
                "Close deadlines slip without reminders, but preparers can nudge reviewers by hand.",
            ),
            Assign(-24, "Aisha Patel", IncidentRole.IC, "Jamal Hughes"),
            Owners(-24, ["Close Checklist"]),
            Update(
                -22,
                "Jamal Hughes",
                "Sign-off reminder emails are not being sent. Sign-offs themselves work; remind "
                "reviewers by hand in the meantime. Next update in 60 minutes.",
            ),
            Note(
                -18,
                "Tom Becker",
                "The reminder job has not run since last night's maintenance; "
                "checking whether its schedule was lost.",
            ),
        ],
    ),
    DemoIncident(
        44,
        about="Fresh from #engineering-support: waiting for someone to run the checklist.",
        steps=[
            Declare(
                -6,
                "Kenji Watanabe",
                "Export to Excel times out on large reconciliations",
                triage=True,
                components=["export", "reconciliations"],
                escalation=(
                    -7,
                    "Ben Carter",
                    "Globex cannot export a 60k-row reconciliation to Excel: it spins, then "
                    "'request timed out'. Exporting one account range at a time works. "
                    "Incident, or a defect for the backlog?",
                ),
            ),
        ],
    ),
]

# In the order they are written.
INCIDENTS: list[DemoIncident] = PAST + ACTIVE
