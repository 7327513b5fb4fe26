"""Paging from the command line: a team's PagerDuty key (set, masked, imported), `ictui page`,
and every bad input refused in one line, exit 2, nothing queued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ictui.cli.main import main
from ictui.domain.enums import Severity
from ictui.store import Store
from support.fake_pagerduty import ROUTING_KEY, FakePagerDuty


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err


@pytest.fixture
def fake(fake: FakePagerDuty, monkeypatch: pytest.MonkeyPatch) -> FakePagerDuty:
    """The folder's fake PagerDuty (conftest.py), named to the CLI by its variable."""
    monkeypatch.setenv("PAGERDUTY_EVENTS_URL", fake.url)
    return fake


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    db = tmp_path / "ictui.db"
    store = Store(db)
    store.add_team("Payments", ["card payments"])
    store.add_team("Web Platform", ["navigation bar"])
    store.declare(
        "Card payments declined", severity=Severity.SEV2, components=["card payments"], author="tester"
    )
    store.close()
    return Cli(db, capsys)


def _queued(db: Path) -> list[str]:
    store = Store(db)
    try:
        return [i.action for i in store.outbox_items() if i.action in ("page", "resolve_page")]
    finally:
        store.close()


def test_a_team_key_is_set_shown_masked_and_never_printed_whole(cli: Cli) -> None:
    code, out, _ = cli("teams", "edit", "Payments", "--pagerduty-key", ROUTING_KEY)
    assert code == 0 and ROUTING_KEY not in out

    code, out, _ = cli("teams", "list")
    assert "Payments" in out and "PagerDuty R01…89AB" in out and ROUTING_KEY not in out
    code, out, _ = cli("teams", "list", "--json")
    payments = next(t for t in json.loads(out) if t["name"] == "Payments")
    assert payments["pagerduty"] == "R01…89AB" and ROUTING_KEY not in out

    code, out, _ = cli("teams", "edit", "Payments", "--pagerduty-key", "")
    assert code == 0 and "PagerDuty" not in cli("teams", "list")[1]


@pytest.mark.parametrize("key", ["short", ROUTING_KEY + "X", ROUTING_KEY[:-1] + "-", ROUTING_KEY[:-1] + "é"])
def test_a_malformed_key_is_refused_in_one_line(cli: Cli, key: str) -> None:
    for args in (
        ["teams", "add", "Search", "--pagerduty-key", key],
        ["teams", "edit", "Payments", "--pagerduty-key", key],
    ):
        code, _, err = cli(*args)
        assert code == 2 and err.count("\n") == 1 and "32 letters and digits" in err
        assert key not in err
    assert "PagerDuty" not in cli("teams", "list")[1] and "Search" not in cli("teams", "list")[1]


def test_teams_import_takes_a_pagerduty_key_column(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "teams.csv"
    good.write_text(f"name,parts,pagerduty_key\nPayments,card payments,{ROUTING_KEY}\nSearch,search,\n")
    code, _, err = cli("teams", "import", str(good))
    assert code == 0, err
    listed = cli("teams", "list")[1]
    assert "Payments  owns: card payments  (0 people)  PagerDuty R01…89AB" in listed

    bad = tmp_path / "bad.csv"
    bad.write_text("name,parts,pagerduty_key\nWeb Platform,navigation bar,not-a-key\n")
    code, _, err = cli("teams", "import", str(bad))
    assert code == 2 and "row 2" in err and "32 letters and digits" in err

    # A file without the column leaves the keys as they are.
    plain = tmp_path / "plain.csv"
    plain.write_text("name,parts\nPayments,card payments; refunds\n")
    assert cli("teams", "import", str(plain))[0] == 0
    assert "PagerDuty R01…89AB" in cli("teams", "list")[1]


def test_ictui_page_sends_the_alert_and_puts_it_on_the_timeline(cli: Cli, fake: FakePagerDuty) -> None:
    cli("teams", "edit", "Payments", "--pagerduty-key", ROUTING_KEY)
    code, out, err = cli("page", "1", "--team", "payments", "--message", "card payments declined")

    assert code == 0, err
    assert out.strip() == "#1: Payments on-call: triggered"
    (event,) = fake.accepted("trigger")
    assert event.body["routing_key"] == ROUTING_KEY
    assert event.body["payload"]["summary"] == "#1 [SEV2] Card payments declined: card payments declined"
    assert event.body["payload"]["severity"] == "error"
    shown = cli("show", "1")[1]
    assert "Paged Payments on-call: card payments declined" in shown
    assert "#1  " in cli("pages", "1")[1] and "(triggered)" in cli("pages", "1")[1]


def test_pagerduty_down_the_page_waits_in_the_outbox(cli: Cli, fake: FakePagerDuty) -> None:
    cli("teams", "edit", "Payments", "--pagerduty-key", ROUTING_KEY)
    fake.fail_next(1, status=503)
    code, out, _ = cli("page", "1", "--team", "Payments")

    assert code == 1
    assert "pending: PagerDuty is unavailable (503)" in out
    assert _queued(cli.db) == ["page"]
    assert "page the on-call" in cli("outbox")[1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--team", "Nobody"], "no team named 'Nobody'"),
        (["--team", "Web Platform"], "Web Platform has no PagerDuty key"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_is_queued(
    cli: Cli, fake: FakePagerDuty, args: list[str], said: str
) -> None:
    cli("teams", "edit", "Payments", "--pagerduty-key", ROUTING_KEY)
    code, _, err = cli("page", "1", *args)

    assert code == 2 and err.count("\n") == 1 and said in err
    assert _queued(cli.db) == [] and fake.events == []
    assert "Paged" not in cli("show", "1")[1]


def test_an_unknown_incident_or_an_events_url_that_is_not_https_is_refused(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("teams", "edit", "Payments", "--pagerduty-key", ROUTING_KEY)
    code, _, err = cli("page", "9", "--team", "Payments")
    assert code == 2 and "no incident #9" in err

    monkeypatch.setenv("PAGERDUTY_EVENTS_URL", "http://events.example.com")
    code, _, err = cli("page", "1", "--team", "Payments")
    assert code == 2 and err.count("\n") == 1 and "PAGERDUTY_EVENTS_URL must be an https:// URL" in err
    assert _queued(cli.db) == []
