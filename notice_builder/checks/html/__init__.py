"""Checks of a built site folder: links, languages, structure, contacts, leaks, parity.

Each page is parsed once into a small summary (in worker processes for large sites);
page-local checks run right after, the cross-page checks on the summaries.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from notice_builder.checks.html import alternates, links, locale_facts, sitemap
from notice_builder.checks.html.model import PageSummary
from notice_builder.checks.html.pages import (
    PageAnalyzer,
    analyze_pages,
    page_tasks,
    site_files,
)
from notice_builder.checks.html.site import Site
from notice_builder.checks.html.urls import SiteUrls, infer_base_url
from notice_builder.diagnostics import Diagnostic, Location

__all__ = ["SiteCheckResult", "check_site"]


@dataclass(frozen=True)
class SiteCheckResult:
    """What checking a built site found."""

    diagnostics: list[Diagnostic]
    external_links: list[tuple[str, Location]]
    pages: int


def check_site(
    site_dir: Path,
    *,
    source_locale: str | None = None,
    base_url: str | None = None,
    jobs: int | None = None,
    meanwhile: Callable[[], object] = lambda: None,
    locale_facts_file: Path | None = None,
    shown_dir: Path | None = None,
) -> SiteCheckResult:
    """Check every page of the built site in ``site_dir`` (see docs/architecture.md).

    ``source_locale`` defaults to each page's ``data-source-locale``; ``base_url`` to
    what the canonical and alternate links imply; ``jobs`` to the number of CPUs.
    ``meanwhile`` runs while worker processes analyze the pages (before, without them).
    ``locale_facts_file`` keeps what Babel says of the page languages between checks.
    ``shown_dir`` is the folder the findings name instead of ``site_dir``: the output
    folder, for a site rendered into a temporary folder that is gone when they are read.
    """
    with garbage_collection_paused():
        return run_checks(
            site_dir, source_locale, base_url, jobs, meanwhile, locale_facts_file, shown_dir
        )


def run_checks(
    site_dir: Path,
    source_locale: str | None,
    base_url: str | None,
    jobs: int | None,
    meanwhile: Callable[[], object],
    locale_facts_file: Path | None = None,
    shown_dir: Path | None = None,
) -> SiteCheckResult:
    files = site_files(site_dir)
    sitemap_path = site_dir / "sitemap.xml"
    # before the pages are read, the sitemap's first URLs are the best guess of the base
    early_base = base_url or infer_base_url([sitemap.first_urls(sitemap_path)], files)
    shown = shown_dir or site_dir
    analyzer = PageAnalyzer(site_dir, files, source_locale, early_base, shown)
    locale_facts.prepare(analyzer.folders.values(), locale_facts_file)  # workers inherit
    read: list[sitemap.Sitemap] = []

    def read_sitemap_and_more() -> None:
        read.append(sitemap.read_sitemap(sitemap_path, shown / "sitemap.xml"))
        meanwhile()

    tasks = page_tasks(site_dir, files, shown)
    results = analyze_pages(tasks, analyzer, jobs, read_sitemap_and_more)
    site_map = read[0]
    summaries = [result.summary for result in results]
    base = base_url or infer_base_url(absolute_urls(summaries, site_map), files)
    urls = SiteUrls(files, base)
    site = Site.of(summaries, urls, source_locale)
    found = chain(
        (diagnostic for result in results for diagnostic in result.diagnostics),
        links.check_site_links(summaries, site.by_key, urls),
        alternates.check_languages(site),
        sitemap.check_sitemap(site, site_map),
    )
    return SiteCheckResult(
        diagnostics=sorted(found, key=Diagnostic.sort_key),
        external_links=links.external_links(summaries, urls),
        pages=len(summaries),
    )


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Summaries are many small objects that all stay alive until the end, without
    reference cycles: cyclic garbage collection passes over them would only cost time.

    At the end, what the check made is moved to the oldest generation before the
    collector is enabled again: left in the young one, the first allocation after that
    walked all of it (~30 ms after a 3,000-page check) to find nothing. A caller's frozen
    objects (``gc.freeze``) are left as they are."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()  # the young generations empty ...
            gc.unfreeze()  # ... and all of it in the oldest
        if enabled:
            gc.enable()


def absolute_urls(pages: list[PageSummary], site_map: sitemap.Sitemap) -> list[Iterable[str]]:
    """URLs that name pages absolutely, most trusted first: canonicals, alternates, sitemap."""
    return [
        (href for page in pages for href, _ in page.canonicals),
        (item.href for page in pages for item in page.alternates),
        site_map.urls,
    ]
