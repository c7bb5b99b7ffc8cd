"""Render every page of a site into a sink: notice pages, the index, the sitemap, static files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import jinja2

from notice_builder.diagnostics import Diagnostic, Location, Severity, error
from notice_builder.i18n.fields import content_fields
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
from notice_builder.page_cache import PageCache
from notice_builder.parallel import parallel_map
from notice_builder.render.page import build_page, page_path
from notice_builder.render.texts import FieldIndex, Texts

Sink = Callable[[str, bytes], None]
R = TypeVar("R")


@dataclass(frozen=True)
class SiteInputs:
    """Everything rendering needs, loaded and validated beforehand."""

    content: Content
    sources: ContentSources
    templates: dict[str, jinja2.Template]
    templates_dir: Path
    tables: dict[str, TranslationTable | CatalogRef | None]
    page_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    cache: PageCache = field(default_factory=lambda: PageCache(None))

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
    return {(item.owner, item.path): item for item in content_fields(content, sources)}


def render_site(inputs: SiteInputs, sink: Sink, *, jobs: int | None = None) -> RenderOutcome:
    """Render every page; locales are spread over the cores, unchanged pages come from the cache."""
    fields = field_index(inputs.content, inputs.sources)
    work = partial(_render_locale, inputs, fields, sink)
    outcome = RenderOutcome()
    titles: dict[str, dict[str, LocalText]] = {}
    for result in parallel_map(work, inputs.locales, jobs):
        outcome.pages += result.pages
        outcome.missing[result.locale] = result.missing
        outcome.diagnostics.extend(result.diagnostics)
        outcome.cache_keys.extend(result.cache_keys)
        titles[result.locale] = result.titles
    source = _texts(inputs, fields, inputs.content.site.source_language, None)
    _guarded(outcome.diagnostics, inputs, lambda: _render_index(inputs, source, titles, sink))
    _guarded(outcome.diagnostics, inputs, lambda: _render_sitemap(inputs, sink))
    _copy_static(inputs.templates_dir / "static", sink)
    for key, entry in source.localizer.missing.items():
        outcome.missing.setdefault(source.localizer.locale, {}).setdefault(key, entry)
    return outcome


@dataclass
class LocaleResult:
    """What rendering one locale's pages gave (travels back from a worker process)."""

    locale: str
    pages: int = 0
    missing: dict[Key, Missing] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cache_keys: list[str] = field(default_factory=list)
    titles: dict[str, LocalText] = field(default_factory=dict)


def _render_locale(inputs: SiteInputs, fields: FieldIndex, sink: Sink, locale: str) -> LocaleResult:
    result = LocaleResult(locale)
    table = _table(inputs.tables[locale], result.diagnostics)
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return result  # an unreadable catalog: its error says it all
    texts = _texts(inputs, fields, locale, table)
    for notice in inputs.content.notices:
        key = inputs.page_keys.get((locale, notice.id), "")
        if not (key and _from_cache(inputs, key, texts, sink, page_path(locale, notice.id))):
            texts.localizer.page_missing = {}
            rendered = _guarded(
                result.diagnostics, inputs, partial(_render_notice, inputs, texts, notice)
            )
            if rendered is not None:
                sink(page_path(locale, notice.id), rendered)
                _to_cache(inputs, key, rendered, texts.localizer.page_missing)
        result.cache_keys.append(key)
        result.pages += 1
        result.titles[notice.id] = texts.text(f"notice:{notice.id}", "title")
    result.missing = texts.localizer.missing
    return result


def _table(
    table: TranslationTable | CatalogRef | None, problems: list[Diagnostic]
) -> TranslationTable | None:
    """The locale's table, read here (in the worker) when only referred to so far."""
    if not isinstance(table, CatalogRef):
        return table
    read, found = table.read()
    problems.extend(found)
    return read


def _from_cache(inputs: SiteInputs, key: str, texts: Texts, sink: Sink, path: str) -> bool:
    cached = inputs.cache.get(key)
    if cached is None:
        return False
    html, missing = cached
    for entry in missing:
        found = missing_from_json(entry)
        texts.localizer.missing.setdefault((found.context, found.msgid), found)
    sink(path, html)
    return True


def _to_cache(inputs: SiteInputs, key: str, html: bytes, missing: dict[Key, Missing]) -> None:
    if key:
        inputs.cache.put(key, html, [missing_to_json(entry) for entry in missing.values()])


def missing_to_json(entry: Missing) -> dict[str, object]:
    source = entry.source
    where = [source.path, source.line, source.column] if source else None
    return {"context": entry.context, "msgid": entry.msgid, "source": where, "fuzzy": entry.fuzzy}


def missing_from_json(data: dict[str, Any]) -> Missing:
    where = data.get("source")
    source = Location(str(where[0]), int(where[1]), int(where[2])) if where else None
    return Missing(data.get("context"), str(data["msgid"]), source, bool(data.get("fuzzy")))


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
    inputs: SiteInputs, source: Texts, titles: dict[str, dict[str, LocalText]], sink: Sink
) -> None:
    """The front page, with each notice's title as each language's pages showed it."""
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
    sink("index.html", html.encode("utf-8"))


def _render_sitemap(inputs: SiteInputs, sink: Sink) -> None:
    site = inputs.content.site
    entries = []
    for notice in inputs.content.notices:
        alternates = [
            {"code": loc, "url": f"{site.base_url}/{page_path(loc, notice.id)}"}
            for loc in inputs.locales
        ]
        x_default = f"{site.base_url}/{page_path(site.source_language, notice.id)}"
        for alternate in alternates:
            entries.append(
                {
                    "url": alternate["url"],
                    "alternates": alternates,
                    "x_default": x_default,
                    "lastmod": _w3c_date(notice),
                }
            )
    xml = inputs.templates["sitemap.xml"].render(sitemap=entries)
    sink("sitemap.xml", xml.encode("utf-8"))


def _w3c_date(notice: Notice) -> str:
    return notice.last_updated.isoformat()


def _copy_static(static: Path, sink: Sink) -> None:
    if not static.is_dir():
        return
    for path in sorted(static.rglob("*")):
        if path.is_file():
            sink(f"static/{path.relative_to(static).as_posix()}", path.read_bytes())


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
    root = str(templates.resolve())
    for frame in reversed(frames):
        filename = frame.tb_frame.f_code.co_filename
        if filename.startswith(root):
            yield Location.of(filename, frame.tb_lineno)
