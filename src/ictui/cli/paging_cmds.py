"""Paging the on-call: ``ictui page N --team NAME [--message TEXT]`` and ``ictui pages [N]``."""

from __future__ import annotations

import argparse
import sys

from ictui.cli.argtypes import number
from ictui.cli.context import Context
from ictui.cli.output import local, print_json
from ictui.domain.paging import PageState, PageView

# Something is still waiting (PagerDuty down or throttling): it is retried later.
EXIT_WAITING = 1

_seconds = number(float, "a number of seconds", 0.0, 3600.0)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("page", help="page a team's on-call through PagerDuty about an incident")
    p.add_argument("number", type=int, help="the incident's number, as `ictui list` shows it")
    p.add_argument(
        "--team",
        required=True,
        help="the team to page (it needs a PagerDuty key: `ictui teams edit NAME --pagerduty-key KEY`)",
    )
    p.add_argument("--message", default="", help="what the on-call should know, after the incident's title")
    p.add_argument(
        "--wait",
        type=_seconds,
        default=0,
        metavar="SECONDS",
        help="keep retrying for up to SECONDS if PagerDuty does not take it (default: one try)",
    )
    p.add_argument("--json", action="store_true", help="print the page as JSON")
    p.set_defaults(func=cmd_page)

    p = subparsers.add_parser("pages", help="the pages sent for an incident (or all), and their state")
    p.add_argument("number", type=int, nargs="?", help="the incident's number (default: every incident)")
    p.add_argument("--deliver", action="store_true", help="send the pages still waiting first")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_pages)


def cmd_page(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.paging.delivery import deliver_pages

    settings = ctx.settings  # a bad PAGERDUTY_EVENTS_URL is refused before anything is queued
    page = ctx.store.queue_page(args.number, args.team, args.message, author=settings.user)
    report = deliver_pages(ctx.store, settings, max_seconds=args.wait or None)
    page = next(p for p in ctx.store.pages(args.number) if p.id == page.id)
    if args.json:
        print_json(page)
    else:
        print(f"#{page.incident_number}: {page.team} on-call: {page.describe()}")
    if page.state is PageState.QUEUED:
        print(
            "it stays in the outbox and is sent again by the cockpit or `ictui pages --deliver`",
            file=sys.stderr if args.json else sys.stdout,
        )
        return EXIT_WAITING
    return 0 if report.failed == 0 else EXIT_WAITING


def cmd_pages(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.paging.base import PagingFailure
    from ictui.paging.delivery import deliver_pages, refresh_acknowledgements

    if args.deliver:
        print(deliver_pages(ctx.store, ctx.settings).summary(), file=sys.stderr if args.json else sys.stdout)
    try:
        refresh_acknowledgements(ctx.store, ctx.settings)
    except PagingFailure as exc:
        print(f"ictui: acknowledgements not read: {exc}", file=sys.stderr)
    pages = ctx.store.pages(args.number)
    if args.json:
        print_json(pages)
        return 0
    if not pages:
        print("no pages yet: `ictui page N --team NAME`")
    for page in pages:
        print(_line(page))
    return 0


def _line(page: PageView) -> str:
    message = f": {page.message}" if page.message else ""
    return f"#{page.incident_number}  {local(page.created_at)}  {page.team}{message}  ({page.describe()})"
