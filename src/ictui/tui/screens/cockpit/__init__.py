"""The cockpit screen, a module for each part of it (named for what it holds):

- ``screen``: the screen, its keys and layout, the list and its filter, other screens
- ``sync``: the start-up hand-over of the list read before the database opened, the
  loads of the list and the incident, and polling for what others wrote
- ``panes``: which pane has the keys, maximising, the small-terminal layout
- ``ask_then_write``: the one shape of every form (ask, write in a thread, say so)
- ``incident_flows``: declare, status, post-mortem date, severity, roles, triage
- ``timeline_flows``: the note path, and editing, marking, deleting, sharing, undo
- ``broadcast``: the composer's drafts and sending, and the broadcast countdown
- ``paging_flow``: paging a team's on-call
- ``parts``: what the parts share (the incident shown, the state, the methods they call
  on each other), declared once for the type checker
"""

from ictui.tui.changes import POLL_SECONDS
from ictui.tui.screens.cockpit.parts import IncidentState
from ictui.tui.screens.cockpit.screen import CockpitScreen

__all__ = ["POLL_SECONDS", "CockpitScreen", "IncidentState"]
