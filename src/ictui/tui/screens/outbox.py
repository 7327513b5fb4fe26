"""What waits for Slack, and why: the outbox, item by item. ``r`` retries failed ones; on
the item under the cursor (up/down), ``d`` drops it (asks first) and ``e`` edits its text
and sends it again: nothing Slack refuses keeps the rest of an incident waiting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ictui.domain.clock import to_local
from ictui.domain.enums import OutboxState
from ictui.tui.calls import call_in_thread
from ictui.tui.flows import flow, write
from ictui.tui.loads import LatestLoad
from ictui.tui.messages import AppServices, DatabaseChanged, services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.screens.modals import ConfirmModal, FormModal, error_label
from ictui.tui.shown import plain, shown

if TYPE_CHECKING:
    from ictui.domain.outbox import OutboxItemView

_STATE_STYLES = {
    OutboxState.PENDING: "yellow",
    OutboxState.IN_FLIGHT: "cyan",
    OutboxState.FAILED: "bold red",
    OutboxState.DONE: "green",
}


class OutboxScreen(StyledOnce, ModalScreen[None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry failed", id="outbox.retry"),
        Binding("d", "drop", "Drop item", id="outbox.drop"),
        Binding("e", "edit", "Edit & resend", id="outbox.edit"),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("escape,o", "dismiss", "Back", id="outbox.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._items: list[OutboxItemView] = []
        # The item under the cursor (its id); None: the first failed one.
        self._cursor: int | None = None
        # The database's revision when the items on screen were read (None: not yet).
        self._revision: int | None = None
        self._loads: LatestLoad[tuple[int, list[OutboxItemView]]] = LatestLoad(
            self, group="outbox", description="reading the outbox"
        )

    @property
    def ictui(self) -> AppServices:
        return services(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-wide"):
            yield Static("Slack outbox: what waits, and why", classes="form-title")
            with VerticalScroll():
                yield Static("Loading…", id="outbox-items")
            yield Static(
                "up/down choose · d drops the item · e edits its text and resends · r retries failed items "
                "· escape goes back",
                classes="form-help",
            )

    def on_mount(self) -> None:
        # After the first frame: the first read loads the database layer, whose import in
        # a thread would hold the screen's first frame back by a third of a second.
        self.call_after_refresh(self._load)

    def on_database_changed(self, changed: DatabaseChanged) -> None:
        """The outbox changes under the screen (the Slack thread, `ictui outbox`): it follows."""
        if changed.revision != self._revision:
            self._load()

    def _load(self) -> None:
        """Read the outbox again (after the read under way, if any: one at a time)."""
        store = self.ictui.store
        if store is None:
            return

        def read() -> tuple[int, list[OutboxItemView]]:
            # The revision first: a write that lands between the two reads is read again.
            return store.revision(), store.outbox_items()

        self._loads.request(read, self._show_read)

    def _show_read(self, read: tuple[int, list[OutboxItemView]]) -> None:
        self._revision, items = read
        self._show(items)

    def _show(self, items: list[OutboxItemView]) -> None:
        if self not in self.app.screen_stack:
            return  # closed while its data was read
        widget = self.query_one("#outbox-items", Static)
        self._items = [i for i in items if i.state is not OutboxState.DONE]
        if self._cursor not in {i.id for i in self._items}:
            failed = [i for i in self._items if i.state is OutboxState.FAILED]
            first = (failed or self._items)[:1]
            self._cursor = first[0].id if first else None
        if not items:
            widget.update("Nothing waits: everything was delivered.")
            return
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        # The chosen item's marker in a column of its own after the id: a line's leading
        # spaces are not kept, so a marker before the id shifted that row alone.
        for column in ("#", "", "incident", "action", "state", "tries", "why it waits"):
            table.add_column(
                Text(column),
                no_wrap=column != "why it waits",
                overflow="fold",
                width=1 if column == "" else None,
            )
        for item in items:
            why = item.last_error or item.waiting_for
            if item.next_attempt_at and item.state is OutboxState.PENDING and item.attempts:
                why = f"{why} (next try {to_local(item.next_attempt_at).format('HH:mm:ss')})".strip()
            if not self.ictui.settings.slack_configured and item.state is OutboxState.PENDING:
                why = why or "Slack is not configured"
            table.add_row(
                Text(str(item.id)),
                Text("▶" if item.id == self._cursor else ""),
                Text(f"#{item.incident_number}" if item.incident_number else "—"),
                Text(plain(item.label)),  # a Rich table reads a plain str as markup
                Text(str(item.state), style=_STATE_STYLES.get(item.state, "")),
                Text(str(item.attempts)),
                Text(plain(why)),
                style="reverse" if item.id == self._cursor else "",
            )
        widget.update(table)

    @flow
    async def action_retry(self) -> None:
        from ictui.slack.outbox import retry_failed

        store = self.ictui.store
        if store is None:
            return

        count = await write(self, lambda: retry_failed(store), "retrying")
        self.notify(f"{count} failed item{'s' if count != 1 else ''} back in the queue", timeout=3)
        self.ictui.deliver_outbox()
        self._load()

    def action_move(self, step: int) -> None:
        ids = [i.id for i in self._items]
        if not ids:
            return
        at = ids.index(self._cursor) if self._cursor in ids else 0
        self._cursor = ids[max(0, min(len(ids) - 1, at + step))]
        self._show(self._items)

    def _chosen(self) -> OutboxItemView | None:
        found = next((i for i in self._items if i.id == self._cursor), None)
        if found is None:
            self.notify("Nothing waits in the outbox", timeout=3)
        return found

    def action_drop(self) -> None:
        store = self.ictui.store
        item = self._chosen()
        if store is None or item is None:
            return
        user = self.ictui.settings.user
        where = f" of #{item.incident_number}" if item.incident_number else ""

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            call_in_thread(
                self, lambda: store.outbox_drop(item.id, author=user), dropped, description="dropping"
            )

        def dropped(what: str) -> None:
            self.notify(f"Dropped {what}: what waited behind it goes on", timeout=4)
            self.ictui.deliver_outbox()
            self._load()

        self.app.push_screen(
            ConfirmModal(
                f"Drop item {item.id} ({item.label}{where})? It will never be sent; "
                "a line goes on the incident's timeline.",
                "Drop it",
                "Keep it",
            ),
            answered,
        )

    def action_edit(self) -> None:
        store = self.ictui.store
        item = self._chosen()
        if store is None or item is None:
            return
        user = self.ictui.settings.user

        def ask(text: str, error: str = "") -> None:
            self.app.push_screen(
                EditItemModal(f"Edit item {item.id} ({item.label}) and send it again", text, error),
                lambda new: save(new) if new is not None else None,
            )

        def save(text: str) -> None:
            call_in_thread(
                self,
                lambda: store.outbox_edit(item.id, text, author=user),
                edited,
                # Refused (too long for Slack…): the form again, with what was typed and why.
                on_error=lambda message: ask(text, message),
                description="saving the item",
            )

        def edited(what: str) -> None:
            self.notify(f"Edited {what}: queued again", timeout=4)
            self.ictui.deliver_outbox()
            self._load()

        call_in_thread(self, lambda: store.outbox_item_text(item.id), ask, description="reading the item")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class EditItemModal(FormModal[str]):
    """The text of a refused item, to edit; ctrl+s queues it again, escape leaves it as it was."""

    def __init__(self, title: str, text: str, error: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-wide"):
            yield Static(shown(self.title_text), classes="form-title")
            yield TextArea(self.text, id="item-text")
            yield error_label("item-text")
            yield Static("ctrl+s sends it again · escape leaves it as it was", classes="form-help")

    def on_mount(self) -> None:
        self.query_one("#item-text", TextArea).focus()
        if self.error:
            self.show_error("item-text", self.error)

    @on(TextArea.Changed, "#item-text")
    def _changed(self) -> None:
        self.clear_error("item-text")

    def submit(self) -> None:
        text = self.query_one("#item-text", TextArea).text
        if not text.strip():
            self.show_error("item-text", "The text is empty: write it, or escape and drop the item")
            return
        self.dismiss(text)
