"""The command line, run as a user runs it: ``python -m ictui`` in a subprocess.

Independent runs go in parallel (each pays Python's start-up), so that the whole file
stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from ictui.cli.main import build_parser, main
from ictui.domain.enums import Severity, Status
from ictui.store import Store
from ictui.store.versions import SCHEMA_VERSION
from support.cli import Run, assert_one_clear_error, cli_env, digest, ictui, ictui_many, ok


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path)


# ---------------------------------------------------------------------- a whole incident


@pytest.mark.slow
def test_an_incident_from_declaration_to_resolution(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    declared = ok(
        ictui(
            env,
            db,
            "declare",
            "Slow app load times",
            "--severity",
            "sev2",
            "--summary",
            "Pages take 30 s to load",
        )
    )
    assert declared.stdout == "1\n"
    in_triage = json.loads(ok(ictui(env, db, "declare", "Export times out", "--triage", "--json")).stdout)
    assert (in_triage["number"], in_triage["title"], in_triage["status"]) == (2, "Export times out", "triage")

    called = time.monotonic()
    noted = ok(ictui(env, db, "note", "1", "Bundle grew to 7.9 MB", "--at", "-5m"))
    # The note was typed (recorded) at most this long after "-5m" was read, however slow the machine.
    took = time.monotonic() - called
    assert noted.stdout.startswith("#1 ") and "Bundle grew to 7.9 MB" in noted.stdout
    assert ok(ictui(env, db, "status", "1", "identified", "--note", "navigation bar badge")).stdout == (
        "#1 is now identified\n"
    )
    assert (
        ok(ictui(env, db, "severity", "1", "SEV1", "--reason", "all customers")).stdout == "#1 is now SEV1\n"
    )
    resolved = ok(ictui(env, db, "status", "1", "resolved"))
    assert "post-mortem due by" in resolved.stdout

    reads = ictui_many(env, {"list": (db, ["list", "--json"]), "show": (db, ["show", "1", "--json"])})
    listed = json.loads(ok(reads["list"]).stdout)
    assert [(r["number"], r["title"], r["status"], r["severity"]) for r in listed] == [
        (2, "Export times out", "triage", "SEV3"),
        (1, "Slow app load times", "resolved", "SEV1"),
    ]
    shown = json.loads(ok(reads["show"]).stdout)
    incident, timeline = shown["incident"], shown["timeline"]
    assert (incident["number"], incident["summary"], incident["status"]) == (
        1,
        "Pages take 30 s to load",
        "resolved",
    )
    assert incident["resolved_at"].endswith("Z")
    texts = [e["text"] for e in timeline]
    assert "Bundle grew to 7.9 MB" in texts
    assert "Status: investigating → identified. navigation bar badge" in texts
    assert "Severity: SEV2 → SEV1. all customers" in texts
    note = next(e for e in timeline if e["text"] == "Bundle grew to 7.9 MB")
    assert note["author"] == "tester" and note["kind"] == "note"
    # --at -5m: it happened five minutes before it was typed, so before the declaration.
    typed_after = datetime.fromisoformat(note["recorded_at"]) - datetime.fromisoformat(note["occurred_at"])
    assert 300 - 1 <= typed_after.total_seconds() <= 300 + took + 1
    assert timeline.index(note) == 0


@pytest.mark.slow
def test_the_database_comes_from_ictui_db_when_no_db_is_given(env: dict[str, str], tmp_path: Path) -> None:
    ok(ictui(env, None, "declare", "Through the environment"))
    store = Store(Path(env["ICTUI_DB"]))
    assert [r.title for r in store.list_incidents()] == ["Through the environment"]
    store.close()


@pytest.mark.slow
def test_list_and_show_for_people(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "people.db"
    store = Store(db)
    store.declare("Slow app load times", severity=Severity.SEV2)
    store.add_entry(1, "Bundle grew to 7.9 MB")
    store.close()
    runs = ictui_many(env, {"list": (db, ["list", "--active"]), "show": (db, ["show", "1"])})
    listed, shown = ok(runs["list"]).stdout, ok(runs["show"]).stdout
    assert listed.startswith("#1 ") and "SEV2" in listed and "Slow app load times" in listed
    assert shown.startswith("#1 Slow app load times\nSEV2 · investigating")
    assert "Bundle grew to 7.9 MB" in shown


@pytest.mark.slow
def test_seed_demo_then_list(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    seeded = ok(ictui(env, db, "seed", "--demo"))
    assert seeded.stdout.startswith("seeded 15 demo incidents")
    runs = ictui_many(env, {"list": (db, ["list", "--json"]), "again": (db, ["seed", "--demo"])})
    rows = json.loads(ok(runs["list"]).stdout)
    assert [r["number"] for r in rows] == list(range(44, 29, -1))
    slow = next(r for r in rows if r["number"] == 41)
    assert (slow["title"], slow["severity"], slow["status"]) == ("Slow app load times", "SEV2", "identified")
    assert "already has incidents" in assert_one_clear_error(runs["again"])


@pytest.mark.slow
def test_seed_generated(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    seeded = ok(
        ictui(env, db, "seed", "--incidents", "50", "--entries-per-incident", "4", "--big-timeline", "300")
    )
    assert seeded.stdout.startswith("51 incidents, ")
    store = Store(db)
    assert len(store.list_incidents()) == 51
    assert len(store.timeline(51)) >= 300
    store.close()


# ---------------------------------------------------------------------- --help


def command_names() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    # In-process (the same parser ``python -m ictui`` builds): one interpreter per command
    # would cost a second each.
    with pytest.raises(SystemExit) as exited:
        main([name, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: ictui {name}")


def every_parser(parser: argparse.ArgumentParser, path: str = "ictui"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from every_parser(sub, f"{path} {name}")


def test_every_argument_of_every_command_says_what_it_is() -> None:
    """`--help` explains each argument and option, for every command and subcommand."""
    silent = [
        f"{path}: {' '.join(action.option_strings) or action.dest}"
        for path, parser in every_parser(build_parser())
        for action in parser._actions
        if not action.help and not isinstance(action, argparse._HelpAction)
    ]
    assert not silent, "arguments with no help:\n" + "\n".join(silent)


def test_help_from_the_real_entry_point(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    runs = ictui_many(env, {"top": (None, ["--help"]), "note": (None, ["note", "--help"])})
    assert all(r.returncode == 0 and r.stderr == "" for r in runs.values())
    assert {"declare", "note", "status", "severity", "list", "show", "seed", "demo"} <= set(
        runs["top"].stdout.split()
    )
    assert "--at TIME" in runs["note"].stdout
    assert not Path(env["ICTUI_DB"]).exists(), "help opens no database"


# ---------------------------------------------------------------------- bad input


def make_db(path: Path) -> Path:
    store = Store(path)
    store.declare("Slow app load times")
    store.close()
    return path


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path | None, str | None]]:
    """Every bad-input case, run once and in parallel: (run, file it must not change, its digest)."""
    home = tmp_path_factory.mktemp("bad")
    db = make_db(home / "ictui.db")
    text_file = home / "notes.txt"
    text_file.write_text("not a database\n")
    foreign = home / "crm.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    newer = make_db(home / "newer.db")
    connection = sqlite3.connect(newer)
    connection.execute(
        "UPDATE ictui_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    connection.commit()
    connection.close()
    # The cases the store's and the clock's tests cover in depth, once each through the CLI.
    cases: dict[str, tuple[Path | str, list[str], Path | None]] = {
        "unknown incident": (db, ["note", "99", "lost?"], db),
        "bad time": (db, ["note", "1", "too late", "--at", "yesterday 25:99"], db),
        "illegal status move": (db, ["status", "1", "triage"], db),
        "unwritable path in /proc": ("/proc/ictui-test.db", ["note", "1", "x"], None),
        # sysfs refuses new files even to root.
        "read-only directory": ("/sys/ictui-test.db", ["declare", "x"], None),
        "not a database": (text_file, ["list"], text_file),
        "another app's database": (foreign, ["declare", "x"], foreign),
        "newer database": (newer, ["declare", "x"], newer),
    }
    digests = {name: digest(keep) if keep else None for name, (_, _, keep) in cases.items()}
    runs = ictui_many(cli_env(home), {name: (path, args) for name, (path, args, _) in cases.items()})
    return {name: (runs[name], cases[name][2], digests[name]) for name in cases}


BAD_INPUT_MESSAGES = {
    "unknown incident": "no incident #99",
    "bad time": "is not a time of day",
    "illegal status move": "cannot move from investigating to triage",
    "unwritable path in /proc": "cannot create the database",
    "read-only directory": "cannot create the database",
    "not a database": "not an ictui database",
    "another app's database": "not an ictui database",
    "newer database": "newer ictui",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_INPUT_MESSAGES))
def test_bad_input_is_one_clear_line_and_exit_code_2(
    case: str, bad_input: dict[str, tuple[Run, Path | None, str | None]]
) -> None:
    run, kept, before = bad_input[case]
    line = assert_one_clear_error(run)
    assert BAD_INPUT_MESSAGES[case] in line
    if kept is not None:
        assert digest(kept) == before, "the file must be left byte-for-byte as it was"


def test_bad_input_leaves_the_incident_as_it_was(
    bad_input: dict[str, tuple[Run, Path | None, str | None]],
) -> None:
    db = bad_input["illegal status move"][1]
    assert db is not None
    store = Store(db)
    view = store.incident(1)
    assert (view.status, str(view.severity)) == (Status.INVESTIGATING, "SEV3")
    assert [e.text for e in store.timeline(1)] == ["Declared SEV3 incident: Slow app load times"]
    store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories anyway")
def test_a_read_only_directory_made_by_the_user(env: dict[str, str], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        line = assert_one_clear_error(ictui(env, locked / "ictui.db", "declare", "x"))
        assert "cannot create the database" in line
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
