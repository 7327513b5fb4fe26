"""What ictui writes to Slack: typed text made inert, Slack's limits, channel names."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictui.domain.errors import InvalidInput
from ictui.domain.views import IncidentView
from ictui.slack import render
from ictui.slack.channels import channel_name, clean_prefix
from ictui.store import Store

CHANNEL_ID = "C0INCIDENT"
AT = pendulum.datetime(2026, 11, 24, 14, 32, tz="UTC")
# Every "<...>" ictui itself may write: a link to the incident channel, a date.
_OURS = re.compile(
    rf"<#{CHANNEL_ID}>|<!date\^\d+\^\{{date_short_pretty\}} \{{time\}}\|[0-9: -]+ UTC>"
    # A bare web address typed in an update or a note, linked to itself: no label, no disguise.
    r"|<https?://[^<>|\s]+>"
)
_DANGEROUS = ("<!channel", "<!here", "<!everyone", "<@", "<#C", "<mailto", "<!subteam", "|your bank>")


@pytest.fixture(scope="module")
def incident(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IncidentView]:
    store = Store(tmp_path_factory.mktemp("render") / "render.db")
    store.add_person("Ana Ruiz", "ana@example.com")
    yield store.declare("Checkout fails", ic_email="ana@example.com", summary="Payments time out")
    store.close()


def _tokens_not_ours(message: render.Message) -> list[str]:
    payload = json.dumps({"text": message.text, "blocks": message.blocks}, ensure_ascii=False)
    return [t for t in re.findall(r"<[^<>]*>?", payload) if not _OURS.fullmatch(t)]


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=1, max_size=200),
    typed=st.text(min_size=1, max_size=500),
    author=st.text(max_size=40),
)
def test_typed_text_can_never_mention_or_link(
    incident: IncidentView, title: str, typed: str, author: str
) -> None:
    view = dataclasses.replace(incident, title=title, summary=typed)
    messages = [
        render.status_update(view, typed, author, AT),
        render.status_update(view, typed, author, AT, mirror_of=CHANNEL_ID),
        render.announcement(view, CHANNEL_ID),
        render.shared_note(view, typed, author, AT),
    ]
    for message in messages:
        assert _tokens_not_ours(message) == []
    assert "<" not in render.topic(view)


@pytest.mark.parametrize(
    "typed", ["<!channel>", "<!here> now", "<@U024BE7LH>", "<https://evil.example|your bank>", "a & b"]
)
def test_known_tricks_arrive_as_plain_text(incident: IncidentView, typed: str) -> None:
    message = render.status_update(incident, typed, "ana", AT)
    payload = json.dumps([message.text, message.blocks])
    assert not any(d in payload for d in _DANGEROUS)
    assert render.to_plain(render.escape(typed)) == typed


@given(st.text())
def test_escaping_hides_every_angle_bracket_and_reads_back_the_same(text: str) -> None:
    escaped = render.escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert render.to_plain(escaped) == text


def test_bare_web_addresses_link_while_mentions_stay_inert(incident: IncidentView) -> None:
    message = render.status_update(
        incident, "see https://status.example.com/x?a=1&b=2. cc @channel <!here>", "ana", AT
    )
    body = message.blocks[1]["text"]["text"]
    assert body == "see <https://status.example.com/x?a=1&amp;b=2>. cc @channel &lt;!here&gt;"
    assert render.to_plain(body) == "see https://status.example.com/x?a=1&b=2. cc @channel <!here>"


def test_the_topic_is_plain_text_not_escaped_twice(incident: IncidentView) -> None:
    view = dataclasses.replace(incident, ic=dataclasses.replace(incident.ic, name="R&D <ops>"))  # type: ignore[type-var]
    assert render.topic(view) == "SEV3 · investigating · IC R&D <ops>"


def test_user_text_is_verbatim_so_that_a_bare_at_channel_is_not_parsed(incident: IncidentView) -> None:
    message = render.status_update(incident, "@channel please look", "ana", AT)
    texts = [b["text"] for b in message.blocks if b["type"] == "section"]
    assert all(t["verbatim"] is True for t in texts)


def test_a_long_update_is_cut_into_sections_slack_accepts(incident: IncidentView) -> None:
    text = " ".join(["word"] * 2_200) + " & done"  # 11,011 characters as Slack counts them
    message = render.status_update(incident, text, "ana", AT)
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"][1:]
    assert len(sections) == 4
    assert all(len(s) <= render.SECTION_LIMIT for s in sections)
    assert " ".join(sections) == render.escape(text)


def test_over_the_limit_is_refused_with_the_numbers(incident: IncidentView) -> None:
    with pytest.raises(
        InvalidInput, match=r"the update is 40,000 characters as Slack counts them.*shorten it by 28,000"
    ):
        render.status_update(incident, "<" * 10_000, "ana", AT)
    # The whole message counts: 11,990 of text and its heading are over 12,000.
    with pytest.raises(
        InvalidInput, match=r"the message holds 1[23],\d{3} characters of text as Slack counts them"
    ):
        render.status_update(incident, "x" * 11_990, "ana", AT)
    # The announcement must go out: a long summary is cut in it, marked.
    announced = render.announcement(dataclasses.replace(incident, summary="x" * 39_000), CHANNEL_ID)
    assert render.block_text_length(announced.blocks) < 12_000 and "x…" in announced.text
    with pytest.raises(InvalidInput, match="the note"):
        render.shared_note(incident, "x" * 39_000, "ana", AT)


def test_the_topic_fits_slacks_limit(incident: IncidentView) -> None:
    assert render.topic(incident) == "SEV3 · investigating · IC Ana Ruiz"
    long_name = dataclasses.replace(incident.ic, name="A" * 400)  # type: ignore[type-var]
    assert len(render.topic(dataclasses.replace(incident, ic=long_name))) == render.TOPIC_LIMIT


def test_slack_text_reads_as_a_person_would(incident: IncidentView) -> None:
    names = {"U1": "Ana Ruiz"}.get
    text = "<@U1> see <https://status.example.com|status> &amp; <#C9|ops>, <!here> at <!date^1^{time}|14:02>"
    assert (
        render.to_plain(text, lambda u: names(u) or u)
        == "@Ana Ruiz see status (https://status.example.com) & #ops, @here at 14:02"
    )


@given(
    prefix=st.text(max_size=50),
    number=st.integers(min_value=1, max_value=10**7),
    title=st.text(max_size=300),
    attempt=st.integers(min_value=1, max_value=10),
)
def test_channel_names_follow_slacks_rules(prefix: str, number: int, title: str, attempt: int) -> None:
    name = channel_name(prefix, number, title, attempt)
    # Lower-case letters of any script (Slack allows them), digits, "-" and "_".
    assert re.fullmatch(r"(?:[^\W]|-){1,80}", name) and name == name.lower()
    assert re.fullmatch(r"[a-z0-9_-]+", clean_prefix(prefix)) and not clean_prefix(prefix).endswith(
        ("-", "_")
    )
    assert name.startswith(f"{clean_prefix(prefix)}-{number}")
    assert name.endswith(f"-{attempt}") or attempt == 1


def test_a_long_title_is_cut_at_a_word_boundary() -> None:
    title = "Checkout fails for every customer paying by card after the payment provider migrated its API"
    name = channel_name("incident", 42, title)
    assert len(name) <= 80
    assert name == "incident-42-checkout-fails-for-every-customer-paying-by-card-after-the-payment"
    assert channel_name("incident", 42, title, 2).endswith("-2")
    assert channel_name(" Major Incident! ", 7, "Ünïcode tïtle") == "major-incident-7-unicode-title"
    # Latin letters transliterated, other scripts kept: the number alone only when nothing is left.
    assert channel_name("incident", 7, "Straße in Łódź, Ørsted") == "incident-7-strasse-in-lodz-orsted"
    assert channel_name("incident", 7, "日本語が") == "incident-7-日本語が"
    assert channel_name("incident", 7, "🔥 🚨") == "incident-7"


def test_a_long_prefix_is_cut_at_a_word() -> None:
    prefix = "payments-platform-major-incident-response-team"
    assert clean_prefix(prefix) == "payments-platform-major-incident"
    assert channel_name(prefix, 3, "Down").startswith("payments-platform-major-incident-3-down")
