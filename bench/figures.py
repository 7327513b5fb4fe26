"""The figures the issue asks for, their bounds, and how runs are reduced to one value.

Each measured process gives one value per figure (a start-up time, or the p95 of the
key latencies it timed); repeated runs are reduced to their median, so that one run
slowed by another job on the machine does not decide the result.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A figure of ictui's and its target: at most ``limit`` times the baseline's figure
    ``base`` (bench.baseline), measured in the same run."""

    key: str
    label: str
    limit: float
    base: str  # the baseline's figure it is divided by
    base_label: str  # what that baseline is, in words
    unit: str = "ms"

    def bound(self, baseline: dict[str, float]) -> float:
        """The largest value that meets the target, in the figure's unit."""
        return self.limit * baseline[self.base]

    def target(self) -> str:
        return f"≤ {self.limit:g}×"


_START = "first frame of Header, a DataTable of 50 rows, Footer"
_MOVE = "cursor move in a 10,000-row DataTable (p95)"
FIGURES = (
    Figure("first_frame_ms", "Start to first frame", 1.0, "first_frame_ms", _START),
    Figure("list_populated_ms", "Start to list on screen", 1.3, "first_frame_ms", _START),
    Figure(
        "open_big_ms",
        "Open the incident with 5,000 entries (median)",
        1.2,
        "open_ms",
        "cursor moved onto the row whose 5,000 lines a Log shows (median)",
    ),
    Figure("list_key_p95_ms", "Key → repaint, incident list (p95)", 1.2, "key_p95_ms", _MOVE),
    Figure("timeline_key_p95_ms", "Key → repaint, timeline (p95)", 1.2, "key_p95_ms", _MOVE),
    Figure(
        "note_p95_ms",
        "Note: enter → committed and shown (p95)",
        1.5,
        "note_p95_ms",
        "enter in an Input appends its line to a Log (p95)",
    ),
    Figure(
        "filter_p95_ms",
        "Filter the list by text, key → repaint (p95)",
        1.2,
        "filter_p95_ms",
        "a 10,000-row DataTable refilled from a typed filter (p95)",
    ),
    Figure(
        "maxrss_mb", "Peak memory (RSS high-water mark)", 1.5, "maxrss_mb", "peak memory of the start", "MB"
    ),
    Figure(
        "form_cold_worst_ms",
        "Open a form or screen, first time (worst)",
        1.5,
        "modal_cold_ms",
        "a ModalScreen of four Inputs pushed by a key, first time",
    ),
    Figure(
        "form_warm_worst_ms",
        "Open a form or screen, later times (worst)",
        1.2,
        "modal_warm_ms",
        "the same ModalScreen, later times (median)",
    ),
)
COLD, WARM = "form_cold_ms_", "form_warm_ms_"


def p95(values: list[float]) -> float:
    """The 95th percentile, interpolated between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = 0.95 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def startup_figures(since_start: dict[str, float], maxrss_kb: int) -> dict[str, float]:
    return {
        "first_frame_ms": since_start["first_frame"] * 1000,
        "list_populated_ms": since_start["list_populated"] * 1000,
        "start_maxrss_mb": maxrss_kb / 1024,
    }


def interaction_figures(result: dict[str, Any]) -> dict[str, float]:
    return {
        "open_big_ms": statistics.median(result["open_big_ms"]),
        "open_big_max_ms": max(result["open_big_ms"]),
        "list_key_p95_ms": p95(result["list_key_ms"]),
        "list_key_median_ms": statistics.median(result["list_key_ms"]),
        "timeline_key_p95_ms": p95(result["timeline_key_ms"]),
        "timeline_key_median_ms": statistics.median(result["timeline_key_ms"]),
        "note_p95_ms": p95(result["note_ms"]),
        "note_median_ms": statistics.median(result["note_ms"]),
        "filter_p95_ms": p95(result["filter_key_ms"]),
        "filter_median_ms": statistics.median(result["filter_key_ms"]),
        "maxrss_mb": result["maxrss_kb"] / 1024,
        # Where the peak is reached: the high-water mark after each step of the session.
        **{f"peak_mb_after_{step}": mb for step, mb in result["peak_mb_after"].items()},
    }


def form_figures(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """One session's forms: each one's first opening in its fresh process, and the median
    of its later ones, by the form's key."""
    figures = {}
    for name, result in runs.items():
        figures[COLD + name] = result["cold_ms"]
        figures[WARM + name] = statistics.median(result["warm_ms"])
    return figures


def worst_forms(figures: dict[str, float]) -> dict[str, Any]:
    """The slowest form's figure, first time and later, and which form it is."""
    worst: dict[str, Any] = {}
    for prefix, name in ((COLD, "form_cold_worst"), (WARM, "form_warm_worst")):
        key = max((k for k in figures if k.startswith(prefix)), key=lambda k: figures[k])
        worst[f"{name}_ms"] = figures[key]
        worst[name] = key[len(prefix) :]
    return worst


def typeahead_summary(tries: list[dict[str, Any]]) -> dict[str, Any]:
    """Keys typed while a form opened, and how many its field held (in their order)."""
    typed = sum(len(t["typed"]) for t in tries)
    arrived = sum(t["arrived"] for t in tries)
    lost = [
        {k: t.get(k) for k in ("form", "attempt", "field", "screen", "focused")}
        for t in tries
        if t["field"] != t["typed"]
    ]
    return {"typed": typed, "arrived": arrived, "openings": len(tries), "lost_in": lost}


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs that measured it."""
    keys = sorted({key for run in runs for key in run})
    return {key: statistics.median(run[key] for run in runs if key in run) for key in keys}
