"""Review mode, the post-mortem meeting's screen, a module for each part of it:

- ``screen``: the screen, its keys and layout, loading the post-mortem and following
  the database, the timeline
- ``record``: the record's sections, saved as the IC types, following other writers
  without clobbering what the IC types
- ``items``: the action items
- ``meeting``: marking it held, rescheduling, posting the summary, exporting
"""

from ictui.tui.screens.review.meeting import write_exports
from ictui.tui.screens.review.record import AUTOSAVE_SECONDS, SECTION_PROMPTS
from ictui.tui.screens.review.screen import ReviewScreen

__all__ = ["AUTOSAVE_SECONDS", "SECTION_PROMPTS", "ReviewScreen", "write_exports"]
