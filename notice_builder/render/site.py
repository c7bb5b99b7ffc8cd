"""Render every page of a site into a sink: notice pages, the index, the sitemap, static files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from notice_builder.diagnostics import Diagnostic, Location, error
from notice_builder.i18n.fields import content_fields
from notice_builder.i18n.localizer import Localizer, LocalText, Missing
from notice_builder.i18n.translations import Key, TranslationTable
from notice_builder.loader.sources import ContentSources
from notice_builder.model import Content, Notice
from notice_builder.render.page import build_page, page_path, text_direction
from notice_builder.render.texts import FieldIndex, Texts

Sink = Callable[[str, bytes], None]


@dataclass(frozen=True)
class SiteInputs:
    """Everything rendering needs, loaded and validated beforehand."""

    content: Content
    sources: ContentSources
    templates: dict[str, jinja2.Template]
    templates_dir: Path
    tables: dict[str, TranslationTable | None]

    @property
    def locales(self) -> list[str]:
        return list(self.tables)


@dataclass
class RenderOutcome:
    pages: int = 0
    missing: dict[str, dict[Key, Missing]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


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


def render_site(inputs: SiteInputs, sink: Sink) -> RenderOutcome:
    outcome = RenderOutcome()
    fields = field_index(inputs.content, inputs.sources)
    texts_by_locale = {locale: _texts(inputs, fields, locale) for locale in inputs.locales}
    for texts in texts_by_locale.values():
        for notice in inputs.content.notices:
            _guarded(outcome, inputs, partial(_render_notice, inputs, texts, notice, sink))
            outcome.pages += 1
    _guarded(outcome, inputs, lambda: _render_index(inputs, texts_by_locale, sink))
    _guarded(outcome, inputs, lambda: _render_sitemap(inputs, sink))
    _copy_static(inputs.templates_dir / "static", sink)
    outcome.missing = {loc: texts.localizer.missing for loc, texts in texts_by_locale.items()}
    return outcome


def _texts(inputs: SiteInputs, fields: FieldIndex, locale: str) -> Texts:
    source = inputs.content.site.source_language
    localizer = Localizer(locale, source, inputs.tables[locale])
    return Texts(fields, localizer, inputs.content)


def _render_notice(inputs: SiteInputs, texts: Texts, notice: Notice, sink: Sink) -> None:
    site = inputs.content.site
    page = build_page(notice, texts, inputs.locales, site.base_url)
    html = inputs.templates["page.html"].render(page=page, **gettext_callables(texts.localizer))
    sink(page_path(texts.localizer.locale, notice.id), html.encode("utf-8"))


def gettext_callables(localizer: Localizer) -> dict[str, Any]:
    return {
        "gettext": localizer.gettext,
        "_": localizer.gettext,
        "pgettext": localizer.pgettext,
        "ngettext": localizer.ngettext,
        "npgettext": localizer.npgettext,
    }


def _render_index(inputs: SiteInputs, texts_by_locale: dict[str, Texts], sink: Sink) -> None:
    source = texts_by_locale[inputs.content.site.source_language]
    languages = [
        IndexLanguage(
            locale,
            texts.localizer.language_name(locale),
            text_direction(locale),
            [
                IndexNotice(page_path(locale, n.id), texts.text(f"notice:{n.id}", "title"))
                for n in inputs.content.notices
            ],
        )
        for locale, texts in texts_by_locale.items()
    ]
    view = {
        "lang": source.localizer.locale,
        "dir": text_direction(source.localizer.locale),
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


def _guarded(outcome: RenderOutcome, inputs: SiteInputs, render: Callable[[], None]) -> None:
    """Run one render; a template error becomes a diagnostic at the template's line."""
    try:
        render()
    except jinja2.TemplateError as problem:
        outcome.diagnostics.append(_render_error(problem, inputs.templates_dir, sys.exc_info()[2]))


def _render_error(
    problem: jinja2.TemplateError, templates: Path, trace: TracebackType | None
) -> Diagnostic:
    location = next(_template_frames(trace, templates), Location.of(templates))
    code = "template.undefined" if isinstance(problem, jinja2.UndefinedError) else "template.render"
    return error(
        code,
        f"the template failed: {problem.message or problem}",
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
