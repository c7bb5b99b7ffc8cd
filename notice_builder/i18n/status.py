"""How far each translation is: translated, fuzzy, untranslated and obsolete messages.

A message is translated when it is not fuzzy and every plural form is filled. The
messages counted are those the build translates, which the content and templates give
now: one the catalog has no entry for is untranslated, and an entry they no longer
give is not counted (``update`` makes it obsolete). Without content, the catalog's own
entries are counted. The percentage is translated / all messages counted (fuzzy counts
as not translated). A language of the site without a catalog has every message
untranslated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from notice_builder.diagnostics import Diagnostic, display_path
from notice_builder.errors import InputError
from notice_builder.i18n.catalog_io import read_catalog
from notice_builder.i18n.catalog_scan import is_written
from notice_builder.i18n.translations import language_problem
from notice_builder.i18n.workflow import Key, catalog_keys, catalog_or_problems, message_key
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
    not_in_catalog: int = 0
    """Messages the content and templates have and the catalog lacks (untranslated)."""
    not_in_template: int = 0
    """Entries of the catalog the content and templates no longer have (not counted)."""
    refused: str = ""
    """Why the build does not use the catalog at all (its Language header names another
    language), if it does not: nothing of it is published."""

    @property
    def out_of_date(self) -> bool:
        """Whether the catalog needs ``i18n extract`` and ``update`` to match the content."""
        return bool(self.not_in_catalog or self.not_in_template)

    @property
    def total(self) -> int:
        """Messages to translate: every non-obsolete one."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share translated, 0-100; a catalog with nothing to translate is complete."""
        if self.missing or self.refused:
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
            "not_in_catalog": self.not_in_catalog,
            "not_in_template": self.not_in_template,
            "refused": self.refused or None,
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


def catalog_status(
    locale: str, path: Path, catalog: Catalog, needed: frozenset[Key] | None = None
) -> LocaleStatus:
    """The counts of a catalog; measured against the messages ``needed`` (what the
    content and templates give now) when known, else against its own entries."""
    messages = [message for message in catalog if message.id]
    keys = catalog_keys(catalog)
    if needed is not None:
        messages = [message for message in messages if message_key(message) in needed]
    states = [message_state(message) for message in messages]
    lacking = len(needed - keys) if needed is not None else 0
    return LocaleStatus(
        locale=locale,
        path=path,
        translated=states.count("translated"),
        fuzzy=states.count("fuzzy"),
        untranslated=states.count("untranslated") + lacking,
        obsolete=len(catalog.obsolete),
        not_in_catalog=lacking,
        not_in_template=len(keys - needed) if needed is not None else 0,
    )


def project_status(
    project: Project,
    domain: str = DEFAULT_DOMAIN,
    missing: Sequence[tuple[str, Path]] = (),
    needed: frozenset[Key] | None = None,
) -> list[LocaleStatus]:
    """The status of every catalog of the project, and of the ``missing`` ones (language,
    path), sorted by locale; against the messages ``needed``, when known (see
    :func:`catalog_status`). Catalogs are read on every core (Babel reads a catalog of
    2.5 MB in half a second); unreadable ones are reported together."""
    locales = project.catalog_locales(domain)
    counted = parallel_map(partial(_locale_status, project, domain, needed), locales)
    unreadable = [problem for row in counted if isinstance(row, list) for problem in row]
    if unreadable:
        raise InputError(f"{len(unreadable)} catalog problem(s); nothing was done", unreadable)
    rows = [row for row in counted if isinstance(row, LocaleStatus)]
    if missing:  # named as catalogs are, by their folder
        messages = len(needed) if needed is not None else _template_size(project, domain)
        rows += [
            LocaleStatus(path.parts[-3], path, 0, 0, messages, 0, missing=True)
            for _, path in missing
        ]
    return sorted(rows, key=lambda row: row.locale)


def _locale_status(
    project: Project, domain: str, needed: frozenset[Key] | None, locale: str
) -> LocaleStatus | list[Diagnostic]:
    """One catalog's counts, or what makes it unreadable."""
    read = catalog_or_problems(project, locale, domain)
    if isinstance(read, list):
        return read
    row = catalog_status(locale, *read, needed)
    refused = language_problem(row.path, locale)
    return replace(row, refused=refused.message) if refused else row


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
    notes = ["", *map(_note, rows)]
    lines = [_aligned(line, widths) + note for line, note in zip(cells, notes, strict=True)]
    return "\n".join(lines) + "\n"


def _note(row: LocaleStatus) -> str:
    if row.missing:
        return "  no catalog"
    if row.refused:
        return f"  not used by the build: {row.refused}"
    if row.out_of_date:
        return (
            f"  out of date ({row.not_in_catalog} new, {row.not_in_template} no longer used): "
            "run `notice-builder i18n extract` and `i18n update`"
        )
    return ""


def _cells(row: LocaleStatus) -> list[str]:
    counts = [row.translated, row.fuzzy, row.untranslated, row.obsolete]
    return [row.locale, *map(str, counts), f"{row.percent:.1f}%"]


def _aligned(cells: list[str], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest]).rstrip()
