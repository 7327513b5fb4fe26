"""Colours that carry meaning, shared by every widget that shows a severity."""

from __future__ import annotations

from rich.style import Style

from ictui.domain.enums import Severity

_SEVERITY_COLOURS = {
    Severity.SEV1: "#ff5f5f",
    Severity.SEV2: "#ffaf00",
    Severity.SEV3: "#5fafff",
    Severity.SEV4: "#8a8a8a",
}


def severity_style(severity: Severity, badge: bool = False) -> Style:
    colour = _SEVERITY_COLOURS[severity]
    if badge:
        return Style(color="black", bgcolor=colour, bold=True)
    return Style(color=colour, bold=severity in (Severity.SEV1, Severity.SEV2))
