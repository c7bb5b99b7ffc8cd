"""The incremental build cache: a page is rendered again only when an input it depends on changed.

A page's key hashes everything it depends on: the tool's version, every template,
the site settings and parties, the file of its notice, and its locale's catalog.
A cached page is the exact bytes a clean build produced from the same inputs, so an
incremental build is byte-identical to a clean one.

The files, all named by a key:

- ``<key>.html``: exactly a page's bytes, a hard link to the file the build wrote
  (the page is written once), so it can be hard-linked into a later output;
- ``<key>.json``: a *manifest*, one per locale: for each of its pages, the keys it was
  built under, the translations it looked up, and its body's name, size, time stamp
  and what else the build needs without rendering it (the title for the index, the
  translations that were missing); or the same for one file of the whole site (the
  index, the sitemap). One small file per locale, not several per page: creating
  files is what a clean build on a slow disk pays for most.

Files are only ever replaced (written beside, then renamed), never rewritten in
place: a page linked into ``output/`` never changes. Every JSON file is sealed with a
hash of its data (:func:`read_sealed`): a damaged one counts as missing. A body whose
size or time stamp is not what its header recorded (say, a linked output file that
someone edited in place) counts as missing. After each build the cache keeps only
the files of that build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notice_builder.code_version import code_version

CACHE_DIR = ".notice-builder-cache"


def digest_files(paths: Iterable[Path], *, salt: str = "") -> str:
    """One hash of the names and bytes of some files, in a stable order."""
    hasher = hashlib.sha256(f"{code_version()}\0{salt}\0".encode())
    for path in sorted(set(paths)):
        hasher.update(path.as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() if path.is_file() else b"<missing>")
    return hasher.hexdigest()


def page_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """A page of an earlier build: the file with its bytes, and what the build needs of it."""

    body: str
    """The body's file (a string: a rebuild looks up thousands, and path objects cost)."""
    body_key: str
    details: dict[str, Any]


@dataclass
class PageCache:
    """Pages by key in a folder beside the project; with ``folder=None`` nothing is cached."""

    folder: Path | None
    _known: set[str] = field(default_factory=set, repr=False, compare=False)
    """Names of JSON files this build has written or seen (a notice's list of looked-up
    messages is the same in every language: asked about once, not once per page)."""
    _made: bool = field(default=False, repr=False, compare=False)

    def get(self, key: str) -> CachedPage | None:
        """The file stored under ``key`` with :meth:`put`, if its body is still as written."""
        return self.page(self.get_json(key))

    def put(self, key: str, written: Path, details: dict[str, Any]) -> CachedPage | None:
        """Keep the file ``written`` under ``key``, with a header that leads to it."""
        page = self.keep_body(key, written, details)
        if page is not None:
            self.put_json(key, header(page))
        return page

    def keep_body(self, key: str, written: Path, details: dict[str, Any]) -> CachedPage | None:
        """Keep the file ``written`` (a page just built) as body ``key``: linked, not copied.

        The file must never change in place afterwards; if it does (someone edits the
        output), its size or time stamp no longer matches and the cache ignores it.
        """
        if self.folder is None:
            return None
        try:
            self._make_folder()
            body = self.folder / f"{key}.html"
            _link_atomic(written, body)
            return CachedPage(str(body), key, details)
        except OSError:
            # The cache only saves time: a full or read-only disk must not fail the build.
            return None

    def get_json(self, key: str) -> Any:
        """A JSON value stored with :meth:`put_json` (None when there is none)."""
        if self.folder is None:
            return None
        try:
            return json.loads(read_sealed(self.folder / f"{key}.json"))
        except (OSError, ValueError):
            return None

    def has_json(self, key: str) -> bool:
        if key in self._known:
            return True
        found = self.folder is not None and (self.folder / f"{key}.json").is_file()
        if found:
            self._known.add(key)
        return found

    def put_json(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(OSError):  # the cache only saves time
            self._make_folder()
            data = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
            write_atomic(self.folder / f"{key}.json", data)
            self._known.add(key)

    def _make_folder(self) -> None:
        if not self._made and self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._made = True

    def page(self, found: Any) -> CachedPage | None:
        """The page a header (see :func:`header`) describes, if its body is still as written."""
        if not isinstance(found, dict) or self.folder is None:
            return None
        try:
            body_key, stamp, details = str(found["body"]), found["stamp"], found["details"]
            body = f"{self.folder}/{body_key}.html"
            if _stamp(body) != stamp or not isinstance(details, dict):
                return None
            return CachedPage(body, body_key, details)
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def prune(self, keep: Iterable[str]) -> None:
        """Drop every cached file that the last build did not use.

        Names from ``os.scandir``, not path objects: the folder holds a file per page.
        """
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = set(keep)
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                if name.partition(".")[0] in wanted and not name.endswith(".tmp"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)  # noqa: PTH108 (a string: see above)


def header(page: CachedPage) -> dict[str, Any]:
    """What leads to a kept page: its body's name, size and time stamp, and its details."""
    return {"body": page.body_key, "stamp": _stamp(page.body), "details": page.details}


def _stamp(path: str) -> list[int]:
    """What tells a body apart from the same file changed in place: its size and time stamp."""
    status = os.stat(path)  # noqa: PTH116 (a string: no path object for each cached page)
    return [status.st_size, status.st_mtime_ns]


def _link_atomic(source: Path, path: Path) -> None:
    """``path`` becomes the file ``source`` (a hard link; a copy across file systems).

    A new name is linked at once (one call); an existing one is replaced through a
    temporary name, so that it is never missing or half-written.
    """
    with contextlib.suppress(OSError):  # there already, or across file systems
        os.link(source, path)
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    temporary.replace(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside, then rename: a cache file is never seen half-written, and one that
    is linked elsewhere is never changed in place. Every cache of the build writes so,
    and seals what it writes: see :func:`read_sealed`."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data + _seal(data))
    temporary.replace(path)


class DamagedEntry(ValueError):
    """A cache file whose seal does not match its data."""


def read_sealed(path: Path) -> bytes:
    """The data a cache file was written with (by :func:`write_atomic`), its seal checked.

    The seal is a hash of the data, written after it. A file that was cut short, changed
    since (a flipped bit still parses as JSON, and it was served: a language's name
    in the switcher came out misspelt), or written by a version without seals raises
    :class:`DamagedEntry`, which every reader takes as a missing entry (a ValueError,
    as a damaged JSON document is); OSError when it cannot be read.
    """
    raw = path.read_bytes()
    data, seal = raw[:-SEAL_BYTES], raw[-SEAL_BYTES:]
    if len(raw) < SEAL_BYTES or seal != _seal(data):
        raise DamagedEntry(str(path))
    return data


SEAL_PREFIX = b"\n#blake2b-128:"
SEAL_BYTES = len(SEAL_PREFIX) + 32 + 1


def _seal(data: bytes) -> bytes:
    return SEAL_PREFIX + hashlib.blake2b(data, digest_size=16).hexdigest().encode() + b"\n"
