"""Ask in a form, then write, then say so: the shape of every cockpit form.

The form opens (after a read in a thread, when it needs one: the keys typed meanwhile
wait for it); escape leaves everything as it was; an answer is written in a thread and,
once it is on disk, the cockpit says so and reads the list again. The shape itself is
``ictui.tui.ask_then_write``, which other screens use too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ictui.tui import ask_then_write as shared
from ictui.tui.typeahead import open_after_read

if TYPE_CHECKING:
    from textual.screen import Screen

    from ictui.tui.screens.cockpit.screen import CockpitScreen

A = TypeVar("A")  # the form's answer
R = TypeVar("R")  # what the write returns
L = TypeVar("L")  # what is read before the form opens


def ask_then_write(
    screen: CockpitScreen,
    form: Screen[Any],
    write: Callable[[A], R],
    said: str | Callable[[A, R], str],
    *,
    description: str,
    then: Callable[[A, R], object] | None = None,
    remember: Callable[[A], object] | None = None,
    seconds: float = 3,
) -> None:
    """Open ``form``; its answer (None: cancelled) goes to ``write``, in a thread.

    Once written, ``said`` (a text, or made from the answer and the result) is notified
    for ``seconds``, then ``then`` runs (by default the list is read again).
    ``remember`` runs with the answer as the write starts (an undo, say).
    """
    shared.ask_then_write(
        screen, form, write, said, description=description,
        then=then if then is not None else lambda _answer, _result: screen.load_list(),
        remember=remember, seconds=seconds,
    )


def read_then_ask(
    screen: CockpitScreen,
    read: Callable[[], L],
    ask: Callable[[L], object],
    *,
    description: str,
) -> None:
    """Read in a thread what a form offers (people, parts), then ask; the keys typed
    meanwhile go to the form."""
    open_after_read(screen, screen.ictui.typeahead, read, ask, description=description)
