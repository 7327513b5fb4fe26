"""The Slack commands run as a user runs them: ``ictui`` subprocesses, the fake Slack via
``SLACK_BOT_TOKEN`` and ``SLACK_API_URL``."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ictui.config import Settings
from ictui.slack.doctor import run_doctor
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from support import cli
from support.fake_slack import FakeSlack

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    store = Store(path)
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"])
    store.close()
    return path


def declare(db: Path) -> None:
    """Incident #1, declared without Slack: its channel and announcement wait in the outbox."""
    store = Store(db)
    store.declare("Login broken")
    store.close()


@pytest.fixture
def ictui(fake_slack: FakeSlack, db: Path) -> Run:
    def run(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "SLACK_API_URL": fake_slack.url, "ICTUI_BROADCAST_CHANNEL": "#rnd"}
        env["SLACK_BOT_TOKEN"] = fake_slack.token if token is None else token
        result = cli.ictui(env, db, *args)
        assert "Traceback" not in result.stderr, result.stderr
        assert fake_slack.token not in result.stdout + result.stderr
        return result

    return run


def test_config_shows_the_values_in_force_with_the_token_masked(ictui: Run, fake_slack: FakeSlack) -> None:
    result = ictui("config")
    assert result.returncode == 0
    assert "config file:" in result.stdout and "(not found" in result.stdout
    assert f"slack_api_url: {fake_slack.url}" in result.stdout
    assert "slack_token: xoxb-…(set)" in result.stdout
    assert "broadcast_channel: #rnd" in result.stdout


@pytest.mark.slow
def test_doctor_is_happy_with_a_complete_token(ictui: Run) -> None:
    result = ictui("doctor")
    assert result.returncode == 0, result.stdout
    assert "bot @ictui in Fake Co" in result.stdout and result.stdout.strip().endswith("all good")


@pytest.mark.slow
def test_doctor_says_what_is_missing(ictui: Run, fake_slack: FakeSlack) -> None:
    fake_slack.scopes.discard("pins:read")
    fake_slack.channels[fake_slack.support].members.discard("UBOT00001")  # type: ignore[attr-defined]

    result = ictui("doctor")

    assert result.returncode == 1
    assert "FAIL  scope pins:read" in result.stdout and "pull pinned messages" in result.stdout
    assert "invite the bot to #engineering-support" in result.stdout
    assert "2 problems to fix" in result.stdout


@pytest.mark.slow
def test_doctor_with_a_revoked_token(ictui: Run, fake_slack: FakeSlack) -> None:
    fake_slack.revoke_token()
    result = ictui("doctor")
    assert result.returncode == 1 and "the bot token was revoked" in result.stdout


def test_doctor_without_a_token_says_how_to_set_one(offline_settings: Settings) -> None:
    [check] = run_doctor(offline_settings)
    assert not check.ok and "set SLACK_BOT_TOKEN" in check.detail


def test_doctor_with_a_wrong_token(slack_settings: Settings) -> None:
    [check] = run_doctor(dataclasses.replace(slack_settings, slack_token="xoxb-not-the-right-one"))
    assert (check.name, check.ok) == ("auth.test", False)
    assert check.detail.startswith("Slack refused the bot token") and "not-the-right-one" not in check.detail


@pytest.mark.slow
def test_declare_then_update_from_the_command_line(ictui: Run, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")

    declared = ictui("declare", "Login broken", "--severity", "SEV2", "--ic", "ana@example.com")

    assert declared.returncode == 0 and declared.stdout.strip() == "1"
    assert "Slack channel: #incident-1-login-broken" in declared.stderr
    channel = fake_slack.channel_named("incident-1-login-broken")
    assert channel is not None and len(fake_slack.bot_messages(fake_slack.rnd)) == 1  # type: ignore[attr-defined]

    updated = ictui("update", "1", "SSO provider is down; <!channel> waiting on them", "--no-mirror")

    assert updated.returncode == 0
    [message] = fake_slack.bot_messages(channel.id)
    assert updated.stdout.strip() == fake_slack.permalink(channel.id, message["ts"])
    assert "&lt;!channel&gt;" in message["text"]
    assert len(fake_slack.bot_messages(fake_slack.rnd)) == 1  # type: ignore[attr-defined]


def test_update_without_a_token_is_queued_offline(ictui: Run, db: Path) -> None:
    declare(db)
    result = ictui("update", "1", "looking", token="")
    assert result.returncode == 0 and result.stdout.strip() == "queued: offline (no Slack token); 3 pending"


def test_update_over_the_limit_is_refused_and_nothing_is_queued(ictui: Run, db: Path) -> None:
    declare(db)
    # 3,000 "<" are 12,000 characters once escaped: with the heading, over Slack's 12,000.
    result = ictui("update", "1", "<" * 3_000, token="")
    assert result.returncode == 2 and "Slack takes at most 12,000: shorten it by" in result.stderr
    assert result.stderr.count("\n") == 1
    store = Store(db)
    assert store.updates(1) == [] and store.outbox_summary().pending == 2
    store.close()


@pytest.mark.slow
def test_outbox_deliver_exit_codes_follow_what_is_left(ictui: Run, fake_slack: FakeSlack, db: Path) -> None:
    declare(db)
    offline = ictui("outbox", "--deliver", token="")
    assert offline.returncode == 1 and "offline: 2 pending; set SLACK_BOT_TOKEN" in offline.stdout

    fake_slack.go_down()
    down = ictui("outbox", "--deliver")
    assert down.returncode == 1 and "cannot reach Slack" in down.stdout and "next try" in down.stdout

    fake_slack.come_back()
    back = ictui("outbox", "--deliver", "--wait", "5", "--all", "--json")
    assert back.returncode == 0, back.stderr
    assert "delivered 2" in back.stderr
    listed = json.loads(back.stdout)
    assert [(i["action"], i["state"]) for i in listed] == [("create_channel", "done"), ("announce", "done")]


@pytest.mark.slow
def test_outbox_retry_requeues_failed_items(ictui: Run, fake_slack: FakeSlack, db: Path) -> None:
    declare(db)
    fake_slack.revoke_token()
    failed = ictui("outbox", "--deliver")
    assert failed.returncode == 1 and "failed" in failed.stdout and "revoked" in failed.stdout

    fake_slack.revoked = False
    retried = ictui("outbox", "--retry", "all", "--deliver")
    assert retried.returncode == 0 and "requeued 1 item" in retried.stdout
    bad = ictui("outbox", "--retry", "1")
    assert bad.returncode == 2 and "not failed" in bad.stderr


@pytest.mark.slow
def test_sync_and_import_escalation_from_the_command_line(
    ictui: Run, fake_slack: FakeSlack, db: Path, slack_settings: Settings
) -> None:
    declare(db)
    store = Store(db)
    deliver_pending(store, slack_settings)
    store.close()
    channel = fake_slack.channel_named("incident-1-login-broken")
    assert channel is not None
    fake_slack.pin(channel.id, fake_slack.add_message(channel.id, "SSO cert expired"))
    synced = ictui("sync", "1")
    assert (
        synced.returncode == 0
        and synced.stdout.strip() == "#1: 1 added, 0 updated from #incident-1-login-broken"
    )

    ts = fake_slack.add_message(fake_slack.support, "Reports export times out")  # type: ignore[attr-defined]
    listed = ictui("escalations")
    assert ts in listed.stdout and "Reports export times out" in listed.stdout
    imported = ictui("import-escalation", fake_slack.permalink(fake_slack.support, ts))  # type: ignore[attr-defined]
    assert imported.returncode == 0 and imported.stdout.strip() == "#2 in triage: Reports export times out"


def test_slack_manifest_prints_exactly_the_scopes_doctor_checks(ictui: Run) -> None:
    from ictui.slack.manifest import LIVE_SCOPES, PRIVATE_SCOPES, REQUIRED_SCOPES

    result = ictui("slack", "manifest")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    scopes = lines[lines.index("    bot:") + 1 : lines.index("settings:")]
    assert sorted(s.strip()[2:] for s in scopes) == sorted([*REQUIRED_SCOPES, *LIVE_SCOPES, *PRIVATE_SCOPES])
    events = lines[lines.index("    bot_events:") + 1 : lines.index("  org_deploy_enabled: false")]
    assert [e.strip()[2:] for e in events] == [
        "message.channels",
        "message.groups",
        "pin_added",
        "reaction_added",
    ]
    assert "    - command: /incident" in lines and "  socket_mode_enabled: true" in lines
    assert "oauth_config:" in result.stdout and "display_name: ictui" in result.stdout
    public = ictui("slack", "manifest", "--public-only")
    assert "groups:" not in public.stdout


@pytest.mark.slow
def test_drop_asks_first_and_puts_a_line_on_the_timeline(ictui: Run, fake_slack: FakeSlack, db: Path) -> None:
    declare(db)
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")
    ictui("outbox", "--deliver")
    failed = [line for line in ictui("outbox").stdout.splitlines() if " failed " in line]
    item_id = failed[0].split()[0]

    refused = ictui("outbox", "--drop", item_id)  # no terminal to ask on
    assert refused.returncode == 2 and "add --yes" in refused.stderr
    dropped = ictui("outbox", "--drop", item_id, "--yes")
    assert dropped.returncode == 0 and f"dropped item {item_id} (announce the incident)" in dropped.stdout
    store = Store(db)
    try:
        assert any(f"dropped outbox item {item_id}" in e.text for e in store.timeline(1))
        assert store.outbox_summary().failed == 0
    finally:
        store.close()


@pytest.mark.slow
def test_edit_prints_then_replaces_a_refused_update(ictui: Run, fake_slack: FakeSlack, db: Path) -> None:
    declare(db)
    ictui("outbox", "--deliver")
    fake_slack.fail_next("chat.postMessage", "msg_blocks_too_long")
    assert ictui("update", "1", "Investigating").returncode == 1
    item_id = ictui("outbox").stdout.split()[0]
    assert ictui("outbox", "--edit", item_id).stdout == "Investigating\n"

    edited = ictui("outbox", "--edit", item_id, "--text", "Investigating the processor", "--deliver")
    assert edited.returncode == 0, edited.stderr
    channel = fake_slack.channel_named("incident-1-login-broken")
    assert channel is not None
    assert fake_slack.bot_messages(channel.id)[-1]["text"].endswith("Investigating the processor")
