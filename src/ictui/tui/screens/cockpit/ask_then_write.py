"""Ask in a form, then write, then show it: the shape of every cockpit form.

The form opens (after a read in a thread, when it needs one: the keys typed meanwhile
wait for it); escape leaves everything as it was; an answer is written by the app's
ordered writer and, once it is on disk, the cockpit says so and shows the list and the
incident again. The keys typed after the answer wait until then: they act on what the
write put on screen. The shape itself is ``ictui.tui.ask_then_write``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ictui.tui import ask_then_write as shared
from ictui.tui.typeahead import open_after_read

if TYPE_CHECKING:
    from textual.screen import Screen

    from ictui.tui.screens.cockpit.parts import CockpitParts

A = TypeVar("A")  # the form's answer
R = TypeVar("R")  # what the write returns
L = TypeVar("L")  # what is read before the form opens


def ask_then_write(
    screen: CockpitParts,
    form: Screen[A],
    write: Callable[[A], R],
    said: str | Callable[[A, R], str],
    *,
    description: str,
    then: Callable[[A, R], object] | None = None,
    remember: Callable[[A], object] | None = None,
    seconds: float = 3,
    retarget: bool = False,
) -> None:
    """Open ``form``; its answer (None: cancelled) goes to ``write``, in order.

    Once written, ``said`` (a text, or made from the answer and the result) is notified
    for ``seconds``, ``then`` runs, and the list and the incident are shown again before
    the keys typed meanwhile go on. ``remember`` runs with the answer as the write
    starts (an undo, say). ``retarget``: the write changes which incident is selected
    (the keys typed after it are dropped if it fails).
    """
    shared.ask_then_write(
        screen,
        form,
        write,
        said,
        description=description,
        then=then if then is not None else lambda _answer, _result: None,
        remember=remember,
        seconds=seconds,
        settle=screen.show_written,
        retarget=retarget,
    )


def write_then_show(
    screen: CockpitParts,
    write: Callable[[], R],
    said: str | Callable[[R], str] | None,
    *,
    description: str,
    then: Callable[[R], object] | None = None,
) -> None:
    """A write with no form (a triage decision, a deletion, an undo): in order, and the
    keys typed after it wait until it is on screen."""
    shared.write_answer(
        screen,
        write,
        (lambda _: said) if isinstance(said, str) else said,
        then=then,
        description=description,
        settle=screen.show_written,
    )


def read_then_ask(
    screen: CockpitParts,
    read: Callable[[], L],
    ask: Callable[[L], object],
    *,
    description: str,
) -> None:
    """Read in a thread what a form offers (people, parts), then ask; the keys typed
    meanwhile go to the form."""
    open_after_read(screen, screen.ictui.typeahead, read, ask, description=description)
