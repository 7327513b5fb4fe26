"""Any text, end to end: typed on the command line (as bytes, or as any Unicode), through
the store, into a Slack message and the exports. Never a traceback; what is stored is
what was typed, cleaned of control characters only; what is refused is refused in one
line with exit code 2; Slack and the exports give it back as it was stored.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ictui.cli.main import main
from ictui.domain.clock import now
from ictui.domain.text import clean_line, clean_text
from ictui.slack import render
from ictui.store import Store
from ictui.store.api import MAX_TITLE

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

# How Python hands a program the bytes of its command line: UTF-8, and any byte that is
# not kept as a lone surrogate (a command line cannot hold NUL).
command_line_bytes = st.binary(max_size=120).map(lambda raw: os.fsdecode(raw.replace(b"\0", b"")))
TRAPS = st.sampled_from(
    [
        "[/]",
        "[b]bold[/b]",
        "[@click=app.quit]x[/]",
        "<!channel>",
        "<@U123>",
        "<https://evil.example|click>",
        "[Reset your password](https://phish.example)",
        "<img src=x onerror=alert(1)>",
        '=HYPERLINK("x")',
        "\x1b[2J\x1b]0;title\x07",
        "\x9b31m",
        "-5m",
        "--help",
        "🔥 الدفع \u202e",
        "a\r\nb\n\n\tc",
        "&amp; &lt;",
    ]
)
any_text = st.one_of(
    st.text(max_size=300),
    command_line_bytes,
    st.lists(st.one_of(TRAPS, st.text(max_size=10)), max_size=6).map("".join),
)
UNDECODED = re.compile("[\udc80-\udcff]")
MARKDOWN = MarkdownIt("gfm-like")


@dataclass
class Run:
    code: int
    out: str
    err: str


def ictui(db: Path, *args: str) -> Run:
    """``ictui --db DB ARGS`` in this process, as the installed command runs it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as exc:  # argparse's own refusals
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def refused_plainly(run: Run) -> bool:
    assert "Traceback" not in run.err, run.err
    if run.code == 0:
        return False
    assert run.code == 2, run
    assert len(run.err.strip().splitlines()) == 1, run.err
    return True


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("any-text") / "ictui.db"
    Store(path).close()
    yield path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=any_text)
def test_any_text_through_the_cli_the_store_slack_and_the_exports(text: str, db: Path) -> None:
    undecodable = bool(UNDECODED.search(text))

    # The title.
    declared = ictui(db, "declare", "--", text)
    title = clean_line(text)
    if refused_plainly(declared):
        assert undecodable or not title or len(title) > MAX_TITLE, declared.err
        if undecodable:
            assert "is not UTF-8 text" in declared.err
        declared = ictui(db, "declare", "A title anyone can read")
        title = "A title anyone can read"
    assert not undecodable or title == "A title anyone can read"
    number = int(declared.out.strip())

    # A note, a status change's note, a severity change's reason, an update: each stored
    # as typed (cleaned of controls), or refused in one line.
    typed = clean_text(text)
    runs = {
        "note": ictui(db, "note", str(number), "--", text),
        "status": ictui(db, "status", str(number), "monitoring", f"--note={text}"),
        "severity": ictui(db, "severity", str(number), "SEV2", f"--reason={text}"),
        "update": ictui(db, "update", str(number), "--", text),
    }
    for name, run in runs.items():
        if refused_plainly(run):
            assert undecodable or (name in ("note", "update") and not typed), (name, run.err)
        else:
            assert not undecodable, name

    store = Store(db)
    try:
        assert store.incident(number).title == title
        entries = [e.text for e in store.timeline(number)]
        if not undecodable and typed:
            assert typed in entries  # the note, whole
            assert any(typed in entry for entry in entries if entry != typed)  # status note, reason
            [update] = store.updates(number)
            assert update.text == typed
            # Slack: nothing typed becomes a mention or a link, and the words come back.
            message = render.status_update(store.incident(number), update.text, "ana", now())
            body = [block["text"]["text"] for block in message.blocks[1:-1]]
            # The only <...> are bare web addresses linked to themselves (no label).
            unlinked = [re.sub(r"<https?://[^<>|\s]+>", "", part) for part in body]
            assert all("<" not in part and ">" not in part for part in unlinked)
            assert words(render.to_plain(" ".join(body))) == words(typed)
        item = store.add_action_item(number, "Follow up").id
    finally:
        store.close()

    # The action item's title and owner, typed on the command line.
    changed = ictui(db, "action", str(item), f"--title={text}", f"--owner={text}")
    item_title = "Follow up" if refused_plainly(changed) else clean_line(text)
    assert not undecodable or item_title == "Follow up"

    # The exports: JSON is JSON holding the text as stored; the Markdown renders it as
    # stored, with no image or HTML of its own; a CSV cell is the text or the text
    # behind a quote that stops a spreadsheet from running it.
    exported = {fmt: ictui(db, "postmortem", str(number), "--format", fmt) for fmt in ("json", "md", "csv")}
    for fmt, run in exported.items():
        assert run.code == 0 and not refused_plainly(run), (fmt, run.err)
    data = json.loads(exported["json"].out)
    assert data["incident"]["title"] == title
    assert [item["title"] for item in data["action_items"]] == [item_title]
    if not undecodable and typed:
        assert typed in [entry["text"] for entry in data["timeline"]]
    rendered = MARKDOWN.render(exported["md"].out)
    assert "<img" not in rendered and "<script" not in rendered
    shown = words(html.unescape(re.sub(r"<[^>]+>", " ", rendered)))
    assert words(title) in shown
    if not undecodable and typed:
        for line in typed.splitlines():
            assert words(line) in shown
    rows = list(csv.DictReader(io.StringIO(exported["csv"].out, newline="")))
    assert [row["Summary"] for row in rows] in ([item_title], ["'" + item_title])
