"""What reading each catalog reported, kept between builds and keyed by the catalog's bytes.

A build whose pages of a locale all come from the cache does not read that locale's
catalog at all; the problems its reading gave last time (stored as JSON beside the
page cache) are reported again instead. The parsed catalog itself is not kept:
:func:`~notice_builder.i18n.catalog_scan.scan_catalog` reads a large catalog about as
fast as its parsed form could be decoded, and writing that form cost a clean build
more than it saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from notice_builder.code_version import code_version
from notice_builder.diagnostics import Diagnostic, Location, error
from notice_builder.diagnostics_cache import diagnostic_from_json, diagnostic_to_json
from notice_builder.i18n import prefetch
from notice_builder.i18n.prefetch import identity as _identity
from notice_builder.i18n.translations import TranslationTable, read_translations
from notice_builder.page_cache import read_sealed, write_atomic

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
        return read_cached(self.path, self.locale, self.cache, self.digest)

    def known_problems(self) -> list[Diagnostic] | None:
        """What reading this catalog reported, when it was read before (None: unknown)."""
        if self.cache is None:
            return None
        entry = self.cache / f"{self.digest}.problems.json"
        try:
            problems = [diagnostic_from_json(d) for d in json.loads(read_sealed(entry))]
            entry.touch()  # used by this build: pruning keeps it
            return problems
        except (OSError, ValueError, KeyError, TypeError):
            return None


RACY_SECONDS = 3
"""A file changed this close to when its hash was kept may have changed again since
within its time stamp's resolution (git's "racy" rule): it is hashed again."""


def catalog_digest(path: Path, locale: str, memo: Path | None = None) -> str:
    """A hash of a catalog's bytes (and of what else its reading depends on).

    With ``memo``, the hash of a file seen before with the same inode, size and time
    stamps (ctime included, which no tool sets back) is taken from there.
    """
    identity = _identity(path)
    entry = memo / f"{_name_key(path, locale)}.stat.json" if memo is not None else None
    if entry is not None and identity is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            kept = json.loads(read_sealed(entry))
            if kept["identity"] == identity and kept["trusted"]:
                os.utime(entry)  # used by this build: pruning keeps it
                return str(kept["digest"])
    digest = _hash(path, locale)
    if entry is not None and identity is not None:
        trusted = time.time_ns() - max(identity[2], identity[3]) > RACY_SECONDS * 10**9
        with contextlib.suppress(OSError):  # the cache only saves time
            entry.parent.mkdir(parents=True, exist_ok=True)
            kept = {"identity": identity, "digest": digest, "trusted": trusted}
            _write_json(entry, {**kept, "path": str(path), "locale": locale})
    return digest


def _name_key(path: Path, locale: str) -> str:
    return hashlib.sha256(f"{code_version()}\0{locale}\0{path}".encode()).hexdigest()


def _hash(path: Path, locale: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError:
        raw = None
    return _hash_bytes(path, locale, raw)


def _hash_bytes(path: Path, locale: str, raw: bytes | None) -> str:
    hasher = hashlib.sha256(f"{code_version()}\0{locale}\0{path}\0".encode())
    hasher.update(b"<missing>" if raw is None else raw)
    return hasher.hexdigest()


def read_with_digest(path: Path, locale: str) -> tuple[str, TranslationTable, list[Diagnostic]]:
    """The catalog's table and diagnostics, and the hash of the bytes they were read from
    (as :func:`catalog_digest` names them)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return _hash_bytes(path, locale, None), *read_translations(path, locale)
    return _hash_bytes(path, locale, raw), *read_translations(path, locale, raw)


def read_cached(path: Path, locale: str, folder: Path | None, digest: str = "") -> Read:
    """The catalog's table and diagnostics; the diagnostics are kept for later builds.

    With ``digest`` (the hash of the bytes the build expects), the table the build
    read ahead in another process (:mod:`notice_builder.i18n.prefetch`) is taken when
    it was read from those bytes.
    """
    found = prefetch.take(path, locale, digest) if digest else None
    read_digest = digest  # a prefetched table was read from the bytes the build hashed
    if found is not None:
        table, problems = found
    elif digest:  # the bytes read must be those hashed: pages are kept under that hash
        read_digest, table, problems = read_with_digest(path, locale)
    else:
        table, problems = read_translations(path, locale)
    if folder is not None:
        key = read_digest or catalog_digest(path, locale, folder)  # not hashed twice
        _keep_problems(folder / f"{key}.problems.json", problems)
    if read_digest != digest:
        return table, [*problems, changed_while_building(path)]
    return table, problems


def _keep_problems(entry: Path, problems: list[Diagnostic]) -> None:
    """Record what reading a catalog reported, for builds that do not read it."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.touch(exist_ok=True)  # used by this build: pruning keeps it
        if entry.stat().st_size == 0:  # new (or emptied): record what reading it gave
            _write_json(entry, [diagnostic_to_json(d) for d in problems])
    except OSError:
        pass  # the cache only saves time


def changed_while_building(path: Path) -> Diagnostic:
    """The catalog is not what the build hashed when it started: its pages would be
    kept under the hash of other bytes, and served for them by a later build."""
    return error(
        "i18n.catalog.changed",
        "the catalog changed while the build ran",
        Location.of(path),
        "build again once the catalog is saved",
    )


def _write_json(path: Path, value: object) -> None:
    write_atomic(path, json.dumps(value, sort_keys=True).encode("utf-8"))


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
