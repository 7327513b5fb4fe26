"""The post-mortem as documents: Markdown for people, JSON for scripts, CSV for Jira.

Everything here turns a :class:`PostMortemView` into text; writing files is the caller's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ictui.domain.clock import local_zone, short_duration, to_local, to_utc
from ictui.domain.markdown_text import md_autolink, md_cell, md_lines, md_link, md_text
from ictui.domain.review import SECTIONS, ActionItemView, PostMortemView, Span, UpdateInterval
from ictui.domain.slack_text import cap
from ictui.domain.text import slugify, without_bidi

JIRA_COLUMNS = ("Summary", "Description", "Assignee", "Due date", "Labels")

# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

NOT_WRITTEN = "_Not written._"
_DAY_TIME = "YYYY-MM-DD HH:mm"


def export_basename(view: PostMortemView) -> str:
    """``postmortem-41-slow-app-load-times``: sorts by incident, says what it is."""
    slug = slugify(view.title, 40)
    return f"postmortem-{view.number}" + (f"-{slug}" if slug else "")


def duration_text(seconds: float | None) -> str:
    return "—" if seconds is None else short_duration(seconds)


def span_text(span: Span) -> str:
    return short_duration(span.seconds) if span.seconds is not None else f"unknown: {span.missing}"


def interval_verdict(interval: UpdateInterval) -> str:
    if interval.cadence_seconds is None:
        return "no cadence"
    if interval.late:
        return f"{short_duration(interval.late_by)} late"
    return "on time"


# ---------------------------------------------------------------------- Markdown


# Free text goes through ictui.domain.markdown_text (md_text, md_lines, md_cell): it
# renders as typed, never as a link, an image, HTML or a heading.


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _local(value: datetime | None, fmt: str = _DAY_TIME) -> str:
    return to_local(value).format(fmt) if value else "—"


def markdown(view: PostMortemView) -> str:
    """The complete post-mortem document, ready for the wiki."""
    out: list[str] = [f"# Post-mortem: #{view.number} {md_text(view.title)}", ""]
    facts = (
        ("Severity", str(view.severity)),
        ("Status", str(view.status)),
        ("Incident Controller", md_cell(view.ic_name) or "—"),
        ("Facilitator", md_cell(view.facilitator) or "—"),
        ("Post-mortem", _meeting_text(view)),
        ("Slack channel", f"#{md_text(view.slack_channel_name)}" if view.slack_channel_name else "—"),
        ("Times", local_zone().name),
    )
    out += [f"- **{name}:** {value}" for name, value in facts] + [""]
    for name, heading in SECTIONS[:2]:
        out += _section(heading, view.section(name))
    out += _surfaced(view)
    out += _timeline(view)
    out += _durations(view)
    out += _updates(view)
    for name, heading in SECTIONS[2:7]:
        out += _section(heading, view.section(name))
    out += _actions(view.action_items)
    out += _section("Kudos", view.kudos)
    return "\n".join(out).rstrip() + "\n"


def _meeting_text(view: PostMortemView) -> str:
    due = f"due {_local(view.scheduled_at, 'ddd YYYY-MM-DD')}" if view.scheduled_at else "not scheduled"
    if view.held_at:
        return f"held {_local(view.held_at, 'ddd ' + _DAY_TIME)} ({due})"
    return due


def _section(heading: str, text: str) -> list[str]:
    return [f"## {heading}", "", *(md_lines(text) or [NOT_WRITTEN]), ""]


def _surfaced(view: PostMortemView) -> list[str]:
    first = view.first_entry
    out = ["## How it surfaced", ""]
    if first is None:
        return [*out, "_The timeline is empty._", ""]
    out += [f"> {line}" if line else ">" for line in md_lines(first.text)]
    source = f"{first.author or 'unknown'}, {_local(first.occurred_at)}, {first.kind}"
    link = f" ({md_link('link', first.permalink)})" if first.permalink else ""
    return [*out, ">", f"> — {md_cell(source)}{link}", ""]


def _timeline(view: PostMortemView) -> list[str]:
    threshold = view.notable_gap_seconds
    rows = []
    for entry, gap in zip(view.timeline, view.gaps, strict=True):
        # Seconds apart is "at the same time" to a reader; only minutes are worth a number.
        gap_text = "" if gap is None or gap < 60 else short_duration(gap)
        if gap is not None and gap >= threshold:
            gap_text = f"**{gap_text}**"
        what = md_cell(entry.text) + (" _(edited)_" if entry.edited else "")
        if entry.permalink:
            what += f" ({md_link('link', entry.permalink)})"
        rows.append(
            (
                _local(entry.occurred_at),
                gap_text,
                f"**{entry.key_event}**" if entry.key_event else "",
                md_cell(entry.author) or "—",
                what,
            )
        )
    out = ["## Timeline", ""]
    if not rows:
        return [*out, "_The timeline is empty._", ""]
    silence = short_duration(threshold)
    out += [f"Silences of {silence} or more are in bold.", ""]
    return out + _table(("Time", "Silence before", "Key event", "Who", "What"), rows) + [""]


def _durations(view: PostMortemView) -> list[str]:
    d = view.durations
    rows = [(span.label, span_text(span)) for span in d.spans]
    rows.append((f"**{d.total.label}**", f"**{span_text(d.total)}**"))
    marks = " · ".join(f"{key} {_local(at)}" if at else f"{key} —" for key, at in d.key_times)
    engaged = [f"Time to engage: {'; '.join(view.engagement.lines())}.", ""] if view.engagement else []
    return ["## Durations", "", *_table(("", "Duration"), rows), "", f"Key events: {marks}.", "", *engaged]


def _updates(view: PostMortemView) -> list[str]:
    out = ["## Status updates", ""]
    cadence = (
        f"an update every {view.cadence_minutes} minutes"
        if view.cadence_minutes
        else "no update cadence for this severity"
    )
    if not view.intervals:
        return [*out, f"Cadence: {cadence}. No updates to measure.", ""]
    sent = sum(1 for i in view.intervals if i.ends_with != "resolved")
    late = len(view.late_intervals)
    out += [
        f"Cadence: {cadence}. {sent} update{'s' if sent != 1 else ''} sent; "
        f"{late} wait{'s were' if late != 1 else ' was'} longer than the cadence.",
        "",
    ]
    rows = []
    previous_label = "declared"
    for interval in view.intervals:
        rows.append(
            (
                f"{_local(interval.start, 'HH:mm')} {previous_label}",
                f"{_local(interval.end, 'HH:mm')} {interval.ends_with}",
                short_duration(interval.seconds),
                interval_verdict(interval),
            )
        )
        previous_label = interval.ends_with
    return out + _table(("From", "To", "Waited", "Against the cadence"), rows) + [""]


def _actions(items: tuple[ActionItemView, ...]) -> list[str]:
    out = ["## Action items", ""]
    if not items:
        return [*out, "_None recorded._", ""]
    rows = []
    for index, item in enumerate(items, start=1):
        what = md_cell(item.title) + (f"<br>{md_cell(item.description)}" if item.description else "")
        if item.ticket_key and item.ticket_url:
            ticket = md_link(item.ticket_key, item.ticket_url)
        else:
            ticket = md_text(item.ticket_key) or (md_autolink(item.ticket_url) if item.ticket_url else "—")
        rows.append(
            (
                str(index),
                what,
                md_cell(item.owner) or "—",
                md_cell(item.due_date) or "—",
                str(item.kind),
                str(item.status),
                ticket,
            )
        )
    return out + _table(("#", "Action", "Owner", "Due", "Kind", "Status", "Ticket"), rows) + [""]


# ---------------------------------------------------------------------- JSON


def _iso(value: datetime | None) -> str | None:
    return to_utc(value).isoformat().replace("+00:00", "Z") if value else None


def as_dict(view: PostMortemView) -> dict[str, Any]:
    """The post-mortem as plain data; times in UTC ISO 8601."""
    return {
        "incident": {
            "number": view.number,
            "title": view.title,
            "severity": str(view.severity),
            "status": str(view.status),
            "ic": view.ic_name,
            "slack_channel": view.slack_channel_name,
            "cadence_minutes": view.cadence_minutes,
        },
        "postmortem": {
            "scheduled_at": _iso(view.scheduled_at),
            "held_at": _iso(view.held_at),
            "facilitator": view.facilitator,
            **{name: view.section(name) for name, _ in SECTIONS},
        },
        "key_events": {str(key): _iso(at) for key, at in view.durations.key_times},
        "durations": [_span_dict(s) for s in view.durations.spans] + [_span_dict(view.durations.total)],
        "time_to_engage": (
            {
                "declared_at": _iso(view.engagement.declared_at),
                "first_paged_at": _iso(view.engagement.paged_at),
                "first_responder_joined_at": _iso(view.engagement.joined_at),
            }
            if view.engagement
            else None
        ),
        "update_intervals": [
            {
                "start": _iso(i.start),
                "end": _iso(i.end),
                "ends_with": i.ends_with,
                "seconds": i.seconds,
                "late_by_seconds": i.late_by,
            }
            for i in view.intervals
        ],
        "timeline": [
            {
                "id": e.id,
                "occurred_at": _iso(e.occurred_at),
                "kind": str(e.kind),
                "author": e.author,
                "text": e.text,
                "key_event": e.key_event,
                "permalink": e.permalink,
                "edited": e.edited,
                "seconds_since_previous": gap,
            }
            for e, gap in zip(view.timeline, view.gaps, strict=True)
        ],
        "action_items": [_item_dict(item) for item in view.action_items],
    }


def _span_dict(span: Span) -> dict[str, Any]:
    return {
        "label": span.label,
        "from": str(span.start),
        "to": str(span.end),
        "seconds": span.seconds,
        "missing": span.missing or None,
    }


def _item_dict(item: ActionItemView) -> dict[str, Any]:
    return {
        "id": item.id,
        "incident": item.incident_number,
        "title": item.title,
        "description": item.description,
        "owner": item.owner,
        "due_date": item.due_date or None,
        "kind": str(item.kind),
        "status": str(item.status),
        "ticket_key": item.ticket_key,
        "ticket_url": item.ticket_url,
        "created_at": _iso(item.created_at),
    }


def to_json(view: PostMortemView) -> str:
    return json.dumps(as_dict(view), ensure_ascii=False, indent=2) + "\n"


def items_to_json(items: list[ActionItemView]) -> str:
    return json.dumps([_item_dict(i) for i in items], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------- Jira CSV


def neutralise_cell(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula: a leading quote makes it text."""
    value = without_bidi(value)  # U+202E would reverse the cell's text in the spreadsheet
    return "'" + value if value.startswith(_FORMULA_START) else value


def action_items_csv(view: PostMortemView, *, include_ticketed: bool = False) -> str:
    """Action items as a CSV that Jira's importer maps by its column names.

    Items that already have a ticket, and the ones dropped, are left out unless
    asked for: importing them again would make duplicate tickets.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JIRA_COLUMNS)
    for item in jira_rows(view, include_ticketed=include_ticketed):
        writer.writerow([neutralise_cell(cell) for cell in item])
    return buffer.getvalue()


def jira_rows(view: PostMortemView, *, include_ticketed: bool = False) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for item in view.action_items:
        if not include_ticketed and (item.ticket or not item.is_open):
            continue
        origin = f"From the post-mortem of incident #{view.number}: {view.title}."
        description = f"{item.description}\n\n{origin}" if item.description else origin
        labels = ["postmortem", f"incident-{view.number}", slugify(str(item.kind), 30)]
        rows.append(
            (
                item.title,
                description,
                # "@dana" is how people name each other in Slack; Jira wants "dana".
                item.owner.lstrip("@"),
                item.due_date,
                " ".join(labels),
            )
        )
    return rows


# ---------------------------------------------------------------------- Slack


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Each written part of the Slack summary, and the action items listed, so that the whole
# stays under Slack's 12,000 characters of block text: 300 + 2 × 3,000 + 15 × 200 + 800 + headings.
SUMMARY_PART_LIMIT = 3_000
SUMMARY_ACTION_ITEMS = 15


def slack_summary(view: PostMortemView) -> str:
    """A short message for the incident channel, in Slack's mrkdwn, user text escaped; each
    part capped (marked where cut) so that the whole fits Slack's cap on a message's text."""
    held = f" (held {_local(view.held_at, 'ddd D MMM')})" if view.held_at else ""
    lines = [f"*Post-mortem of #{view.number} {_slack_escape(cap(view.title, 300, '…'))}*{held}"]
    for name, heading in (("summary", "Summary"), ("root_cause", "Root cause")):
        text = view.section(name).strip()
        lines += [f"*{heading}*", _slack_escape(cap(text, SUMMARY_PART_LIMIT)) if text else "_not written_"]
    total = view.durations.total
    lines.append(f"*{total.label}*: {span_text(total)}")
    if view.action_items:
        lines.append(f"*Action items* ({len(view.action_items)})")
        for item in view.action_items[:SUMMARY_ACTION_ITEMS]:
            details = ", ".join(
                part
                for part in (item.owner, f"due {item.due_date}" if item.due_date else "", item.ticket_key)
                if part
            )
            line = f"{item.title} ({details})" if details else item.title
            lines.append(f"• {_slack_escape(cap(line, 200, '…'))}")
        if len(view.action_items) > SUMMARY_ACTION_ITEMS:
            lines.append(f"… and {len(view.action_items) - SUMMARY_ACTION_ITEMS} more in the post-mortem")
    if view.kudos.strip():
        lines += ["*Kudos* :tada:", _slack_escape(cap(view.kudos.strip(), 800))]
    return "\n".join(lines)
