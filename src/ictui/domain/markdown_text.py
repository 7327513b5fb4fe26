"""Free text in a Markdown document, shown as it was typed.

The post-mortem is shared widely and rendered by wikis and Git hosts. Whatever people
typed (a title, a note, a section, an action item, a Slack message) must render as
that text: ``[Reset your SSO password](https://phish.example)`` cannot become a link
whose target is hidden, ``<img src=x onerror=…>`` cannot become HTML, ``# x`` cannot
become a heading, ``|`` cannot cut a table. Every character that CommonMark or GitHub
Flavored Markdown could read as syntax is escaped with a backslash (any ASCII
punctuation may be, and then reads as itself); the line breaks typed are kept.

The only links in the document are the ones ictui writes, to ``http(s)`` addresses it
checked. A bare address someone typed stays text (a renderer may make it clickable:
what it shows is then where it goes); its ``://`` is escaped too, so that a renderer
that finds addresses in the source (markdown-it) does not take the backslash of the
next escape for part of it.
"""

from __future__ import annotations

import re

from ictui.domain.text import without_bidi

# Anywhere in a line: emphasis, code, links and images, HTML and autolinks, entities,
# tables, strikethrough, maths, and the backslash itself.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&$])")
# At the start of a line: headings, lists, block quotes, setext underlines, and
# ordered lists ("1." "2)").
_LINE_START = re.compile(r"^(?:([#+\-=])|(\d{1,9})([.)]))")
# A link ictui writes: http(s), and nothing that ends or breaks a Markdown link.
_LINKABLE = re.compile(r"^https?://[^\s<>\"`\\|^{}\x00-\x1f\x7f-\x9f]+$", re.IGNORECASE)


def md_text(line: str) -> str:
    """One line of typed text, every Markdown character in it escaped."""
    line = _ANYWHERE.sub(r"\\\1", without_bidi(line).strip()).replace("://", "\\://")
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def md_lines(text: str) -> list[str]:
    """Multi-line typed text as Markdown lines: each line escaped and ending in a hard
    break, so that the lines stay lines; blank lines (one for many) between paragraphs."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(md_text(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    out: list[str] = []
    for paragraph in filter(None, paragraphs):
        if out:
            out.append("")
        out += [line + "\\" for line in paragraph[:-1]] + paragraph[-1:]
    return out


def md_block(text: str) -> str:
    return "\n".join(md_lines(text))


def md_cell(text: str) -> str:
    """Typed text inside a Markdown table cell: escaped (pipes too), line breaks as <br>."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(md_text(line) for line in lines)


def linkable(url: str) -> bool:
    return bool(_LINKABLE.match(url))


def md_link(text: str, url: str) -> str:
    """A link ictui writes. Its target cannot end early (a ")" typed or pasted in a
    link would end it there and let the rest make a second link); an address that is
    not a plain http(s) one is written as text."""
    if not linkable(url):
        return f"{md_text(text)} ({md_text(url)})" if text != url else md_text(url)
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{md_text(text)}]({target})"


def md_autolink(url: str) -> str:
    """``<https://…>``: the address, clickable, shown as it is; or as text if not http(s)."""
    return f"<{url}>" if linkable(url) else md_text(url)
