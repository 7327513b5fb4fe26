"""The triage checklist: every combination of answers, and the cases from real incidents."""

from __future__ import annotations

import itertools
from dataclasses import replace

from ictui.domain.enums import Breadth, Confidence, Impact, Severity, Verdict
from ictui.domain.triage import TriageAnswers, assess, suggest_severity

BREADTHS = [None, *Breadth]
IMPACTS = [None, *Impact]
ANSWERS = [None, True, False]
BREADTH_ORDER = list(Breadth)  # from one customer to all
IMPACT_ORDER = list(Impact)  # from cosmetic to data loss


def every_answer_set() -> list[TriageAnswers]:
    combos = itertools.product(BREADTHS, IMPACTS, ANSWERS, ANSWERS, ANSWERS, ANSWERS, ANSWERS, Confidence)
    return [
        TriageAnswers(
            breadth=b,
            impact=i,
            interrupts_business=ib,
            workaround=w,
            customer_visible=v,
            needs_second_team=t,
            unsolved_after_hour=u,
            confidence=c,
        )
        for b, i, ib, w, v, t, u, c in combos
    ]


ALL = every_answer_set()


def decisive(a: TriageAnswers) -> bool:
    """The definition: it interrupts our normal business process, i.e. customers cannot use a
    critical part of the product (more than one of them), data is lost, or everyone is hurt."""
    return bool(
        a.interrupts_business
        or a.impact is Impact.DATA_LOSS
        or (a.impact is Impact.BLOCKED and a.breadth not in (None, Breadth.ONE))
        or (a.breadth is Breadth.ALL and a.impact in (Impact.DEGRADED, Impact.BLOCKED))
    )


def test_every_combination_is_covered() -> None:
    assert len(ALL) == 5 * 5 * 3**5 * 2


def test_interrupting_a_business_process_is_always_an_incident() -> None:
    for answers in ALL:
        if answers.interrupts_business:
            result = assess(answers)
            assert result.verdict is Verdict.INCIDENT, answers
            assert not result.erred_on_caution, answers
            assert "interrupts a normal business process" in result.reasons


def test_data_loss_or_security_is_always_an_incident() -> None:
    for answers in ALL:
        if answers.impact is Impact.DATA_LOSS:
            assert assess(answers).verdict is Verdict.INCIDENT, answers


def test_uncertain_answers_never_give_a_defect_and_say_they_erred() -> None:
    for answers in ALL:
        if answers.confidence is not Confidence.UNSURE:
            continue
        result = assess(answers)
        assert result.verdict is Verdict.INCIDENT, answers
        if not decisive(answers):
            assert result.erred_on_caution, answers
            assert "erring on the side of caution" in result.summary


def test_a_clear_cosmetic_defect_answered_with_certainty_is_a_defect() -> None:
    cases = [
        a
        for a in ALL
        if a.impact is Impact.COSMETIC
        and a.breadth is not None
        and a.interrupts_business is False
        and a.confidence is Confidence.SURE
    ]
    assert cases
    for answers in cases:
        result = assess(answers)
        assert result.verdict is Verdict.DEFECT, answers
        assert not result.erred_on_caution
        assert "cosmetic only" in result.reasons


def test_a_defect_verdict_needs_certainty_and_no_business_interruption() -> None:
    for answers in ALL:
        if assess(answers).verdict is Verdict.DEFECT:
            assert answers.confidence is Confidence.SURE, answers
            assert answers.interrupts_business is False, answers
            assert not decisive(answers), answers


def test_erred_on_caution_exactly_when_an_incident_has_no_decisive_reason() -> None:
    for answers in ALL:
        result = assess(answers)
        expected = result.verdict is Verdict.INCIDENT and not decisive(answers)
        assert result.erred_on_caution is expected, answers
        assert ("erring on the side of caution" in result.summary) is expected


def test_severity_never_improves_when_breadth_gets_worse() -> None:
    for answers in ALL:
        if answers.breadth is None or answers.breadth is Breadth.ALL:
            continue
        wider = replace(answers, breadth=BREADTH_ORDER[BREADTH_ORDER.index(answers.breadth) + 1])
        assert suggest_severity(wider).rank <= suggest_severity(answers).rank, answers
        assert assess(wider).severity.rank <= assess(answers).severity.rank, answers


def test_severity_never_improves_when_impact_gets_worse() -> None:
    for answers in ALL:
        if answers.impact is None or answers.impact is Impact.DATA_LOSS:
            continue
        worse = replace(answers, impact=IMPACT_ORDER[IMPACT_ORDER.index(answers.impact) + 1])
        assert suggest_severity(worse).rank <= suggest_severity(answers).rank, answers


def test_losing_the_workaround_never_improves_severity() -> None:
    for answers in ALL:
        if answers.workaround is True:
            without = replace(answers, workaround=False)
            assert suggest_severity(without).rank <= suggest_severity(answers).rank, answers


def test_unanswered_breadth_is_assumed_bad() -> None:
    """A guess too low costs more than one too high: no answer is never milder than many."""
    for answers in ALL:
        if answers.breadth is None:
            for milder in (Breadth.ONE, Breadth.HANDFUL, Breadth.MANY):
                answered = suggest_severity(replace(answers, breadth=milder))
                assert suggest_severity(answers).rank <= answered.rank, answers


def test_unanswered_impact_is_assumed_bad() -> None:
    for answers in ALL:
        if answers.impact is None:
            for milder in (Impact.COSMETIC, Impact.DEGRADED, Impact.BLOCKED):
                answered = suggest_severity(replace(answers, impact=milder))
                assert suggest_severity(answers).rank <= answered.rank, answers


def test_unanswered_questions_are_named_in_the_reasons() -> None:
    answers = TriageAnswers(breadth=Breadth.ONE, impact=Impact.DEGRADED, confidence=Confidence.SURE)
    result = assess(answers)
    assert result.verdict is Verdict.INCIDENT and result.erred_on_caution
    assert any("interrupts a business process" in r and "workaround" in r for r in result.reasons)


# ---------------------------------------------------------------------- real cases


def test_slow_app_load_for_many_customers_is_a_sev1_or_sev2_incident() -> None:
    """#incident-41-slow-app-load-times: users report the app is slow to load."""
    result = assess(
        TriageAnswers(
            breadth=Breadth.MANY,
            impact=Impact.DEGRADED,
            interrupts_business=True,
            workaround=False,
            customer_visible=True,
            needs_second_team=True,
        )
    )
    assert result.verdict is Verdict.INCIDENT
    assert result.severity in (Severity.SEV1, Severity.SEV2)
    assert not result.erred_on_caution


def test_a_handful_of_customers_blocked_on_a_critical_part_is_an_incident() -> None:
    """The article's sample: a handful report a similar, serious defect; support escalates."""
    result = assess(
        TriageAnswers(
            breadth=Breadth.HANDFUL,
            impact=Impact.BLOCKED,
            interrupts_business=True,
            workaround=False,
            customer_visible=True,
        )
    )
    assert result.verdict is Verdict.INCIDENT
    assert result.severity in (Severity.SEV1, Severity.SEV2)


def test_the_app_down_for_everyone_is_sev1() -> None:
    result = assess(TriageAnswers(breadth=Breadth.ALL, impact=Impact.BLOCKED, interrupts_business=True))
    assert (result.verdict, result.severity) == (Verdict.INCIDENT, Severity.SEV1)


def test_a_misaligned_icon_is_a_sev4_defect() -> None:
    result = assess(
        TriageAnswers(
            breadth=Breadth.HANDFUL,
            impact=Impact.COSMETIC,
            interrupts_business=False,
            workaround=True,
            customer_visible=True,
            needs_second_team=False,
        )
    )
    assert (result.verdict, result.severity) == (Verdict.DEFECT, Severity.SEV4)
    assert result.summary == "defect · SEV4"


def test_a_degraded_feature_with_a_workaround_for_one_customer_is_a_defect_when_sure() -> None:
    answers = TriageAnswers(
        breadth=Breadth.ONE, impact=Impact.DEGRADED, interrupts_business=False, workaround=True
    )
    assert assess(answers).verdict is Verdict.DEFECT
    unsure = assess(replace(answers, confidence=Confidence.UNSURE))
    assert unsure.verdict is Verdict.INCIDENT and unsure.erred_on_caution
    assert unsure.reasons == ("the answers point to a defect, but they are uncertain",)


def test_when_nobody_can_tell_it_is_treated_as_an_incident_even_if_it_takes_down_a_sprint() -> None:
    """No answers at all: the check-in could not decide, so we err on the side of caution."""
    result = assess(TriageAnswers(confidence=Confidence.UNSURE))
    assert result.verdict is Verdict.INCIDENT and result.erred_on_caution
    assert result.severity.rank <= Severity.SEV2.rank


def test_data_loss_for_one_customer_is_at_least_sev2() -> None:
    result = assess(TriageAnswers(breadth=Breadth.ONE, impact=Impact.DATA_LOSS, interrupts_business=False))
    assert result.verdict is Verdict.INCIDENT
    assert result.severity.rank <= 2
