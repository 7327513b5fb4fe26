"""The forms of review mode: an action item (added during the meeting), the export folder.

As everywhere in ictui, a bad value gets its message under its field and what was
typed stays; the action item is stored before the form closes, so that a refusal
from the store is shown in the form too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pendulum
from pendulum import Date
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, TextArea

from ictui.domain.clock import now, to_local
from ictui.domain.enums import ActionKind, ActionStatus
from ictui.domain.errors import IctuiError
from ictui.domain.postmortem import DUE_HELP, parse_due_date, parse_ticket
from ictui.domain.review import OWNER_SOONER_PROMPT, ActionItemView
from ictui.domain.text import clean_line
from ictui.tui.ask_then_write import save_then
from ictui.tui.screens.forms import FormModal, error_label
from ictui.tui.screens.modals import chosen
from ictui.tui.shown import plain, shown


@dataclass(frozen=True)
class ActionItemForm:
    title: str
    owner: str
    due_date: str
    kind: ActionKind
    status: ActionStatus
    ticket_key: str
    ticket_url: str
    description: str


class ActionItemModal(FormModal[ActionItemView]):
    """Add (or edit) an action item; ``save`` stores it and runs in a worker thread."""

    CSS_PATH = ["forms.tcss", "review/review.tcss"]

    def __init__(
        self,
        number: int,
        save: Callable[[ActionItemForm], ActionItemView],
        item: ActionItemView | None = None,
        owners: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.number = number
        self.save = save
        self.item = item
        self.owners = list(owners)
        self._saving = False

    def compose(self) -> ComposeResult:
        item = self.item
        heading = (
            f"Action item {item.id} of #{self.number}" if item else f"New action item for #{self.number}"
        )
        with Vertical(classes="form action-form"):
            yield Static(shown(heading), classes="form-title")
            with Horizontal(classes="af-row"):
                yield Label("Title", classes="af-label")
                yield Input(
                    plain(item.title) if item else "",
                    placeholder="what will be done",
                    id="ai-title",
                    compact=True,
                )
            yield error_label("ai-title")
            with Horizontal(classes="af-row"):
                yield Label("Owner", classes="af-label")
                yield Input(
                    plain(item.owner) if item else "",
                    placeholder="who",
                    id="ai-owner",
                    compact=True,
                    suggester=SuggestFromList(self.owners, case_sensitive=False) if self.owners else None,
                )
                yield Label("Due", classes="af-label-short")
                yield Input(
                    item.due_date if item else "", placeholder="friday, +3d", id="ai-due", compact=True
                )
            yield Label("", id="ai-due-hint", classes="af-hint")
            yield error_label("ai-due")
            with Horizontal(classes="af-row"):
                yield Label("Kind", classes="af-label")
                yield Select(
                    [(shown(kind), kind) for kind in ActionKind],
                    value=item.kind if item else ActionKind.FIX,
                    allow_blank=False,
                    id="ai-kind",
                    compact=True,
                )
                yield Label("Status", classes="af-label-short")
                yield Select(
                    [(shown(status), status) for status in ActionStatus],
                    value=item.status if item else ActionStatus.OPEN,
                    allow_blank=False,
                    id="ai-status",
                    compact=True,
                )
            yield Static(
                shown(f"{OWNER_SOONER_PROMPT} If so, the kind is “{ActionKind.MONITORING}”."),
                classes="af-prompt",
            )
            with Horizontal(classes="af-row"):
                yield Label("Ticket", classes="af-label")
                yield Input(
                    plain(item.ticket_url or item.ticket_key) if item else "",
                    placeholder="OPS-123 or a link, once the ticket exists",
                    id="ai-ticket",
                    compact=True,
                )
            yield error_label("ai-ticket")
            with Horizontal(classes="af-row af-tall"):
                yield Label("Notes", classes="af-label")
                yield TextArea(
                    plain(item.description) if item else "", id="ai-description", compact=True, soft_wrap=True
                )
            yield error_label("ai-form")
            yield Static("ctrl+s saves · escape cancels · tab moves between fields", classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#ai-title", Input).focus()

    @on(Input.Changed, "#ai-title")
    def _title_changed(self) -> None:
        self.clear_error("ai-title")

    @on(Input.Changed, "#ai-ticket")
    def _ticket_changed(self) -> None:
        self.clear_error("ai-ticket")

    @on(Input.Changed, "#ai-due")
    def _due_changed(self, event: Input.Changed) -> None:
        """Say which day was understood while it is typed: "fri" is Friday the what?"""
        self.clear_error("ai-due")
        hint = self.query_one("#ai-due-hint", Label)
        try:
            due = parse_due_date(event.value, _today())
        except IctuiError:
            due = ""
        understood = bool(due) and due != event.value.strip()
        if understood:
            hint.update(shown(f"→ {pendulum.Date.fromisoformat(due).format('dddd D MMMM YYYY')}"))
        hint.set_class(understood, "-shown")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self._saving:
            return
        values = {
            name: self.query_one(f"#ai-{name}", Input).value for name in ("title", "owner", "due", "ticket")
        }
        problems: list[tuple[str, str]] = []
        if not clean_line(values["title"]):
            problems.append(("ai-title", "An action item needs a title"))
        due = ""
        try:
            due = parse_due_date(values["due"], _today())
        except IctuiError:
            problems.append(("ai-due", f"Cannot read {values['due'].strip()!r} as a date; {DUE_HELP}"))
        key = url = ""
        try:
            key, url = parse_ticket(values["ticket"])
        except IctuiError as exc:
            problems.append(("ai-ticket", str(exc)))
        for field_id, message in reversed(problems):
            self.show_error(field_id, message)  # the first problem ends up focused
        if problems:
            return
        form = ActionItemForm(
            title=values["title"],
            owner=values["owner"],
            due_date=due,
            kind=chosen(self.query_one("#ai-kind", Select)),
            status=chosen(self.query_one("#ai-status", Select)),
            ticket_key=key,
            ticket_url=url,
            description=self.query_one("#ai-description", TextArea).text,
        )
        self._saving = True
        self.query_one("#ai-form-error", Label).remove_class("-shown")
        self._store(form)

    def _store(self, form: ActionItemForm) -> None:
        save_then(
            self,
            lambda: self.save(form),
            self.dismiss,
            failed=self._refused,
            description="saving the action item",
        )

    def _refused(self, message: str) -> None:
        self._saving = False
        error = self.query_one("#ai-form-error", Label)
        error.update(shown(f"Not saved: {message}"))
        error.add_class("-shown")


def _today() -> Date:
    return to_local(now()).date()


class ExportModal(FormModal[Path]):
    """Where to write the post-mortem files; the current directory unless changed."""

    CSS_PATH = ["forms.tcss", "review/review.tcss"]

    def __init__(self, folder: Path, names: Sequence[str]) -> None:
        super().__init__()
        self.folder = folder
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static("Export the post-mortem", classes="form-title")
            yield Label("Folder")
            yield Input(plain(self.folder), id="folder")
            yield error_label("folder")
            yield Static(
                shown("Writes " + " and ".join(self.names) + " (replacing earlier exports)"),
                classes="form-help",
            )
            yield Static("enter exports · escape cancels", classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#folder", Input).focus()

    @on(Input.Changed, "#folder")
    def _changed(self) -> None:
        self.clear_error("folder")

    @on(Input.Submitted, "#folder")
    def _submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        typed = self.query_one("#folder", Input).value.strip()
        folder = Path(typed or ".").expanduser()
        if not folder.is_dir():
            self.show_error("folder", f"{folder} is not a folder")
            return
        self.dismiss(folder.resolve())
