"""Regenerate screenshots/ from the same scenarios the snapshot tests take.

    .venv/bin/python screenshots/make_screenshots.py

Writes one SVG per screen and size (Textual's own screenshot, the one snapshot tests
compare), and a PNG beside it when ``rsvg-convert`` (Debian: librsvg2-bin) is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

# The same environment as the tests: a fixed zone and user, no personal config or token.
os.environ.update({"ICTUI_TZ": "Europe/Paris", "ICTUI_USER": "tester"})
os.environ["ICTUI_CONFIG"] = str(Path(tempfile.mkdtemp()) / "none.toml")
os.environ.pop("SLACK_BOT_TOKEN", None)

from support.scenarios import SCENARIOS, SIZES, demo_app, frozen_clock  # noqa: E402
from textual._doc import take_svg_screenshot  # noqa: E402  (what pytest-textual-snapshot uses)


def main() -> int:
    converter = shutil.which("rsvg-convert")
    for scenario in SCENARIOS:
        for size_name, size in SIZES.items():
            with tempfile.TemporaryDirectory() as folder, frozen_clock():
                app = demo_app(Path(folder) / "demo.db")
                svg = take_svg_screenshot(app=app, terminal_size=size, run_before=scenario.run)
            target = HERE / f"{scenario.name}-{size_name}.svg"
            target.write_text(svg, encoding="utf-8")
            if converter:
                subprocess.run([converter, "-w", str(size[0] * 12), str(target), "-o", str(target.with_suffix(".png"))],
                               check=True)
            print(f"{target.name}: {scenario.description} ({size[0]}x{size[1]})")
    if not converter:
        print("rsvg-convert not found: SVG only (apt-get install librsvg2-bin for PNGs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
