"""Small text helpers shared by the HTML checks: language tags, digits, addresses."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

DIGIT_RUN = re.compile(r"\d+")
# bytes -> bytes: ASCII digits kept, every other byte (UTF-8 included) a space
_ONLY_ASCII_DIGITS = bytes(code if 0x30 <= code <= 0x39 else 0x20 for code in range(256))


@lru_cache(maxsize=1024)
def normalize_tag(value: str) -> str:
    """A language tag for comparison: lower case, ``-`` separated."""
    return value.strip().replace("_", "-").lower()


def ascii_digits(run: str) -> str:
    """A digit run with any script's digits turned into ASCII ones (leading zeros kept)."""
    if run.isascii():
        return run
    return "".join(str(unicodedata.digit(char, 0)) for char in run)


def digit_runs(text: str, *, latin_digits: bool) -> list[str]:
    """The runs of digits in a text, as ASCII digits.

    With ``latin_digits`` only 0-9 are looked for, about five times faster than a regular
    expression; otherwise every script's decimal digits (e.g. Arabic-Indic) are.
    """
    if latin_digits:
        return text.encode("utf-8", "replace").translate(_ONLY_ASCII_DIGITS).decode().split()
    return [ascii_digits(run) for run in DIGIT_RUN.findall(text)]


def collapse_space(text: str) -> str:
    return " ".join(text.split())


def mailto_addresses(href: str) -> list[str]:
    """The addresses of a ``mailto:`` URL, lower-cased, without the query."""
    target = href.strip()[len("mailto:") :].split("?", 1)[0]
    return [unquote(part).strip().lower() for part in target.split(",") if part.strip()]
