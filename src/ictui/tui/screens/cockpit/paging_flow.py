"""Page the on-call (``G``): read the teams and the incident's pages, ask which teams,
queue a page for each (through the outbox), and wake the paging loop to send them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ictui.domain.paging import PageView
from ictui.tui.screens.cockpit.ask_then_write import ask_then_write, read_then_ask
from ictui.tui.screens.cockpit.parts import CockpitParts

if TYPE_CHECKING:
    from ictui.tui.screens.page_form import PageAnswer


class PagingFlow(CockpitParts):
    """Mixed into :class:`CockpitScreen`."""

    def action_page(self) -> None:
        from ictui.tui.screens.page_form import PageModal

        view = self._need_incident("page")
        if view is None:
            return
        user = self.ictui.settings.user

        def write(answer: PageAnswer) -> list[PageView]:
            return [
                self.store.queue_page(view.number, team, answer.message, author=user) for team in answer.teams
            ]

        def paged(_: PageAnswer, pages: list[PageView]) -> None:
            self.ictui.deliver_pages()

        read_then_ask(
            self,
            lambda: (self.store.teams(), self.store.pages(view.number)),
            lambda loaded: ask_then_write(
                self,
                PageModal(view, *loaded),
                write,
                lambda _, pages: f"Paging {', '.join(p.team for p in pages)} on-call for #{view.number}",
                then=paged,
                description="paging the on-call",
            ),
            description="loading the teams",
        )
