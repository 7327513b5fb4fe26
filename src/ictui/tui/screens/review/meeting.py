"""The meeting itself: marking it held (``h``), rescheduling it (``s``), posting the
summary to the incident's channel (``P``) and exporting the document and the tickets'
CSV (``ctrl+e``). What the IC typed is saved before the summary or the export is built
from the stored record. Mixed into :class:`ReviewScreen`.

Rescheduling is ``ask_then_write`` (a date, a write, a notification). The others are
not quite that shape: marking held asks nothing; posting the summary and exporting wait
for the record to be saved between the answer and the write; the action items' form
writes the item itself (it stays open, with what was typed, on a refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ictui.domain import exports
from ictui.domain.clock import now, to_local
from ictui.domain.errors import IctuiError
from ictui.domain.review import PostMortemView
from ictui.tui.ask_then_write import ask_then_write, write_answer
from ictui.tui.calls import call_in_thread
from ictui.tui.screens.forms import ConfirmModal, DateModal
from ictui.tui.screens.postmortem_forms import ExportModal
from ictui.tui.screens.review.parts import ReviewParts


class ReviewMeeting(ReviewParts):
    """Held, rescheduled, summary posted, exported: mixed into :class:`ReviewScreen`."""

    def action_mark_held(self) -> None:
        if self.view is not None and self.view.held_at is not None:
            held = to_local(self.view.held_at).format("ddd D MMM HH:mm")
            self.notify(f"Already marked as held ({held})", timeout=3)
            return
        self._write(lambda: self.store.save_postmortem(self.number, held_at=now()), "Marked as held now")

    def action_reschedule(self) -> None:
        view = self.view
        default = to_local(view.scheduled_at).format("YYYY-MM-DD HH:mm") if view and view.scheduled_at else ""
        ask_then_write(
            self,
            DateModal(f"When is the post-mortem of #{self.number}?", default),
            lambda when: self.store.schedule_postmortem(self.number, when),
            "Post-mortem rescheduled",
            then=lambda _when, _written: self._load(),
            on_error=self._not_done,
            description="writing the post-mortem",
        )

    def action_post_summary(self) -> None:
        channel = (
            f"#{self.view.slack_channel_name}"
            if self.view and self.view.slack_channel_name
            else "its channel"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                # The summary is built from the stored record: what was just typed first.
                self._after_saving(
                    lambda: self._write(
                        lambda: self.store.post_postmortem_summary(self.number),
                        f"Summary queued for {channel}",
                    )
                )

        self.app.push_screen(
            ConfirmModal(f"Post the post-mortem summary to {channel}?", confirm="Post", cancel="Not now"),
            answered,
        )

    def _write(self, call: Callable[[], object], done: str) -> None:
        """Write (no form to ask in first), then say so and read the post-mortem again."""

        def written(_: object) -> None:
            self.notify(done, timeout=3)
            self._load()

        write_answer(
            self, call, None, then=written, on_error=self._not_done, description="writing the post-mortem"
        )

    def _not_done(self, message: str) -> None:
        self.notify(message, title="Not done", severity="error")

    # ------------------------------------------------------------------ export

    def action_export(self) -> None:
        if self.view is None:
            return
        base = exports.export_basename(self.view)
        names = [f"{base}.md", f"{base}-actions.csv"]
        self.app.push_screen(ExportModal(Path.cwd(), names), self._export_to)

    def _export_to(self, folder: Path | None) -> None:
        if folder is not None:
            self._after_saving(lambda: self._export(folder))

    def _export(self, folder: Path) -> None:
        def export() -> list[Path]:
            try:
                return write_exports(self.store.postmortem(self.number), folder)
            except OSError as exc:  # said as the system says it: "Permission denied"
                raise IctuiError(exc.strerror or str(exc)) from exc

        call_in_thread(
            self,
            export,
            lambda written: self.notify(
                "\n".join(str(path) for path in written), title="Exported", timeout=8
            ),
            on_error=lambda message: self.notify(message, title="Export failed", severity="error"),
            group="review-export",
            description="exporting the post-mortem",
        )


def write_exports(view: PostMortemView, folder: Path) -> list[Path]:
    """The Markdown document, and the Jira CSV when there are items to make tickets of."""
    base = exports.export_basename(view)
    document = folder / f"{base}.md"
    document.write_text(exports.markdown(view), encoding="utf-8")
    written = [document]
    if exports.jira_rows(view):
        sheet = folder / f"{base}-actions.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            handle.write(exports.action_items_csv(view))
        written.append(sheet)
    return written
