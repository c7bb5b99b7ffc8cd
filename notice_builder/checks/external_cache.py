"""The on-disk cache of successful external link checks.

A JSON object mapping each checked URL (without fragment) to
``{"checked_at": <seconds since the epoch>, "status": <HTTP status>,
"final_url": <URL after redirects>, "ids": <sorted fragment targets, or null
when the page is not HTML>}``. Only successful checks are stored, so failures are
retried on the next run. The file is written atomically with sorted keys; a
missing, unreadable or corrupt file (or entry) is ignored.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard


@dataclass(frozen=True)
class CachedPage:
    """What a successful check of one URL found."""

    checked_at: float
    status: int
    final_url: str
    ids: frozenset[str] | None

    def is_fresh(self, now: float, max_age: float) -> bool:
        """Whether this entry is at most ``max_age`` seconds old (and not from the future)."""
        return 0.0 <= now - self.checked_at <= max_age


class LinkCache:
    """The fresh entries of a cache file, plus this run's successes, to be saved once."""

    def __init__(self, path: Path | None, now: float, max_age: float) -> None:
        self.path = path
        pages = load_cache(path) if path else {}
        self._pages = {url: page for url, page in pages.items() if page.is_fresh(now, max_age)}
        self._changed = False

    def get(self, url: str) -> CachedPage | None:
        return self._pages.get(url)

    def record(self, url: str, page: CachedPage) -> None:
        self._pages[url] = page
        self._changed = True

    def save(self) -> str | None:
        """Write the file if this run recorded anything; what went wrong, if anything did."""
        if self.path is None or not self._changed:
            return None
        try:
            save_cache(self.path, self._pages)
        except OSError as problem:
            return str(problem)
        return None


def load_cache(path: Path) -> dict[str, CachedPage]:
    """The entries of the cache file; empty when it is missing or corrupt."""
    try:
        data: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    pages = {url: _page_from_json(entry) for url, entry in data.items()}
    return {url: page for url, page in pages.items() if page is not None}


def save_cache(path: Path, pages: Mapping[str, CachedPage]) -> None:
    """Write the cache atomically (temporary file + ``os.replace``); raises ``OSError``."""
    text = json.dumps(
        {url: _page_to_json(page) for url, page in pages.items()},
        sort_keys=True,
        indent=2,
        ensure_ascii=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
        Path(temporary).replace(path)  # os.replace: atomic on the same file system
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _page_to_json(page: CachedPage) -> dict[str, object]:
    return {
        "checked_at": page.checked_at,
        "status": page.status,
        "final_url": page.final_url,
        "ids": None if page.ids is None else sorted(page.ids),
    }


def _page_from_json(entry: object) -> CachedPage | None:
    """One entry, or ``None`` when any field is missing or of the wrong type."""
    if not isinstance(entry, dict):
        return None
    checked_at, status = entry.get("checked_at"), entry.get("status")
    final_url, ids = entry.get("final_url"), entry.get("ids")
    if not _is_number(checked_at) or not isinstance(status, int) or isinstance(status, bool):
        return None
    if not isinstance(final_url, str) or not _is_id_list(ids):
        return None
    return CachedPage(float(checked_at), status, final_url, None if ids is None else frozenset(ids))


def _is_number(value: object) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _is_id_list(value: object) -> TypeGuard[list[str] | None]:
    return value is None or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )
