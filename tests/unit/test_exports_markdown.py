"""The Markdown post-mortem, rendered the way a wiki or a Git host renders it (markdown-it,
GitHub Flavored: tables, strikethrough, bare addresses made links): what people typed
shows as they typed it, and gains no link, image, HTML or heading."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ictui.domain import exports
from ictui.domain.clock import now
from ictui.domain.enums import ActionKind, ActionStatus, EntryKind, EntrySource
from ictui.domain.review import ActionItemView, PostMortemView
from ictui.domain.text import clean_line, clean_text
from ictui.domain.views import EntryView
from ictui.store import Store

PHISH = "[Reset your SSO password](https://phish.example) <img src=x onerror=alert(1)>"
TRAPS = (
    PHISH,
    "![tracker](https://evil.example/p.gif)",
    "<script>alert(1)</script> <b>bold</b> &lt;escaped&gt; &amp;",
    "[ref]: https://evil.example\n[click][ref]",
    "<https://evil.example/autolink>",
    "# not a heading\n=====\n---\n> not a quote\n- not a list\n1. not a list\n+ nor this",
    "| a | b |\n|---|---|\n| c | d |",
    "```\ncode\n```\n    indented",
    "**bold** _em_ ~~gone~~ `code` $x$ \\ back\\slash",
)
RENDER = MarkdownIt("gfm-like")
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')
_BLOCK = re.compile(r"<br />|</?(?:p|li|ul|ol|h\d|blockquote|table|thead|tbody|tr|td|th)>")


def render(document: str) -> str:
    return RENDER.render(document)


def section_text(rendered: str, heading: str) -> str:
    """The text a reader sees under ``heading``, whitespace made single spaces."""
    part = rendered.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]
    part = _BLOCK.sub(" ", part)  # a line or a paragraph ends: a space between words
    return " ".join(html.unescape(_TAG.sub("", part)).split())


def typed(text: str) -> str:
    return " ".join(clean_text(text).split())


def assert_no_links_images_or_html_but_ours(rendered: str, ours: set[str]) -> None:
    assert "<img" not in rendered
    for tag in ("script", "b>", "iframe", "pre", "code", "h1>x", "del", "blockquote><h"):
        assert f"<{tag}" not in rendered
    for href, text in _LINK.findall(rendered):
        # ictui's own links, or an address typed as text that the renderer made clickable:
        # it then shows where it goes.
        href, text = unquote(html.unescape(href)), unquote(html.unescape(text))
        assert href in ours or text in href or text in _unicode_host(href), (href, text)


def _unicode_host(href: str) -> str:
    """The address as it was typed: a renderer writes a host in other scripts as punycode
    (``¢.AL`` links to ``http://xn--8a.AL``), which is still where the text says it goes."""
    scheme, _, rest = href.partition("://")
    host, slash, path = rest.partition("/")
    try:
        host = host.encode("ascii").decode("idna")
    except UnicodeError:
        return href
    return f"{scheme}://{host}{slash}{path}"


@pytest.fixture(scope="module")
def base_view(tmp_path_factory: pytest.TempPathFactory) -> PostMortemView:
    store = Store(tmp_path_factory.mktemp("md") / "ictui.db")
    try:
        store.declare("Nothing yet", number=41)
        return store.postmortem(41)
    finally:
        store.close()


def hostile_view(view: PostMortemView, text: str) -> PostMortemView:
    at = now()
    entry = EntryView(
        id=1,
        occurred_at=at,
        recorded_at=at,
        kind=EntryKind.SLACK,
        author=clean_line(text),
        text=clean_text(text),
        source=EntrySource.SLACK,
        permalink="https://example.slack.com/archives/C1/p1",
        key_event=None,
        shared=False,
        deleted=False,
        edited=False,
    )
    item = ActionItemView(
        id=1,
        incident_number=41,
        title=clean_line(text),
        description=clean_text(text),
        owner=clean_line(text),
        due_date="",
        kind=ActionKind.FIX,
        ticket_key="",
        ticket_url="",
        status=ActionStatus.OPEN,
        created_at=at,
    )
    return replace(
        view,
        title=clean_line(text) or "x",
        summary=clean_text(text),
        root_cause=clean_text(text),
        kudos=clean_text(text),
        timeline=(entry,),
        gaps=(None,),
        action_items=(item,),
    )


def test_a_phishing_link_and_html_in_an_action_item_stay_text(store: Store) -> None:
    store.declare("Login broken", number=41)
    store.add_action_item(41, PHISH, owner="<b>ana</b>", description="![x](https://evil.example/x.png)")
    store.save_postmortem(41, summary=PHISH)
    rendered = render(exports.markdown(store.postmortem(41)))
    assert_no_links_images_or_html_but_ours(rendered, set())
    assert "Reset your SSO password</a>" not in rendered
    assert section_text(rendered, "Summary") == typed(PHISH)


@pytest.mark.parametrize("trap", TRAPS)
def test_markdown_and_html_typed_anywhere_render_as_typed(trap: str, base_view: PostMortemView) -> None:
    view = hostile_view(base_view, trap)
    rendered = render(exports.markdown(view))
    assert_no_links_images_or_html_but_ours(rendered, {"https://example.slack.com/archives/C1/p1"})
    for heading in ("Summary", "Root cause", "Kudos"):
        assert section_text(rendered, heading) == typed(trap), heading
    # The headings are ictui's: one title, and the sections it writes.
    assert rendered.count("<h1>") == 1
    assert rendered.count("<h2>") == exports.markdown(base_view).count("\n## ")
    # Line breaks typed are kept: each line of the section is a line of the page.
    summary = rendered.split("<h2>Summary</h2>", 1)[1].split("<h2>", 1)[0]
    lines = [line for line in clean_text(trap).splitlines() if line.strip()]
    assert summary.count("<br />") + summary.count("<p>") >= len(lines)


def test_links_ictui_writes_are_only_to_plain_http_addresses(base_view: PostMortemView) -> None:
    item = ActionItemView(
        id=1,
        incident_number=41,
        title="Fix",
        description="",
        owner="",
        due_date="",
        kind=ActionKind.FIX,
        ticket_key="OPS-1",
        ticket_url="javascript:alert(1)",
        status=ActionStatus.OPEN,
        created_at=now(),
    )
    rendered = render(exports.markdown(replace(base_view, action_items=(item,))))
    assert "<a " not in rendered and "javascript:alert(1)" in rendered


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(text="¢.AL")  # a host in another script, which the renderer links as punycode
@given(
    text=st.text(max_size=200)
    | st.sampled_from(TRAPS).flatmap(lambda t: st.text(max_size=20).map(lambda s: s + t + s))
)
def test_any_text_renders_as_typed_with_no_link_image_or_html_of_its_own(
    text: str, base_view: PostMortemView
) -> None:
    view = hostile_view(base_view, text)
    rendered = render(exports.markdown(view))
    assert_no_links_images_or_html_but_ours(rendered, {"https://example.slack.com/archives/C1/p1"})
    for heading in ("Summary", "Root cause", "Kudos"):
        expected = typed(text) or "Not written."
        assert section_text(rendered, heading) == expected, heading
    assert rendered.count("<h1>") == 1
    # Every table keeps its rows: the timeline's and the action items' (a head and one
    # row each), the durations' (a head, the spans and the total).
    assert rendered.count("<tr>") == 2 + 2 + (1 + len(view.durations.spans) + 1)
