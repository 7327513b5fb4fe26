"""``ictui`` and ``ictui demo``: the full-screen cockpit."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ictui.cli.context import Context
from ictui.store.location import Server, redact

if TYPE_CHECKING:
    from ictui.store.bulk_reads import ListRead
    from ictui.store.interface import StoreAPI


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="open the cockpit on a freshly seeded demo database",
        description="Seed a new demo database (in a temporary folder unless --db is given) "
        "and open the cockpit on it.",
    )
    demo.set_defaults(func=run_demo)
    cockpit = subparsers.add_parser("cockpit", help="open the cockpit (the default)")
    cockpit.set_defaults(func=run_cockpit)


def run_cockpit(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.store.files import check_file, check_writable

    location = ctx.location
    if isinstance(location, Server):

        def peek_server(limit: int | None) -> ListRead | None:
            # The list with psycopg alone, painted while the store opens. A server that
            # cannot be reached ends the app with one line and exit code 2 (app.py).
            from ictui.store.lazy_server import read_server_list

            return read_server_list(location, limit)

        return _run_app(ctx, ctx.open_for_cockpit, peek_server)
    # A wrong, empty or read-only file is refused here, at once; the database itself opens
    # in the app, after its first frame (checked for damage then), and a problem found
    # then ends the app with the same one line.
    check_file(ctx.db_path, init=ctx.init)
    check_writable(ctx.db_path)

    def peek(limit: int | None) -> ListRead | None:
        # The list without the database layer, painted while the store opens.
        from ictui.store.bulk_reads import read_incident_list

        return read_incident_list(ctx.db_path, limit)

    return _run_app(ctx, ctx.open_for_cockpit, peek)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    if args.db is None:
        ctx.use_db(Path(tempfile.mkdtemp(prefix="ictui-demo-")) / "demo.db")
    elif ctx.db_path.exists():
        from ictui.domain.errors import InvalidInput

        raise InvalidInput(f"{ctx.db_path} already exists; the demo needs a new file")

    def seeded() -> StoreAPI:
        # In the app's opening worker: the cockpit is on screen while the demo is written.
        from ictui.demo import seed_demo

        seed_demo(ctx.store)
        return ctx.store

    return _run_app(ctx, seeded)


def _run_app(
    ctx: Context,
    open_store: Callable[[], StoreAPI],
    peek: Callable[[int | None], ListRead | None] | None = None,
) -> int:
    from ictui.store.slow import SlowStore, from_environment, slowed
    from ictui.tui.app import IctuiApp

    delay = from_environment()  # a store slowed on purpose, for the tests of timing
    if delay is not None:
        opener = open_store

        def open_store() -> StoreAPI:
            # A proxy: every attribute of the store it wraps, each call slowed.
            return cast("StoreAPI", SlowStore(opener(), delay))

        peek = slowed(peek, delay) if peek is not None else None
    app = IctuiApp(open_store, ctx.settings, peek=peek)
    app.run()
    if app.error_message:
        print(f"ictui: {redact(app.error_message)}", file=sys.stderr)
    return app.return_code or 0
