"""Slack commands: config, doctor, update, outbox, sync, escalations, import-escalation.

``slack_sdk`` is imported only by the commands that talk to Slack, and only when they run.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from ictui.cli.argtypes import number
from ictui.cli.context import Context
from ictui.cli.output import local, print_json
from ictui.domain.errors import InvalidInput

if TYPE_CHECKING:
    from ictui.domain.outbox import DeliveryReport, OutboxItemView
    from ictui.domain.views import IncidentView

EXIT_WAITING = 1


_seconds = number(float, "a number of seconds", 0.0, 3600.0)


def _retry_target(text: str) -> int | None:
    if text == "all":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither an item id nor 'all'") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("config", help="print the config file's path and the settings in force")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_config)

    p = subparsers.add_parser(
        "slack", help="set up the Slack app: `ictui slack manifest` prints its manifest"
    )
    slack_sub = p.add_subparsers(
        dest="slack_command", metavar="WHAT", required=True, help="manifest: print the Slack app's manifest"
    )
    m = slack_sub.add_parser(
        "manifest", help="print the Slack app manifest (YAML) with exactly the scopes ictui uses"
    )
    m.add_argument(
        "--public-only",
        action="store_true",
        help="leave out the groups:* scopes (no private broadcast or escalation channel)",
    )
    m.set_defaults(func=cmd_slack_manifest)

    p = subparsers.add_parser("doctor", help="check the Slack token, its scopes and channel access")
    p.set_defaults(func=cmd_doctor)

    p = subparsers.add_parser("update", help="queue a status update and send it to Slack")
    p.add_argument("number", type=int, help="the incident's number, as `ictui list` shows it")
    p.add_argument("text", help="the update as stakeholders will read it (quote it)")
    p.add_argument(
        "--mirror",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also post it in the broadcast channel (default: for SEV1 and SEV2)",
    )
    p.add_argument(
        "--wait",
        type=_seconds,
        default=0,
        metavar="SECONDS",
        help="keep retrying for up to SECONDS if Slack does not take it (default: one try)",
    )
    p.add_argument(
        "--again",
        action="store_true",
        help="send it even if the same text went out for this incident less than a minute ago",
    )
    p.set_defaults(func=cmd_update)

    p = subparsers.add_parser("outbox", help="list the Slack outbox; --deliver sends what is pending")
    p.add_argument("--json", action="store_true", help="print the items as JSON")
    p.add_argument("--all", action="store_true", help="include delivered items")
    p.add_argument(
        "--deliver",
        action="store_true",
        help="deliver pending items; exit 1 if something is still waiting afterwards",
    )
    p.add_argument(
        "--wait",
        type=_seconds,
        default=0,
        metavar="SECONDS",
        help="with --deliver: wait up to SECONDS for scheduled retries (default: one pass)",
    )
    p.add_argument(
        "--retry",
        type=_retry_target,
        metavar="ID|all",
        default=False,
        help="put a failed item (or all of them) back in the queue",
    )
    p.add_argument(
        "--drop",
        type=int,
        metavar="ID",
        help="give up on an item Slack refuses for good: it is never sent, what waits behind it goes on "
        "(asks first; a line goes on the incident's timeline)",
    )
    p.add_argument("--yes", action="store_true", help="with --drop: do not ask")
    p.add_argument(
        "--edit",
        type=int,
        metavar="ID",
        help="replace the text of a refused update, note or summary and send it again (with --text)",
    )
    p.add_argument(
        "--text",
        metavar="TEXT",
        help="with --edit: the new text ('-' reads it from stdin); without it, --edit prints the current text",
    )
    p.set_defaults(func=cmd_outbox)

    p = subparsers.add_parser("sync", help="pull pinned and :pushpin: messages of the incident channel")
    p.add_argument("number", type=int, help="the incident's number, as `ictui list` shows it")
    p.set_defaults(func=cmd_sync)

    p = subparsers.add_parser("escalations", help="list recent messages of the escalation channel")
    p.add_argument("--limit", type=int, default=20, help="how many of the latest messages (default 20)")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=cmd_escalations)

    p = subparsers.add_parser("import-escalation", help="start a triage from an escalation message")
    p.add_argument(
        "ref",
        metavar="TS-or-permalink",
        help="the message's ts (as `ictui escalations` shows it) or its Slack link",
    )
    p.set_defaults(func=cmd_import_escalation)


def cmd_config(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    values = settings.public_values()
    if args.json:
        print_json(values)
        return 0
    path = settings.path
    state = "" if path is None or path.exists() else " (not found: defaults and environment in force)"
    print(f"config file: {path}{state}")
    for key, value in values.items():
        if key != "config_file":
            print(f"{key}: {value}")
    return 0


def cmd_slack_manifest(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.manifest import manifest

    sys.stdout.write(manifest(private_channels=not args.public_only))
    return 0


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.domain.errors import IctuiError
    from ictui.slack.doctor import run_doctor

    try:
        store = ctx.store  # what the outbox met that only a Slack admin can fix
    except IctuiError:
        store = None  # no database yet: the token and channel checks still run
    checks = run_doctor(ctx.settings, store)
    width = max(len(c.name) for c in checks)
    for check in checks:
        print(f"{'ok' if check.ok else 'FAIL':<4}  {check.name:<{width}}  {check.detail}")
    problems = sum(not c.ok for c in checks)
    print("all good" if not problems else f"{problems} problem{'s' if problems > 1 else ''} to fix")
    return 0 if not problems else EXIT_WAITING


def cmd_update(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.render import check_update_text

    check_update_text(args.text, ctx.store.incident(args.number))
    update = ctx.store.queue_update(
        args.number, args.text, author=ctx.settings.user, mirror=args.mirror, again=args.again
    )
    if not ctx.settings.slack_configured:
        print(f"queued: offline (no Slack token); {ctx.store.outbox_summary().pending} pending")
        return 0
    report = _deliver(ctx, args.wait)
    link = report.permalinks.get(update.id)
    if link:
        print(link)
        return 0
    item = next((i for i in ctx.store.outbox_items() if i.update_id == update.id), None)
    reason = (item.last_error or item.waiting_for) if item else report.summary()
    print(f"queued: {reason or report.summary()}")
    return EXIT_WAITING


def cmd_outbox(args: argparse.Namespace, ctx: Context) -> int:
    # Messages about what was done go to stderr when stdout is JSON.
    say = sys.stderr if args.json else sys.stdout
    if args.text is not None and args.edit is None:
        raise InvalidInput("--text goes with --edit ID")
    if args.drop is not None:
        _drop(ctx, args.drop, args.yes, say)
    if args.edit is not None:
        if args.text is None:
            print(ctx.store.outbox_item_text(args.edit))
            return 0
        text = sys.stdin.read() if args.text == "-" else args.text
        print(
            f"edited {ctx.store.outbox_edit(args.edit, text, author=ctx.settings.user)}: queued again",
            file=say,
        )
    if args.retry is not False:
        from ictui.slack.outbox import retry_failed

        count = retry_failed(ctx.store, args.retry)
        print(f"requeued {count} item{'s' if count != 1 else ''}", file=say)
    report = _deliver(ctx, args.wait) if args.deliver else None
    if args.deliver and ctx.store.paging_summary().pending:
        from ictui.paging.delivery import deliver_pages

        print(
            "pages: " + deliver_pages(ctx.store, ctx.settings, max_seconds=args.wait or None).summary(),
            file=say,
        )
    items = ctx.store.outbox_items(include_done=args.all)
    if args.json:
        print_json(items)
    else:
        _print_items(items)
    if report is None:
        return 0
    print(
        report.summary() + ("; set SLACK_BOT_TOKEN to deliver" if report.offline and report.pending else ""),
        file=say,
    )
    return 0 if report.settled else EXIT_WAITING


def _drop(ctx: Context, item_id: int, yes: bool, say: TextIO) -> None:
    item = next((i for i in ctx.store.outbox_items() if i.id == item_id), None)
    if item is None:
        raise InvalidInput(f"outbox item {item_id} is not waiting (see `ictui outbox --all`)")
    if not yes:
        where = f" of #{item.incident_number}" if item.incident_number else ""
        question = f"drop item {item_id} ({item.label}{where})? It will never be sent. [y/N] "
        if not sys.stdin.isatty():
            raise InvalidInput(f"dropping item {item_id} needs a yes: add --yes (no terminal to ask on)")
        print(question, end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise InvalidInput("not dropped")
    print(f"dropped {ctx.store.outbox_drop(item_id, author=ctx.settings.user)}", file=say)


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.sync import sync_incident

    print(sync_incident(ctx.store, ctx.settings, args.number).summary())
    return 0


def cmd_escalations(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.escalation import fetch_escalations

    if not 1 <= args.limit <= 1000:
        raise InvalidInput("--limit is between 1 and 1000")
    messages = fetch_escalations(ctx.settings, args.limit, store=ctx.store)
    if args.json:
        print_json(messages)
        return 0
    if not messages:
        print(f"no messages in {ctx.settings.escalation_channel}")
    for message in messages:
        done = f"  (imported as #{message.imported_as})" if message.imported_as else ""
        print(f"{message.ts}  {local(message.posted_at)}  {message.author:<18} {message.title}{done}")
    return 0


def cmd_import_escalation(args: argparse.Namespace, ctx: Context) -> int:
    from ictui.slack.escalation import import_escalation

    view = import_escalation(ctx.store, ctx.settings, args.ref, author=ctx.settings.user)
    print(f"#{view.number} in triage: {view.title}")
    return 0


def deliver_after_declare(ctx: Context, view: IncidentView) -> IncidentView:
    """``ictui declare`` with a token: create the channel and announce it right away."""
    report = _deliver(ctx, 0)
    view = ctx.store.incident(view.number)
    if view.slack_channel_id:
        print(f"Slack channel: {view.channel_label}", file=sys.stderr)
    else:
        print(f"Slack: {report.summary()}; `ictui outbox --deliver` retries", file=sys.stderr)
    return view


def _deliver(ctx: Context, wait: float) -> DeliveryReport:
    from ictui.slack.outbox import deliver_pending

    return deliver_pending(ctx.store, ctx.settings, max_seconds=wait or None)


def _print_items(items: list[OutboxItemView]) -> None:
    if not items:
        print("the outbox is empty")
        return
    for item in items:
        incident = f"#{item.incident_number}" if item.incident_number else "-"
        note = item.last_error or item.waiting_for
        if item.next_attempt_at and item.state == "pending":
            note = f"next try {local(item.next_attempt_at, 'HH:mm:ss')}: {note}"
        print(f"{item.id:>5}  {incident:<6} {item.label:<30} {item.state:<9} {item.attempts:>2}x  {note}")
