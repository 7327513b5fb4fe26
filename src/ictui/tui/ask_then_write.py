"""Ask in a form, then write, then say so: the one shape of the forms of every screen.

The form opens; escape leaves everything as it was; an answer is written in a thread
and, once it is on disk, the screen says so and reads again what it shows. The cockpit
uses it through ``screens/cockpit/ask_then_write`` (which reads the list again by
default); the review screen for rescheduling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ictui.tui.calls import call_in_thread

if TYPE_CHECKING:
    from textual.screen import Screen

A = TypeVar("A")  # the form's answer
R = TypeVar("R")  # what the write returns


def ask_then_write(
    screen: Screen[Any],
    form: Screen[Any],
    write: Callable[[A], R],
    said: str | Callable[[A, R], str],
    *,
    description: str,
    then: Callable[[A, R], object],
    remember: Callable[[A], object] | None = None,
    seconds: float = 3,
    on_error: Callable[[str], object] | None = None,
    group: str = "store",
) -> None:
    """Open ``form``; its answer (None: cancelled) goes to ``write``, in a thread.

    Once written, ``said`` (a text, or made from the answer and the result) is notified
    for ``seconds``, then ``then`` runs. ``remember`` runs with the answer as the write
    starts (an undo, say). A refusal goes to ``on_error`` (by default: "Not done").
    """

    def answered(answer: A | None) -> None:
        if answer is None:
            return

        def done(result: R) -> None:
            screen.notify(said if isinstance(said, str) else said(answer, result), timeout=seconds)
            then(answer, result)

        call_in_thread(screen, lambda: write(answer), done, on_error=on_error, group=group, description=description)
        if remember is not None:
            remember(answer)

    screen.app.push_screen(form, answered)
