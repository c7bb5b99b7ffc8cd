"""The one catalog a translator edited, read on another core while the build imports.

A rebuild after one catalog edit spends its first ~0.25 s importing and loading in
one process, with the other core idle, and then reads the edited catalog (~0.1 s for
2.5 MB) before it can render that locale's pages. The build command calls
:func:`start` before its imports: when the hash memo of the catalogs (see
:func:`notice_builder.i18n.table_cache.catalog_digest`) shows that exactly one catalog
changed since the last build, a forked process reads it and sends the table back.
:func:`take` receives it where the build reads that catalog, and uses it only when it
was read from the very bytes the build hashed (the same path, locale and hash);
otherwise the build reads the catalog itself, as without this module.
:func:`stop` ends the process when the build never asked for it: nothing runs after
the command returns.

This module is imported before the build's imports: it imports nothing heavy itself.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from notice_builder.diagnostics import Diagnostic
    from notice_builder.i18n.translations import TranslationTable

    Read = tuple[TranslationTable, list[Diagnostic]]


@dataclass(frozen=True)
class Changed:
    """A catalog whose file is not the one its hash was kept for."""

    path: Path
    locale: str


@dataclass(frozen=True)
class _Reader:
    """The forked process reading ``catalog``; ``owner`` is the process that forked it."""

    catalog: Changed
    child: int
    pipe: int
    owner: int


_READER: _Reader | None = None


def identity(path: Path) -> list[int] | None:
    """What tells a file apart from itself edited: inode, size, mtime and ctime."""
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def changed_catalogs(memo: Path) -> list[Changed]:
    """The catalogs whose kept hash (in ``memo``) is for another state of their file."""
    found = []
    for entry in sorted(memo.glob("*.stat.json")) if memo.is_dir() else []:
        try:
            kept = json.loads(entry.read_bytes())
            path, locale = Path(kept["path"]), str(kept["locale"])
            if identity(path) not in (None, kept["identity"]):
                found.append(Changed(path, locale))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an entry of an older version, or damaged: nothing to go by
    return found


def start(memo: Path) -> None:
    """Read the one catalog that changed (if exactly one did) in a forked process."""
    global _READER
    changed = changed_catalogs(memo)
    if _READER is not None or len(changed) != 1 or not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child ends with os._exit)
        os.close(read_end)
        _read_and_send(changed[0], write_end)
    os.close(write_end)
    _READER = _Reader(changed[0], child, read_end, os.getpid())


def _read_and_send(catalog: Changed, pipe: int) -> None:
    """In the child: send ``(digest, table, problems)`` of the catalog; never return."""
    status = 1
    try:
        from notice_builder.i18n.table_cache import read_with_digest

        found = read_with_digest(catalog.path, catalog.locale)
        with os.fdopen(pipe, "wb") as sent:
            sent.write(pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)


def take(path: Path, locale: str, digest: str) -> Read | None:
    """The catalog read by the forked process, if it read these bytes of this catalog."""
    global _READER
    reader = _READER
    if reader is None or reader.owner != os.getpid() or reader.catalog != Changed(path, locale):
        return None
    _READER = None
    found = _received(reader)
    if found is None or found[0] != digest:
        return None
    return found[1], found[2]


def _received(reader: _Reader) -> Any:
    """What the child sent, once it has ended; None when it did not end well (then what
    it sent may be cut short)."""
    with os.fdopen(reader.pipe, "rb") as received:
        data = received.read()
    _, status = os.waitpid(reader.child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    # From our own child, through a pipe: never from a file, never kept.
    return pickle.loads(data)


def stop() -> None:
    """End the reading process if the build did not take what it read."""
    global _READER
    reader = _READER
    if reader is None or reader.owner != os.getpid():
        return
    _READER = None
    os.close(reader.pipe)
    os.kill(reader.child, signal.SIGKILL)
    os.waitpid(reader.child, 0)
