"""The sitemap lists every notice page with the same hreflang alternates as the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from lxml import etree

from notice_builder.checks.html.model import PageSummary
from notice_builder.checks.html.site import Site
from notice_builder.checks.html.text import normalize_tag
from notice_builder.diagnostics import Diagnostic, Location, error

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
URLSET = f"{{{SITEMAP_NS}}}urlset"
URL = f"{{{SITEMAP_NS}}}url"
SITEMAP_HINT = (
    "Rebuild the site; sitemap.xml is a <urlset> in the sitemap 0.9 namespace with one <url> "
    'per page and its <xhtml:link rel="alternate" hreflang href> links.'
)
_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")


@dataclass
class SitemapEntry:
    loc: str
    line: int
    alternates: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Sitemap:
    """What sitemap.xml lists, and what is wrong with its form."""

    path: Path
    line: int = 0
    entries: list[SitemapEntry] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def at(self, line: int) -> Location:
        return Location.of(self.path, line)

    def invalid(self, line: int, message: str) -> None:
        self.problems.append(error("html.sitemap.invalid", message, self.at(line), SITEMAP_HINT))

    @property
    def urls(self) -> list[str]:
        return [entry.loc for entry in self.entries]


def first_urls(path: Path, size: int = 65536) -> list[str]:
    """The <loc> URLs in the first ``size`` bytes of a sitemap, read without parsing it:
    enough to guess the base URL before the pages are read."""
    try:
        with path.open("rb") as file:
            head = file.read(size)
    except OSError:
        return []
    return [loc.decode("utf-8", "replace") for loc in _LOC.findall(head)]


def line_of(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def read_sitemap(path: Path, shown_as: Path | None = None) -> Sitemap:
    """What the sitemap at ``path`` lists; its findings name ``shown_as`` when given."""
    sitemap = Sitemap(shown_as or path)
    if not path.is_file():
        sitemap.invalid(0, "sitemap.xml is missing from the built site")
        return sitemap
    try:
        root = read_urls(path, sitemap)
    except (OSError, etree.XMLSyntaxError) as problem:
        line = getattr(problem, "lineno", 0) or 0
        failed = Sitemap(path)
        failed.invalid(line, f"sitemap.xml is not well-formed XML: {problem}")
        return failed
    sitemap.line = line_of(root)
    if root.tag != URLSET:
        sitemap.entries, sitemap.problems = [], []
        sitemap.invalid(sitemap.line, f"expected the root element {URLSET}, found {root.tag}")
    return sitemap


def read_urls(path: Path, sitemap: Sitemap) -> etree._Element:
    """Read the <url> children of the root into ``sitemap``; return the root.

    Streamed, one <url> in memory at a time: a 3,000-page sitemap read as a whole tree
    takes over 100 MB.
    """
    urls = etree.iterparse(
        str(path),
        events=("end",),
        tag=URL,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
    )
    for _, url in urls:
        parent = url.getparent()
        if parent is None or parent.getparent() is not None:
            continue  # only the root's children are entries
        read_entry(sitemap, url)
        url.clear(keep_tail=True)
        while url.getprevious() is not None:
            del parent[0]
    return cast(etree._Element, urls.root)


def read_entry(sitemap: Sitemap, url: etree._Element) -> None:
    line = line_of(url)
    locs = url.findall(f"{{{SITEMAP_NS}}}loc")
    if len(locs) != 1 or not (locs[0].text or "").strip():
        sitemap.invalid(line, f"a <url> needs exactly one non-empty <loc>, found {len(locs)}")
        return
    entry = SitemapEntry((locs[0].text or "").strip(), line)
    for link in url.iterchildren(f"{{{XHTML_NS}}}link"):
        rel, hreflang, href = link.get("rel"), link.get("hreflang"), link.get("href")
        if rel == "alternate" and hreflang and href:
            entry.alternates.append((hreflang, href))
        else:
            sitemap.invalid(
                line_of(link) or line,
                '<xhtml:link> needs rel="alternate", hreflang and href',
            )
    sitemap.entries.append(entry)


def check_sitemap(site: Site, sitemap: Sitemap) -> Iterator[Diagnostic]:
    yield from sitemap.problems
    if not sitemap.line:
        return
    listed: dict[str, SitemapEntry] = {}
    for entry in sitemap.entries:
        key = site.target("", entry.loc)
        problem = entry_problem(site, key, listed)
        if problem:
            yield error(
                "html.sitemap.invalid",
                f"<loc>{entry.loc}</loc> {problem}",
                sitemap.at(entry.line),
                SITEMAP_HINT,
            )
        elif key is not None:
            listed[key] = entry
    expectations: dict[tuple[str | None, str | None], Expectation] = {}
    normalized = NormalizedAlternates()
    for page in site.notice_pages():
        source = site.source_of(page)
        wanted = (page.notice, source[1].rel if source else None)
        if wanted not in expectations:
            expectations[wanted] = Expectation.of(site, page)
        listing = listed.get(page.rel)
        if listing is not None and normalized(listing) == expectations[wanted].urls:
            continue  # the usual case, without resolving each URL
        yield from check_listed(site, sitemap, page, listing, expectations[wanted])


class NormalizedAlternates:
    """An entry's alternates as (normalized hreflang, href) pairs; every entry of a notice
    lists the same ones, so they are normalized once per list, not once per entry."""

    def __init__(self) -> None:
        self._known: dict[tuple[tuple[str, str], ...], set[tuple[str, str]]] = {}

    def __call__(self, entry: SitemapEntry) -> set[tuple[str, str]]:
        key = tuple(entry.alternates)
        if key not in self._known:
            self._known[key] = {(normalize_tag(lang), href) for lang, href in key}
        return self._known[key]


@dataclass
class Expectation:
    """The alternates every sitemap entry of one notice must have, as file keys and URLs."""

    keys: set[tuple[str, str]]
    urls: set[tuple[str, str]]

    @classmethod
    def of(cls, site: Site, page: PageSummary) -> Expectation:
        versions = site.versions(page).items()
        keys = {(normalize_tag(locale), version.rel) for locale, version in versions}
        source = site.source_of(page)
        if source is not None:
            keys.add(("x-default", source[1].rel))
        return cls(keys, {(lang, site.url_of(key)) for lang, key in keys})


def entry_problem(site: Site, key: str | None, listed: dict[str, SitemapEntry]) -> str:
    if key is None:
        return "is not under the site's base URL" if site.base_known else ""
    if not site.urls.exists(key):
        return f"names {key}, which is not a page of the built site"
    if key in listed:
        return f"lists {key} a second time"
    return ""


def check_listed(
    site: Site,
    sitemap: Sitemap,
    page: PageSummary,
    entry: SitemapEntry | None,
    expected: Expectation,
) -> Iterator[Diagnostic]:
    if entry is None:
        yield error(
            "html.sitemap.missing-page",
            f"sitemap.xml does not list {page.rel}; expected <loc>{site.url_of(page.rel)}</loc>",
            sitemap.at(sitemap.line),
            SITEMAP_HINT,
        )
        return
    found = {
        (normalize_tag(lang), site.target(page.resolves_from, href) or href)
        for lang, href in entry.alternates
    }
    if found != expected.keys:
        missing, extra = expected.keys - found, found - expected.keys
        yield error(
            "html.sitemap.alternates",
            f"the alternates of {page.rel} in sitemap.xml differ from its language versions: "
            f"{describe(site, missing, extra)}",
            sitemap.at(entry.line),
            SITEMAP_HINT,
        )


def describe(site: Site, missing: set[tuple[str, str]], extra: set[tuple[str, str]]) -> str:
    parts = []
    for label, items in (("missing", missing), ("extra", extra)):
        if items:
            parts.append(f"{label} " + ", ".join(show(site, item) for item in sorted(items)))
    return "; ".join(parts)


def show(site: Site, item: tuple[str, str]) -> str:
    lang, key = item
    return f"{lang}={site.url_of(key) if site.urls.exists(key) else key}"
