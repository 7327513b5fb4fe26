"""Page the on-call (``G``): read the teams and the incident's pages, ask which teams,
queue a page for each (through the outbox), and wake the paging loop to send them.
"""

from __future__ import annotations

from ictui.tui.flows import ask, flow, read, write
from ictui.tui.screens.cockpit.parts import CockpitParts


class PagingFlow(CockpitParts):
    """Mixed into :class:`CockpitScreen`."""

    @flow
    async def action_page(self) -> None:
        from ictui.tui.screens.page_form import PageModal

        view = self._need_incident("page")
        if view is None:
            return
        user = self.ictui.settings.user
        teams, pages = await read(
            self, lambda: (self.store.teams(), self.store.pages(view.number)), "loading the teams"
        )
        answer = await ask(self, PageModal(view, teams, pages))
        if answer is None:
            return
        queued = await write(
            self,
            lambda: [
                self.store.queue_page(view.number, team, answer.message, author=user) for team in answer.teams
            ],
            "paging the on-call",
            settle=self.show_written,
        )
        self.notify(f"Paging {', '.join(p.team for p in queued)} on-call for #{view.number}", timeout=3)
        self.ictui.deliver_pages()
