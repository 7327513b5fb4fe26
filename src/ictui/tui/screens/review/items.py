"""The action items: listed as the meeting agrees them, added (``a``) and edited
(``e``, ``enter``) in :class:`ActionItemModal`, which writes them itself (it stays open
on a refusal, with what was typed). Mixed into :class:`ReviewScreen`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ictui.domain.clock import now, to_local
from ictui.domain.enums import ActionStatus
from ictui.domain.review import ActionItemView
from ictui.tui.messages import services
from ictui.tui.screens.postmortem_forms import ActionItemForm, ActionItemModal
from ictui.tui.screens.review.parts import ReviewParts
from ictui.tui.shown import plain, shown


class ReviewItems(ReviewParts):
    """The action items: mixed into :class:`ReviewScreen`."""

    def _show_items(self, items: tuple[ActionItemView, ...]) -> None:
        listing = self.query_one("#pm-actions", OptionList)
        selected = listing.highlighted
        listing.clear_options()
        today = to_local(now()).date().isoformat()
        listing.add_options(Option(shown(_item_prompt(item, today)), id=str(item.id)) for item in items)
        if items:
            listing.highlighted = min(selected or 0, len(items) - 1)
        else:
            listing.add_option(
                Option(
                    Text(
                        "None yet. If you don't create them in the meeting, you probably "
                        "never will: a adds one.",
                        style="dim italic",
                    ),
                    disabled=True,
                )
            )
        open_items = sum(1 for item in items if item.is_open)
        self.query_one("#pm-actions-box").border_title = (
            shown(f"Action items ({open_items} open)") if items else "Action items"
        )

    def action_add_item(self) -> None:
        self.app.push_screen(
            ActionItemModal(self.number, self._add_item, owners=self._owners), self._item_saved
        )

    def action_edit_item(self) -> None:
        item = self._selected_item()
        if item is None:
            self.notify("No action item yet: a adds one", timeout=3)
            return
        self.app.push_screen(
            ActionItemModal(self.number, lambda form: self._update_item(item.id, form), item, self._owners),
            self._item_saved,
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "pm-actions":
            self.action_edit_item()

    def _selected_item(self) -> ActionItemView | None:
        if self.view is None or not self.view.action_items:
            return None
        row = self.query_one("#pm-actions", OptionList).highlighted or 0
        return self.view.action_items[min(row, len(self.view.action_items) - 1)]

    def _add_item(self, form: ActionItemForm) -> ActionItemView:
        """Runs in the form's worker thread."""
        return self.store.add_action_item(
            self.number,
            form.title,
            owner=form.owner,
            due_date=form.due_date,
            kind=form.kind,
            ticket_key=form.ticket_key,
            ticket_url=form.ticket_url,
            description=form.description,
            status=form.status,
            author=services(self).settings.user,
        )

    def _update_item(self, item_id: int, form: ActionItemForm) -> ActionItemView:
        """Runs in the form's worker thread."""
        return self.store.update_action_item(
            item_id,
            title=form.title,
            owner=form.owner,
            due_date=form.due_date,
            kind=form.kind,
            ticket_key=form.ticket_key,
            ticket_url=form.ticket_url,
            description=form.description,
            status=form.status,
        )

    def _item_saved(self, item: ActionItemView | None) -> None:
        if item is not None:
            self.notify(f"Action item saved: {plain(item.title)}", timeout=3)
            self._load()


_STATUS_GLYPHS = {
    ActionStatus.OPEN: "○",
    ActionStatus.IN_PROGRESS: "◐",
    ActionStatus.DONE: "●",
    ActionStatus.WONT_DO: "✕",
}


def _item_prompt(item: ActionItemView, today: str) -> Text:
    """Two lines: what will be done; then who, by when, which ticket."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(f"{_STATUS_GLYPHS[item.status]} ", "bold")
    prompt.append(plain(item.title), "bold" if item.is_open else "dim")
    details = [plain(item.owner) or "no owner"]
    details.append(f"due {item.due_date}" if item.due_date else "no due date")
    details.append(plain(item.ticket_key) or ("ticket link" if item.ticket_url else "no ticket yet"))
    if item.status not in (ActionStatus.OPEN,):
        details.append(str(item.status))
    prompt.append("\n  " + " · ".join(details), "dim")
    if item.overdue(today):
        prompt.append(" · OVERDUE", "bold red")
    return prompt
