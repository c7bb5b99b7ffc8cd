"""Everything locale-specific in one object: translated strings and Babel formatting.

A Localizer looks up each message in its locale's catalog and records what is
missing; the build decides, by policy, whether that fails it or falls back to the
source text, which is then marked with the source's ``lang`` (WCAG 3.1.2).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.units import format_unit
from markupsafe import Markup, escape

from notice_builder.diagnostics import Location
from notice_builder.i18n.fields import TranslatableField
from notice_builder.i18n.pseudo import PSEUDO_LOCALES
from notice_builder.i18n.segments import normalize
from notice_builder.i18n.translations import Key, TranslationTable
from notice_builder.model.fields import MonthDate

Source = Location | Callable[[], Location | None] | None
"""Where a message comes from, or how to find out (only needed when it is missing)."""


NO_ATTRIBUTES = Markup("")


@dataclass(frozen=True, slots=True)
class LocalText:
    """A translated string; ``lang`` is set when it is shown in another language.

    Slotted: a page makes a few hundred, and slots make building one a third cheaper.
    """

    text: str
    lang: str | None = None
    dir: str | None = None

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> Markup:
        # A Markup, not a str: markupsafe escapes a plain str from __html__ again in format().
        return marked(escape(self.text), self)

    @property
    def attributes(self) -> Markup:
        """` lang="en"` (and `dir`) for text shown in another language than the page's."""
        if not self.lang:
            return NO_ATTRIBUTES
        direction = f' dir="{escape(self.dir)}"' if self.dir else ""
        return Markup(f' lang="{escape(self.lang)}"{direction}')


def marked(html: Markup, text: LocalText) -> Markup:
    """Wrap HTML in a span with the text's language, when it differs from the page's."""
    if not text.lang:
        return html
    return Markup(f"<span{text.attributes}>{html}</span>")


@dataclass(frozen=True)
class Missing:
    """A message that had no finished translation when the page was rendered."""

    context: str | None
    msgid: str
    source: Location | None
    fuzzy: bool


@dataclass
class Localizer:
    locale: str
    source_locale: str
    table: TranslationTable | None
    missing: dict[Key, Missing] = field(default_factory=dict)
    page_missing: dict[Key, Missing] = field(default_factory=dict)
    _dates: dict[tuple[type, datetime.date], Markup] = field(
        default_factory=dict, init=False, repr=False
    )
    _durations: dict[tuple[int, str], str] = field(default_factory=dict, init=False, repr=False)
    _lists: dict[tuple[tuple[str, ...], str], str] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        pseudo = PSEUDO_LOCALES.get(self.locale)
        self.babel = Locale.parse(pseudo.base if pseudo else self.locale, sep="-")

    @property
    def is_source(self) -> bool:
        return self.table is None

    # -- strings -------------------------------------------------------------

    def translate(self, context: str | None, msgid: str, source: Source = None) -> LocalText:
        if self.table is None:
            return LocalText(msgid)
        found = self.table.get(context, msgid)
        if found is not None:
            return LocalText(found)
        key = (context, msgid)
        if key not in self.page_missing:
            where = source() if callable(source) else source
            where = where or self.table.location(context, msgid)  # a template's: its entry
            entry = self.missing.get(key) or Missing(context, msgid, where, key in self.table.fuzzy)
            self.missing[key] = self.page_missing[key] = entry
        return LocalText(msgid, self.source_locale, self.fallback_dir)

    @property
    def fallback_dir(self) -> str | None:
        """The source's direction, when the page's is another (English text on a RTL page)."""
        source, page = direction_of(self.source_locale), direction_of(self.locale)
        return source if source != page else None

    def text(self, item: TranslatableField) -> LocalText:
        return self.translate(item.context, one_line(item.value), lambda: item.location)

    # -- gettext callables for Jinja's i18n extension (newstyle) -------------

    def gettext(self, message: str, **variables: object) -> Markup:
        return _format(self.translate(None, message), variables)

    def pgettext(self, context: str, message: str, **variables: object) -> Markup:
        return _format(self.translate(context, message), variables)

    def ngettext(self, singular: str, plural: str, count: int, **variables: object) -> Markup:
        return self.npgettext(None, singular, plural, count, **variables)

    def npgettext(
        self, context: str | None, singular: str, plural: str, count: int, **variables: object
    ) -> Markup:
        """The plural form the catalog's Plural-Forms rule picks for ``count``."""
        values = {"num": count, **variables}
        if self.table is None:
            return _format(LocalText(singular if count == 1 else plural), values)
        found = self.table.get_plural(context, singular, count)
        if found is not None:
            return _format(LocalText(found), values)
        fallback = self.translate(context, singular)
        english = singular if count == 1 else plural
        return _format(LocalText(english, fallback.lang, fallback.dir), values)

    # -- formatting ----------------------------------------------------------

    def date(self, value: datetime.date) -> Markup:
        """A date as ``<time>``: "April 2024" for a month, the long form for a day."""
        key = (type(value), value)  # a MonthDate equals the first day of its month
        if key not in self._dates:
            self._dates[key] = self._formatted_date(value)
        return self._dates[key]

    def _formatted_date(self, value: datetime.date) -> Markup:
        if isinstance(value, MonthDate):
            shown = format_skeleton("yMMMM", value, locale=self.babel)
        else:
            shown = format_date(value, format="long", locale=self.babel)
        return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), shown)

    def join(self, items: Iterable[str], style: str = "standard") -> str:
        """ "a, b and c" the way the language lists things (cached: lists repeat across pages)."""
        key = (tuple(str(item) for item in items), style)
        if key not in self._lists:
            self._lists[key] = self._formatted_list(*key)
        return self._lists[key]

    def _formatted_list(self, values: tuple[str, ...], style: str) -> str:
        if not values:
            return ""
        return format_list(list(values), style=style, locale=self.babel)  # type: ignore[arg-type]

    def country(self, code: str) -> str:
        return str(self.babel.territories.get(code, code))

    def duration(self, amount: int, unit: str) -> str:
        """ "30 days" with the language's plural rules; the short form where CLDR lacks the long."""
        key = (amount, unit)
        if key not in self._durations:
            self._durations[key] = self._formatted_duration(amount, unit)
        return self._durations[key]

    def _formatted_duration(self, amount: int, unit: str) -> str:
        for length in ("long", "short"):
            text = str(format_unit(amount, f"duration-{unit}", length=length, locale=self.babel))
            if "duration-" not in text:  # Babel shows the unit's id when it has no pattern
                return text
        return f"{amount} {unit}"

    def language_name(self, code: str) -> str:
        return language_name(code)


@lru_cache(maxsize=65536)
def one_line(text: str) -> str:
    """The message id of a text field (cached: every locale asks for the same fields)."""
    return normalize(text)


_LANGUAGE_NAMES: dict[str, str] = {}


def language_name(code: str) -> str:
    """A language's name in that language itself, capitalised, for the switcher."""
    name = _LANGUAGE_NAMES.get(code)
    if name is None:
        name = _LANGUAGE_NAMES[code] = _own_name(code)
    return name


def language_names(codes: Iterable[str]) -> dict[str, str]:
    return {code: language_name(code) for code in codes}


def remember_language_names(names: Mapping[str, str]) -> None:
    """Names as :func:`language_name` gave them before (kept by the build cache): asking
    Babel again loads each language's whole locale data, a tenth of a second for 30."""
    _LANGUAGE_NAMES.update(names)


def _own_name(code: str) -> str:
    if code in PSEUDO_LOCALES:
        return PSEUDO_LOCALES[code].name
    own = Locale.parse(code, sep="-")
    name = own.get_display_name(own) or code
    return name[:1].upper() + name[1:]


def _format(text: LocalText, variables: dict[str, object]) -> Markup:
    """Escape the translation (it is untrusted), then fill its variables (escaped too)."""
    value = escape(text.text)
    if variables:
        try:
            value = value % variables
        except (KeyError, ValueError, TypeError):  # the catalog reader refuses these already
            value = escape(text.text)
    return marked(value, text)


@lru_cache(maxsize=256)
def direction_of(locale: str) -> str:
    if locale in PSEUDO_LOCALES:
        return PSEUDO_LOCALES[locale].direction
    order = Locale.parse(locale, sep="-").character_order
    return "rtl" if order == "right-to-left" else "ltr"
