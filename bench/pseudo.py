"""Deterministic pseudo-translation: every letter changes, placeholders and markup do not.

Each locale gets its own letter map, seeded by its code: Latin-script languages get
accented letters, Greek, Cyrillic, Japanese, Chinese and Korean get letters of their
own script (so pages have realistic byte sizes). ``{party.field}``, ``%(name)s``,
Markdown link targets, URLs, e-mail addresses and HTML tags are copied unchanged.
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from functools import cache

PROTECTED = re.compile(
    r"\{[^{}]*\}"  # {dpo.email}
    r"|%\([^)]*\)[a-z]"  # %(date)s
    r"|%[a-z%]"  # %s, %%
    r"|\]\([^)]*\)"  # Markdown link target ](...)
    r"|<[^>]*>"  # HTML tags, autolinks
    r"|https?://\S+"  # bare URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|&\w+;"  # entities
)

LATIN_POOLS = {
    "a": "áàâäãåą",
    "e": "éèêëęě",
    "i": "íìîïı",
    "o": "óòôöõø",
    "u": "úùûüů",
    "y": "ýÿ",
    "c": "çčć",
    "n": "ñńň",
    "s": "šśş",
    "z": "žźż",
    "r": "řŕ",
    "l": "ľĺł",
    "d": "ďđ",
    "t": "ťţ",
    "g": "ğģ",
    "k": "ķ",
    "h": "ħ",
}
SCRIPTS = {
    "el": (0x03B1, 0x03C9),  # Greek small letters
    "bg": (0x0430, 0x044F),  # Cyrillic small letters
    "uk": (0x0430, 0x044F),
    "ja": (0x3041, 0x3093),  # Hiragana
    "zh": (0x4E00, 0x9FA5),  # CJK unified ideographs
    "ko": (0xAC00, 0xD7A3),  # Hangul syllables
}


def _rng(locale: str) -> random.Random:
    seed = int.from_bytes(hashlib.sha256(locale.encode()).digest()[:8], "big")
    return random.Random(seed)


@cache
def letter_map(locale: str) -> dict[int, str]:
    """The per-locale table for ``str.translate``: every ASCII letter to another letter."""
    rng = _rng(locale)
    script = SCRIPTS.get(locale.split("-")[0])
    table: dict[int, str] = {}
    for letter in string.ascii_lowercase:
        if script:
            low, high = script
            table[ord(letter)] = chr(rng.randint(low, high))
            table[ord(letter.upper())] = table[ord(letter)].upper()
        else:
            pool = LATIN_POOLS.get(letter, letter)
            table[ord(letter)] = rng.choice(pool)
            table[ord(letter.upper())] = rng.choice(pool).upper()
    return table


def pseudo_translate(locale: str, text: str) -> str:
    """``text`` in ``locale``'s pseudo-language; identity for English."""
    if locale == "en" or not text:
        return text
    table = letter_map(locale)
    parts: list[str] = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(text[position : match.start()].translate(table))
        parts.append(match.group(0))
        position = match.end()
    parts.append(text[position:].translate(table))
    return "".join(parts)
