"""Forms as straight lines: a flow reads, asks and writes from top to bottom.

::

    @flow
    async def action_declare(self) -> None:
        people, components = await read(self, lambda: (self.store.people(), ...), "loading people")
        answer = await ask(self, DeclareModal(people, user, components))
        if answer is None:
            return  # escape: everything stays as it was
        view = await write(self, lambda: self.store.declare(...), "declaring the incident",
                           settle=self.show_written, retarget=True)
        self.notify(f"Declared #{view.number} {view.title}")
        self.number = view.number

A flow (:func:`flow`) is a task on the event loop that waits for a form's answer with
:func:`ask` (Textual's ``push_screen_wait`` would make it a worker, and a worker waiting
for an answer is a worker still running to whoever waits for the workers to end: the
tests' and the benchmark's "settle"). Its reads and writes run in threads
(``tui/calls.py``), as every other call to the store does. Its writes go to
the app's ordered writer (``app.writes``): one at a time, in the order asked. The keys
typed while a flow is under way act on what the IC would have seen had the cockpit been
instant: the flow holds them (``tui/typeahead.py``) from each step to the next, with no
gap between two holds:

- from the key that started the flow until its first step;
- while :func:`read` runs, until the form it was read for is pushed: they go to the form;
- from the moment a form :func:`ask` opened is answered (``app.pop_screen`` calls
  :func:`answered`, in the dismissal itself) until the flow's next step: a key handled in
  between would act on the old selection;
- from the start of :func:`write` until its effect is on screen: once the flow has shown
  it (it has ended, or asked its next form), ``settle`` lets them go (by default, the
  next refresh; the cockpit's ``show_written``: the list and the incident shown again).

A refused step says so ("Not done", or ``refused``) and ends the flow (:class:`NotDone`);
a refused write with ``retarget`` drops the keys held behind it, and says how many: they
were meant for what it would have shown (the note typed after a declare).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from ictui.tui.calls import call_in_thread
from ictui.tui.messages import services

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

    from ictui.tui.typeahead import TypeAhead

T = TypeVar("T")
A = TypeVar("A")
N = TypeVar("N", bound="DOMNode")
P = ParamSpec("P")


class NotDone(Exception):
    """A step of a flow was refused, and the IC told why: the flow ends there."""


class _Flow:
    """One flow under way: the hold it keeps between two steps (one at a time)."""

    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self.finished = False
        self.asking = False  # waiting for the IC's answer to a form
        self._release: Callable[[], object] | None = None

    def keep(self, release: Callable[[], object] | None) -> None:
        """The keys are now held by ``release``'s hold (None: by none this flow keeps); the
        one kept before lets go, after the new one was taken: no gap between the two."""
        previous, self._release = self._release, release
        if previous is not None:
            previous()

    def end(self) -> None:
        self.finished = True
        self.keep(None)


_current: ContextVar[_Flow] = ContextVar("ictui_flow")
# The flows under way (a task nobody keeps a reference to may be collected).
_running: dict[asyncio.Task[None], _Flow] = {}
# The forms a flow waits on (:func:`ask`), and the flow.
_asked: WeakKeyDictionary[Screen[Any], _Flow] = WeakKeyDictionary()


def flow(method: Callable[Concatenate[N, P], Coroutine[Any, Any, None]]) -> Callable[Concatenate[N, P], None]:
    """``method`` runs as a flow: it may await forms (:func:`ask`), reads and writes; a
    refused step ends it quietly (it has been said); an error in it ends the app as an
    error in a handler does. The keys typed after the key that started it wait for its
    first step."""

    @functools.wraps(method)
    def start(node: N, *args: P.args, **kwargs: P.kwargs) -> None:
        typeahead = services(node).typeahead
        reason = object()
        typeahead.hold(reason)
        this = _Flow(node)
        this.keep(lambda: typeahead.release(reason))

        async def run() -> None:
            _current.set(this)
            try:
                await method(node, *args, **kwargs)
            except NotDone:
                pass
            finally:
                this.end()

        def ended(task: asyncio.Task[None]) -> None:
            _running.pop(task, None)
            error = None if task.cancelled() else task.exception()
            if error is not None:  # raised again where Textual handles an error: it says so
                node.call_later(_raise, error)

        task = asyncio.create_task(run(), name=f"flow {method.__name__}")
        _running[task] = this
        task.add_done_callback(ended)

    return start  # type: ignore[return-value]  # functools.wraps's wrapper is this callable


def _raise(error: BaseException) -> None:
    raise error


def read(node: DOMNode, load: Callable[[], T], description: str) -> Awaitable[T]:
    """``load`` in a thread (what a form offers: people, teams); the keys typed meanwhile
    wait, and go to the form opened next. A failure is said and ends the flow."""
    this = _current.get()
    app = services(node)
    reason = object()
    app.typeahead.hold(reason)
    this.keep(lambda: app.typeahead.release(reason))
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()

    def failed(message: str) -> None:
        this.keep(None)
        node.app.notify(message, title="Not done", severity="error", timeout=8)
        _fail(future, message)

    call_in_thread(
        node, load, lambda result: _resolve(future, result), on_error=failed, description=description
    )
    return future


async def ask(node: DOMNode, form: Screen[A]) -> A | None:
    """Open ``form`` (it holds the keys while it opens, then has them) and wait for its
    answer (None: escape); from the answer on, the keys wait for the flow's next step."""
    this = _current.get()
    future: asyncio.Future[A | None] = asyncio.get_running_loop().create_future()
    _asked[form] = this
    node.app.push_screen(form, lambda answer: _resolve(future, answer))
    this.keep(None)  # the form holds them now
    this.asking = True
    try:
        return await future
    finally:
        this.asking = False


def busy(app: App[Any]) -> bool:
    """A flow of ``app`` is under way, not waiting for the IC, on a node still there (for
    the tests: what "settled" waits for)."""
    return any(
        not this.asking and this.node.app is app and this.node.is_attached for this in _running.values()
    )


def answered(form: Screen[Any], typeahead: TypeAhead) -> None:
    """``form`` is being dismissed (``app.pop_screen``): if a flow waits on it, the keys
    typed from now on wait for the flow's next step (or its end). Taken here, in the
    dismissal: the answer reaches the flow a few turns of the event loop later."""
    this = _asked.pop(form, None)
    if this is None or this.finished:
        return
    reason = object()
    typeahead.hold(reason)
    this.keep(lambda: typeahead.release(reason))


def write(
    node: DOMNode,
    work: Callable[[], T],
    description: str,
    *,
    settle: Callable[[Callable[[], None]], object] | None = None,
    retarget: bool = False,
    refused: Callable[[str], object] | None = None,
) -> Awaitable[T]:
    """``work`` in the app's ordered writer, after every write asked before it (it is
    submitted now: what runs before the ``await`` runs as the write starts).

    Its result comes back once on disk; the keys typed meanwhile wait until the flow has
    shown it, and ``settle`` (given the function that lets them go) says it is on screen.
    A refusal goes to ``refused`` (by default: "Not done") and ends the flow; with
    ``retarget``, the keys typed behind the write are dropped, and counted.
    """
    this = _current.get()
    app = services(node)
    hold = object()
    app.typeahead.hold_for_write(hold, description)
    this.keep(None)  # the form's answer, or the read: this write holds the keys now

    def release() -> None:
        app.typeahead.release(hold)

    def shown() -> None:
        if settle is not None:
            settle(release)
        else:
            node.call_after_refresh(release)

    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()

    def done(result: T) -> None:
        if this.finished or future.done():
            shown()  # the flow was cancelled meanwhile: nothing more will be shown
            return
        this.keep(shown)
        _resolve(future, result)

    def failed(message: str) -> None:
        try:
            if refused is not None:
                refused(message)
            else:
                node.app.notify(message, title="Not done", severity="error", timeout=8)
        finally:
            if retarget:
                app.typeahead.drop_after(hold, f"Not done ({description})")
            else:
                release()
            _fail(future, message)

    app.writes.submit(work, done, failed=failed, description=description)
    return future


def _resolve(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def _fail(future: asyncio.Future[Any], message: str) -> None:
    if not future.done():
        future.set_exception(NotDone(message))
