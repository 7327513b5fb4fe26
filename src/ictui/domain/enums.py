"""The vocabulary of an incident, as string enums so that they store and print as words."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    TRIAGE = "triage"
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DECLINED = "declined"

    @property
    def is_active(self) -> bool:
        """Active incidents are the ones that still owe people updates."""
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = frozenset({Status.TRIAGE, Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING})


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"

    @property
    def rank(self) -> int:
        """1 is the worst."""
        return int(self.value[-1])


class Breadth(StrEnum):
    """How widespread is the issue?"""

    ONE = "one customer"
    HANDFUL = "a handful"
    MANY = "many"
    ALL = "all"


class Impact(StrEnum):
    """How severe is the issue?"""

    COSMETIC = "cosmetic"
    DEGRADED = "degraded"
    BLOCKED = "critical part blocked"
    DATA_LOSS = "data loss or security"


class Confidence(StrEnum):
    SURE = "sure"
    UNSURE = "unsure"


class Verdict(StrEnum):
    INCIDENT = "incident"
    DEFECT = "defect"


class EntryKind(StrEnum):
    NOTE = "note"
    STATUS = "status"
    SEVERITY = "severity"
    ROLE = "role"
    UPDATE = "update"
    SLACK = "slack message"
    DECISION = "decision"
    ACTION = "action"


class EntrySource(StrEnum):
    MANUAL = "manual"
    SYSTEM = "system"
    SLACK = "slack"


class KeyEvent(StrEnum):
    IMPACT_STARTED = "impact started"
    DETECTED = "detected"
    DECLARED = "declared"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    ROOT_CAUSE = "root cause found"


class Role(StrEnum):
    """What a person is in the company; also the roles one holds in an incident."""

    PM = "PM"
    EM = "EM"
    TECH_LEAD = "tech lead"
    ENGINEER = "engineer"
    SUPPORT = "support"
    DEVOPS = "DevOps"
    QE = "QE"
    SECURITY = "security"


class IncidentRole(StrEnum):
    IC = "IC"
    TECH_LEAD = "tech lead"
    COMMS = "comms"
    SCRIBE = "scribe"
    RESPONDER = "responder"


class UpdateState(StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class ActionKind(StrEnum):
    MONITORING = "monitoring / error messages"
    FIX = "fix"
    PROCESS = "process"
    DOCS = "documentation"
    TEST = "test"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    WONT_DO = "won't do"


class OutboxState(StrEnum):
    PENDING = "pending"
    # Sent to Slack but our commit of the reply did not happen: look before re-sending.
    IN_FLIGHT = "in flight"
    DONE = "done"
    FAILED = "failed"
