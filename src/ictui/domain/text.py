"""Cleaning what people type or paste before it is stored or drawn."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (ESC among them) would let a pasted title drive the terminal.
# Newlines and tabs are kept where text may span lines. The bidi embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069) go too: U+202E reverses what follows it,
# in the cockpit, in a browser showing the exported Markdown, in a terminal that
# honours it; it can make "exe.txt" read "txt.exe". Right-to-left text itself needs none
# of them, and the marks (U+200E, U+200F) stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing: format characters (zero-width space, U+180E, U+FEFF,
# the joiners, the soft hyphen), blanks of other categories (the Hangul fillers, the
# braille blank) and combining marks that attach to nothing. Text made of them and of
# spaces alone is empty: a name or a title of them would be a blank row.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u17b4", "\u17b5"}
# Escape sequences, in their 7-bit (ESC …) and 8-bit (C1) forms: CSI; the strings (OSC,
# DCS, SOS, PM, APC) up to their terminator; any other ESC and the character after it.
# A string with no terminator loses only its introducer: the text after it is kept.
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)


def clean_text(text: str) -> str:
    """Multi-line text with escape sequences and control characters removed; text that
    shows nothing (only spaces and invisible characters) is empty."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\t", "    "))
    text = unicodedata.normalize("NFC", text).strip()
    return text if shows_something(text) else ""


def shows_something(text: str) -> bool:
    """Whether any character of ``text`` draws something on the screen."""
    return any(
        not c.isspace() and c not in _BLANK and unicodedata.category(c) not in _INVISIBLE_CATEGORIES
        for c in text
    )


def without_bidi(text: str) -> str:
    """The bidi embeddings, overrides and isolates taken out (and nothing else)."""
    return _BIDI.sub("", text)


def without_controls(text: str) -> str:
    """Escape sequences and control characters taken out, and nothing else changed: for
    pasted text, which lands next to what is typed already (trimming would eat a space)."""
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def clean_line(text: str) -> str:
    """One line: a title, a name."""
    return " ".join(clean_text(text).split())


# Latin letters that Unicode does not decompose into a base letter and an accent.
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ŋ": "ng",
        "Ŋ": "ng",
    }
)


def transliterate(text: str) -> str:
    """Latin letters as their plain a-z spelling (``Straße`` → ``Strasse``, ``Łódź`` →
    ``Lodz``, ``Ørsted`` → ``Orsted``); other scripts are left as they are."""
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION)):
        if unicodedata.combining(char):
            if base_is_latin:
                continue  # an accent on a Latin letter: é → e
        else:
            base_is_latin = char.isascii()
        kept.append(char)
    # Other scripts' marks stay with their letters (が keeps its dakuten).
    return unicodedata.normalize("NFC", "".join(kept))


def slug_words(text: str, *, any_script: bool = False) -> list[str]:
    """The lower-case words of a text, transliterated; ``any_script`` keeps the letters and
    digits of other scripts (Japanese, Greek …), which Slack channel names allow."""
    plain = transliterate(text).lower()
    if any_script:
        return [w for w in re.findall(r"[^\W_]+", plain)]
    return re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode())


def slugify(text: str, max_length: int, *, any_script: bool = False) -> str:
    """Lower-case words joined by ``-``, cut at a word boundary."""
    words = slug_words(text, any_script=any_script)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        # One word longer than the room: cutting inside it beats an empty name.
        slug = words[0][:max_length]
    return slug
