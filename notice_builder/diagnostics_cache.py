"""Diagnostics kept between builds as JSON, for checks whose inputs did not change.

A check over the whole content (references between parties and notices, the Markdown
a notice may use) gives the same findings for the same bytes of every content file;
a rebuild after a catalog edit reads them back instead of walking the content again.
The key names everything the findings depend on: the tool's version, the working
folder (locations are shown relative to it), the files' names and bytes (hashed
where they were read).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from notice_builder.code_version import code_version
from notice_builder.diagnostics import Diagnostic, Location, Severity
from notice_builder.page_cache import read_sealed, write_atomic


def files_key(digests: Iterable[str]) -> str:
    """One key for some files' hashes, with the working folder and the tool's version."""
    parts = [code_version(), str(Path.cwd()), *digests]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def cached_diagnostics(
    folder: Path | None, name: str, compute: Callable[[], list[Diagnostic]]
) -> list[Diagnostic]:
    """``compute()``, or what it gave before under ``name`` in ``folder``."""
    if folder is None:
        return compute()
    entry = folder / f"{name}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, IndexError):
        found = [diagnostic_from_json(item) for item in json.loads(read_sealed(entry))]
        os.utime(entry)  # used by this build: pruning keeps it
        return found
    computed = compute()
    with contextlib.suppress(OSError):  # the cache only saves time
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, json.dumps([diagnostic_to_json(d) for d in computed]).encode())
    return computed


def diagnostic_to_json(item: Diagnostic) -> dict[str, Any]:
    where = item.location
    return {
        "code": item.code,
        "severity": item.severity.value,
        "message": item.message,
        "hint": item.hint,
        "location": [where.path, where.line, where.column] if where else None,
        "suppressed": item.suppressed,
        "extra": [list(pair) for pair in item.extra],
    }


def diagnostic_from_json(data: dict[str, Any]) -> Diagnostic:
    where = data["location"]
    location = Location(str(where[0]), int(where[1]), int(where[2])) if where else None
    suppressed = data.get("suppressed")
    return Diagnostic(
        str(data["code"]),
        Severity(data["severity"]),
        str(data["message"]),
        location,
        str(data["hint"]),
        None if suppressed is None else str(suppressed),
        tuple((str(key), str(value)) for key, value in data.get("extra", [])),
    )
