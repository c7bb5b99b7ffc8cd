"""Render every page of a site: notice pages, the index, the sitemap, static files."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar

import jinja2

from notice_builder.diagnostics import Diagnostic, Location, Severity, error
from notice_builder.i18n.localizer import (
    Localizer,
    LocalText,
    Missing,
    direction_of,
    language_name,
)
from notice_builder.i18n.table_cache import CatalogRef
from notice_builder.i18n.translations import Key, TranslationTable
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content, Notice
from notice_builder.page_cache import CachedPage, PageCache, page_key
from notice_builder.parallel import parallel_map_meanwhile
from notice_builder.paths import resolved
from notice_builder.render.environment import compile_now
from notice_builder.render.page import build_page, load_switcher_names, switcher_names_key
from notice_builder.render.reuse import (
    PageKey,
    RecordingTable,
    exact_hit,
    manifest_entry,
    manifest_key,
    missing_from_json,
    page_details,
    reusable,
    store,
    title_of,
)
from notice_builder.render.static import STATIC_FOLDER, copy_static
from notice_builder.render.texts import FieldIndex, Texts
from notice_builder.site_layout import page_path

R = TypeVar("R")
M = TypeVar("M")


class Output(Protocol):
    """Where the files of the site go (the staging folder)."""

    def write(self, relative: str, data: bytes) -> Path:
        """Write the file ``relative``; where it was written (the cache may link to it)."""

    def link(self, relative: str, source: str | os.PathLike[str]) -> None:
        """The file ``source`` as it is (hard-linked where possible)."""


@dataclass(frozen=True)
class SiteInputs:
    """Everything rendering needs, loaded and validated beforehand."""

    content: Content
    sources: ContentSources
    templates: Mapping[str, jinja2.Template]
    templates_dir: Path
    tables: dict[str, TranslationTable | CatalogRef | None]
    page_keys: dict[tuple[str, str], PageKey] = field(default_factory=dict)
    cache: PageCache = field(default_factory=lambda: PageCache(None))
    site_key: str = ""
    """A hash of what the whole site depends on (for the index and the sitemap); empty: no cache."""

    @property
    def locales(self) -> list[str]:
        return list(self.tables)


@dataclass
class RenderOutcome:
    pages: int = 0
    missing: dict[str, dict[Key, Missing]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cache_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndexNotice:
    href: str
    title: LocalText


@dataclass(frozen=True)
class IndexLanguage:
    code: str
    name: str
    dir: str
    notices: list[IndexNotice]


def field_index(content: Content, sources: ContentSources) -> FieldIndex:
    """The content's translatable fields, indexed per owner as pages ask for them."""
    return FieldIndex(content, sources)


def render_site(inputs: SiteInputs, output: Output, *, jobs: int | None = None) -> RenderOutcome:
    """Render every page; locales are spread over the cores, unchanged pages come from the cache.

    Locales whose every page is in the cache are done here, without reading their
    catalog; workers are started only for the locales that have pages to render.
    """
    jobs_by_locale = {locale: _cached_pages(inputs, locale) for locale in inputs.locales}
    to_render = [job for job in jobs_by_locale.values() if not job.complete(inputs)]
    fields = field_index(inputs.content, inputs.sources)
    names_key = switcher_names_key(inputs.locales) if inputs.cache.folder else ""
    if to_render:  # before the workers start: they all inherit the names and templates
        load_switcher_names(inputs.locales, inputs.cache, names_key)
        if len(to_render) > 1:
            compile_now(inputs.templates, "page.html")
    work = partial(_render_locale, inputs, fields, output)
    meanwhile = partial(_render_without_catalogs, inputs, output, list(jobs_by_locale.values()))
    rendered, done_here = _render_locales(work, to_render, jobs, meanwhile)
    outcome = RenderOutcome(cache_keys=[names_key] if names_key else [])
    titles = _merge(outcome, [*rendered, *done_here.cached], inputs.locales)
    index = _guarded(
        outcome.diagnostics, inputs, lambda: _render_index(inputs, fields, titles, output)
    )
    outcome.diagnostics.extend(done_here.diagnostics)
    outcome.cache_keys.extend(key for key in (index, done_here.sitemap) if key)
    return outcome


def _merge(
    outcome: RenderOutcome, results: list[LocaleResult], locales: list[str]
) -> dict[str, dict[str, LocalText]]:
    """Add each locale's result to ``outcome``, in the site's order; the pages' titles."""
    by_locale = {result.locale: result for result in results}
    titles: dict[str, dict[str, LocalText]] = {}
    for locale in locales:
        result = by_locale[locale]
        outcome.pages += result.pages
        outcome.missing[locale] = result.missing
        outcome.diagnostics.extend(result.diagnostics)
        outcome.cache_keys.extend(result.cache_keys)
        titles[locale] = result.titles
    return titles


@dataclass
class DoneMeanwhile:
    """What the parent did while the workers rendered: nothing of it needs a catalog."""

    cached: list[LocaleResult]
    sitemap: str | None
    diagnostics: list[Diagnostic]


def _render_without_catalogs(
    inputs: SiteInputs, output: Output, jobs: list[LocaleJob]
) -> DoneMeanwhile:
    """The locales that are all in the cache, the sitemap and the static files."""
    cached = [_locale_from_cache(inputs, output, job) for job in jobs if job.complete(inputs)]
    problems: list[Diagnostic] = []
    sitemap = _guarded(problems, inputs, lambda: _render_sitemap(inputs, output))
    problems.extend(copy_static(inputs.templates_dir / STATIC_FOLDER, output.write))
    return DoneMeanwhile(cached, sitemap, problems)


def _render_locales(
    work: Callable[[LocaleJob], LocaleResult],
    jobs: list[LocaleJob],
    processes: int | None,
    meanwhile: Callable[[], M],
) -> tuple[list[LocaleResult], M]:
    """The locales to render, on the workers, while the parent does ``meanwhile``.

    One locale (a translator's edit) runs here: neither a worker nor a pause of the
    collector over the whole heap pays for itself then. It runs after ``meanwhile``,
    whose links the link helper (:mod:`notice_builder.link_helper`) then makes while
    this process renders."""
    if len(jobs) <= 1:
        done_here = meanwhile()
        return [work(job) for job in jobs], done_here
    return parallel_map_meanwhile(work, jobs, meanwhile, processes)


@dataclass
class LocaleResult:
    """What rendering one locale's pages gave (travels back from a worker process)."""

    locale: str
    pages: int = 0
    missing: dict[Key, Missing] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cache_keys: list[str] = field(default_factory=list)
    titles: dict[str, LocalText] = field(default_factory=dict)

    def add_cached(self, page: CachedPage, notice_id: str) -> None:
        for entry in page.details["missing"]:
            found = missing_from_json(entry)
            self.missing.setdefault((found.context, found.msgid), found)
        self.titles[notice_id] = title_of(page.details)
        self.cache_keys.append(page.body_key)
        self.pages += 1


@dataclass(frozen=True)
class LocaleJob:
    """A locale, its manifest from the last build, and the pages it finds by exact key.

    ``manifest_key`` is empty without a cache.
    """

    locale: str
    manifest_key: str
    manifest: dict[str, Any]
    cached: dict[str, CachedPage]

    def complete(self, inputs: SiteInputs) -> bool:
        return len(self.cached) == len(inputs.content.notices)


def _cached_pages(inputs: SiteInputs, locale: str) -> LocaleJob:
    keys = {n.id: inputs.page_keys.get((locale, n.id)) for n in inputs.content.notices}
    if not inputs.cache.folder or not all(keys.values()):
        return LocaleJob(locale, "", {}, {})
    name = manifest_key(locale)
    found = inputs.cache.get_json(name)
    manifest = found if isinstance(found, dict) else {}
    cached = {}
    for notice_id, key in keys.items():
        page = exact_hit(inputs.cache, manifest.get(notice_id), key) if key else None
        if page is not None:
            cached[notice_id] = page
    return LocaleJob(locale, name, manifest, cached)


def _keep_manifest(
    inputs: SiteInputs, job: LocaleJob, entries: dict[str, Any], result: LocaleResult
) -> None:
    """Write the locale's manifest for the next build (when it changed)."""
    if not job.manifest_key:
        return
    if entries != job.manifest:
        inputs.cache.put_json(job.manifest_key, entries)
    result.cache_keys.append(job.manifest_key)
    result.cache_keys.extend(str(entry["used"]) for entry in entries.values() if entry.get("used"))


def _locale_from_cache(inputs: SiteInputs, output: Output, job: LocaleJob) -> LocaleResult:
    """A locale whose pages are all cached: linked into the output, its catalog left unread."""
    result = LocaleResult(job.locale)
    result.diagnostics.extend(_catalog_problems(inputs.tables[job.locale]))
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return result  # an unreadable catalog: its error says it all
    for notice in inputs.content.notices:
        page = job.cached[notice.id]
        output.link(page_path(job.locale, notice.id), page.body)
        result.add_cached(page, notice.id)
    current = {notice.id: job.manifest[notice.id] for notice in inputs.content.notices}
    _keep_manifest(inputs, job, current, result)
    return result


def _catalog_problems(table: TranslationTable | CatalogRef | None) -> list[Diagnostic]:
    """What reading the catalog reported (kept with its parsed form); tables read already
    have reported theirs."""
    if not isinstance(table, CatalogRef):
        return []
    known = table.known_problems()
    return known if known is not None else table.read()[1]


def _render_locale(
    inputs: SiteInputs, fields: FieldIndex, output: Output, job: LocaleJob
) -> LocaleResult:
    result = LocaleResult(job.locale)
    table = _table(inputs.tables[job.locale], result.diagnostics)
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return result  # an unreadable catalog: its error says it all
    recording = RecordingTable.wrap(table) if type(table) is TranslationTable else None
    texts = _texts(inputs, fields, job.locale, recording or table)
    result.missing = texts.localizer.missing  # one record: cached pages add theirs to it
    entries: dict[str, Any] = {}
    for notice in inputs.content.notices:
        key = inputs.page_keys.get((job.locale, notice.id))
        path = page_path(job.locale, notice.id)
        entry = job.manifest.get(notice.id)
        page = job.cached.get(notice.id) or _reusable(inputs, entry, key, recording)
        if page is not None and key is not None:
            output.link(path, page.body)
            result.add_cached(page, notice.id)
            entries[notice.id] = _moved(entry, key)
        else:
            kept = _render_page(inputs, texts, notice, output, result, key)
            if kept is not None:
                entries[notice.id] = kept
    _keep_manifest(inputs, job, entries, result)
    return result


def _reusable(
    inputs: SiteInputs, entry: Any, key: PageKey | None, table: RecordingTable | None
) -> CachedPage | None:
    if key is None or table is None:
        return None
    return reusable(inputs.cache, entry, key, table)


def _moved(entry: Any, key: PageKey) -> dict[str, Any]:
    """A manifest entry found again (a page was found through it), under this build's key."""
    assert isinstance(entry, dict)
    return {**entry, "exact": key.exact}


def _render_page(
    inputs: SiteInputs,
    texts: Texts,
    notice: Notice,
    output: Output,
    result: LocaleResult,
    key: PageKey | None,
) -> dict[str, Any] | None:
    """Render one page into the output and the cache; its manifest entry, when it was kept."""
    texts.localizer.page_missing = {}
    table = texts.localizer.table
    if isinstance(table, RecordingTable):
        table.used = {}
    rendered = _guarded(result.diagnostics, inputs, partial(_render_notice, inputs, texts, notice))
    title = texts.text(f"notice:{notice.id}", "title")
    result.titles[notice.id] = title
    result.pages += 1
    if rendered is None:
        return None
    written = output.write(page_path(texts.localizer.locale, notice.id), rendered)
    if key is None:
        return None
    details = page_details(title, texts.localizer.page_missing)
    if isinstance(table, RecordingTable):
        kept = store(inputs.cache, key, written, details, table)
    else:
        page = inputs.cache.keep_body(key.exact, written, details)
        kept = None if page is None else (page, manifest_entry(key, page, None))
    if kept is None:
        return None
    result.cache_keys.append(kept[0].body_key)
    return kept[1]


def _table(
    table: TranslationTable | CatalogRef | None, problems: list[Diagnostic]
) -> TranslationTable | None:
    """The locale's table, read here (in the worker) when only referred to so far."""
    if not isinstance(table, CatalogRef):
        return table
    read, found = table.read()
    problems.extend(found)
    return read


def _texts(
    inputs: SiteInputs, fields: FieldIndex, locale: str, table: TranslationTable | None
) -> Texts:
    source = inputs.content.site.source_language
    localizer = Localizer(locale, source, table)
    return Texts(fields, localizer, inputs.content)


def _render_notice(inputs: SiteInputs, texts: Texts, notice: Notice) -> bytes:
    site = inputs.content.site
    page = build_page(notice, texts, inputs.locales, site.base_url)
    html = inputs.templates["page.html"].render(page=page, **gettext_callables(texts.localizer))
    return html.encode("utf-8")


def gettext_callables(localizer: Localizer) -> dict[str, Any]:
    return {
        "gettext": localizer.gettext,
        "_": localizer.gettext,
        "pgettext": localizer.pgettext,
        "ngettext": localizer.ngettext,
        "npgettext": localizer.npgettext,
    }


def _render_index(
    inputs: SiteInputs, fields: FieldIndex, titles: dict[str, dict[str, LocalText]], output: Output
) -> str:
    """The front page, with each notice's title as each language's pages showed it."""
    shown = [
        [locale, [[n.id, *_title_fields(titles[locale], n)] for n in inputs.content.notices]]
        for locale in inputs.locales
    ]
    key = page_key(inputs.site_key, "index.html", json.dumps(shown)) if inputs.site_key else ""
    render = partial(_index_html, inputs, fields, titles)
    return _site_file(inputs, output, "index.html", key, render)


_TITLE_FIELDS = attrgetter(*(item.name for item in dataclasses.fields(LocalText)))


def _title_fields(titles: dict[str, LocalText], notice: Notice) -> tuple[Any, ...]:
    """Every field of a notice's title as its page showed it (part of the index's key)."""
    fields_of: tuple[Any, ...] = _TITLE_FIELDS(titles.get(notice.id) or LocalText(notice.title))
    return fields_of


def _index_html(
    inputs: SiteInputs, fields: FieldIndex, titles: dict[str, dict[str, LocalText]]
) -> bytes:
    source = _texts(inputs, fields, inputs.content.site.source_language, None)
    languages = [
        IndexLanguage(
            locale,
            language_name(locale),
            direction_of(locale),
            [
                IndexNotice(page_path(locale, n.id), titles[locale].get(n.id, LocalText(n.title)))
                for n in inputs.content.notices
            ],
        )
        for locale in inputs.locales
        if locale in titles
    ]
    view = {
        "lang": source.localizer.locale,
        "dir": direction_of(source.localizer.locale),
        "name": source.text("site", "name"),
        "languages": languages,
    }
    html = inputs.templates["index.html"].render(site=view, **gettext_callables(source.localizer))
    return html.encode("utf-8")


def _render_sitemap(inputs: SiteInputs, output: Output) -> str:
    key = page_key(inputs.site_key, "sitemap.xml") if inputs.site_key else ""
    return _site_file(inputs, output, "sitemap.xml", key, partial(_sitemap_xml, inputs))


@dataclass(frozen=True, slots=True)
class SitemapLink:
    code: str
    url: str


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One page in the sitemap; a notice's pages share one list of alternates.

    Attributes, not dict keys: the template reads 90,000 of them for 3,000 pages, and
    Jinja tries an attribute before a key.
    """

    url: str
    alternates: list[SitemapLink]
    x_default: str
    lastmod: str


def _sitemap_xml(inputs: SiteInputs) -> bytes:
    site = inputs.content.site
    entries: list[SitemapEntry] = []
    for notice in inputs.content.notices:
        alternates = [
            SitemapLink(loc, f"{site.base_url}/{page_path(loc, notice.id)}")
            for loc in inputs.locales
        ]
        x_default = f"{site.base_url}/{page_path(site.source_language, notice.id)}"
        lastmod = _w3c_date(notice)
        entries.extend(
            SitemapEntry(link.url, alternates, x_default, lastmod) for link in alternates
        )
    return inputs.templates["sitemap.xml"].render(sitemap=entries).encode("utf-8")


def _site_file(
    inputs: SiteInputs, output: Output, name: str, key: str, render: Callable[[], bytes]
) -> str:
    """A file made from the whole site: linked from the cache when its key is there."""
    page = inputs.cache.get(key) if key else None
    if page is not None:
        output.link(name, page.body)
        return key
    written = output.write(name, render())
    if key:
        inputs.cache.put(key, written, {})
    return key


def _w3c_date(notice: Notice) -> str:
    return notice.last_updated.isoformat()


def _guarded(
    diagnostics: list[Diagnostic], inputs: SiteInputs, render: Callable[[], R]
) -> R | None:
    """Run one render; a template error becomes a diagnostic at the template's line."""
    try:
        return render()
    except jinja2.TemplateError as problem:
        diagnostics.append(_render_error(problem, inputs.templates_dir, sys.exc_info()[2]))
        return None
    except Exception as problem:
        # Raised by an expression in a template ({{ 1 // 0 }}): the site's error, not ours.
        location = next(_template_frames(sys.exc_info()[2], inputs.templates_dir), None)
        if location is None:
            raise
        diagnostics.append(_render_error(problem, inputs.templates_dir, sys.exc_info()[2]))
        return None


def _render_error(problem: Exception, templates: Path, trace: TracebackType | None) -> Diagnostic:
    location = next(_template_frames(trace, templates), Location.of(templates))
    code = "template.undefined" if isinstance(problem, jinja2.UndefinedError) else "template.render"
    text = getattr(problem, "message", None) or f"{type(problem).__name__}: {problem}"
    return error(
        code,
        f"the template failed: {text}",
        location,
        "fix the template at this line, or the variable it uses",
    )


def _template_frames(trace: TracebackType | None, templates: Path) -> Iterator[Location]:
    frames = []
    while trace is not None:
        frames.append(trace)
        trace = trace.tb_next
    root = str(resolved(templates))
    for frame in reversed(frames):
        filename = frame.tb_frame.f_code.co_filename
        if filename.startswith(root):
            yield Location.of(filename, frame.tb_lineno)
