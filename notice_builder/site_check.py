"""``check --site-dir``: the output checks over a folder that is already built, with
the settings, check levels and suppressions of the content when there is one.

Only what the HTML checks need is imported before the pages go to the worker
processes; the content (the model, pydantic) is loaded while they analyze the pages.
The build's ``check`` (``build.check_project``) shares the helpers below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notice_builder.diagnostics import Diagnostic, unique
from notice_builder.errors import InputError
from notice_builder.page_cache import CACHE_DIR
from notice_builder.project import Project

if TYPE_CHECKING:
    from notice_builder.loader import LoadResult
    from notice_builder.model import Content

LOCALE_FACTS = Path("checks", "locale-facts.json")  # in the project's cache folder
Settings = tuple[str | None, str | None]
"""(source language, base URL) of a site; None where unknown."""


@dataclass
class CheckOutcome:
    """Every finding of ``check``, and which families of checks ran."""

    diagnostics: list[Diagnostic]
    checks_run: list[str]
    pages: int = 0


def check_built_site(project: Project, site_dir: Path, *, external: bool = False) -> CheckOutcome:
    """The output checks of ``site_dir``; the project's content (when there is one) gives
    the source language, the base URL, the check levels and the suppressions."""
    cache = project.root / CACHE_DIR
    loaded, outcome = _check_with_content(project.content_dir, site_dir, external, cache)
    return leveled(outcome, loaded.content if loaded else None)


def leveled(outcome: CheckOutcome, content: Content | None) -> CheckOutcome:
    """The findings once each, at the levels the site sets, in report order."""
    from notice_builder.checks.levels import apply_levels

    levels = content.site.checks if content else {}
    found = apply_levels(unique(outcome.diagnostics), levels)
    outcome.diagnostics = sorted(found, key=Diagnostic.sort_key)
    return outcome


def _check_with_content(
    content_dir: Path, site: Path, external: bool, cache: Path | None = None
) -> tuple[LoadResult | None, CheckOutcome]:
    """The output checks of a built folder, with the settings of the content.

    The content is loaded (through the YAML cache the build left, when there is one)
    while the pages are analyzed, with the settings guessed from ``site.yaml``; in the
    rare case the loaded content says otherwise, the pages are checked again with its
    settings. ``cache`` is the project's cache folder, when there is one.
    """
    if not site.is_dir():
        raise InputError(f"no built site at {site}")
    loading: list[LoadResult] = []
    content_cache = cache / "content" if cache else None

    def load() -> None:
        if content_dir.is_dir():
            from notice_builder.loader import load_content

            loading.append(load_content(content_dir, cache=content_cache))

    guess = settings_guess(content_dir / "site.yaml", content_cache)
    found, pages = output_checks(site, guess, external, meanwhile=load, cache=cache)
    loaded = loading[0] if loading else None
    if loaded is not None and loaded.unreadable:
        raise InputError("the content could not be loaded", loaded.diagnostics)
    content = loaded.content if loaded else None
    settings = site_settings(loaded)
    if settings != guess:
        found, pages = output_checks(site, settings, external, cache=cache)
    if loaded is not None and content is None:
        # its check levels and suppressions cannot be applied: its errors fail the check
        found.extend(loaded.diagnostics)
    if loaded is not None and content is not None:
        from notice_builder.checks.stale_site import stale_pages
        from notice_builder.checks.suppressions import apply_suppressions

        found.extend(stale_pages(site, content, loaded.sources))
        for prefix in ("html.", "parity.", "link.external."):
            found = apply_suppressions(found, content, loaded.sources, prefix=prefix)
    families = ["html", "parity"] + (["link.external"] if external else [])
    return loaded, CheckOutcome(found, families, pages)


def site_settings(loaded: LoadResult | None) -> Settings:
    """The settings of loaded content; unknown without content."""
    content = loaded.content if loaded else None
    return (content.site.source_language, content.site.base_url) if content else (None, None)


def settings_guess(site_file: Path, cache: Path | None = None) -> Settings:
    """The settings as ``site.yaml`` writes them, read (safely) without validating; from
    the YAML cache when a build parsed the same bytes (PyYAML's import is ~20 ms)."""
    from notice_builder.loader.yaml_cache import load_yaml_cached
    from notice_builder.loader.yaml_data import YamlProblem

    try:
        data = load_yaml_cached(site_file, cache).data if site_file.is_file() else None
    except YamlProblem:
        return None, None
    site = data.get("site") if isinstance(data, dict) else None
    if not isinstance(site, dict):
        return None, None
    language, base_url = site.get("source_language"), site.get("base_url")
    return (
        language if isinstance(language, str) else None,
        base_url if isinstance(base_url, str) else None,
    )


def output_checks(
    site: Path,
    settings: Settings,
    external: bool,
    meanwhile: Callable[[], object] = lambda: None,
    cache: Path | None = None,
    shown_dir: Path | None = None,
) -> tuple[list[Diagnostic], int]:
    """The HTML checks with the site's settings, when known; ``cache`` is the project's
    cache folder, where what Babel says of the page languages is kept between checks;
    the findings name ``shown_dir`` (default: ``site``) as the site's folder."""
    from notice_builder.checks.html import check_site

    source_locale, base_url = settings
    checked = check_site(
        site,
        source_locale=source_locale,
        base_url=base_url,
        meanwhile=meanwhile,
        locale_facts_file=cache / LOCALE_FACTS if cache else None,
        shown_dir=shown_dir,
    )
    found = list(checked.diagnostics)
    if external:  # imported only here: ssl, http.client and lxml.html take ~80 ms
        from notice_builder.checks.external import ExternalLink, check_external_links

        links = [ExternalLink(url, location) for url, location in checked.external_links]
        found.extend(check_external_links(links))
    return found, checked.pages
