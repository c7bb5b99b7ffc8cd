"""The only module that knows the order of the stages.

load -> validate -> read catalogs -> render (into a staging folder) -> decide -> swap in.
``check`` runs the same stages and keeps the staging folder for the output checks
instead of swapping it in, so what ``check`` passes, ``build`` produces.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Severity, fails, unique
from notice_builder.diagnostics_cache import cached_diagnostics
from notice_builder.errors import BuildFailed, InputError
from notice_builder.i18n.policy import Tables, catalog_path, locale_tables, missing_diagnostics
from notice_builder.i18n.segments_check import text_diagnostics
from notice_builder.i18n.table_cache import CatalogRef, catalog_digest, prune_unused
from notice_builder.i18n.translations import TranslationTable
from notice_builder.loader import LoadResult, load_content
from notice_builder.model import Content
from notice_builder.output import (
    StagingFolder,
    build_lock,
    open_staging,
    refuse_checkout,
    refuse_foreign,
    refuse_overlap,
    replaced_folder,
    staging_removed_on_error,
    swap_in,
)
from notice_builder.page_cache import CACHE_DIR, PageCache, digest_files, page_key
from notice_builder.project import Project
from notice_builder.render.environment import load_templates
from notice_builder.render.reuse import PageKey
from notice_builder.render.site import SiteInputs, render_site
from notice_builder.site_check import CheckOutcome, leveled, output_checks, site_settings

BUILD_REPORTED = frozenset({"i18n.fuzzy", "i18n.untranslated"})


@dataclass
class BuildResult:
    """What a build produced and found; ``staging`` holds the files until swapped or discarded."""

    loaded: LoadResult
    inputs: SiteInputs | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    staging: StagingFolder | None = None
    cache_keys: list[str] = field(default_factory=list)

    @property
    def locales(self) -> list[str]:
        return self.inputs.locales if self.inputs else []


def build_site(
    project: Project,
    *,
    write: bool = True,
    pseudo: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
) -> BuildResult:
    """Build the project; with ``write``, swap the result into the output folder."""
    started, started_at = time.perf_counter(), time.time() - 1
    project = replace(project, output_dir=replaced_folder(project.output_dir))
    if write:
        refuse_overlap(project.output_dir, project.root, read_folders(project))
        refuse_checkout(project.output_dir)
        refuse_foreign(project.output_dir)
    with build_lock(project.output_dir):
        result = render_to_staging(project, pseudo=pseudo, use_cache=use_cache, jobs=jobs)
        result.seconds = time.perf_counter() - started
        if fails(result.diagnostics):
            _discard(result)
            raise BuildFailed(_failure_summary(result.diagnostics), result.diagnostics)
        if write and result.inputs is not None:  # site.yaml may name other templates
            read = {"templates folder": result.inputs.templates_dir}
            refuse_overlap(project.output_dir, project.root, read)
        if write and result.staging is not None:
            swap_in(result.staging, project.output_dir)
            if use_cache:
                PageCache(project.root / CACHE_DIR / "pages").prune(result.cache_keys)
                prune_unused(project.root / CACHE_DIR / "catalogs", since=started_at)
                prune_unused(project.root / CACHE_DIR / "content", since=started_at)
                prune_unused(project.root / CACHE_DIR / "templates", since=started_at)
    return result


def read_folders(project: Project) -> dict[str, Path]:
    """The folders a build reads, by what each is (see :func:`refuse_overlap`)."""
    return {
        "content folder": project.content_dir,
        "locales folder": project.locales_dir,
        "templates folder": project.templates_dir,
        "cache folder": project.root / CACHE_DIR,
    }


@dataclass(frozen=True)
class CacheKeys:
    """The cache key of every page, and of what the whole site shares (index, sitemap)."""

    pages: dict[tuple[str, str], PageKey]
    site: str


def page_keys(project: Project, loaded: LoadResult, templates: Path, tables: Tables) -> CacheKeys:
    """The cache keys of every page: hashes of everything the page depends on.

    A page's base key leaves out its catalog: the translations it used are added to it
    when it is stored (see :mod:`notice_builder.render.reuse`).
    """
    content, sources = loaded.content, loaded.sources
    assert content is not None and sources.site is not None
    shared_files = [sources.site.path, *(origin.path for origin in sources.parties.values())]
    shared = digest_files([*templates.rglob("*"), *shared_files])
    catalogs = {
        locale: _catalog_digest(project, content, locale, tables[locale]) for locale in tables
    }
    notices = {n.id: _file_digest(loaded, sources.notices[n.id].path) for n in content.notices}
    locales = " ".join(tables)  # the switcher and alternates list every published language
    pages = {}
    for locale in tables:
        for notice in content.notices:
            base = page_key(shared, locale, notices[notice.id], notice.id, locales)
            pages[(locale, notice.id)] = PageKey(page_key(base, catalogs[locale]), base)
    return CacheKeys(pages, page_key(shared, locales, *notices.values(), *notices))


def _file_digest(loaded: LoadResult, path: Path) -> str:
    """The hash of a content file as it was loaded (hashed again only when it was not)."""
    return loaded.digests.get(path) or digest_files([path])


def _catalog_digest(
    project: Project, content: Content, locale: str, table: TranslationTable | CatalogRef | None
) -> str:
    if isinstance(table, CatalogRef):
        return table.digest  # hashed already, when the build started
    memo = project.root / CACHE_DIR / "catalogs"
    return catalog_digest(catalog_path(project, content, locale), locale, memo)


def render_to_staging(
    project: Project, *, pseudo: bool = False, use_cache: bool = True, jobs: int | None = None
) -> BuildResult:
    """Load, validate and render everything into a temporary folder."""
    loaded = load_content(
        project.content_dir,
        cache=project.root / CACHE_DIR / "content" if use_cache else None,
        jobs=jobs,
    )
    result = BuildResult(loaded, diagnostics=list(loaded.diagnostics))
    if loaded.content is None:
        if not project.content_dir.is_dir():
            raise InputError(f"no content folder at {project.content_dir}", loaded.diagnostics)
        if loaded.unreadable:
            raise InputError("the content could not be loaded", loaded.diagnostics)
        return result
    checked = partial(text_diagnostics, loaded.content, loaded.sources)
    content_cache = project.root / CACHE_DIR / "content" if use_cache and loaded.key else None
    result.diagnostics.extend(cached_diagnostics(content_cache, f"text-{loaded.key}", checked))
    templates_dir = _templates_dir(project, loaded.content.site.templates)
    templates, problems = load_templates(
        templates_dir, project.root / CACHE_DIR / "templates" if use_cache else None
    )
    tables, table_problems = locale_tables(
        project,
        loaded.content,
        templates_dir if not problems else None,
        loaded.sources,
        pseudo=pseudo,
        cache=project.root / CACHE_DIR / "catalogs" if use_cache else None,
        jobs=jobs,
    )
    result.diagnostics.extend([*problems, *table_problems])
    if fails(result.diagnostics):
        return result
    cache = PageCache(project.root / CACHE_DIR / "pages" if use_cache else None)
    keys = page_keys(project, loaded, templates_dir, tables) if use_cache else CacheKeys({}, "")
    result.inputs = SiteInputs(
        loaded.content,
        loaded.sources,
        templates,
        templates_dir,
        tables,
        keys.pages,
        cache,
        keys.site,
    )
    result.staging = open_staging(project.output_dir)
    outcome = render_site(result.inputs, result.staging, jobs=jobs)
    result.cache_keys = outcome.cache_keys
    result.pages = outcome.pages
    result.diagnostics.extend(unique(outcome.diagnostics))
    result.diagnostics.extend(missing_diagnostics(project, loaded.content, outcome.missing))
    return result


def _templates_dir(project: Project, configured: str) -> Path:
    if project.templates_dir != project.root / "templates":
        return project.templates_dir
    path = Path(configured)
    return path if path.is_absolute() else project.root / path


def _discard(result: BuildResult) -> None:
    if result.staging is not None:
        result.staging.discard()
        result.staging = None


def _failure_summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR and not d.suppressed)
    return f"build failed with {errors} error(s); output/ was left unchanged"


def check_project(project: Project, *, external: bool = False) -> CheckOutcome:
    """The build without the write, then every check over the model, catalogs and HTML.

    A site that is already built is checked by :func:`site_check.check_built_site`.
    """
    with staging_removed_on_error(project.output_dir):  # Ctrl-C while rendering
        result = render_to_staging(project)
    try:
        # the pages of a build that failed are checked once it builds: a language left
        # out by its catalog's error was a broken link and more on every other page
        built = result.staging is not None and not fails(result.diagnostics)
        staged = result.staging.path if result.staging and built else None
        outcome = _run_checks(project, result, staged, external)
    finally:
        _discard(result)
    return leveled(outcome, result.loaded.content)


def _run_checks(
    project: Project, result: BuildResult | None, site: Path | None, external: bool
) -> CheckOutcome:
    diagnostics = list(result.diagnostics) if result else []
    checks_run = ["build"] if result and site is None else []
    content = result.loaded.content if result else None
    if result is not None and content is not None:
        diagnostics.extend(_model_checks(project, result))
        checks_run += ["gdpr", "i18n"]
    pages = 0
    if site is not None and site.is_dir():
        settings = site_settings(result.loaded if result else None)
        cache = project.root / CACHE_DIR
        # rendered into a staging folder that is gone when the findings are read: they
        # name the page where the build writes it (the same bytes, builds are repeatable)
        site_findings, pages = output_checks(
            site, settings, external, cache=cache, shown_dir=project.output_dir
        )
        diagnostics.extend(site_findings)
        checks_run += ["html", "parity"] + (["link.external"] if external else [])
    elif site is not None:
        raise InputError(f"no built site at {site}")
    return CheckOutcome(_apply_suppressions(diagnostics, result), checks_run, pages)


def _model_checks(project: Project, result: BuildResult) -> list[Diagnostic]:
    from notice_builder.checks.gdpr import check_transparency
    from notice_builder.i18n.quality import check_project as check_catalogs

    content = result.loaded.content
    assert content is not None
    found = check_transparency(content, result.loaded.sources)
    # The build already reports missing and fuzzy strings, at the site's policy severity,
    # and the translations it refuses (the same findings, from the same functions).
    refused = {(d.code, d.location) for d in result.diagnostics}
    catalog_findings = check_catalogs(project, [], content.site.domain)
    found.extend(
        d
        for d in catalog_findings
        if d.code not in BUILD_REPORTED and (d.code, d.location) not in refused
    )
    return found


def _apply_suppressions(
    diagnostics: list[Diagnostic], result: BuildResult | None
) -> list[Diagnostic]:
    if result is None or result.loaded.content is None:
        return diagnostics
    from notice_builder.checks.suppressions import apply_suppressions

    return apply_suppressions(diagnostics, result.loaded.content, result.loaded.sources)
