"""What the prefilled update says "we know": the latest lines people wrote, whatever the
timeline's length (it is read from the newest entry back, and only as far as needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ictui.domain.enums import EntryKind, EntrySource
from ictui.domain.templates import KNOWN_LINES, known_facts
from ictui.domain.views import EntryView

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def entry(index: int, kind: EntryKind, source: EntrySource, text: str, deleted: bool = False) -> EntryView:
    at = START + timedelta(minutes=index)
    return EntryView(index, at, at, kind, "ana", text, source, "", None, False, deleted, False)


def test_a_long_timeline_gives_its_newest_lines_people_wrote_oldest_first() -> None:
    entries = [entry(i, EntryKind.NOTE, EntrySource.MANUAL, f"note {i}\nmore") for i in range(5_000)]
    entries += [entry(5_000, EntryKind.STATUS, EntrySource.SYSTEM, "Status: mitigated")]
    entries += [entry(5_001, EntryKind.NOTE, EntrySource.MANUAL, "deleted one", deleted=True)]
    assert known_facts(entries) == ["note 4997", "note 4998", "note 4999"]


KINDS = st.sampled_from([EntryKind.NOTE, EntryKind.DECISION, EntryKind.STATUS, EntryKind.UPDATE])
SOURCES = st.sampled_from([EntrySource.MANUAL, EntrySource.SYSTEM])


@given(st.lists(st.tuples(KINDS, SOURCES, st.text(max_size=30), st.booleans()), max_size=40))
def test_the_facts_are_the_last_lines_written_by_people(
    rows: list[tuple[EntryKind, EntrySource, str, bool]],
) -> None:
    entries = [entry(i, kind, source, text, deleted) for i, (kind, source, text, deleted) in enumerate(rows)]
    wanted = [
        e.text.strip().splitlines()[0]
        for e in entries
        if not e.deleted
        and e.source is not EntrySource.SYSTEM
        and e.kind in (EntryKind.NOTE, EntryKind.DECISION)
        and e.text.strip()
    ][-KNOWN_LINES:]
    assert known_facts(entries) == wanted
