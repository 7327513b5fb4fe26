"""The triage checklist: answer with the keyboard, watch the verdict change, record it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ictui.domain.clock import to_local
from ictui.domain.enums import Breadth, Confidence, Impact, Verdict
from ictui.domain.triage import TriageAnswers, assess
from ictui.domain.views import TriageView
from ictui.tui.shown import plain
from ictui.tui.widgets.styles import severity_style


@dataclass(frozen=True)
class Question:
    field: str
    label: str
    choices: tuple[Any, ...]


_YES_NO = (None, True, False)
# Short labels: the checklist must fit a 40-column pane at 80x24.
QUESTIONS: tuple[Question, ...] = (
    Question("breadth", "How widespread", (None, *Breadth)),
    Question("impact", "How severe", (None, *Impact)),
    Question("interrupts_business", "Stops a business process", _YES_NO),
    Question("workaround", "Workaround exists", _YES_NO),
    Question("customer_visible", "Customers can see it", _YES_NO),
    Question("needs_second_team", "Needs a second team", _YES_NO),
    Question("unsolved_after_hour", "Unsolved after 1h of work", _YES_NO),
    Question("confidence", "How sure are we", tuple(Confidence)),
)


def _answer_label(value: Any) -> str:
    if value is None:
        return "?"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


class TriagePane(Widget, can_focus=True):
    """Severity and breadth checklist with a live verdict.

    ``space`` cycles the answer under the cursor; ``enter`` records the decision.
    """

    ALLOW_MAXIMIZE = True
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("space", "cycle(1)", "Toggle answer", id="triage.toggle"),
        Binding("shift+space,backspace", "cycle(-1)", "Previous answer", show=False),
        Binding("enter,ctrl+s", "confirm", "Record decision", id="triage.confirm"),
    ]
    COMPONENT_CLASSES = {"triage-pane--cursor", "triage-pane--answer", "triage-pane--unanswered"}

    answers: reactive[TriageAnswers] = reactive(TriageAnswers)
    cursor: reactive[int] = reactive(0)
    decision: reactive[TriageView | None] = reactive(None)

    class Confirmed(Message):
        def __init__(self, answers: TriageAnswers) -> None:
            super().__init__()
            self.answers = answers

    def load(self, triage: TriageView | None) -> None:
        """Show the last recorded assessment (or a blank checklist)."""
        self.decision = triage
        if triage is None:
            self.answers = TriageAnswers()
            return
        self.answers = TriageAnswers(
            breadth=Breadth(triage.breadth) if triage.breadth else None,
            impact=Impact(triage.impact) if triage.impact else None,
            interrupts_business=triage.interrupts_business,
            workaround=triage.workaround,
            customer_visible=triage.customer_visible,
            needs_second_team=triage.needs_second_team,
            unsolved_after_hour=triage.unsolved_after_hour,
            confidence=Confidence(triage.confidence),
        )

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(QUESTIONS)

    def action_cycle(self, step: int) -> None:
        question = QUESTIONS[self.cursor]
        current = getattr(self.answers, question.field)
        index = question.choices.index(current)
        value = question.choices[(index + step) % len(question.choices)]
        self.answers = replace(self.answers, **{question.field: value})

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed(self.answers))

    def render(self) -> Group:
        cursor_style = self.get_component_rich_style("triage-pane--cursor")
        answer_style = self.get_component_rich_style("triage-pane--answer")
        unanswered = self.get_component_rich_style("triage-pane--unanswered")
        checklist = Table.grid(padding=(0, 1), expand=True)
        checklist.add_column(width=1)
        # Questions and answers share the width 3:2; each is cut short, never wrapped.
        checklist.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
        checklist.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        for index, question in enumerate(QUESTIONS):
            value = getattr(self.answers, question.field)
            at_cursor = index == self.cursor
            checklist.add_row(
                "▸" if at_cursor else " ",
                Text(question.label),
                Text(_answer_label(value), style=unanswered if value is None else answer_style),
                style=cursor_style if at_cursor and self.has_focus else None,
            )
        return Group(checklist, self._verdict())

    def _verdict(self) -> Text:
        result = assess(self.answers)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("→ ")
        verdict_style = "bold red" if result.verdict is Verdict.INCIDENT else "bold green"
        text.append(str(result.verdict).upper(), style=verdict_style)
        text.append("  ")
        text.append(f" {result.severity} ", style=severity_style(result.severity, badge=True))
        if result.erred_on_caution:
            text.append("  erring on the side of caution", style="italic")
        text.append("\n")
        text.append("; ".join(result.reasons), style="dim")
        if self.decision is not None:
            when = to_local(self.decision.assessed_at).format("ddd HH:mm")
            who = plain(self.decision.assessed_by) or "someone"
            text.append(f"\nRecorded: {self.decision.verdict} by {who} at {when}", style="dim")
        return text
