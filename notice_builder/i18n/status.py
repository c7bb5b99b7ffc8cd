"""How far each translation is: translated, fuzzy, untranslated and obsolete messages.

A message is translated when it is not fuzzy and every plural form is filled. The
percentage is translated / all non-obsolete messages (fuzzy counts as not translated).
A language of the site without a catalog has every message of the template untranslated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from notice_builder.diagnostics import Diagnostic, display_path
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_io import read_catalog
from notice_builder.i18n.catalog_scan import is_written
from notice_builder.i18n.workflow import catalog_or_problems
from notice_builder.parallel import parallel_map
from notice_builder.project import DEFAULT_DOMAIN, Project

State = Literal["translated", "fuzzy", "untranslated"]
COLUMNS = ("locale", "translated", "fuzzy", "untranslated", "obsolete", "percent")


@dataclass(frozen=True)
class LocaleStatus:
    """The counts of one catalog."""

    locale: str
    path: Path
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    missing: bool = False
    """There is no catalog: nothing is translated, whatever the template holds."""

    @property
    def total(self) -> int:
        """Messages to translate: every non-obsolete one."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share translated, 0-100; a catalog with nothing to translate is complete."""
        if self.missing:
            return 0.0
        return 100.0 * self.translated / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        return {
            "locale": self.locale,
            "path": display_path(self.path),
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "percent": round(self.percent, 1),
            "missing": self.missing,
        }


def strings_of(message: Message) -> tuple[str, ...]:
    """The translation as a tuple: one item, or one per plural form."""
    value = message.string
    if isinstance(value, (list, tuple)):
        return tuple(item or "" for item in value)
    return (value or "",)


def message_state(message: Message) -> State:
    strings = strings_of(message)
    if message.fuzzy and any(strings):
        return "fuzzy"
    original = message.id if isinstance(message.id, str) else message.id[0]
    written = all(is_written(original, text) for text in strings)
    return "translated" if written else "untranslated"


def catalog_status(locale: str, path: Path, catalog: Catalog) -> LocaleStatus:
    states = [message_state(message) for message in catalog if message.id]
    return LocaleStatus(
        locale=locale,
        path=path,
        translated=states.count("translated"),
        fuzzy=states.count("fuzzy"),
        untranslated=states.count("untranslated"),
        obsolete=len(catalog.obsolete),
    )


def project_status(
    project: Project,
    domain: str = DEFAULT_DOMAIN,
    missing: Sequence[tuple[str, Path]] = (),
) -> list[LocaleStatus]:
    """The status of every catalog of the project, and of the ``missing`` ones (language,
    path), sorted by locale. Catalogs are read on every core (Babel reads a catalog of
    2.5 MB in half a second); unreadable ones are reported together."""
    locales = project.catalog_locales(domain)
    counted = parallel_map(partial(_locale_status, project, domain), locales)
    unreadable = [problem for row in counted if isinstance(row, list) for problem in row]
    if unreadable:
        raise InputError(f"{len(unreadable)} catalog problem(s); nothing was done", unreadable)
    rows = [row for row in counted if isinstance(row, LocaleStatus)]
    if missing:  # named as catalogs are, by their folder
        messages = _template_size(project, domain)
        rows += [
            LocaleStatus(path.parts[-3], path, 0, 0, messages, 0, missing=True)
            for _, path in missing
        ]
    return sorted(rows, key=lambda row: row.locale)


def _locale_status(project: Project, domain: str, locale: str) -> LocaleStatus | list[Diagnostic]:
    """One catalog's counts, or what makes it unreadable."""
    read = catalog_or_problems(project, locale, domain)
    return read if isinstance(read, list) else catalog_status(locale, *read)


def _template_size(project: Project, domain: str) -> int:
    """The messages of the template; 0 when there is none yet."""
    path = project.pot_path(domain)
    return sum(1 for message in read_catalog(path) if message.id) if path.is_file() else 0


def below(rows: Sequence[LocaleStatus], min_percent: float) -> list[LocaleStatus]:
    return [row for row in rows if row.percent < min_percent]


def format_json(rows: Sequence[LocaleStatus]) -> str:
    return json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False) + "\n"


def format_table(rows: Sequence[LocaleStatus]) -> str:
    """An aligned table: locale left-aligned, numbers right-aligned."""
    cells = [list(COLUMNS)] + [_cells(row) for row in rows]
    widths = [max(len(line[index]) for line in cells) for index in range(len(COLUMNS))]
    notes = ["", *("  no catalog" if row.missing else "" for row in rows)]
    lines = [_aligned(line, widths) + note for line, note in zip(cells, notes, strict=True)]
    return "\n".join(lines) + "\n"


def _cells(row: LocaleStatus) -> list[str]:
    counts = [row.translated, row.fuzzy, row.untranslated, row.obsolete]
    return [row.locale, *map(str, counts), f"{row.percent:.1f}%"]


def _aligned(cells: list[str], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest]).rstrip()
