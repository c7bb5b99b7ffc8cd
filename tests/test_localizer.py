"""Babel formatting and fallback marking per locale."""

from __future__ import annotations

import datetime

from notice_builder.i18n.localizer import Localizer
from notice_builder.i18n.translations import TranslationTable
from notice_builder.model.fields import MonthDate


def localizer(locale: str, strings: dict[tuple[str | None, str], str] | None = None) -> Localizer:
    return Localizer(locale, "en", TranslationTable(locale, None, strings=dict(strings or {})))


def test_durations_use_plural_rules_and_fall_back_to_the_short_form() -> None:
    assert localizer("nl").duration(30, "day") == "30 dagen"
    assert localizer("nl").duration(1, "day") == "1 dag"
    assert localizer("de").duration(2, "year") == "2 Jahre"
    assert localizer("pl").duration(5, "month") == "5 miesięcy"
    assert localizer("pl").duration(2, "month") == "2 miesiące"


def test_lists_countries_languages_and_dates() -> None:
    dutch = localizer("nl")
    assert dutch.join(["a", "b", "c"]) == "a, b en c"
    assert dutch.join(["a", "b"], "or") == "a of b"
    assert dutch.country("DE") == "Duitsland"
    assert dutch.language_name("fr") == "Français"
    assert str(dutch.date(MonthDate(2024, 4))) == '<time datetime="2024-04">april 2024</time>'
    assert (
        str(dutch.date(datetime.date(2024, 4, 15)))
        == '<time datetime="2024-04-15">15 april 2024</time>'
    )


def test_missing_text_is_marked_with_the_source_language_and_recorded() -> None:
    dutch = localizer("nl", {("ui", "Contents"): "Inhoud"})
    assert str(dutch.pgettext("ui", "Contents")) == "Inhoud"
    assert str(dutch.pgettext("ui", "Legal basis:")) == '<span lang="en">Legal basis:</span>'
    assert list(dutch.missing) == [("ui", "Legal basis:")]


def test_fallback_on_a_right_to_left_page_keeps_its_own_direction() -> None:
    arabic = localizer("ar")
    assert str(arabic.pgettext("ui", "Contents")) == '<span lang="en" dir="ltr">Contents</span>'


def test_translations_are_escaped() -> None:
    dutch = localizer("nl", {("ui", "Version %(version)s"): "<b>Versie</b> %(version)s"})
    assert (
        str(dutch.pgettext("ui", "Version %(version)s", version="<1>"))
        == "&lt;b&gt;Versie&lt;/b&gt; &lt;1&gt;"
    )


def test_plural_forms_follow_the_catalogs_rule() -> None:
    table = TranslationTable("pl", None)
    table.plurals[("ui", "%(num)s day")] = ("%(num)s dzień", "%(num)s dni", "%(num)s dni")
    table.plural_expr = "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    polish = Localizer("pl", "en", table)
    assert str(polish.npgettext("ui", "%(num)s day", "%(num)s days", 1)) == "1 dzień"
    assert str(polish.npgettext("ui", "%(num)s day", "%(num)s days", 3)) == "3 dni"
    untranslated = str(polish.npgettext("ui", "%(num)s hour", "%(num)s hours", 5))
    assert untranslated == '<span lang="en">5 hours</span>'
