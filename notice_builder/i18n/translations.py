"""Translations of one locale, read straight from its .po catalog (no .mo files).

Only finished translations count: a fuzzy or empty entry is treated as missing,
so fuzzy strings are never published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from notice_builder.diagnostics import Diagnostic, Location, error

Key = tuple[str | None, str]


@dataclass
class TranslationTable:
    """Finished translations by (context, msgid), and which entries are fuzzy."""

    locale: str
    path: Path | None
    strings: dict[Key, str] = field(default_factory=dict)
    fuzzy: set[Key] = field(default_factory=set)
    lines: dict[Key, int] = field(default_factory=dict)

    def get(self, context: str | None, msgid: str) -> str | None:
        return self.strings.get((context, msgid))

    def location(self, context: str | None, msgid: str) -> Location | None:
        if self.path is None:
            return None
        return Location.of(self.path, self.lines.get((context, msgid), 0))


def read_translations(path: Path, locale: str) -> tuple[TranslationTable, list[Diagnostic]]:
    """The finished translations of a catalog; an unreadable catalog is a diagnostic."""
    table = TranslationTable(locale, path)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=None, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, LookupError, ValueError, OSError) as problem:
        return table, [_unreadable(path, problem)]
    _fill(table, catalog)
    return table, []


def _fill(table: TranslationTable, catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        key = (message.context, msgid)
        table.lines[key] = message.lineno or 0
        if message.fuzzy:
            table.fuzzy.add(key)
            continue
        text = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        if text:
            table.strings[key] = text


def _unreadable(path: Path, problem: Exception) -> Diagnostic:
    line = int(getattr(problem, "lineno", 0) or 0)
    return error(
        "i18n.catalog.syntax",
        f"cannot read the catalog: {problem}",
        Location.of(path, line),
        "open it in a PO editor (Poedit) or run `msgfmt --check` on it to find the error",
    )
