"""The status menu (the next step forward under the cursor; steps back need a reason) and
the severity triage suggests (shown and confirmed, never applied silently)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ictui.domain.enums import Status
from ictui.domain.lifecycle import allowed_next, is_step_back, next_forward
from ictui.domain.triage import TriageAnswers, assess
from ictui.domain.views import IncidentView


def status_choices(current: Status) -> tuple[list[Any], int, frozenset[int]]:
    """(the choices, the one highlighted, the ones that are a step back)."""
    from ictui.tui.screens.forms import Choice

    statuses = allowed_next(current)
    back = frozenset(i for i, status in enumerate(statuses) if is_step_back(current, status))
    labels = [f"{status} (back: say why)" if i in back else str(status) for i, status in enumerate(statuses)]
    forward = next_forward(current)
    highlight = statuses.index(forward) if forward is not None else 0
    return [Choice(s, label) for s, label in zip(statuses, labels, strict=True)], highlight, back


def confirm_severity(
    screen: Any, view: IncidentView, answers: TriageAnswers, record: Callable[[bool], None]
) -> None:
    """Triage suggests a severity: shown and confirmed, never applied silently.

    ``record(apply_severity)`` stores the triage; the IC's answer says whether the
    suggested severity replaces the one the incident has.
    """
    from ictui.tui.screens.forms import ConfirmModal

    suggested = assess(answers).severity
    if suggested == view.severity:
        record(False)
        return

    def answered(yes: bool | None) -> None:
        if yes is None:
            return
        record(bool(yes))

    screen.app.push_screen(
        ConfirmModal(
            f"Triage suggests {suggested} for #{view.number}, which is {view.severity} now. "
            f"Change the severity to {suggested}?",
            confirm=f"Make it {suggested}",
            cancel=f"Keep {view.severity}",
        ),
        answered,
    )
