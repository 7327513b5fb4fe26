"""Secrets and files: the Slack token comes from the environment or the config file, a
config file others can read gets a warning, and the token is found nowhere else: not in
the database or its WAL, not in logs, exports, screenshots, command output or crash
reports, whichever way Slack fails. The database files are private to their owner.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.console import Console
from rich.traceback import Traceback

from ictui.config import Settings
from ictui.slack.client import Gateway, SlackFailure
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.cockpit import CockpitScreen
from support.cli import ictui, own_env
from support.fake_slack import FakeSlack

# The slow tier: many processes, examples or screens per test (tests/reliability is left to the full run).
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from support.reliability_figures import Figures


def write_config(path: Path, token: str, api_url: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[slack]\ntoken = "{token}"\napi_url = "{api_url}"\nbroadcast_channel = "#rnd"\n', encoding="utf-8"
    )
    path.chmod(mode)
    return path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return Path(os.environ["ICTUI_CONFIG"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "secret.db"
    store = Store(path)
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"])
    store.close()
    return path


# ---------------------------------------------------------------------- where the token comes from


def test_the_token_is_read_from_the_config_file_and_the_environment_overrides_it(
    fake_slack: FakeSlack, config_file: Path, db: Path
) -> None:
    write_config(config_file, fake_slack.token, fake_slack.url)
    from_file = ictui(own_env(), db, "doctor")
    assert from_file.returncode == 0 and "all good" in from_file.stdout, from_file.stdout

    write_config(config_file, "xoxb-an-old-revoked-token", fake_slack.url)
    from_env = ictui(own_env(SLACK_BOT_TOKEN=fake_slack.token), db, "doctor")
    assert from_env.returncode == 0 and "all good" in from_env.stdout, from_env.stdout
    for run in (from_file, from_env):
        assert fake_slack.token not in run.stdout + run.stderr


@pytest.mark.parametrize(
    ("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)], ids=["644", "640", "600"]
)
def test_a_config_file_holding_the_token_that_others_can_read_gets_a_warning(
    config_file: Path, db: Path, mode: int, warned: bool
) -> None:
    write_config(config_file, "xoxb-kept-in-the-file", "http://127.0.0.1:9/api/", mode)
    run = ictui(own_env(), db, "list")
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("ictui: warning:")]
    if warned:
        assert warnings == [
            f"ictui: warning: {config_file} holds the Slack token and is readable by others; "
            f"run: chmod 600 {config_file}"
        ]
    else:
        assert warnings == []
    assert "xoxb-kept-in-the-file" not in run.stdout + run.stderr


# ---------------------------------------------------------------------- where it must never be


class Sightings:
    """Everything that was written or shown, searched for the token at the end."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.places: dict[str, str] = {}

    def add(self, name: str, text: str | bytes) -> None:
        self.places[name] = text if isinstance(text, str) else text.decode("utf-8", "replace")

    def add_files(self, folder: Path, prefix: str = "") -> None:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                self.add(prefix + path.name, path.read_bytes())

    def leaks(self) -> list[str]:
        return [name for name, text in self.places.items() if self.token in text]


@pytest.fixture
def every_log() -> Iterator[io.StringIO]:
    """Every log record at DEBUG, including the Slack SDK's own (which ictui keeps quiet)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(), logging.getLogger("ictui.slack.sdk"), logging.getLogger("slack_sdk")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield buffer
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_the_token_appears_nowhere_whatever_slack_does(
    fake_slack: FakeSlack,
    slack_settings: Settings,
    db: Path,
    tmp_path: Path,
    every_log: io.StringIO,
    capfd: pytest.CaptureFixture[str],
    figures: Figures,
) -> None:
    token = fake_slack.token
    seen = Sightings(token)
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": token,
        "SLACK_API_URL": fake_slack.url,
        "ICTUI_BROADCAST_CHANNEL": "#rnd",
    }
    exports = tmp_path / "exports"
    exports.mkdir()

    def run(name: str, *args: str, expect: tuple[int, ...] = (0,)) -> None:
        result = ictui(env, db, *args)
        assert result.returncode in expect, (name, result.stderr)
        seen.add(name, result.stdout + result.stderr)

    def run_at_once(commands: dict[str, list[str]]) -> None:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda name: run(name, *commands[name]), commands))

    # A whole incident from the command line, Slack working.
    run("declare", "declare", "Checkout fails", "--ic", "ana@example.com", "--severity", "SEV2")
    run("note", "note", "1", "Rolled back the deploy")
    run("update", "update", "1", "Payments recover")
    run("status", "status", "1", "resolved")
    run_at_once(
        {
            "config": ["config"],
            "config --json": ["config", "--json"],
            "doctor": ["doctor"],
            "sync": ["sync", "1"],
            "escalations": ["escalations"],
            "show --json": ["show", "1", "--json"],
            **{
                f"postmortem {f}": ["postmortem", "1", "--format", f, "--output", str(exports / f"pm.{f}")]
                for f in ("md", "json", "csv")
            },
        }
    )
    # Slack failing every way it can, each through its error path.
    fake_slack.server_error_next(6, status=503)
    run("update with 503s", "update", "1", "503", expect=(0, 1))
    fake_slack.go_down()
    run("update, Slack down", "update", "1", "down", expect=(0, 1))
    fake_slack.come_back()
    fake_slack.revoke_token()
    run("outbox, token revoked", "outbox", "--deliver", expect=(0, 1, 2))
    run("doctor, token revoked", "doctor", expect=(0, 1))
    fake_slack.revoked = False
    env["SLACK_API_URL"] = "ftp://127.0.0.1/api/"
    run("bad API URL", "outbox", "--deliver", expect=(0, 1, 2))
    run("outbox list", "outbox", "--all")

    # In the process, with every logger at DEBUG: a delivery through the same failures.
    store = Store(db)
    store.outbox_retry()
    store.queue_update(1, "in-process update")
    fake_slack.server_error_next(1, status=500)
    deliver_pending(store, slack_settings, max_seconds=5)
    # The SDK's own failure, its frames and their variables printed as a crash report would.
    fake_slack.go_down()
    with pytest.raises(SlackFailure) as caught:
        Gateway(slack_settings).call("auth.test")
    fake_slack.come_back()
    report = io.StringIO()
    # From ictui's frames on: this test's own variables hold the token, of course.
    frames = caught.tb.tb_next
    Console(file=report, width=200).print(
        Traceback.from_exception(caught.type, caught.value, frames, show_locals=True)
    )
    seen.add("crash report of a Slack failure", report.getvalue())

    # The cockpit: a screenshot with Slack connected, then a crash while it delivers.
    app = IctuiApp(store, slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        seen.add("cockpit screenshot", app.export_screenshot())

    def crash(screen: CockpitScreen, report: object) -> None:
        settings = screen.ictui.settings  # noqa: F841 (a local the crash report shows)
        raise RuntimeError("the cockpit crashed while Slack was connected")

    store.queue_update(1, "one more")
    CockpitScreen.show_delivery, original = crash, CockpitScreen.show_delivery  # type: ignore[assignment]
    try:
        crashing = IctuiApp(store, slack_settings, cursor_blink=False)
        with pytest.raises(RuntimeError):
            async with crashing.run_test(size=(120, 40)):
                for _ in range(100):
                    if crashing.return_code is not None:
                        break
                    await asyncio.sleep(0.1)
    finally:
        CockpitScreen.show_delivery = original  # type: ignore[method-assign]
    out, err = capfd.readouterr()
    assert "RuntimeError" in out + err and "settings" in out + err, "the crash report was shown"
    seen.add("cockpit crash report", out + err)
    seen.add("logs at DEBUG", every_log.getvalue())
    assert "Sending a request" in every_log.getvalue(), "the SDK's debug log was captured"

    # And what is on disk, while the database is open (WAL and shared memory present) and after.
    seen.add_files(db.parent, "open: ")
    store.close()
    seen.add_files(db.parent, "closed: ")
    seen.add_files(exports, "export: ")
    assert any(name.endswith("-wal") for name in seen.places) and any(
        ".slack-lock" in name for name in seen.places
    )

    assert seen.leaks() == []
    figures.count("secret_scans", len(seen.places))


def test_the_database_and_its_companions_are_private_whatever_the_umask(db: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "ictui.db"
    run = ictui(own_env(), fresh, "declare", "Made with umask 000", umask=0)
    assert run.returncode == 0, run.stderr
    store = Store(fresh)
    try:
        store.add_entry(1, "the WAL and the shared memory exist while it is open")
        from ictui.slack.lock import delivery_lock

        with delivery_lock(fresh):
            files = sorted(fresh.parent.iterdir())
            assert {p.name for p in files} >= {
                "ictui.db",
                "ictui.db-wal",
                "ictui.db-shm",
                "ictui.db.slack-lock",
            }
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        store.close()
