"""The version of the code, as the build's caches are keyed by it.

The release number (``__version__``) stays the same while the code changes: in a
checkout between releases, or in an install from a branch. A cache entry written by
other code must not be read back (a page rendered by an older renderer, the findings
of an older check), so the key adds the name, size and modification time of every
file of the package: about 110 ``stat`` calls (under a millisecond), once per
process and only by the commands that use a cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from notice_builder import __version__

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_version() -> str:
    """``0.1.0+<fingerprint of the package's files>``; the release alone when the files
    cannot be listed (the package imported from a zip archive, which does not change)."""
    try:
        return f"{__version__}+{fingerprint(PACKAGE)}"
    except OSError:
        return __version__


def fingerprint(folder: Path) -> str:
    """A hash of the relative name, size and modification time of each file below
    ``folder``, compiled bytecode (``__pycache__``) aside."""
    hasher = hashlib.sha256()
    for name, stat in _files(str(folder), ""):
        hasher.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()[:16]


def _files(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """Each file below ``folder`` in name order, with its status (``os.scandir``: half
    the cost of ``os.walk`` and ``Path.stat``)."""
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if not entry.is_dir():
            yield prefix + entry.name, entry.stat()
        elif entry.name != "__pycache__":
            yield from _files(entry.path, f"{prefix}{entry.name}/")
