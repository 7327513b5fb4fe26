"""Room to work at 80x24 and 120x40, and a CLI whose help says what it takes."""

from __future__ import annotations

import argparse
import html
import re

import pytest
from textual.widgets import OptionList, TextArea

from ictui.cli.main import build_parser, main
from ictui.domain.enums import Severity, Status
from ictui.store import Store
from ictui.tui.screens.forms import DeclareModal
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.footer import KeysFooter
from support.cockpit import make_app
from support.demo import open_review, review_app
from support.scenarios import settle


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, line by line (from the screenshot Textual exports)."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text [^>]*>(.*?)</text>", svg)
    return html.unescape(" ".join(lines)).replace("\xa0", " ")


async def test_the_declare_form_shows_its_title_and_keys_at_80x24(people_store: Store) -> None:
    app = make_app(people_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DeclareModal)
        shown = screen_text(app)
        assert "Declare an incident" in shown and "Title" in shown
        assert "ctrl+s declares" in shown


@pytest.mark.slow
async def test_the_composer_has_half_the_width_to_write_in_at_120x40(people_store: Store) -> None:
    people_store.declare("Checkout broken", severity=Severity.SEV2)
    app = make_app(people_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one(Composer).size.width >= 60


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "small"])
async def test_the_composer_maximises_and_the_keys_stay(people_store: Store, size: tuple[int, int]) -> None:
    people_store.declare("Checkout broken", severity=Severity.SEV2)
    app = make_app(people_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("f11")  # z is a letter in the composer
        await settle(pilot)
        assert isinstance(app.screen.maximized, Composer)
        footer = app.screen.query_one(KeysFooter)
        assert footer.region.height >= 1 and footer.region.bottom == size[1]
        assert "Send update" in screen_text(app)
        await pilot.press("f11")
        await settle(pilot)
        assert app.screen.maximized is None


@pytest.mark.slow
async def test_brackets_move_between_review_sections_from_the_editor(db) -> None:  # type: ignore[no-untyped-def]
    app = review_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        sections = screen.query_one("#pm-sections", OptionList)
        sections.focus()
        await pilot.press("enter")
        await settle(pilot)
        first = screen.focused
        assert isinstance(first, TextArea)
        before = first.text
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert isinstance(screen.focused, TextArea) and screen.focused is not first
        assert sections.highlighted == 1
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.focused is first and first.text == before  # no bracket typed


def test_every_argument_of_every_command_is_explained() -> None:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    unexplained = [
        f"{name} {action.dest}"
        for name, sub in commands.choices.items()
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert unexplained == []


def test_the_help_lists_the_statuses_and_severities(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, values in (
        (["--help"], [*Status, *Severity]),
        (["status", "--help"], list(Status)),
        (["severity", "--help"], list(Severity)),
        (["declare", "--help"], list(Severity)),
    ):
        with pytest.raises(SystemExit):
            main(argv)
        out = " ".join(capsys.readouterr().out.split())
        missing = [str(v) for v in values if str(v) not in out]
        assert missing == [], argv
