"""Is it an incident, and how bad? The checklist's answers mapped to a verdict and a severity.

The definition we use: an incident is "anything that interrupts our normal business
process", judged by how widespread and how severe it is. When the answers are
uncertain we err on the side of treating it as an incident, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ictui.domain.enums import Breadth, Confidence, Impact, Severity, Verdict

_BREADTH_ORDER = list(Breadth)
_IMPACT_ORDER = list(Impact)

# Rows: impact from cosmetic to data loss; columns: breadth from one customer to all.
_SEVERITY_MATRIX: dict[Impact, tuple[Severity, Severity, Severity, Severity]] = {
    Impact.COSMETIC: (Severity.SEV4, Severity.SEV4, Severity.SEV4, Severity.SEV3),
    Impact.DEGRADED: (Severity.SEV4, Severity.SEV3, Severity.SEV3, Severity.SEV2),
    Impact.BLOCKED: (Severity.SEV3, Severity.SEV2, Severity.SEV1, Severity.SEV1),
    Impact.DATA_LOSS: (Severity.SEV2, Severity.SEV1, Severity.SEV1, Severity.SEV1),
}


@dataclass(frozen=True)
class TriageAnswers:
    """The checklist. ``None`` means "not answered yet"."""

    breadth: Breadth | None = None
    impact: Impact | None = None
    interrupts_business: bool | None = None
    workaround: bool | None = None
    customer_visible: bool | None = None
    needs_second_team: bool | None = None
    unsolved_after_hour: bool | None = None
    confidence: Confidence = Confidence.SURE

    @property
    def unanswered(self) -> list[str]:
        names = {
            "breadth": self.breadth,
            "severity": self.impact,
            "interrupts a business process": self.interrupts_business,
            "workaround": self.workaround,
        }
        return [name for name, value in names.items() if value is None]


@dataclass(frozen=True)
class TriageResult:
    verdict: Verdict
    severity: Severity
    erred_on_caution: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        caution = " (erring on the side of caution)" if self.erred_on_caution else ""
        return f"{self.verdict} · {self.severity}{caution}"


def suggest_severity(answers: TriageAnswers) -> Severity:
    """Unknown breadth or impact is assumed bad: a guess too low costs more than one too high."""
    breadth = answers.breadth or Breadth.MANY
    impact = answers.impact or Impact.BLOCKED
    severity = _SEVERITY_MATRIX[impact][_BREADTH_ORDER.index(breadth)]
    if answers.workaround is False and impact in (Impact.DEGRADED, Impact.BLOCKED):
        severity = _worse(severity)
    return severity


def _worse(severity: Severity) -> Severity:
    return Severity(f"SEV{max(1, severity.rank - 1)}")


def assess(answers: TriageAnswers) -> TriageResult:
    severity = suggest_severity(answers)
    decisive = _decisive_incident_reasons(answers)
    if decisive:
        return TriageResult(Verdict.INCIDENT, severity, False, tuple(decisive))

    if _clearly_a_defect(answers):
        if answers.confidence is Confidence.UNSURE:
            return TriageResult(
                Verdict.INCIDENT,
                severity,
                True,
                ("the answers point to a defect, but they are uncertain",),
            )
        return TriageResult(
            Verdict.DEFECT,
            severity,
            False,
            ("does not interrupt a business process", _defect_reason(answers)),
        )

    reasons = ["the answers do not settle it"]
    if answers.unanswered:
        reasons.append("not answered: " + ", ".join(answers.unanswered))
    reasons.extend(_leaning_reasons(answers))
    return TriageResult(Verdict.INCIDENT, severity, True, tuple(reasons))


def _decisive_incident_reasons(a: TriageAnswers) -> list[str]:
    reasons = []
    if a.interrupts_business:
        reasons.append("interrupts a normal business process")
    if a.impact is Impact.DATA_LOSS:
        reasons.append("data loss or a security problem")
    if a.impact is Impact.BLOCKED and a.breadth not in (None, Breadth.ONE):
        reasons.append(f"a critical part is blocked for {a.breadth}")
    if a.breadth is Breadth.ALL and a.impact not in (None, Impact.COSMETIC):
        reasons.append(f"every customer sees a {a.impact} product")
    return reasons


def _clearly_a_defect(a: TriageAnswers) -> bool:
    if a.interrupts_business is not False:
        return False
    if a.impact is Impact.COSMETIC:
        return a.breadth is not None
    if a.impact is Impact.DEGRADED:
        return a.workaround is True and a.breadth in (Breadth.ONE, Breadth.HANDFUL, Breadth.MANY)
    return False


def _defect_reason(a: TriageAnswers) -> str:
    if a.impact is Impact.COSMETIC:
        return "cosmetic only"
    return f"degraded for {a.breadth}, with a workaround"


def _leaning_reasons(a: TriageAnswers) -> list[str]:
    signals = {
        "customers can see it": a.customer_visible,
        "needs a second team": a.needs_second_team,
        "unsolved after an hour of focused work": a.unsolved_after_hour,
        "no workaround": a.workaround is False,
    }
    return [text for text, on in signals.items() if on]
