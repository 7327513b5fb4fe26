"""Search everything: every incident's title, timeline, updates and post-mortem.

Opened from the cockpit with ctrl+f (``/`` stays the list's filter on titles, at hand
while the IC moves between today's incidents; what the filter holds carries over). The
words typed are looked for as the IC pauses, in a worker (the store's full-text index,
store/search.py): the event loop never waits for the database. Each incident found is
two lines, best match first: its number, severity, status and title, then which text
matched, when, and the line itself with the words marked. Enter opens it in the cockpit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ictui.domain.clock import to_local
from ictui.domain.search import SearchHit, words
from ictui.tui.calls import call_in_thread
from ictui.tui.messages import services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.shown import plain, shown
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.styles import severity_style

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI

# How long typing pauses before the words are looked for: one search per word typed,
# not one per key.
PAUSE_SECONDS = 0.15
LIMIT = 50
# How far into its line a match may be and still be shown from the line's start.
_LEAD_IN = 30
HINT = (
    "Type words to find: every one must be in the same title, note, update or post-mortem, "
    "each as the start of a word. / in the cockpit filters the list by title."
)


class SearchScreen(StyledOnce, Screen["int | None"]):
    """Dismissed with the number of the incident to open, or None."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "results", "Results", show=False, id="search.results"),
        Binding("ctrl+f", "words", "Edit the words", id="search.words"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._initial = text
        self._timer: Timer | None = None
        # The words whose results are on screen, and those being looked for.
        self._shown: list[str] | None = None
        self._asked: list[str] | None = None
        self._hits: list[SearchHit] = []
        # Enter was pressed on words whose results were not in yet.
        self._open_best = False

    @property
    def store(self) -> StoreAPI:
        # None only before the store opens: a read made then fails in its thread, and says so.
        return cast("StoreAPI", services(self).store)

    def compose(self) -> ComposeResult:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" SEARCH ", "bold reverse")
        title.append("  every incident's title, timeline, updates and post-mortem", "bold")
        yield Static(title, id="se-title")
        yield Input(self._initial, placeholder="Words to find", id="se-query")
        yield Static(Text(HINT, style="dim"), id="se-status")
        yield OptionList(id="se-results")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#se-query", Input).focus()
        if words(self._initial):
            self._search()

    # ------------------------------------------------------------------ keys

    def action_back(self) -> None:
        self.dismiss(None)

    def action_results(self) -> None:
        results = self.query_one("#se-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def action_words(self) -> None:
        self.query_one("#se-query", Input).focus()

    @on(Input.Changed, "#se-query")
    def _typed(self, event: Input.Changed) -> None:
        self._open_best = False
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PAUSE_SECONDS, self._search)

    @on(Input.Submitted, "#se-query")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        found = words(self.query_one("#se-query", Input).value)
        if found and found == self._shown:
            if self._hits:
                self.dismiss(self._hits[0].number)  # Enter on the words opens the best match
            return
        # Typed ahead of the results: the best match opens once they are in.
        self._open_best = bool(found)
        self._search()

    @on(OptionList.OptionSelected, "#se-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._hits[event.option_index].number)

    # ------------------------------------------------------------------ the search

    def _search(self) -> None:
        self._timer = None
        text = self.query_one("#se-query", Input).value
        found = words(text)
        if not found:
            self._asked = None
            self._show([], None)
            return
        if found == self._asked:
            return
        self._asked = found
        self._status(Text(f"Looking for {' '.join(found)}…", style="dim"))
        store = self.store
        call_in_thread(
            self,
            lambda: store.search(text, LIMIT),
            lambda hits: self._show(hits, found),
            on_error=lambda message: self._failed(found, message),
            group="search",
            exclusive=True,
            description="searching",
        )

    def _failed(self, found: list[str], message: str) -> None:
        if found == self._asked:
            self._asked = None
            self._status(Text(plain(message), style="bold red"))

    def _show(self, hits: list[SearchHit], found: list[str] | None) -> None:
        if found != self._asked:
            return  # the words changed while these were read: their own search follows
        self._shown = found
        self._hits = hits
        if self._open_best and hits:
            self.dismiss(hits[0].number)
            return
        self._open_best = False
        results = self.query_one("#se-results", OptionList)
        results.clear_options()
        results.add_options([Option(shown(_prompt(hit))) for hit in hits])
        if hits:
            results.highlighted = 0
        if found is None:
            self._status(Text(HINT, style="dim"))
        elif not hits:
            self._status(Text(f"No incident holds {' '.join(found)}.", style="bold"))
        else:
            count = f"{len(hits)} incident{'s' if len(hits) != 1 else ''}" + (
                " (the first)" if len(hits) == LIMIT else ""
            )
            self._status(Text(f"{count}, best match first · ↓ to the results, Enter opens", style="dim"))

    def _status(self, text: Text) -> None:
        self.query_one("#se-status", Static).update(shown(text))


def _prompt(hit: SearchHit) -> Text:
    """Two lines: the incident, then the text that matched with its words marked."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(f"#{hit.number} ", "bold")
    prompt.append(f" {hit.severity} ", severity_style(hit.severity, badge=True))
    prompt.append(f" {hit.status:<13} ")
    prompt.append(plain(hit.title).replace("\n", " "), "bold")
    prompt.append("\n   ")
    when = f" {to_local(hit.at).format('D MMM HH:mm')}" if hit.at else ""
    more = f" (+{hit.matches - 1})" if hit.matches > 1 else ""
    prompt.append(f"{hit.where}{when}{more} · ", "dim")
    text, spans = plain(hit.line).replace("\n", " "), hit.spans
    if spans and spans[0][0] > _LEAD_IN:
        # A match far into a long line: the words stay on screen, on a small terminal too.
        cut = spans[0][0] - _LEAD_IN // 2
        text, spans = "…" + text[cut:], tuple((a - cut + 1, b - cut + 1) for a, b in spans)
    line = Text(text)
    for start, end in spans:
        line.stylize("bold reverse", start, end)
    prompt.append_text(line)
    return prompt
