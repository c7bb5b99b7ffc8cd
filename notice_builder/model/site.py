"""Site settings: languages, base URL, translation policy, check severities."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from notice_builder.model.base import Part
from notice_builder.model.fields import Language, Translatable

MissingPolicy = Literal["error", "fallback"]
_PATH_CHARACTER = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
BASE_URL = rf"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/(?:{_PATH_CHARACTER}|/)*{_PATH_CHARACTER})?$"
"""http(s), a host and an optional port and path: every page's address is the base URL
and the page's path, so a query, a #fragment, a user name (or password) or a trailing
slash would end up inside every canonical link, hreflang and sitemap entry. Written as
a URI (RFC 3986): a sitemap's addresses must be, so a path has its other characters
percent-encoded (`priv%C3%A9` for `privé`) and a host is in its ASCII (`xn--`) form."""


def _off_is_not_false(value: object) -> object:
    """YAML 1.1 reads a bare `off` as false; in `checks:` it can only mean "off"."""
    return "off" if value is False else value


CheckLevel = Annotated[
    Literal["error", "warning", "info", "off"], BeforeValidator(_off_is_not_false)
]


class LocaleSettings(Part):
    """Settings of one language that differ from the site's defaults."""

    missing_translations: MissingPolicy | None = None
    """`error` fails the build; `fallback` shows the source text, marked with its language."""
    min_completeness: int | None = Field(default=None, ge=0, le=100)
    """Below this percentage of translated strings the language is not published."""


class Site(Part):
    """Settings of the whole site; exactly one content file has a `site:` key."""

    name: Annotated[str, Translatable("Name of the website shown on the index page")] = (
        "Privacy notices"
    )
    """Name of the site, shown on the index page."""
    base_url: Annotated[str, StringConstraints(pattern=BASE_URL)]
    """Where the site is published, without a trailing slash, e.g.
    `https://www.example.com/privacy`; used for canonical links, hreflang and the sitemap."""
    source_language: Language
    """The language the content is written in, e.g. `en`."""
    languages: list[Language] = Field(min_length=1)
    """Every published language, the source language included, e.g. `[en, nl, de]`."""
    domain: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")] = "notices"
    """The gettext domain: catalogs are `locales/<lang>/LC_MESSAGES/<domain>.po`."""
    missing_translations: MissingPolicy = "error"
    """What a missing or fuzzy translation does: `error` (the default) or `fallback`."""
    min_completeness: int = Field(default=0, ge=0, le=100)
    """A language with fewer translated strings (in percent) is not published."""
    locales: dict[str, LocaleSettings] = {}
    """Per-language overrides of `missing_translations` and `min_completeness`."""
    checks: dict[str, CheckLevel] = {}
    """Severity per check code or code prefix, e.g. `{html.leak.source-text: error}`."""
    templates: str = "templates"
    """The folder of Jinja templates, relative to the project."""

    def policy_for(self, locale: str) -> MissingPolicy:
        override = self.locales.get(locale)
        return (override and override.missing_translations) or self.missing_translations

    def completeness_for(self, locale: str) -> int:
        override = self.locales.get(locale)
        if override and override.min_completeness is not None:
            return override.min_completeness
        return self.min_completeness
