"""Parsed catalogs kept between builds, keyed by the catalog's bytes.

Reading a large .po file costs far more than rendering a page; a catalog that has
not changed since the last build is read back from its parsed form instead, with
the diagnostics its reading gave. Stored as JSON, never as pickles.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice_builder import __version__
from notice_builder.diagnostics import Diagnostic, Location, Severity
from notice_builder.i18n.translations import TranslationTable, read_translations

Read = tuple[TranslationTable, list[Diagnostic]]


@dataclass(frozen=True)
class CatalogRef:
    """A catalog read only where its pages are rendered: one worker holds one at a time.

    ``digest`` names the catalog's bytes as they were when the build started.
    """

    path: Path
    locale: str
    cache: Path | None
    digest: str

    def read(self) -> Read:
        return read_cached(self.path, self.locale, self.cache)

    def known_problems(self) -> list[Diagnostic] | None:
        """What reading this catalog reported, when it was read before (None: unknown)."""
        if self.cache is None:
            return None
        entry = self.cache / f"{self.digest}.problems.json"
        try:
            problems = [_diagnostic_from_json(d) for d in json.loads(entry.read_bytes())]
            entry.touch()  # used by this build: pruning keeps it, and the parsed table
            with contextlib.suppress(OSError):
                os.utime(self.cache / f"{self.digest}.json")
            return problems
        except (OSError, ValueError, KeyError, TypeError):
            return None


def catalog_digest(path: Path, locale: str) -> str:
    """A hash of a catalog's bytes (and of what else its reading depends on)."""
    hasher = hashlib.sha256(f"{__version__}\0{locale}\0{path}\0".encode())
    try:
        hasher.update(path.read_bytes())
    except OSError:
        hasher.update(b"<missing>")
    return hasher.hexdigest()


def read_cached(path: Path, locale: str, folder: Path | None) -> Read:
    """The catalog's table and diagnostics, from the cache when its bytes are unchanged."""
    if folder is None:
        return read_translations(path, locale)
    digest = catalog_digest(path, locale)
    entry = folder / f"{digest}.json"
    try:
        table, problems = _decode(json.loads(entry.read_text(encoding="utf-8")), path, locale)
        entry.touch()  # used by this build: pruning keeps it
    except (OSError, ValueError, KeyError, TypeError):
        table, problems = read_translations(path, locale)
        with contextlib.suppress(OSError):  # the cache only saves time
            folder.mkdir(parents=True, exist_ok=True)
            _write_json(entry, _encode(table, problems))
    problems_entry = folder / f"{digest}.problems.json"
    if not problems_entry.is_file():  # new, or removed since: a build reading none needs it
        with contextlib.suppress(OSError):
            _write_json(problems_entry, [_diagnostic_to_json(d) for d in problems])
    return table, problems


def _write_json(path: Path, value: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def prune_unused(folder: Path, since: float) -> None:
    """Drop parsed catalogs that no build has used since ``since`` (a time stamp)."""
    if not folder.is_dir():
        return
    for entry in folder.glob("*.json"):
        try:
            if entry.stat().st_mtime < since:
                entry.unlink()
        except OSError:
            continue


def _encode(table: TranslationTable, problems: list[Diagnostic]) -> dict[str, Any]:
    return {
        "strings": [[c, m, s] for (c, m), s in table.strings.items()],
        "fuzzy": [[c, m] for c, m in table.fuzzy],
        "lines": [[c, m, n] for (c, m), n in table.lines.items()],
        "plurals": [[c, m, list(forms)] for (c, m), forms in table.plurals.items()],
        "plural_expr": table.plural_expr,
        "diagnostics": [_diagnostic_to_json(d) for d in problems],
    }


def _decode(data: dict[str, Any], path: Path, locale: str) -> Read:
    table = TranslationTable(locale, path)
    table.strings = {(c, m): s for c, m, s in data["strings"]}
    table.fuzzy = {(c, m) for c, m in data["fuzzy"]}
    table.lines = {(c, m): n for c, m, n in data["lines"]}
    table.plurals = {(c, m): tuple(forms) for c, m, forms in data["plurals"]}
    table.plural_expr = data["plural_expr"]
    return table, [_diagnostic_from_json(d) for d in data["diagnostics"]]


def _diagnostic_to_json(item: Diagnostic) -> dict[str, Any]:
    where = item.location
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "hint": item.hint,
        "location": [where.path, where.line, where.column] if where else None,
    }


def _diagnostic_from_json(data: dict[str, Any]) -> Diagnostic:
    where = data["location"]
    location = Location(str(where[0]), int(where[1]), int(where[2])) if where else None
    return Diagnostic(
        data["code"], Severity(data["severity"]), data["message"], location, data["hint"]
    )
