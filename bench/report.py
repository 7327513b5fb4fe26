"""The results: the machine, a Markdown table, and the growth chart (hand-written SVG)."""

from __future__ import annotations

import math
import os
import platform
import sys
from html import escape
from importlib.metadata import version
from typing import Any

from bench.figures import COLD, FIGURES, WARM, Figure
from bench.forms import OPENINGS


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "textual": version("textual"),
        "sqlalchemy": version("SQLAlchemy"),
        "sqlmodel": version("sqlmodel"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def assess(figure: Figure, value: float, baseline: dict[str, float]) -> dict[str, Any]:
    bound = figure.bound(baseline)
    base = baseline[figure.base]
    return {
        "key": figure.key,
        "label": figure.label,
        "value": round(value, 1),
        "unit": figure.unit,
        "baseline": round(base, 1),
        "ratio": round(value / base, 2),
        "ratio_of": "baseline",
        "target": figure.target(),
        "bound": round(bound, 1),
        "met": value <= bound,
    }


def typeahead_row(summary: dict[str, Any]) -> dict[str, Any]:
    """Keys typed during the openings of D, n and /: met when every one arrived."""
    typed, arrived = summary["typed"], summary["arrived"]
    met = typed > 0 and arrived == typed and not summary["lost_in"]
    names = ", ".join(o.name for o in OPENINGS if o.field)
    return {
        "key": "typeahead",
        "label": f"Keys typed during the opening ({names}; machine speed)",
        "value": arrived,
        "unit": "keys",
        "text": f"all arrived ({arrived} of {typed})" if met else f"**{arrived} of {typed} arrived**",
        "ratio": None,
        "ratio_of": None,
        "target": "all arrive",
        "bound": typed,
        "met": met,
    }


def _value(row: dict[str, Any], key: str = "value") -> str:
    if key == "value" and row.get("text"):
        return str(row["text"])
    value = row[key]
    return f"{value:.0f} {row['unit']}" if value >= 100 else f"{value:.1f} {row['unit']}"


def _ratio(row: dict[str, Any]) -> str:
    if row.get("ratio") is None:
        return "—"
    return f"{row['ratio']:.2f}×"


def _absolute(row: dict[str, Any]) -> str:
    """ictui's value and the baseline's, side by side."""
    if row.get("baseline") is None:
        return _value(row)
    return f"{_value(row)} vs {_value(row, 'baseline')}"


def cell(row: dict[str, Any] | None) -> str:
    """A figure in one cell: its ratio (✗ when its target is missed), the values beside."""
    if row is None:
        return "—"
    if row.get("ratio") is None:
        return f"{_value(row)}{'' if row['met'] else ' ✗'}"
    return f"{_ratio(row)}{'' if row['met'] else ' ✗'} ({_absolute(row)})"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"# ictui performance — {results['finished_at']}",
        "",
        *(
            [f"**A partial run**: not measured yet when it was written: {results['partial']}.", ""]
            if results.get("partial")
            else []
        ),
        f"`{results['command']}` · {results['runs']['startup']} start-ups and "
        f"{results['runs']['interaction']} interactive session{'s' if results['runs']['interaction'] != 1 else ''} "
        f"of each app (ictui and its baseline, alternating) on the large database, medians.",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['os']}; Python {m['python']}, Textual {m['textual']}, "
        f"SQLAlchemy {m['sqlalchemy']}, SQLModel {m['sqlmodel']}; load average at start "
        f"{', '.join(str(x) for x in m['load_average_at_start'])}"
        + (
            f", at the end {', '.join(str(x) for x in m['load_average_at_end'])}"
            if m.get("load_average_at_end")
            else ""
        )
        + ".",
        "",
        f"Large database: {results['datasets'][str(results['main_size'])]}",
        "",
        "Each figure is a ratio to its baseline, the smallest Textual app doing the same work, "
        "measured in the same run in the same pseudo-terminal (ictui's value vs the baseline's "
        "beside it); the target is the largest ratio allowed (issue 27). ✗ = target missed.",
        "",
    ]
    lines += main_table(results)
    lines += ["", "The baselines:", ""]
    for figure in FIGURES:
        lines.append(f"- {figure.label}: {figure.base_label}.")
    scaling = results.get("scaling") or {}
    if scaling:
        lines += ["", *scaling_table(results), "", "![How cost grows](scaling.svg)"]
        sizes = sorted(scaling, key=int)
        lines += [
            "",
            "Where the memory peak is reached: the high-water mark after each step of a session (MB), SQLite.",
            "",
        ]
        lines += _peak_steps(scaling, sizes)
    lines += _forms(results)
    if results.get("search"):
        from bench.search import markdown as search_markdown

        lines += ["", search_markdown(results["search"]).rstrip()]
    if results.get("loop_hold"):
        from bench.loop_hold import markdown as hold_markdown

        lines += ["", hold_markdown(results["loop_hold"]).rstrip()]
    if results.get("first_writes"):
        from bench.first_writes import markdown as writes_markdown

        lines += ["", writes_markdown(results["first_writes"]).rstrip()]
    lines.append("")
    return "\n".join(lines)


def engines_by_size(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each engine's results by database size: ``{"SQLite": {"1000": ...}, "PostgreSQL": ...}``."""
    found = {"SQLite": results.get("scaling") or {str(results["main_size"]): results}}
    server = results.get("postgresql")
    if server:
        found["PostgreSQL"] = server.get("scaling") or {str(results["main_size"]): server}
    return found


def scaling_table(results: dict[str, Any]) -> list[str]:
    """Every figure on every engine at every size (each size with its own baseline runs)."""
    engines = engines_by_size(results)
    sizes = sorted({size for by_size in engines.values() for size in by_size}, key=int)
    lines = [
        "How cost grows: the same figures on databases of "
        + ", ".join(f"{int(size):,}" for size in sizes)
        + " incidents, each size with its own baseline runs (✗ = target missed):",
        "",
        "| Figure | Target | Engine | " + " | ".join(f"{int(size):,} incidents" for size in sizes) + " |",
        "|---|---|---|" + "---:|" * len(sizes),
    ]
    for figure in FIGURES:
        for engine, by_size in engines.items():
            rows = [
                next((r for r in by_size[size]["targets"] if r["key"] == figure.key), None)
                if size in by_size
                else None
                for size in sizes
            ]
            if sum(row is not None for row in rows) < 2:
                continue  # measured on the large database only
            cells = " | ".join(cell(row) for row in rows)
            lines.append(f"| {figure.label} | {figure.target()} | {engine} | {cells} |")
    return lines


def main_table(results: dict[str, Any]) -> list[str]:
    """The figures on the large database: one column per engine measured (SQLite, and
    PostgreSQL when it was), and what PostgreSQL was, or why it was not measured."""
    server = results.get("postgresql")
    on_server = {row["key"]: row for row in server["targets"]} if server else {}
    lines = [
        "| Figure | Target | SQLite: ratio | ictui vs baseline | Met | PostgreSQL: ratio | ictui vs baseline | Met |",
        "|---|---|---:|---:|:-:|---:|---:|:-:|",
    ]
    for row in results["targets"]:
        pg_row = on_server.get(row["key"])
        pg_cells = (
            "— | — | —" if pg_row is None else f"{_ratio(pg_row)} | {_absolute(pg_row)} | {_met(pg_row)}"
        )
        lines.append(
            f"| {row['label']} | {row['target']} | {_ratio(row)} | {_absolute(row)} | {_met(row)} | {pg_cells} |"
        )
    if not server:
        skipped = results.get("postgresql_skipped")
        if skipped:
            lines += ["", f"PostgreSQL: not measured ({skipped})."]
        return lines
    runs = server["runs"]
    lines += [
        "",
        f"PostgreSQL: {server['server']}, a throwaway cluster the benchmark started and stopped; each "
        f"database copied in with `ictui copy-to` ({server['loaded_in_s']:.0f} s for the large one), each "
        f"session on a fresh copy of it; the cockpit started as `ictui --db postgresql+psycopg://…`. Medians "
        f"of {runs['startup']} start-ups and {runs['interaction']} interactive "
        f"session{'s' if runs['interaction'] != 1 else ''} on the large database, each alternating with the "
        f"baseline's own runs. The forms are measured on SQLite only (—).",
    ]
    return lines


def _met(row: dict[str, Any]) -> str:
    return "yes" if row["met"] else "**no**"


def _forms(results: dict[str, Any]) -> list[str]:
    """Each form and screen: its first opening in a fresh process, and its later ones."""
    figures = results["figures"]
    if not any(key.startswith(COLD) for key in figures):
        return []
    runs = results["runs"]["interaction"]
    base = results["baseline"]
    cold_base, warm_base = base.get("modal_cold_ms"), base.get("modal_warm_ms")
    cold_limit, warm_limit = (
        next(f.limit for f in FIGURES if f.key == key) for key in ("form_cold_worst_ms", "form_warm_worst_ms")
    )
    lines = [
        "",
        f"Forms and screens on the large database: key → the first frame that shows them, the first "
        f"time in a fresh process and later times (the median of 3 in that process); medians of "
        f"{runs} session{'s' if runs != 1 else ''}, one fresh process per form and session, each after "
        f"a fresh process of the baseline's modal (first time {cold_base or 0:.0f} ms, later "
        f"{warm_base or 0:.0f} ms; ✗ = over {cold_limit:g}× and {warm_limit:g}× of them).",
        "",
        "| Key | Opens | First time | Ratio | Later | Ratio |",
        "|---|---|---:|---:|---:|---:|",
    ]

    def cells(value: float | None, baseline: float | None, limit: float) -> str:
        if value is None:
            return "— | —"
        if not baseline:
            return f"{value:.0f} ms | —"
        ratio = value / baseline
        return f"{value:.0f} ms | {ratio:.2f}×{'' if ratio <= limit else ' ✗'}"

    for form in OPENINGS:
        key = f"`{form.name}`"
        lines.append(
            f"| {key} | {form.label} | {cells(figures.get(COLD + form.name), cold_base, cold_limit)} | "
            f"{cells(figures.get(WARM + form.name), warm_base, warm_limit)} |"
        )
    typeahead = (results.get("forms") or {}).get("typeahead")
    if typeahead:
        lines += [
            "",
            f"Type-ahead: the key and {TYPED_NOTE} written at once, first time and again; "
            f"{typeahead['arrived']} of {typeahead['typed']} keys arrived in {typeahead['openings']} openings.",
        ]
        for lost in typeahead["lost_in"]:
            lines.append(
                f"- `{lost['form']}` ({lost['attempt']}): the field held {lost['field']!r} "
                f"(screen {lost['screen']}, focus on {lost['focused']})"
            )
    return lines


TYPED_NOTE = "the letters of “disk io slow” (cockpit keys, each of them)"


_STEPS = {
    "first_incident": "list and first incident",
    "opens": "opening incidents",
    "list_moves": "moving through the list",
    "timeline_moves": "moving through the timeline",
    "notes": "30 notes",
    "filter": "filtering",
}


def _peak_steps(scaling: dict[str, Any], sizes: list[str]) -> list[str]:
    lines = [
        "| After | " + " | ".join(f"{int(size):,} incidents" for size in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for step, label in _STEPS.items():
        cells = [
            f"{scaling[size].get('figures', {}).get(f'peak_mb_after_{step}', float('nan')):.1f}"
            for size in sizes
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def scaling_svg(results: dict[str, Any]) -> str:
    """Each figure's ratio to its target (figure ÷ baseline ÷ largest ratio allowed), against the
    number of incidents (both log scales), SQLite solid and PostgreSQL dashed.

    Under the dashed line at 1 a target holds.
    """
    engines = engines_by_size(results)
    sizes = sorted({int(size) for by_size in engines.values() for size in by_size})
    width, height = 1180, 480
    left, right, top, bottom = 70, 560, 56, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    series = []
    for engine, by_size in engines.items():
        for figure in FIGURES:
            if figure.key.startswith("form_"):
                continue  # measured on the large database only
            points = []
            for size in sizes:
                row = next(
                    (r for r in by_size.get(str(size), {}).get("targets", []) if r["key"] == figure.key), None
                )
                if row is not None:
                    points.append((size, row["value"] / row["bound"]))
            if points:
                series.append((engine, figure, points))
    values = [v for _, _, points in series for _, v in points] + [1.0]
    low = 10 ** math.floor(math.log10(max(min(values), 1e-3)))
    high = 10 ** math.ceil(math.log10(max(values)))
    if high / low < 10:
        high = low * 10
    xmin, xmax = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(size: float) -> float:
        return left + (math.log10(size) - xmin) / ((xmax - xmin) or 1) * plot_w

    def y(value: float) -> float:
        return top + (math.log10(high) - math.log10(value)) / (math.log10(high) - math.log10(low)) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20" font-size="15" font-weight="bold">How cost grows with the number of '
        "incidents: each figure ÷ its baseline ÷ its target ratio</text>",
        f'<text x="{left}" y="36">under 1: the target is met. SQLite solid lines and dots, PostgreSQL dashed '
        "lines and squares</text>",
    ]
    decade = low
    while decade <= high * 1.0001:
        for tick in (1, 2, 5):
            value = decade * tick
            if value > high * 1.0001:
                break
            out.append(
                f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
            )
            out.append(f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>')
        decade *= 10
    for size in sizes:
        out.append(
            f'<line x1="{x(size):.1f}" x2="{x(size):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>'
        )
        out.append(f'<text x="{x(size):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{size:,}</text>')
    out.append(
        f'<text x="{left + plot_w / 2}" y="{height - 18}" text-anchor="middle">incidents in the database</text>'
    )
    out.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y(1):.1f}" y2="{y(1):.1f}" stroke="black" '
        f'stroke-dasharray="6 4"/><text x="{left + 4}" y="{y(1) - 5:.1f}">target</text>'
    )
    keys = [f.key for f in FIGURES]
    for index, (engine, figure, points) in enumerate(series):
        colour = _COLOURS[keys.index(figure.key) % len(_COLOURS)]
        dash = "" if engine == "SQLite" else ' stroke-dasharray="7 4"'
        path = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for s, v in points:
            shape = (
                f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>'
                if engine == "SQLite"
                else f'<rect x="{x(s) - 3.5:.1f}" y="{y(v) - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
            )
            out.append(shape)
        legend_y = top + 10 + index * 18
        out.append(
            f'<line x1="{width - right + 20}" x2="{width - right + 44}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{width - right + 52}" y="{legend_y}">{escape(engine)}: {escape(figure.label)} '
            f"({escape(figure.target())})</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
