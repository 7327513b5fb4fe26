"""``ictui search``: incidents found by their words, as a person reads them and as JSON,
and a search with no words refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from ictui.domain.clock import pinned
from ictui.store import Store
from support.cli import assert_one_clear_error, cli_env, ictui, ictui_many, ok


def _made(db: Path) -> None:
    store = Store(db)
    with pinned(pendulum.datetime(2026, 11, 24, 8, 0)):
        store.declare("Checkout errors", author="ana")
        store.add_entry(
            1,
            "Graphs first\nThe payment processor times out after 30 s",
            author="ana",
            at=pendulum.datetime(2026, 11, 24, 8, 15),
        )
        store.declare("Payment processor down", author="ana")
        store.declare("Login slow", author="ana")
    store.close()


@pytest.mark.slow
def test_search_prints_each_incident_with_its_matching_line(tmp_path: Path) -> None:
    env, db = cli_env(tmp_path), tmp_path / "ictui.db"
    _made(db)
    runs = ictui_many(
        env,
        {
            "text": (db, ["search", "payment", "processor"]),
            "json": (db, ["search", "processor", "--json"]),
            "none": (db, ["search", "kubernetes"]),
        },
    )
    lines = ok(runs["text"]).stdout.splitlines()
    assert lines[0].startswith("#2 ") and lines[0].endswith("Payment processor down")
    assert lines[1].strip().startswith("title: Payment processor down")
    assert lines[2].startswith("#1 ") and lines[2].endswith("Checkout errors")
    # The time in the IC's zone (Europe/Paris), the line that matched, not the whole note.
    assert lines[3].strip() == "timeline 2026-11-24 09:15: The payment processor times out after 30 s"
    assert len(lines) == 4

    found = json.loads(ok(runs["json"]).stdout)
    assert [(h["number"], h["where"]) for h in found] == [(2, "title"), (1, "timeline")]
    assert found[1]["at"] == "2026-11-24T08:15:00Z"
    first = found[1]
    assert [first["line"][a:b] for a, b in first["spans"]] == ["processor"]
    assert ok(runs["none"]).stdout == "no incident holds kubernetes\n"


@pytest.mark.slow
def test_a_search_without_words_is_refused_and_operators_are_text(tmp_path: Path) -> None:
    env, db = cli_env(tmp_path), tmp_path / "ictui.db"
    _made(db)
    runs = ictui_many(
        env,
        {
            "nothing": (db, ["search", "--", "-!*()"]),
            "operators": (db, ["search", '"payment', "AND", "NOT", "processor*", "--json"]),
        },
    )
    assert "no word to search for" in assert_one_clear_error(runs["nothing"])
    assert json.loads(ok(runs["operators"]).stdout) == []  # "and" and "not" are words no text holds
    assert "Traceback" not in runs["operators"].stderr


@pytest.mark.slow
def test_search_creates_no_database(tmp_path: Path) -> None:
    env, db = cli_env(tmp_path), tmp_path / "missing.db"
    assert "no database" in assert_one_clear_error(ictui(env, db, "search", "payment"))
    assert not db.exists()
