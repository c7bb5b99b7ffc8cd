"""The view of one notice page in one language: sections, blocks, links between languages.

View objects are built for one page and only read by the templates: plain slotted
dataclasses, which cost a fraction of frozen ones to build (a page has about a hundred).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

import babel
from markupsafe import Markup

from notice_builder.code_version import code_version
from notice_builder.i18n.localizer import (
    LocalText,
    direction_of,
    language_names,
    remember_language_names,
)
from notice_builder.model import Notice, Section
from notice_builder.page_cache import PageCache, page_key
from notice_builder.render.blocks import BlockView, build_block
from notice_builder.render.texts import Texts
from notice_builder.site_layout import page_path


@dataclass(slots=True)
class LanguageLink:
    code: str
    name: str
    href: str
    url: str
    current: bool


@dataclass(slots=True)
class SectionView:
    id: str
    number: int
    title: LocalText
    body: Markup
    blocks: list[BlockView]
    closing: Markup


@dataclass(slots=True)
class PageView:
    lang: str
    dir: str
    source_lang: str
    notice_id: str
    title: LocalText
    publisher: LocalText
    version: str
    effective: Markup
    last_updated: Markup
    sections: list[SectionView]
    languages: list[LanguageLink]
    canonical: str
    x_default: str
    site_name: LocalText
    root: str


def switcher_names_key(languages: list[str]) -> str:
    """The cache key of the languages' own names: they change with Babel's data (its
    version), the tool (pseudo-locales) and the list of languages."""
    return page_key("language-names", babel.__version__, code_version(), *languages)


def load_switcher_names(languages: list[str], cache: PageCache, key: str) -> None:
    """Have the languages' own names at hand, from the cache or else from Babel (then kept)."""
    found = cache.get_json(key)
    if _names_of(found, languages):
        remember_language_names(found)
    else:
        cache.put_json(key, language_names(languages))


def _names_of(found: object, languages: list[str]) -> TypeGuard[dict[str, str]]:
    return (
        isinstance(found, dict)
        and sorted(found) == sorted(languages)
        and all(isinstance(name, str) for name in found.values())
    )


def build_page(notice: Notice, texts: Texts, languages: list[str], base_url: str) -> PageView:
    loc = texts.localizer
    owner = f"notice:{notice.id}"
    links = [
        _language_link(code, notice.id, loc.locale, base_url, loc.language_name(code))
        for code in languages
    ]
    return PageView(
        lang=loc.locale,
        dir=direction_of(loc.locale),
        source_lang=loc.source_locale,
        notice_id=notice.id,
        title=texts.text(owner, "title"),
        publisher=texts.text(owner, "publisher"),
        version=notice.version,
        effective=loc.date(notice.effective_date),
        last_updated=loc.date(notice.last_updated),
        sections=[
            _section(notice, index, section, texts) for index, section in enumerate(notice.sections)
        ],
        languages=links,
        canonical=f"{base_url}/{page_path(loc.locale, notice.id)}",
        x_default=f"{base_url}/{page_path(loc.source_locale, notice.id)}",
        site_name=texts.text("site", "name"),
        root="../",
    )


def _language_link(
    code: str, notice_id: str, current: str, base_url: str, name: str
) -> LanguageLink:
    return LanguageLink(
        code=code,
        name=name,
        href=f"../{page_path(code, notice_id)}",
        url=f"{base_url}/{page_path(code, notice_id)}",
        current=code == current,
    )


def _section(notice: Notice, index: int, section: Section, texts: Texts) -> SectionView:
    owner = f"notice:{notice.id}"
    blocks = [build_block(kind, notice, texts, list(section.rights)) for kind in section.show]
    return SectionView(
        id=section.id,
        number=index + 1,
        title=texts.text(owner, "sections", index, "title"),
        body=texts.html(owner, "sections", index, "body"),
        blocks=blocks,
        closing=texts.html(owner, "sections", index, "closing"),
    )
