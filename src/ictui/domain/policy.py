"""The knobs a team sets once: update cadence per severity, post-mortem deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pendulum
from pendulum import DateTime

from ictui.domain.clock import local_zone
from ictui.domain.enums import Severity
from ictui.domain.lifecycle import DEFAULT_CADENCE_MINUTES

POSTMORTEM_HOUR = 10


@dataclass(frozen=True)
class Policy:
    cadence_minutes: dict[Severity, int | None] = field(default_factory=lambda: dict(DEFAULT_CADENCE_MINUTES))
    postmortem_business_days: int = 3
    # SEV1 and SEV2 updates are mirrored to the broadcast channel.
    mirror_severities: frozenset[Severity] = frozenset({Severity.SEV1, Severity.SEV2})

    def cadence_for(self, severity: Severity) -> int | None:
        return self.cadence_minutes.get(severity)

    def postmortem_deadline(self, resolved_at: datetime) -> DateTime:
        """``postmortem_business_days`` working days after resolution, weekends skipped,
        at the usual meeting hour in the IC's zone (a meeting at 03:12 helps nobody)."""
        day = pendulum.instance(resolved_at).in_timezone(local_zone())
        remaining = self.postmortem_business_days
        while remaining > 0:
            day = day.add(days=1)
            if day.day_of_week not in (pendulum.SATURDAY, pendulum.SUNDAY):
                remaining -= 1
        return day.set(hour=POSTMORTEM_HOUR, minute=0, second=0, microsecond=0).in_timezone("UTC")
