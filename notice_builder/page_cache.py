"""The incremental build cache: a page is rendered again only when an input it depends on changed.

A page's key hashes everything it depends on: the tool's version, every template,
the site settings and parties, the file of its notice, and its locale's catalog.
A cached page is the exact bytes a clean build produced from the same inputs, so an
incremental build is byte-identical to a clean one.

The files, all named by a key:

- ``<key>.html``: exactly a page's bytes, so it can be hard-linked into the output;
- ``<key>.json``: which body a key leads to, and what else the build needs without
  rendering (the title for the index, the translations that were missing); or the
  same for a group of pages (a locale's), found in one read;
- ``<key>.record``: a small JSON value (which translations a page looked up).

Files are only ever replaced (written beside, then renamed), never rewritten in
place: a page linked into ``output/`` never changes. A body whose size or time stamp
is not what its header recorded (say, a linked output file that someone edited in
place) counts as missing. After each build the cache keeps only the files of that
build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class CachedPage:
    """A page of an earlier build: the file with its bytes, and what the build needs of it."""

    body: Path
    body_key: str
    details: dict[str, Any]


@dataclass
class PageCache:
    """Pages by key in a folder beside the project; with ``folder=None`` nothing is cached."""

    folder: Path | None

    def get(self, key: str) -> CachedPage | None:
        """The page stored under ``key``, if its body is still exactly as written."""
        return self._page(self._read_json(f"{key}.json"))

    def get_group(self, key: str) -> dict[str, CachedPage] | None:
        """Pages stored together by :meth:`put_group`; None unless all are as written."""
        headers = self._read_json(f"{key}.json")
        if not isinstance(headers, dict):
            return None
        pages = {str(name): self._page(header) for name, header in headers.items()}
        return {name: page for name, page in pages.items() if page} if all(pages.values()) else None

    def put_group(self, key: str, pages: dict[str, CachedPage]) -> None:
        """One file for many pages (a locale's): one read finds them all next time."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):  # the cache only saves time
            headers = {name: _header(page) for name, page in pages.items()}
            _write_atomic(self.folder / f"{key}.json", json.dumps(headers, sort_keys=True).encode())

    def put(self, key: str, html: bytes, details: dict[str, Any]) -> CachedPage | None:
        """Store a page's bytes under ``key`` (its body is named by the key too)."""
        if self.folder is None:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            body = self.folder / f"{key}.html"
            _write_atomic(body, html)
            page = CachedPage(body, key, details)
            self.alias(key, page)
            return page
        except OSError:
            # The cache only saves time: a full or read-only disk must not fail the build.
            return None

    def alias(self, key: str, page: CachedPage) -> None:
        """Make ``key`` lead to an already stored page as well."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):  # the cache only saves time
            header = json.dumps(_header(page), sort_keys=True).encode()
            _write_atomic(self.folder / f"{key}.json", header)

    def get_record(self, key: str) -> Any:
        """A small JSON value stored with :meth:`put_record` (None when there is none)."""
        return self._read_json(f"{key}.record")

    def put_record(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(OSError):  # the cache only saves time
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / f"{key}.record", json.dumps(value).encode())

    def prune(self, keep: Iterable[str]) -> None:
        """Drop every cached file that the last build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = set(keep)
        for path in self.folder.iterdir():
            if path.name.partition(".")[0] not in wanted or path.name.endswith(".tmp"):
                path.unlink(missing_ok=True) if path.is_file() else shutil.rmtree(path, True)

    def _page(self, header: Any) -> CachedPage | None:
        """The page a header describes, if its body is still exactly as written."""
        if not isinstance(header, dict) or self.folder is None:
            return None
        try:
            body_key, stamp = str(header["body"]), header["stamp"]
            body = self.folder / f"{body_key}.html"
            if _stamp(body) != stamp:
                return None
            return CachedPage(body, body_key, dict(header["details"]))
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def _read_json(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            return json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return None


def _header(page: CachedPage) -> dict[str, Any]:
    return {"body": page.body_key, "stamp": _stamp(page.body), "details": page.details}


def _stamp(path: Path) -> list[int]:
    """What tells a body apart from the same file changed in place: its size and time stamp."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside, then rename: a file that is linked elsewhere is never changed in place."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
