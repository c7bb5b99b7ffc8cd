"""URLs of the built site: schemes, resolving links to files, and the base URL."""

from __future__ import annotations

import enum
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript"})
WEB_SCHEMES = frozenset({"http", "https"})
# Where an e-mail obfuscator (Cloudflare's) sends the links it rewrites.
EMAIL_PROTECTION = "/cdn-cgi/l/email-protection"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = str.maketrans("", "", "\t\n\r")
_BLANKS_AND_CONTROLS = "".join(chr(code) for code in range(33))
# "../" and then a path (and fragment) that needs no decoding and cannot be read as
# anything but a path: what such a link leads to is the same from every folder one
# level below the site root (a language switcher's links, from each language folder).
_UP_ONE_LEVEL = re.compile(r"\.\./([\w.~-]+(?:/[\w.~-]*)*(?:#[\w.~-]*)?)", re.ASCII)


def clean_url(value: str) -> str:
    """A URL as a browser reads it: no surrounding blanks or controls, no tabs or newlines."""
    value = value.strip(_BLANKS_AND_CONTROLS)
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.translate(_INVISIBLE)
    return value


# The same URLs come back on every language version of a notice (alternates, switcher):
# the pure functions of a URL below are cached.
URL_CACHE_SIZE = 8192


@lru_cache(maxsize=URL_CACHE_SIZE)
def url_scheme(value: str) -> str:
    """The lower-case scheme of a URL, or "" for a relative one."""
    match = _SCHEME.match(clean_url(value))
    return match.group(1).lower() if match else ""


def is_same_page(value: str) -> bool:
    """Whether a URL names the page it is on: empty, or only a fragment or a query."""
    cleaned = clean_url(value)
    return not cleaned or cleaned[0] in "#?"


class UrlKind(enum.Enum):
    """What a URL is, as far as the link checks care."""

    EMPTY = "empty"  # "" or a bare "#"
    UNSAFE = "unsafe"  # javascript:, data:, vbscript:
    OTHER = "other"  # mailto:, tel:, ftp:, ...
    WEB = "web"  # http(s) or protocol-relative: outside the site unless under the base URL
    ROOT = "root"  # "/path": needs the base URL's path
    RELATIVE = "relative"  # resolved against the page alone


# As module globals for the loops over every URL (see ``model.SECTION``): import these.
RELATIVE, WEB, ROOT = UrlKind.RELATIVE, UrlKind.WEB, UrlKind.ROOT
EMPTY, UNSAFE, OTHER = UrlKind.EMPTY, UrlKind.UNSAFE, UrlKind.OTHER


@lru_cache(maxsize=URL_CACHE_SIZE)
def url_kind(value: str) -> UrlKind:
    cleaned = clean_url(value)
    if cleaned in ("", "#"):
        return UrlKind.EMPTY
    if cleaned.startswith("//"):
        return UrlKind.WEB
    if cleaned.startswith("/"):
        return UrlKind.ROOT
    scheme = url_scheme(cleaned)
    if not scheme:
        return UrlKind.RELATIVE
    if scheme in WEB_SCHEMES:
        return UrlKind.WEB
    return UrlKind.UNSAFE if scheme in UNSAFE_SCHEMES else UrlKind.OTHER


cached_url_kind = lru_cache(maxsize=8192)(url_kind)
"""``url_kind`` remembered: a site's pages share most of their URLs (the switcher's)."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a link inside the site leads: a file key relative to the site folder."""

    key: str
    fragment: str


class SiteUrls:
    """Resolves URLs found in pages to files of the site folder."""

    def __init__(self, files: frozenset[str], base_url: str | None) -> None:
        self.files = files
        self.base_url = base_url.rstrip("/") if base_url else None
        self.base_path = urlsplit(self.base_url).path.rstrip("/") if self.base_url else ""
        self._under_base = tuple(f"{self.base_url}{mark}" for mark in "/#?") if base_url else ()
        self._cache: dict[tuple[str, str], Target | None] = {}
        self._folders: dict[str, str] = {}

    def under_base(self, value: str) -> bool:
        if self.base_url is None:
            return False
        cleaned = clean_url(value)
        return cleaned == self.base_url or cleaned.startswith(self._under_base)

    def resolve(self, page_key: str | None, value: str) -> Target | None:
        """The file a URL resolved from ``page_key`` leads to, or None when it leaves the
        site. ``page_key`` is the page, or the file its ``<base href>`` names; None when
        that lies outside the site, where only an absolute URL can lead back in (see
        :attr:`PageSummary.resolves_from`)."""
        if page_key is None:
            return self.resolve("", value) if url_scheme(clean_url(value)) in WEB_SCHEMES else None
        folder = self._folders.get(page_key)
        if folder is None:
            folder = self._folders[page_key] = posixpath.dirname(page_key)
        key = (folder, value)
        if key not in self._cache:
            self._cache[key] = self._resolve_shared(folder, value)
        return _on_page(page_key, self._cache[key])

    def resolve_uncached(self, page_key: str, value: str) -> Target | None:
        """``resolve`` worked out from the page's own folder alone (for tests)."""
        return _on_page(page_key, self._resolve(posixpath.dirname(page_key), value))

    def normalized(self, page_key: str | None, locale: str | None, href: str) -> str:
        """A link target to compare across languages: the page's own locale folder
        becomes ``{lang}``; URLs outside the site stay as they are."""
        target = self.resolve(page_key, href)
        if target is None:
            return href.strip()
        folder, _, rest = target.key.partition("/")
        key = f"{{lang}}/{rest}" if rest and folder == locale else target.key
        return f"{key}#{target.fragment}" if target.fragment else key

    def exists(self, key: str) -> bool:
        return key in self.files or posixpath.join(key, "index.html") in self.files

    def file_of(self, key: str) -> str:
        """The file a key names: itself, or the index.html of a folder."""
        if key in self.files:
            return key
        index = posixpath.join(key, "index.html")
        return index if index in self.files else key

    def _resolve_shared(self, folder: str, value: str) -> Target | None:
        """``_resolve``, shared by the folders a link leads to the same file from."""
        climbing = _UP_ONE_LEVEL.fullmatch(value) if folder and "/" not in folder else None
        if climbing is None:
            return self._resolve(folder, value)
        key = ("", climbing.group(1))
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        return self._cache[key]

    def _resolve(self, folder: str, value: str) -> Target | None:
        cleaned = clean_url(value)
        if self.under_base(cleaned):
            assert self.base_url is not None
            return self._from_root(cleaned[len(self.base_url) :])
        if url_scheme(cleaned) or cleaned.startswith("//"):
            return None
        if cleaned.startswith("/"):
            return self._from_root(cleaned)
        path, fragment = split_url(cleaned)
        return Target(_join(folder, path) if path else "", fragment)

    def _from_root(self, rest: str) -> Target:
        """A target from a URL path below the site root (the base URL's path is dropped)."""
        path, fragment = split_url(rest)
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :]
        return Target(_join("", path.lstrip("/") or "./"), fragment)


def _on_page(page_key: str, target: Target | None) -> Target | None:
    """A target with the page's own key where it names the page it is on (key "")."""
    if target is not None and target.key == "":
        return Target(page_key, target.fragment)
    return target


def split_url(value: str) -> tuple[str, str]:
    """(path, fragment) of a URL without scheme and host, percent-decoded, query dropped."""
    rest, _, fragment = value.partition("#")
    return unquote(rest.partition("?")[0]), unquote(fragment)


def _join(folder: str, path: str) -> str:
    joined = posixpath.normpath(posixpath.join(folder, path))
    if path.endswith("/") or joined == ".":
        joined = posixpath.join("" if joined == "." else joined, "index.html")
    return joined


def infer_base_url(candidates: Iterable[Iterable[str]], keys: frozenset[str]) -> str | None:
    """The base URL most absolute page URLs imply: they end with ``/<lang>/<notice>.html``.

    ``candidates`` are groups of URLs, most trusted first; a later group is read only
    when no URL of the earlier ones named a page.
    """
    for urls in candidates:
        counts = base_url_votes(urls, keys)
        if counts:
            return min(counts, key=lambda prefix: (-counts[prefix], prefix))
    return None


def base_url_votes(urls: Iterable[str], keys: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for url in urls:
        cleaned = clean_url(url).split("#", 1)[0].split("?", 1)[0]
        if url_scheme(cleaned) not in WEB_SCHEMES:
            continue
        prefix, _, tail = cleaned.rpartition("/")
        prefix, _, folder = prefix.rpartition("/")
        if unquote(f"{folder}/{tail}") in keys and "//" in prefix:
            counts[prefix] += 1
    return counts
