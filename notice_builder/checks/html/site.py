"""The cross-page view of a site: pages by file and by notice, URLs, the source locale."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from notice_builder.checks.html.model import PageSummary
from notice_builder.checks.html.text import normalize_tag
from notice_builder.checks.html.urls import SiteUrls, is_same_page


@dataclass
class Site:
    """All page summaries of a site, indexed for the checks that compare pages."""

    urls: SiteUrls
    by_key: dict[str, PageSummary]
    source_locale: str | None = None
    notices: dict[str, dict[str, PageSummary]] = field(default_factory=dict)
    _targets: dict[tuple[str | None, str], str | None] = field(default_factory=dict)
    _absolute: dict[str, str | None] = field(default_factory=dict)
    _sources: dict[tuple[str, str], tuple[str, PageSummary] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, pages: Iterable[PageSummary], urls: SiteUrls, source_locale: str | None) -> Site:
        site = cls(urls, {}, source_locale)
        for page in pages:
            site.by_key[page.rel] = page
            if page.is_notice and page.notice is not None and page.locale is not None:
                site.notices.setdefault(page.notice, {})[page.locale] = page
        return site

    @property
    def base_known(self) -> bool:
        return self.urls.base_url is not None

    def notice_pages(self) -> list[PageSummary]:
        return [page for page in self.by_key.values() if page.is_notice]

    def versions(self, page: PageSummary) -> dict[str, PageSummary]:
        """Every language version of the page's notice, by locale folder (itself included)."""
        return self.notices.get(page.notice or "", {})

    def source_of(self, page: PageSummary) -> tuple[str, PageSummary] | None:
        """The source locale and the source-language page of the same notice, if both exist."""
        locale = self.source_locale or page.source_locale
        if not locale:
            return None
        key = (page.notice or "", locale)  # asked several times for every page
        if key not in self._sources:
            self._sources[key] = self._find_source(page, locale)
        return self._sources[key]

    def _find_source(self, page: PageSummary, locale: str) -> tuple[str, PageSummary] | None:
        wanted = normalize_tag(locale)
        for folder, version in self.versions(page).items():
            if normalize_tag(folder) == wanted:
                return folder, version
        return None

    def target(self, page_key: str | None, href: str) -> str | None:
        """The file key a URL resolved from ``page_key`` names (see
        :attr:`PageSummary.resolves_from`), or None if outside the site."""
        if href in self._absolute:  # the same from every page: most alternates
            return self._absolute[href]
        if is_same_page(href):
            return page_key
        # the same from every page of a folder
        cache_key = (None if page_key is None else page_key.rpartition("/")[0], href)
        if cache_key not in self._targets:
            found = self.urls.resolve(page_key, href)
            self._targets[cache_key] = self.urls.file_of(found.key) if found else None
            if href.startswith(("http://", "https://")):
                self._absolute[href] = self._targets[cache_key]
        return self._targets[cache_key]

    def url_of(self, key: str) -> str:
        """The public URL of a file key (with a ``<base URL>`` placeholder when unknown)."""
        base = self.urls.base_url
        return f"{base or '<base URL>'}/{key}"
