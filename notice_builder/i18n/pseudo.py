"""Pseudo-locales, built on demand with ``build --pseudo``, to test what translators can't.

``en-XA`` accents and lengthens every string by about a third, so text that was
never extracted (it stays plain ASCII) and layouts that break on long languages
show at a glance. ``ar-XB`` shows every string right-to-left, so a layout that
does not mirror shows too. Placeholders, link targets, addresses and format
variables are kept as they are, so the pages still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notice_builder.i18n.translations import TranslationTable

PROTECTED = re.compile(
    r"\{[a-z0-9-]+\.[a-z_]+\}"  # {party.field}
    r"|%\([a-z_]+\)s"  # %(name)s
    r"|\]\([^)]*\)"  # ](link target)
    r"|https?://\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
)
ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀßÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
RLO, PDF = "\u202e", "\u202c"


@dataclass(frozen=True)
class PseudoLocale:
    code: str
    base: str
    direction: str
    name: str


PSEUDO_LOCALES = {
    "en-XA": PseudoLocale("en-XA", "en", "ltr", "Pseudo (accented)"),
    "ar-XB": PseudoLocale("ar-XB", "en", "rtl", "Pseudo (right-to-left)"),
}


def is_pseudo(locale: str) -> bool:
    return locale in PSEUDO_LOCALES


def accent(text: str) -> str:
    """``Privacy notice`` -> ``[Þŕîṽàçý ñöţîçé ·····]``: accented, a third longer."""
    changed = _outside_protected(text, lambda part: part.translate(ACCENTS))
    padding = "·" * max(1, len(text) // 3)
    return f"[{changed} {padding}]"


def mirror(text: str) -> str:
    """The text forced right-to-left, protected parts left as they are."""
    return _outside_protected(text, lambda part: f"{RLO}{part}{PDF}" if part.strip() else part)


def _outside_protected(text: str, change: object) -> str:
    assert callable(change)
    result, position = [], 0
    for match in PROTECTED.finditer(text):
        result.append(change(text[position : match.start()]))
        result.append(match.group(0))
        position = match.end()
    result.append(change(text[position:]))
    return "".join(result)


class PseudoTable(TranslationTable):
    """A "catalog" that translates every message by transforming the source text."""

    def get(self, context: str | None, msgid: str) -> str | None:
        return accent(msgid) if self.locale == "en-XA" else mirror(msgid)


def pseudo_table(locale: str) -> PseudoTable:
    return PseudoTable(locale, None)
