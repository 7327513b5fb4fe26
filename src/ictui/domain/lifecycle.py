"""Which status may follow which, and which key events a status change marks."""

from __future__ import annotations

from ictui.domain.enums import KeyEvent, Severity, Status
from ictui.domain.errors import IllegalTransition

# Forward along the chain, skipping steps when things go faster than expected, and a
# few steps back for the regressions that happen in real incidents.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.TRIAGE: frozenset(
        {Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED, Status.DECLINED}
    ),
    Status.INVESTIGATING: frozenset({Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED}),
    Status.IDENTIFIED: frozenset({Status.INVESTIGATING, Status.MONITORING, Status.RESOLVED}),
    Status.MONITORING: frozenset({Status.INVESTIGATING, Status.IDENTIFIED, Status.RESOLVED}),
    # Reopening is a fact of life: the fix did not hold.
    Status.RESOLVED: frozenset({Status.CLOSED, Status.INVESTIGATING}),
    Status.CLOSED: frozenset(),
    # A defect judged again, with new information, may turn out to be an incident.
    Status.DECLINED: frozenset({Status.TRIAGE, Status.INVESTIGATING}),
}

# The key event a status marks the first time an incident reaches it.
STATUS_KEY_EVENTS: dict[Status, KeyEvent] = {
    Status.INVESTIGATING: KeyEvent.DECLARED,
    Status.IDENTIFIED: KeyEvent.ROOT_CAUSE,
    Status.MONITORING: KeyEvent.MITIGATED,
    Status.RESOLVED: KeyEvent.RESOLVED,
}

DEFAULT_CADENCE_MINUTES: dict[Severity, int | None] = {
    Severity.SEV1: 20,
    Severity.SEV2: 30,
    Severity.SEV3: 60,
    Severity.SEV4: None,
}


def allowed_next(current: Status) -> list[Status]:
    """The statuses one may move to, in lifecycle order (for menus)."""
    order = list(Status)
    return sorted(TRANSITIONS[current], key=order.index)


def check_transition(current: Status, new: Status) -> None:
    if new == current:
        raise IllegalTransition(f"the incident is already {current}")
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(allowed_next(current)) or "nothing (it is final)"
        raise IllegalTransition(f"cannot move from {current} to {new}; allowed: {allowed}")


# How far along an incident is: a move to a lower rank is a step back (reopening, back
# to investigating), which the IC gives a reason for. Declined sits with resolved.
_RANK = {
    Status.TRIAGE: 0,
    Status.INVESTIGATING: 1,
    Status.IDENTIFIED: 2,
    Status.MONITORING: 3,
    Status.RESOLVED: 4,
    Status.DECLINED: 4,
    Status.CLOSED: 5,
}


def is_step_back(current: Status, new: Status) -> bool:
    return _RANK[new] < _RANK[current]


def next_forward(current: Status) -> Status | None:
    """The status a menu offers first: the nearest step forward (None if there is none)."""
    forward = [s for s in allowed_next(current) if not is_step_back(current, s)]
    return forward[0] if forward else None
