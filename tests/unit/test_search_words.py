"""What the IC types, as the words both engines look for, and the line shown for a match."""

from __future__ import annotations

from ictui.domain.search import fts5_query, matching_line, ts_query, words


def test_only_letters_and_digits_are_words_each_once() -> None:
    assert words('"db-01" AND NOT payments* db') == ["db", "01", "AND", "NOT", "payments"]
    assert words("!!! -- * ()") == []
    assert fts5_query(["db", "AND"]) == '"db"* "AND"*'
    assert ts_query(["db", "o"]) == "'db':* & 'o':*"


def test_the_matching_line_is_the_one_with_most_words_and_is_cut_around_them() -> None:
    text = "First look at graphs\nThe payment processor is slow\nPaged the payment team"
    line, spans = matching_line(text, ["payment", "processor"])
    assert line == "The payment processor is slow"
    assert [line[a:b] for a, b in spans] == ["payment", "processor"]

    long = "x" * 300 + " the payment failed " + "y" * 300
    line, spans = matching_line(long, ["payment"], width=80)
    assert len(line) <= 80 and line.startswith("…") and line.endswith("…")
    assert [line[a:b] for a, b in spans] == ["payment"]
    assert matching_line("Repayment", ["payment"])[1] == ()  # not the start of a word
