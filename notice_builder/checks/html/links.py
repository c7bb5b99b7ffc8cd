"""Links: empty and unsafe URLs, broken files and anchors, and the external links.

Relative links are checked with the page (in a worker); links that need the base URL
or another page's ids are kept in the page summary and checked across the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from notice_builder.checks.html.model import SWITCHER, PageSummary, UrlRef
from notice_builder.checks.html.urls import (
    EMAIL_PROTECTION,
    EMPTY,
    OTHER,
    RELATIVE,
    ROOT,
    UNSAFE,
    WEB,
    SiteUrls,
    Target,
    clean_url,
    url_scheme,
)
from notice_builder.diagnostics import Diagnostic, Location, error

LINK_TAGS = frozenset({"a", "area", "link"})


@dataclass(slots=True)
class PageLinks:
    """What one pass over a page's URLs finds."""

    diagnostics: list[Diagnostic]
    site_wide: list[UrlRef]
    """The URLs the site-wide checks need: those that need the base URL, and relative
    links to a fragment of another page."""
    switcher_targets: list[str]
    """The files the language switcher's relative links lead to."""


def check_page(page: PageSummary, urls: SiteUrls) -> PageLinks:
    """Empty and unsafe URLs; relative links to missing files or to missing ids here.

    One pass, each relative URL resolved once: a page has some sixty URLs, and the
    same pass sorts out what the site-wide checks and the switcher check need.
    """
    found: list[Diagnostic] = []
    site_wide: list[UrlRef] = []
    switcher: list[str] = []
    origin = page.resolves_from
    for url in page.urls:
        kind = url.kind
        if kind is RELATIVE:
            target = urls.resolve(origin, url.value)
            if target is None:
                continue
            if EMAIL_PROTECTION not in url.value:
                found.extend(check_relative(page, url, target, urls))
            if target.fragment and target.key != page.rel:
                site_wide.append(url)
            if url.zone is SWITCHER and url.tag == "a":
                switcher.append(urls.file_of(target.key))
        elif kind is WEB or kind is ROOT:
            site_wide.append(url)
        elif kind is EMPTY and url.attribute == "href" and url.tag in LINK_TAGS:
            found.append(empty_link(page, url))
        elif kind is UNSAFE:
            found.append(unsafe_link(page, url))
    return PageLinks(found, site_wide, switcher)


def check_relative(
    page: PageSummary, url: UrlRef, target: Target, urls: SiteUrls
) -> Iterator[Diagnostic]:
    if not urls.exists(target.key):
        yield broken_link(page, url, target.key)
    elif target.fragment and target.key == page.rel and not fragment_found(target.fragment, page):
        yield missing_anchor(page, url, target.key, target.fragment)


def empty_link(page: PageSummary, url: UrlRef) -> Diagnostic:
    shown = "an empty href" if not url.value.strip() else 'href="#"'
    return error(
        "html.link.empty",
        f"<{url.tag}> has {shown}, which leads nowhere",
        page.at(url.line),
        "Link to a real page or section, or remove the link and keep the text.",
    )


def unsafe_link(page: PageSummary, url: UrlRef) -> Diagnostic:
    scheme = url_scheme(url.value)
    return error(
        "html.link.unsafe-scheme",
        f"<{url.tag} {url.attribute}> uses a {scheme}: URL; expected http(s), mailto:, tel: "
        "or a relative link",
        page.at(url.line),
        f"Remove the {scheme}: URL; notices must not run scripts or embed data URLs.",
    )


def check_site_links(
    pages: Iterable[PageSummary], by_key: Mapping[str, PageSummary], urls: SiteUrls
) -> Iterator[Diagnostic]:
    """Links under the base URL or from the site root lead to a file of the site, and
    fragments of links to other pages name an id there."""
    for page in pages:
        for url in page.urls:
            target = site_target(page, url, urls)
            if target is None:
                continue
            if url.kind is not RELATIVE and not urls.exists(target.key):
                yield broken_link(page, url, target.key)
                continue
            target_page = by_key.get(urls.file_of(target.key))
            if (
                target.fragment
                and target_page is not None
                and not target_page.parse_error
                and not fragment_found(target.fragment, target_page)
            ):
                yield missing_anchor(page, url, target.key, target.fragment)


def site_target(page: PageSummary, url: UrlRef, urls: SiteUrls) -> Target | None:
    """Where a link inside the site leads; None for external and non-link URLs."""
    kind = url.kind
    if kind is EMPTY or kind is UNSAFE or kind is OTHER or EMAIL_PROTECTION in url.value:
        return None
    if kind is WEB and not urls.under_base(url.value):
        return None
    return urls.resolve(page.resolves_from, url.value)


def fragment_found(fragment: str, page: PageSummary) -> bool:
    """Whether a fragment names an element; ``#top`` and text fragments always work."""
    return page.has_id(fragment) or fragment.lower() == "top" or fragment.startswith(":~:")


def broken_link(page: PageSummary, url: UrlRef, key: str) -> Diagnostic:
    return error(
        "html.link.broken",
        f'<{url.tag} {url.attribute}="{url.value}"> points at {key}, which does not exist '
        "in the built site",
        page.at(url.line),
        f"Links are resolved relative to {_origin(page)}; fix the link or build the missing page.",
    )


def _origin(page: PageSummary) -> str:
    if page.base_href is None:
        return page.rel
    return f'{page.base or page.base_href}, which the page\'s <base href="{page.base_href}"> names'


def missing_anchor(page: PageSummary, url: UrlRef, key: str, fragment: str) -> Diagnostic:
    where = "this page" if key == page.rel else key
    return error(
        "html.anchor.missing",
        f'<{url.tag} {url.attribute}="{url.value}"> points at #{fragment}, but {where} has '
        f'no element with id="{fragment}"',
        page.at(url.line),
        "Link to an existing section or party id (see the table of contents), or add the id.",
    )


def external_links(pages: Iterable[PageSummary], urls: SiteUrls) -> list[tuple[str, Location]]:
    """Absolute http(s) links outside the site, for the optional external checker."""
    found: list[tuple[str, Location]] = []
    for page in pages:
        for url in page.urls:
            value = clean_url(url.value)
            if url.kind is WEB and not urls.under_base(value):
                absolute = "https:" + value if value.startswith("//") else value
                found.append((absolute, page.at(url.line)))
    return sorted(found, key=lambda item: (item[1].path, item[1].line, item[0]))
