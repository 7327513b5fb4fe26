"""The benchmark's forms and screens: opened through a real terminal, read off its frames.

The figures themselves come from ``python -m bench`` on the large database; these tests
run the same measured processes on a small one, so that the benchmark keeps working as
the forms change (a form whose texts change, or a key that no longer opens it, fails
here before it stops a full run), and check how its results are reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.figures import FIGURES, form_figures, typeahead_summary, worst_forms
from bench.forms import OPENINGS, TYPED, opening
from bench.report import assess, markdown, typeahead_row
from bench.screen_text import ScreenText
from bench.terminal import run_child
from ictui.store import Store
from ictui.store.seed import seed_generated


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.db"
    store = Store(path)
    seed_generated(store, incidents=40, entries_per_incident=3, updates_per_incident=1, big_timeline=60)
    store.close()
    return path


@pytest.mark.slow  # the benchmark's child in a pseudo-terminal
@pytest.mark.parametrize("name", ["D", "a"])
def test_a_form_is_timed_from_its_key_to_the_frame_that_shows_it_first_time_and_later(
    small_db: Path, name: str
) -> None:
    # D straight from the list; a from inside the post-mortem review (p first).
    result = run_child(["form", str(small_db), opening(name).slug], timeout=120).result
    assert "error" not in result, result.get("error")
    assert result["form"] == name
    assert 0 < result["cold_ms"] < 30_000
    assert len(result["warm_ms"]) == 3 and all(0 < ms < 30_000 for ms in result["warm_ms"])


@pytest.mark.slow  # the benchmark's child in a pseudo-terminal
def test_letters_typed_right_after_the_declare_key_are_all_in_its_title(small_db: Path) -> None:
    result = run_child(["typeahead", str(small_db), "D"], timeout=120).result
    assert "error" not in result, result.get("error")
    tries = result["typeahead"]
    assert [t["attempt"] for t in tries] == ["cold", "warm"]
    for attempt in tries:
        assert attempt["screen"] == "DeclareModal"
        assert attempt["field"] == TYPED
        assert attempt["arrived"] == len(TYPED)


def test_the_screen_text_follows_whole_frames_and_changed_fragments() -> None:
    from rich.segment import Segment
    from textual.geometry import Region
    from textual.strip import Strip

    from ictui.tui.textual_compat import ChopsUpdate, LayoutUpdate

    screen = ScreenText(columns=20, lines=3)
    screen.apply(LayoutUpdate([[Strip([Segment("cockpit list")])]] * 3, Region(0, 0, 20, 3)))
    assert screen.shows("cockpit list") and not screen.shows("Declare")
    chops = [{}, {4: Strip([Segment("Declare")])}, {}]
    screen.apply(ChopsUpdate(chops, [(1, 4, 11)], [[], [11], []]))
    assert screen.shows("cockpit list", "cockDeclaret")  # line 1 overwritten from column 4
    screen.apply(LayoutUpdate([[Strip([Segment("cockpit list")])]], Region(0, 1, 20, 1)))
    assert not screen.shows("Declare")


def fake_session(cold: dict[str, float], warm: float) -> dict[str, dict]:
    return {name: {"cold_ms": ms, "warm_ms": [warm, warm + 2, warm + 4]} for name, ms in cold.items()}


def test_the_report_names_the_slowest_first_opening_and_says_when_a_key_was_lost() -> None:
    cold = {form.name: 20.0 + index for index, form in enumerate(OPENINGS)}
    cold["i"] = 1300.0
    figures = form_figures(fake_session(cold, 30.0))
    worst = worst_forms(figures)
    assert (worst["form_cold_worst"], worst["form_cold_worst_ms"]) == ("i", 1300.0)
    assert worst["form_warm_worst_ms"] == 32.0

    tries = [
        {"form": "D", "attempt": "cold", "typed": TYPED, "field": TYPED, "arrived": len(TYPED)},
        {
            "form": "n",
            "attempt": "cold",
            "typed": TYPED,
            "field": TYPED[1:],
            "arrived": len(TYPED) - 1,
            "screen": "CockpitScreen",
            "focused": "NoteInput",
        },
    ]
    summary = typeahead_summary(tries)
    row = typeahead_row(summary)
    assert not row["met"]
    assert f"{2 * len(TYPED) - 1} of {2 * len(TYPED)}" in row["text"]
    assert typeahead_row(typeahead_summary(tries[:1]))["met"]

    figures.update({k: v for k, v in worst.items() if isinstance(v, float)})
    base = {"first_frame_ms": 250.0, "maxrss_mb": 36.0, "modal_cold_ms": 100.0, "modal_warm_ms": 25.0}
    targets = [assess(f, figures[f.key], base) for f in FIGURES if f.key in figures] + [row]
    results = {
        "finished_at": "now",
        "command": "python -m bench --quick",
        "runs": {"startup": 3, "interaction": 1},
        "machine": {
            "nproc": 2,
            "cpu": "cpu",
            "os": "Linux",
            "python": "3.11",
            "textual": "8",
            "sqlalchemy": "2",
            "sqlmodel": "0",
            "load_average_at_start": [0.5, 0.5, 0.5],
        },
        "datasets": {"10000": "10001 incidents"},
        "main_size": 10000,
        "baseline": base,
        "targets": targets,
        "figures": figures,
        "forms": {"typeahead": {**summary, "tries": tries}},
    }
    table = markdown(results)
    assert (
        "| Open a form or screen, first time (worst) | ≤ 1.5× | 13.00× | 1300 ms vs 100 ms | **no** |"
        in table
    )
    # Each form: its value and its ratio to the baseline's modal (1.5× first time, 1.2× later).
    assert "| `i` | roles (assign) | 1300 ms | 13.00× ✗ | 32 ms | 1.28× ✗ |" in table
    assert "| `D` | declare | 20 ms | 0.20× | 32 ms | 1.28× ✗ |" in table
    assert "`n` (cold): the field held 'isk io slow' (screen CockpitScreen, focus on NoteInput)" in table
