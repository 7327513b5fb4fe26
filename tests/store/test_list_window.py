"""The incident list read a window at a time, filtered in the database, on both engines.

What the list shows a page at a time must be what it showed when it held every row: the
same incidents, in the same order, under the same filter (the domain's own filter over
every row is the reference), with the counts and the position of an incident right.
"""

from __future__ import annotations

from typing import Any

import pytest

from ictui.domain.enums import Severity, Status
from ictui.domain.incident_filter import IncidentFilter, searchable
from ictui.domain.views import IncidentRow
from ictui.store import Store
from ictui.store.seed import seed_generated

FILTERS = [
    "",
    "sev1",
    "sev:1,2 active",
    "status:inv",
    "resolved",
    "closed sev3",
    "active",
    "#12",
    "db",
    "ZOË",
    "100%",
    "a_b",
    "sev2 the",
    # Words of three characters or more are looked up in the titles' trigram index: in
    # titles whatever their case, in the IC's name, in the number.
    "queue",
    "QUEUE stuck",
    "rger",
    "db-7",
    "123",
    "#1",
    "sev1 ing",
]


def expected(rows: list[IncidentRow], text: str) -> list[int]:
    flt = IncidentFilter.parse(text)
    return [rows[i].number for i in flt.select(rows, [searchable(row) for row in rows])]


def walk(store: Any, flt: IncidentFilter, size: int) -> list[int]:
    """Every number of the filtered list, read page after page by key."""
    numbers: list[int] = []
    rows = store.list_page(flt, size)
    while rows:
        numbers += [row.number for row in rows]
        rows = store.list_page(flt, size, after=rows[-1].number)
    return numbers


@pytest.fixture
def listed(any_store: Store) -> Store:
    any_store.add_person("Zoë Ärger", "zoe@example.com")
    seed_generated(any_store, 240, entries_per_incident=0, updates_per_incident=0)
    # Titles that hold what a LIKE pattern would read as wildcards, and non-ASCII letters.
    any_store.declare("Disk 100% full on db-7", severity=Severity.SEV2, ic_email="zoe@example.com")
    any_store.declare("Queue a_b stuck", severity=Severity.SEV1)
    any_store.declare("Queue axb stuck", severity=Severity.SEV1)
    any_store.declare("ÉCHEC des paiements", severity=Severity.SEV3, status=Status.TRIAGE)
    return any_store


@pytest.mark.parametrize("text", FILTERS)
def test_pages_by_key_list_what_the_filter_selects_in_order(listed: Store, text: str) -> None:
    rows = listed.list_incidents()
    flt = IncidentFilter.parse(text)
    want = expected(rows, text)
    assert walk(listed, flt, 17) == want
    assert listed.list_count(flt) == len(want)
    for position in (0, 1, len(want) // 2, len(want) - 1):
        if 0 <= position < len(want):
            assert listed.list_position(flt, want[position]) == position
            page = listed.list_page(flt, 5, at=position)
            assert [row.number for row in page] == want[position : position + 5]
            before = listed.list_page(flt, 3, before=want[position])
            assert [row.number for row in before] == want[max(0, position - 3) : position]


def test_the_rows_read_by_page_are_the_rows_of_the_list(listed: Store) -> None:
    rows = listed.list_incidents()
    flt = IncidentFilter()
    paged = [row for index in range(0, len(rows), 50) for row in listed.list_page(flt, 50, at=index)]
    assert paged == rows


def test_an_incident_the_filter_leaves_out_has_no_position(listed: Store) -> None:
    rows = listed.list_incidents()
    resolved = next(row.number for row in rows if row.status is Status.RESOLVED)
    assert listed.list_position(IncidentFilter.parse("active"), resolved) is None
    assert listed.list_position(IncidentFilter(), 999_999) is None
    assert listed.list_position(IncidentFilter.parse("resolved"), resolved) is not None


def test_non_ascii_words_match_whatever_their_case(listed: Store) -> None:
    rows = listed.list_incidents()
    for text in ("zoë", "ZOË ärger", "échec", "ÉCHEC"):
        want = expected(rows, text)
        assert want, text
        assert walk(listed, IncidentFilter.parse(text), 10) == want


def test_a_window_keeps_an_incident_and_counts(listed: Store) -> None:
    rows = listed.list_incidents()
    flt = IncidentFilter.parse("sev:2,3")
    want = expected(rows, "sev:2,3")
    keep = want[70]
    window = listed.list_window(flt, keep, 0, 20)
    assert (window.total, window.count, window.position) == (len(rows), len(want), 70)
    assert window.start == 40  # a page above the page it is on
    assert [row.number for row in window.rows] == want[40:100]
    # An incident the filter leaves out: the window at the position the cursor was at.
    left_out = next(row.number for row in rows if row.severity is Severity.SEV1)
    window = listed.list_window(flt, left_out, 33, 20)
    assert window.position is None
    assert window.start == 0 and [row.number for row in window.rows] == want[0:60]
    # At the end of the list: the rows there are, no more.
    window = listed.list_window(flt, want[-1], 0, 20)
    assert window.position == len(want) - 1
    assert [row.number for row in window.rows] == want[window.start :]
    empty = listed.list_window(IncidentFilter.parse("nothing matches this"), None, 5, 20)
    assert (empty.count, empty.position, empty.rows) == (0, None, ())


def test_paging_goes_on_from_the_last_row_read_when_others_write(listed: Store) -> None:
    flt = IncidentFilter.parse("sev1")
    first = listed.list_page(flt, 10)
    # Between two pages: an incident declared (it goes above), one leaves the filter.
    newest = listed.declare("Checkout down", severity=Severity.SEV1).number
    before = walk(listed, flt, 10)
    second = listed.list_page(flt, 10, after=first[-1].number)
    numbers = [row.number for row in first + second]
    assert len(set(numbers)) == len(numbers)  # nothing twice
    assert numbers == sorted(numbers, reverse=True)
    assert numbers[10:] == before[before.index(first[-1].number) + 1 :][:10]  # nothing skipped
    assert listed.list_position(flt, first[0].number) == 1  # one more above it now
    assert listed.list_page(flt, 1)[0].number == newest
    listed.change_severity(second[0].number, Severity.SEV4, "ana")
    again = listed.list_page(flt, 10, after=first[-1].number)
    assert [row.number for row in again] == [n for n in walk(listed, flt, 50) if n < first[-1].number][:10]


def test_several_pages_in_one_read(listed: Store) -> None:
    flt = IncidentFilter.parse("sev:2,3,4")
    want = expected(listed.list_incidents(), "sev:2,3,4")
    asks = [(0, {}), (2, {"at": 20}), (1, {"after": want[9]}), (3, {"before": want[40]})]
    got = dict(listed.list_pages(flt, asks, 10))
    assert [row.number for row in got[0]] == want[0:10]
    assert [row.number for row in got[1]] == want[10:20]
    assert [row.number for row in got[2]] == want[20:30]
    assert [row.number for row in got[3]] == want[30:40]


def test_a_window_under_a_typed_filter_keeps_an_incident_and_counts(listed: Store) -> None:
    rows = listed.list_incidents()
    for text in ("ing", "queue", "ing sev:2,3"):
        want = expected(rows, text)
        assert len(want) > 1, text
        keep = want[len(want) // 2]
        window = listed.list_window(IncidentFilter.parse(text), keep, 0, 20)
        assert (window.total, window.count, window.position) == (len(rows), len(want), len(want) // 2)
        assert [row.number for row in window.rows] == want[window.start : window.start + 60]


def test_the_filter_follows_titles_changed_in_the_database(listed: Store) -> None:
    flt = IncidentFilter.parse("checkout")
    assert listed.list_count(flt) == 0
    number = listed.declare("Checkout fails for EU cards").number
    assert [row.number for row in listed.list_page(flt, 10)] == [number]
    with listed.engine.begin() as connection:  # a title changed by anything that writes the table
        connection.exec_driver_sql(f"UPDATE incident SET title = 'Payments fail' WHERE number = {number}")
    assert listed.list_count(flt) == 0
    assert [row.number for row in listed.list_page(IncidentFilter.parse("payments"), 10)][:1] == [number]


def test_a_window_no_longer_wanted_reads_its_counts_but_not_its_rows(listed: Store) -> None:
    rows = listed.list_incidents()
    want = expected(rows, "queue")
    window = listed.list_window(IncidentFilter.parse("queue"), None, 0, 20, superseded=lambda: True)
    assert (window.count, window.rows) == (len(want), ())
    window = listed.list_window(IncidentFilter.parse("queue"), None, 0, 20, superseded=lambda: False)
    assert [row.number for row in window.rows] == want
