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
    ratio = value / baseline[figure.baseline_key] if figure.relative else value / figure.limit
    return {
        "key": figure.key,
        "label": figure.label,
        "value": round(value, 1),
        "unit": figure.unit,
        "ratio": round(ratio, 2),
        "ratio_of": "baseline" if figure.relative else "bound",
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


def _value(row: dict[str, Any]) -> str:
    if row.get("text"):
        return str(row["text"])
    return f"{row['value']:.0f} {row['unit']}" if row["value"] >= 100 else f"{row['value']:.1f} {row['unit']}"


def _ratio(row: dict[str, Any]) -> str:
    if row.get("ratio") is None:
        return "—"
    return f"{row['ratio']:.2f}× {'baseline' if row['ratio_of'] == 'baseline' else 'bound'}"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    base = results["baseline"]
    lines = [
        f"# ictui performance — {results['finished_at']}",
        "",
        f"`{results['command']}` · {results['runs']['startup']} start-ups and "
        f"{results['runs']['interaction']} interactive sessions per figure on the large database, medians.",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['os']}; Python {m['python']}, Textual {m['textual']}, "
        f"SQLAlchemy {m['sqlalchemy']}, SQLModel {m['sqlmodel']}; load average at start "
        f"{', '.join(str(x) for x in m['load_average_at_start'])}.",
        "",
        f"Large database: {results['datasets'][str(results['main_size'])]}",
        "",
        f"Baseline (Header, DataTable with 50 rows, Footer; started the same way): first frame "
        f"{base['first_frame_ms']:.0f} ms, peak memory {base['maxrss_mb']:.1f} MB.",
        "",
    ]
    lines += main_table(results)
    scaling = results.get("scaling") or {}
    if scaling:
        sizes = sorted(scaling, key=int)
        lines += [
            "",
            "How cost grows: the same figures on databases of 1,000, 10,000 and 100,000 incidents "
            "(each with its own baseline runs; ✗ = target missed):",
            "",
            "| Figure | " + " | ".join(f"{int(size):,} incidents" for size in sizes) + " |",
            "|---|" + "---:|" * len(sizes),
        ]
        for figure in FIGURES:
            if sum(any(r["key"] == figure.key for r in scaling[size]["targets"]) for size in sizes) < 2:
                continue  # measured on the large database only
            cells = []
            for size in sizes:
                row = next((r for r in scaling[size]["targets"] if r["key"] == figure.key), None)
                cells.append(
                    "—" if row is None else f"{_value(row)} ({_ratio(row)}){'' if row['met'] else ' ✗'}"
                )
            lines.append(f"| {figure.label} | " + " | ".join(cells) + " |")
        lines += ["", "![How cost grows](scaling.svg)"]
        lines += [
            "",
            "Where the memory peak is reached: the high-water mark after each step of a session (MB).",
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
    lines.append("")
    return "\n".join(lines)


def main_table(results: dict[str, Any]) -> list[str]:
    """The figures on the large database: one column per engine measured (SQLite, and
    PostgreSQL when it was), and what PostgreSQL was, or why it was not measured."""
    server = results.get("postgresql")
    if not server:
        lines = ["| Figure | Value | Ratio | Target | Met |", "|---|---:|---:|---|:-:|"]
        for row in results["targets"]:
            lines.append(
                f"| {row['label']} | {_value(row)} | {_ratio(row)} | {row['target']} | {_met(row)} |"
            )
        skipped = results.get("postgresql_skipped")
        if skipped:
            lines += ["", f"PostgreSQL: not measured ({skipped})."]
        return lines
    on_server = {row["key"]: row for row in server["targets"]}
    lines = [
        "| Figure | Target | SQLite | Ratio | Met | PostgreSQL | Ratio | Met |",
        "|---|---|---:|---:|:-:|---:|---:|:-:|",
    ]
    for row in results["targets"]:
        pg_row = on_server.get(row["key"])
        pg_cells = "— | — | —" if pg_row is None else f"{_value(pg_row)} | {_ratio(pg_row)} | {_met(pg_row)}"
        lines.append(
            f"| {row['label']} | {row['target']} | {_value(row)} | {_ratio(row)} | {_met(row)} | {pg_cells} |"
        )
    base = server["baseline"]
    runs = server["runs"]
    lines += [
        "",
        f"PostgreSQL: {server['server']}, a throwaway cluster the benchmark started and stopped; the "
        f"large database copied in with `ictui copy-to` ({server['loaded_in_s']:.0f} s), each session on a "
        f"fresh copy of it; the cockpit started as `ictui --db postgresql+psycopg://…`. Medians of "
        f"{runs['startup']} start-ups and {runs['interaction']} interactive "
        f"session{'s' if runs['interaction'] != 1 else ''}. Its ratios are to the baseline runs "
        f"alternating with its own start-ups (first frame {base['first_frame_ms']:.0f} ms, peak "
        f"{base['maxrss_mb']:.1f} MB), as each database size has its own below. The forms are measured "
        f"on SQLite only (—).",
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
    lines = [
        "",
        f"Forms and screens on the large database: key → the first frame that shows them, the first "
        f"time in a fresh process and later times (the median of 3 in that process); medians of "
        f"{runs} session{'s' if runs != 1 else ''}, one fresh process per form and session "
        f"(✗ = over 100 ms).",
        "",
        "| Key | Opens | First time | Later |",
        "|---|---|---:|---:|",
    ]

    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f} ms{'' if value <= 100 else ' ✗'}"

    for form in OPENINGS:
        key = f"`{form.name}`"
        lines.append(
            f"| {key} | {form.label} | {cell(figures.get(COLD + form.name))} | "
            f"{cell(figures.get(WARM + form.name))} |"
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
            f"{scaling[size]['figures'].get(f'peak_mb_after_{step}', float('nan')):.1f}" for size in sizes
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def scaling_svg(results: dict[str, Any]) -> str:
    """Each figure divided by its bound, against the number of incidents (both log scales).

    Under the dashed line at 1 a target holds.
    """
    scaling = results["scaling"]
    sizes = sorted(int(size) for size in scaling)
    width, height = 1080, 440
    left, right, top, bottom = 70, 480, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    series = []
    for figure in FIGURES:
        if figure.key.startswith("form_"):
            continue  # measured on the large database only
        points = []
        for size in sizes:
            row = next((r for r in scaling[str(size)]["targets"] if r["key"] == figure.key), None)
            if row is not None:
                points.append((size, row["value"] / row["bound"]))
        series.append((figure, points))
    values = [v for _, points in series for _, v in points] + [1.0]
    low = 10 ** math.floor(math.log10(max(min(values), 1e-3)))
    high = 10 ** math.ceil(math.log10(max(values)))
    xmin, xmax = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(size: float) -> float:
        return left + (math.log10(size) - xmin) / ((xmax - xmin) or 1) * plot_w

    def y(value: float) -> float:
        return top + (math.log10(high) - math.log10(value)) / (math.log10(high) - math.log10(low)) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="22" font-size="15" font-weight="bold">How cost grows with the number of '
        f"incidents (figure ÷ its bound; under 1 = target met)</text>",
    ]
    decade = low
    while decade <= high * 1.0001:
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{left - 8}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:g}</text>')
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
        f'stroke-dasharray="6 4"/><text x="{left + 4}" y="{y(1) - 5:.1f}">bound</text>'
    )
    for index, (figure, points) in enumerate(series):
        colour = _COLOURS[index % len(_COLOURS)]
        path = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for s, v in points:
            out.append(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>')
        legend_y = top + 10 + index * 22
        out.append(
            f'<rect x="{width - right + 20}" y="{legend_y - 9}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{width - right + 40}" y="{legend_y - 3}">{escape(figure.label)} ({escape(figure.target())})</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
