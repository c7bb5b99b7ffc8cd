"""Characters that text from the content or a catalog may not carry into a page.

Control characters (C0 but tab, newline and carriage return; DEL; C1): HTML calls each
a parse error, and a page cannot show them. They come from escapes, which YAML's
double-quoted strings and gettext's strings both allow: ``\\v`` is a word processor's
line break, ``\\f`` its page break, ``\\a`` a bell. A small module of its own: the YAML
reader uses it without importing the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONTROL_CODES = (*(code for code in range(0x20) if chr(code) not in "\t\n\r"), *range(0x7F, 0xA0))
"""The control characters a page cannot show (C0 but tab, newline and carriage return;
DEL; C1), as code points. ``diagnostics.shown`` escapes these and a few more."""
CONTROL_CHARACTERS = "".join(re.escape(chr(code)) for code in CONTROL_CODES)
"""The same, as the inside of a regular expression's character class."""

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_C0_AND_DEL = bytes(code for code in CONTROL_CODES if code < 0x80)
_ALL_BUT_C0_AND_DEL = bytes(code for code in range(0x100) if code not in _C0_AND_DEL)
_C1_IN_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def unshowable_character(text: str) -> str:
    """The first character of ``text`` a page cannot show, as ``U+000B at character 7``;
    '' when there is none."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}" if found else ""


def any_unshowable(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` has a character a page cannot show. One pass in C over
    their UTF-8 bytes: a catalog's 8,000 translations in ~2 ms, where a search of each
    took 15 ms."""
    data = "\n".join(texts).encode("utf-8", "surrogatepass")
    return bool(data.translate(None, _ALL_BUT_C0_AND_DEL)) or bool(_C1_IN_UTF8.search(data))


HIDDEN = {
    0x200B: "zero-width space",
    0x2060: "word joiner",
    0xFEFF: "zero-width no-break space",
    0x202A: "left-to-right embedding",
    0x202B: "right-to-left embedding",
    0x202C: "pop directional formatting",
    0x202D: "left-to-right override",
    0x202E: "right-to-left override",
    0x2066: "left-to-right isolate",
    0x2067: "right-to-left isolate",
    0x2068: "first strong isolate",
    0x2069: "pop directional isolate",
}
"""Characters a page shows as nothing that change what it shows: a zero-width space
inside an address or a word, or a direction control that reorders the text after it
("Trojan Source"). Joiners that scripts need (U+200C, U+200D) and the soft hyphen are
not among them."""
_HIDDEN = re.compile("[" + "".join(chr(code) for code in HIDDEN) + "]")


def hidden_character(text: str) -> str:
    """The first :data:`HIDDEN` character of ``text``, as ``U+202E (right-to-left
    override) at character 7``; '' when there is none."""
    found = _HIDDEN.search(text)
    if not found:
        return ""
    code = ord(found.group())
    return f"U+{code:04X} ({HIDDEN[code]}) at character {found.start() + 1}"
