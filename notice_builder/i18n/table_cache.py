"""What reading each catalog reported, kept between builds and keyed by the catalog's bytes.

A build whose pages of a locale all come from the cache does not read that locale's
catalog at all; the problems its reading gave last time (stored as JSON beside the
page cache) are reported again instead. The parsed catalog itself is not kept:
:func:`~notice_builder.i18n.catalog_scan.scan_catalog` reads a large catalog about as
fast as its parsed form could be decoded, and writing that form cost a clean build
more than it saved.
"""

from __future__ import annotations

import hashlib
import json
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
            entry.touch()  # used by this build: pruning keeps it
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
    """The catalog's table and diagnostics; the diagnostics are kept for later builds."""
    table, problems = read_translations(path, locale)
    if folder is None:
        return table, problems
    entry = folder / f"{catalog_digest(path, locale)}.problems.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entry.touch(exist_ok=True)  # used by this build: pruning keeps it
        if entry.stat().st_size == 0:  # new (or emptied): record what reading it gave
            _write_json(entry, [_diagnostic_to_json(d) for d in problems])
    except OSError:
        pass  # the cache only saves time
    return table, problems


def _write_json(path: Path, value: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    temporary.replace(path)


def prune_unused(folder: Path, since: float) -> None:
    """Drop cache entries that no build has used since ``since`` (a time stamp)."""
    if not folder.is_dir():
        return
    for entry in folder.glob("*.json"):
        try:
            if entry.stat().st_mtime < since:
                entry.unlink()
        except OSError:
            continue


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
