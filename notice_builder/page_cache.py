"""The incremental build cache: a page is rendered again only when an input it depends on changed.

A page's key hashes everything it depends on: the tool's version, every template,
the site settings and parties, the file of its notice, and its locale's catalog.
A cached page is the exact bytes a clean build produced from the same inputs, so an
incremental build is byte-identical to a clean one. After each build the cache keeps
only the pages of that build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from notice_builder import __version__

CACHE_DIR = ".notice-builder-cache"


def digest_files(paths: Iterable[Path], *, salt: str = "") -> str:
    """One hash of the names and bytes of some files, in a stable order."""
    hasher = hashlib.sha256(f"{__version__}\0{salt}\0".encode())
    for path in sorted(set(paths)):
        hasher.update(path.as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() if path.is_file() else b"<missing>")
    return hasher.hexdigest()


def page_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class PageCache:
    """Pages by key in a folder beside the project; with ``folder=None`` nothing is cached."""

    folder: Path | None
    used: set[str] = field(default_factory=set)

    def get(self, key: str) -> tuple[bytes, list[dict[str, object]]] | None:
        if self.folder is None:
            return None
        try:
            header, _, html = (self.folder / f"{key}.page").read_bytes().partition(b"\n")
            return html, json.loads(header)
        except (OSError, ValueError):
            return None

    def put(self, key: str, html: bytes, missing: list[dict[str, object]]) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            header = json.dumps(missing, sort_keys=True).encode()  # one line: no newlines
            _write_atomic(self.folder / f"{key}.page", header + b"\n" + html)
        except OSError:
            # The cache only saves time: a full or read-only disk must not fail the build.
            return

    def prune(self, keep: Iterable[str]) -> None:
        """Drop every cached page that the last build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = set(keep)
        for path in self.folder.iterdir():
            if path.stem not in wanted:
                path.unlink(missing_ok=True) if path.is_file() else shutil.rmtree(path, True)


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
