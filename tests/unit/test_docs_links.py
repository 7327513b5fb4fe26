"""Every relative link in README.md, CHANGELOG.md and docs/*.md leads somewhere: the file
exists, and an anchor (``page.md#a-heading``) names a heading of that page.

Links inside code (fenced blocks and `inline code`) are text, not links.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")])

# Pages that other work in progress adds; a link to one is accepted until it exists,
# and checked like any other from then on. Remove a name once its page has landed.
ANNOUNCED = {ROOT / "docs" / "paging.md", ROOT / "docs" / "search.md"}

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    return INLINE_CODE.sub("", FENCE.sub("", text))


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings."""
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def links(page: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(_prose(page.read_text(encoding="utf-8")))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)
    ]  # http:, https:, mailto:


def test_the_docs_are_there() -> None:
    names = {page.name for page in PAGES}
    for needed in (
        "README.md",
        "CHANGELOG.md",
        "index.md",
        "team.md",
        "incident.md",
        "keys.md",
        "slack.md",
        "team-mode.md",
        "cli.md",
        "postmortem.md",
        "configuration.md",
        "data.md",
        "performance.md",
        "architecture.md",
    ):
        assert needed in names, needed


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            if destination not in ANNOUNCED:
                broken.append(f"{target}: no such file")
            continue
        if anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    """The checks above can fail: a missing file and a missing heading are both seen."""
    page = tmp_path / "page.md"
    page.write_text(
        "# A title\n\n## Set up: your team\n\n[ok](#set-up-your-team) [gone](#nope)"
        " `[code](not-a-link.md)` [missing](missing.md)\n",
        encoding="utf-8",
    )
    assert anchors(page) == {"a-title", "set-up-your-team"}
    assert links(page) == ["#set-up-your-team", "#nope", "missing.md"]
