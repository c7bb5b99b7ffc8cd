"""Which languages are published, and what a missing translation does.

Per site and per locale: a missing or fuzzy translation fails the build (the
default), or falls back to the source text with a warning. A locale whose
catalog is less complete than its configured minimum is not published at all.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from notice_builder.diagnostics import Diagnostic, Location, Severity, shortened
from notice_builder.i18n.catalog_settings import catalog_name, missing_catalog
from notice_builder.i18n.extract import (
    add_template_messages,
    add_vocabulary_messages,
    field_messages,
)
from notice_builder.i18n.fields import content_fields
from notice_builder.i18n.localizer import Missing
from notice_builder.i18n.pseudo import PSEUDO_LOCALES, pseudo_table
from notice_builder.i18n.table_cache import CatalogRef, catalog_digest, read_cached
from notice_builder.i18n.translations import (
    Key,
    TranslationTable,
    stray_catalogs,
)
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content
from notice_builder.parallel import parallel_map
from notice_builder.project import Project

Tables = dict[str, TranslationTable | CatalogRef | None]


def catalog_path(project: Project, content: Content, locale: str) -> Path:
    return project.po_path(catalog_name(locale), content.site.domain)


def locale_tables(
    project: Project,
    content: Content,
    templates: Path | None,
    sources: ContentSources | None = None,
    *,
    pseudo: bool = False,
    cache: Path | None = None,
    jobs: int | None = None,
) -> tuple[Tables, list[Diagnostic]]:
    """Translation tables of the published locales (None for the source language).

    With ``pseudo``, the pseudo-locales en-XA and ar-XB are added for this build. The
    catalogs needed now are read on up to ``jobs`` processes (default: one per core).
    """
    tables: Tables = {}
    problems: list[Diagnostic] = []
    required: set[Key] | None = None
    needed_now = [loc for loc in content.site.languages if content.site.completeness_for(loc)]
    read = _read_all(project, content, cache, problems, needed_now, jobs)
    for locale in content.site.languages:
        if locale == content.site.source_language:
            tables[locale] = None
            continue
        table = read[locale]
        minimum = content.site.completeness_for(locale)
        if minimum and isinstance(table, TranslationTable):
            required = (
                required if required is not None else required_messages(content, sources, templates)
            )
            if not _complete_enough(table, required, minimum, problems, content):
                continue
        tables[locale] = table
    problems.extend(
        stray_catalogs(
            project.locales_dir,
            content.site.domain,
            content.site.languages,
            content.site.source_language,
        )
    )
    if pseudo:
        tables.update({code: pseudo_table(code) for code in PSEUDO_LOCALES})
    return tables, problems


def _read_all(
    project: Project,
    content: Content,
    cache: Path | None,
    problems: list[Diagnostic],
    needed_now: list[str],
    jobs: int | None = None,
) -> dict[str, TranslationTable | CatalogRef]:
    """The catalogs needed before rendering (to measure completeness) read in parallel;
    the others as references, read by the worker that renders their pages."""
    wanted = [loc for loc in content.site.languages if loc != content.site.source_language]
    present = [loc for loc in wanted if catalog_path(project, content, loc).is_file()]
    tables: dict[str, TranslationTable | CatalogRef] = {
        loc: _catalog_ref(catalog_path(project, content, loc), loc, cache)
        for loc in present
        if loc not in needed_now
    }
    now = [loc for loc in present if loc in needed_now]
    paths = [catalog_path(project, content, loc) for loc in now]
    items = list(zip(paths, now, strict=True))
    results = parallel_map(partial(_read_one, cache), items, jobs) if items else []
    for locale, (table, found) in zip(now, results, strict=True):
        tables[locale] = table
        problems.extend(found)
    for locale in wanted:
        if locale not in tables:
            tables[locale] = _missing_catalog(project, content, locale, problems)
    return tables


def _catalog_ref(path: Path, locale: str, cache: Path | None) -> CatalogRef:
    return CatalogRef(path, locale, cache, catalog_digest(path, locale, cache))


def _read_one(
    cache: Path | None, item: tuple[Path, str]
) -> tuple[TranslationTable, list[Diagnostic]]:
    return read_cached(item[0], item[1], cache)


def _missing_catalog(
    project: Project, content: Content, locale: str, problems: list[Diagnostic]
) -> TranslationTable:
    path = catalog_path(project, content, locale)
    if not path.is_file():
        problems.append(missing_catalog(path, locale, content.site.policy_for(locale)))
    return TranslationTable(locale, path)


def required_messages(
    content: Content, sources: ContentSources | None, templates: Path | None
) -> set[Key]:
    """Every (context, msgid) a full translation of the site has."""
    from babel.messages.catalog import Catalog

    catalog = Catalog()
    add_vocabulary_messages(catalog)
    if templates is not None:  # None when the templates have errors of their own
        add_template_messages(catalog, templates, templates.parent)
    keys: set[Key] = {(m.context, m.id) for m in catalog if m.id and isinstance(m.id, str)}
    for item in content_fields(content, sources or ContentSources()):
        keys.update((item.context, msgid) for msgid, _ in field_messages(item))
    return keys


def _complete_enough(
    table: TranslationTable,
    required: set[Key],
    minimum: int,
    problems: list[Diagnostic],
    content: Content,
) -> bool:
    done = sum(1 for key in required if key in table.strings)
    percent = 100 * done // max(len(required), 1)
    if percent >= minimum:
        return True
    problems.append(
        Diagnostic(
            "i18n.locale-unpublished",
            Severity.WARNING,
            f"'{table.locale}' is {percent}% translated, below its minimum of {minimum}%: "
            "it is not published",
            Location.of(table.path) if table.path else None,
            "translate the missing strings, or lower `min_completeness` in site.yaml",
        )
    )
    return False


def missing_diagnostics(
    project: Project, content: Content, missing: dict[str, dict[Key, Missing]]
) -> list[Diagnostic]:
    """One diagnostic per missing or fuzzy string, named by catalog, context and source line."""
    problems = []
    for locale, entries in missing.items():
        policy = content.site.policy_for(locale)
        severity = Severity.ERROR if policy == "error" else Severity.WARNING
        catalog = Location.of(catalog_path(project, content, locale))
        for entry in entries.values():
            problems.append(_missing(entry, locale, catalog, severity, policy))
    return problems


def _missing(
    entry: Missing, locale: str, catalog: Location, severity: Severity, policy: str
) -> Diagnostic:
    state = "is fuzzy (fuzzy strings are never published)" if entry.fuzzy else "has no translation"
    shown = shortened(entry.msgid)
    outcome = "the source text is shown instead" if policy == "fallback" else "the build fails"
    return Diagnostic(
        "i18n.fuzzy" if entry.fuzzy else "i18n.missing",
        severity,
        f'[{locale}] "{shown}" (msgctxt "{entry.context}") {state} in {catalog.path}; {outcome}',
        entry.source or catalog,
        _FUZZY_HINT if entry.fuzzy else _MISSING_HINT,
    )


_FUZZY_HINT = "check its translation in the catalog and clear the fuzzy flag, then build again"
_MISSING_HINT = (
    "translate it in the catalog, then build again; when the catalog has no entry for it "
    "(the content changed since), run `notice-builder i18n extract` and `i18n update` first"
)
