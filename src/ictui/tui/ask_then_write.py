"""Ask in a form, then write, then say so: the one shape of the forms of every screen.

The form opens; escape leaves everything as it was; an answer is written by the app's
ordered writer (after every write asked for before it) and, once it is on disk, the
screen says so and shows it. The keys typed after the answer wait until its effect is on
screen (``settle``), so that they act on what the IC would have seen had the write been
instant: the note typed right after a declare goes to the new incident. If the write is
refused, those keys are dropped when they were meant for what the write would have
shown (``retarget``), and the IC is told how many; otherwise they go on.

The cockpit uses it through ``screens/cockpit/ask_then_write`` (which shows the list and
the incident again); the review screen for rescheduling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ictui.tui.messages import services

if TYPE_CHECKING:
    from textual.screen import Screen

A = TypeVar("A")  # the form's answer
R = TypeVar("R")  # what the write returns


def ask_then_write(
    screen: Screen[Any],
    form: Screen[A],
    write: Callable[[A], R],
    said: str | Callable[[A, R], str],
    *,
    description: str,
    then: Callable[[A, R], object],
    remember: Callable[[A], object] | None = None,
    seconds: float = 3,
    on_error: Callable[[str], object] | None = None,
    settle: Callable[[Callable[[], None]], object] | None = None,
    retarget: bool = False,
) -> None:
    """Open ``form``; its answer (None: cancelled) goes to ``write``, in the writer's thread.

    Once written, ``said`` (a text, or made from the answer and the result) is notified
    for ``seconds``, then ``then`` runs, then ``settle`` is given the function that lets
    the keys typed meanwhile go (by default once the screen has refreshed). ``remember``
    runs with the answer as the write starts (an undo, say). A refusal goes to
    ``on_error`` (by default: "Not done").
    """

    def answered(answer: A | None) -> None:
        if answer is None:
            return
        write_answer(
            screen,
            lambda: write(answer),
            lambda result: said if isinstance(said, str) else said(answer, result),
            then=lambda result: then(answer, result),
            description=description,
            seconds=seconds,
            on_error=on_error,
            settle=settle,
            retarget=retarget,
        )
        if remember is not None:
            remember(answer)

    screen.app.push_screen(form, answered)


def write_answer(
    screen: Screen[Any],
    write: Callable[[], R],
    said: Callable[[R], str] | None,
    *,
    then: Callable[[R], object] | None = None,
    description: str,
    seconds: float = 3,
    on_error: Callable[[str], object] | None = None,
    settle: Callable[[Callable[[], None]], object] | None = None,
    retarget: bool = False,
) -> None:
    """Write in order, holding the keys typed after it until its effect is on screen."""
    app = services(screen)
    hold = object()
    app.typeahead.hold_for_write(hold, description)

    def release() -> None:
        app.typeahead.release(hold)

    def done(result: R) -> None:
        try:
            if said is not None:
                screen.notify(said(result), timeout=seconds)
            if then is not None:
                then(result)
        finally:
            if settle is not None:
                settle(release)
            else:
                screen.call_after_refresh(release)

    def failed(message: str) -> None:
        try:
            if on_error is not None:
                on_error(message)
            else:
                screen.app.notify(message, title="Not done", severity="error", timeout=8)
        finally:
            if retarget:
                app.typeahead.drop_after(hold, f"Not done ({description})")
            else:
                release()

    app.writes.submit(write, done, failed=failed, description=description)


def save_then(
    node: Any,
    write: Callable[[], R],
    done: Callable[[R], object],
    *,
    failed: Callable[[str], object],
    description: str,
) -> None:
    """A form that stays open while it saves (it closes once the save is on disk, or shows
    the refusal): in order with every other write, and the keys typed after ``ctrl+s``
    wait until it has closed (they are meant for the screen under it) or said why not."""
    app = services(node)
    hold = object()
    app.typeahead.hold_for_write(hold, description)

    def saved(result: R) -> None:
        try:
            done(result)
        finally:
            node.call_after_refresh(app.typeahead.release, hold)

    def refused(message: str) -> None:
        try:
            failed(message)
        finally:
            app.typeahead.release(hold)

    app.writes.submit(write, saved, failed=refused, description=description)
