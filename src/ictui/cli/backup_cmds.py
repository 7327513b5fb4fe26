"""``ictui backup PATH``: a consistent copy of the database, made while others keep writing.

SQLite's online backup API copies a snapshot: cockpits and other commands go on writing
during the copy, which holds everything committed before it began. The copy is checked
with SQLite's integrity check before the command says it is done.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ictui.cli.context import Context
from ictui.domain.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "backup",
        help="copy the database to a new file, safely while it is in use",
        description="Copy the database with SQLite's online backup API: the cockpits and other "
        "commands may keep writing meanwhile. The copy is checked before it is reported.",
    )
    p.add_argument(
        "path", type=Path, metavar="PATH", help="the new file (an existing file is never overwritten)"
    )
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "recover",
        help="save what can still be read of a damaged database into a new file",
        description="Read the database (it is never written) table by table, past damaged pages "
        "where SQLite can, and save every row it can read into a new file, to open with --db.",
    )
    p.add_argument(
        "path", type=Path, metavar="PATH", help="the new file (an existing file is never overwritten)"
    )
    p.set_defaults(func=cmd_recover)

    p = subparsers.add_parser(
        "copy-to",
        help="copy every incident, person and setting into another, empty database (a team's server)",
        description="Copy the whole database (--db, $ICTUI_DB) into another one, all or nothing: "
        "a PostgreSQL server (postgresql://USER@HOST:PORT/DATABASE) or a new SQLite file. The "
        "target must hold no incidents, people or teams; the source is only read.",
    )
    p.add_argument("target", metavar="URL|PATH", help="the database to copy into (created if need be)")
    p.set_defaults(func=cmd_copy_to)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.store import DatabaseError, Store
    from ictui.store.files import check_file

    target = args.path.expanduser()
    check_file(ctx.db_path)  # a folder given as --db is named as one, as other commands do
    # Opening the store would create an empty database: there is nothing to keep in it.
    if not ctx.db_path.is_file():
        raise InvalidInput(f"there is no database at {ctx.db_path} to back up")
    ctx.store.backup(target)
    copy = Store(target)
    try:
        check = copy.integrity_check()
        incidents = len(copy.list_incidents())
    finally:
        copy.close()
    if check != "ok":
        raise DatabaseError(f"the copy at {target} failed SQLite's integrity check: {check}")
    print(
        f"backed up {ctx.db_path} to {target}: {incidents} incident{'s' if incidents != 1 else ''}, integrity ok"
    )
    return 0


def cmd_recover(args: argparse.Namespace, ctx: Context) -> int:
    # Never through the store: it refuses a damaged file, and this one is read as it is.
    from ictui.store import Store
    from ictui.store.files import check_exists, check_file
    from ictui.store.salvage import salvage

    target = args.path.expanduser()
    check_file(ctx.db_path)
    check_exists(ctx.db_path)
    saved = salvage(ctx.db_path, target)
    copy = Store(target)  # refused in its own words if what was saved is no ictui database
    try:
        incidents = len(copy.list_incidents())
    finally:
        copy.close()
    lost = (
        f"; damaged pages left out of: {', '.join(saved.damaged_tables)}"
        if saved.damaged_tables
        else "; nothing lost"
    )
    print(
        f"recovered {incidents} incident{'s' if incidents != 1 else ''} from {ctx.db_path} into {target}{lost}"
    )
    return 0


def cmd_copy_to(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.store import Store
    from ictui.store.copy import copy_database, same_database
    from ictui.store.location import parse

    target = parse(args.target)
    if same_database(ctx.location, target):
        raise InvalidInput("the source and the target are the same database; nothing was copied")
    source = ctx.store
    if not isinstance(source, Store):  # the command line opens the whole store
        raise TypeError(f"copying needs the whole store, not a {type(source).__name__}")
    copy = Store(target, policy=ctx.settings.policy)
    try:
        copied = copy_database(source, copy)
        incidents = len(copy.list_incidents())
    finally:
        copy.close()
    rows = sum(copied.rows.values())
    print(
        f"copied {incidents} incident{'s' if incidents != 1 else ''} ({rows} rows in all) "
        f"from {ctx.db_name} to {target}"
    )
    return 0
