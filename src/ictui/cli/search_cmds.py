"""``ictui search``: incidents found by any word of their title, timeline, updates and post-mortem."""

from __future__ import annotations

import argparse

from ictui.cli.argtypes import number
from ictui.cli.context import Context
from ictui.cli.output import local, print_json
from ictui.domain.errors import InvalidInput
from ictui.domain.search import words

_limit = number(int, "a whole number", 1)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "search",
        help="find incidents by words in their title, timeline, updates or post-mortem, best match first",
    )
    p.add_argument(
        "text",
        nargs="+",
        help="the words to find (each as the start of a word; every one must be in the same text)",
    )
    p.add_argument("--limit", type=_limit, default=50, help="at most this many incidents (50)")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    text = " ".join(args.text)
    if not words(text):
        raise InvalidInput("there is no word to search for: give letters or digits")
    hits = ctx.store.search(text, limit=args.limit)
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        print(f"no incident holds {' '.join(words(text))}")
        return 0
    for hit in hits:
        more = f" (+{hit.matches - 1} more)" if hit.matches > 1 else ""
        when = f" {local(hit.at)}" if hit.at else ""
        print(f"#{hit.number:<5} {hit.severity}  {hit.status:<13} {hit.title}")
        print(f"       {hit.where}{when}: {hit.line}{more}")
    return 0
