"""Page views and templates: what is computed once per locale must not leak between pages."""

from __future__ import annotations

import datetime

from conftest import REPO, SITES

from notice_builder.i18n.fields import content_fields
from notice_builder.i18n.localizer import Localizer, Missing
from notice_builder.i18n.translations import Key, read_translations
from notice_builder.loader import load_content
from notice_builder.model import Content
from notice_builder.model.fields import MonthDate
from notice_builder.render.environment import load_templates
from notice_builder.render.page import build_page
from notice_builder.render.reuse import RecordingTable
from notice_builder.render.site import gettext_callables
from notice_builder.render.texts import FieldIndex, Texts

MULTILINGUAL = SITES / "multilingual"


Rendered = tuple[bytes, dict[Key, Missing], set[Key]]


class Site:
    """The multilingual fixture, loaded once, rendered page by page."""

    def __init__(self) -> None:
        loaded = load_content(MULTILINGUAL / "content")
        assert loaded.content is not None
        self.content: Content = loaded.content
        self.fields = FieldIndex(loaded.content, loaded.sources)
        templates, problems = load_templates(REPO / "templates")
        assert not problems
        self.page = templates["page.html"]
        dutch = MULTILINGUAL / "locales" / "nl" / "LC_MESSAGES" / "notices.po"
        self.dutch, _ = read_translations(dutch, "nl")

    def texts(self, locale: str) -> Texts:
        table = RecordingTable.wrap(self.dutch) if locale == "nl" else None
        return Texts(self.fields, Localizer(locale, "en", table), self.content)

    def render(self, texts: Texts, notice_index: int) -> Rendered:
        """One page, as the build renders it: a fresh record of missing messages per page."""
        localizer = texts.localizer
        localizer.page_missing = {}
        if isinstance(localizer.table, RecordingTable):
            localizer.table.used = {}
        notice = self.content.notices[notice_index]
        view = build_page(notice, texts, ["en", "nl"], "https://example.com")
        html = self.page.render(page=view, **gettext_callables(localizer)).encode()
        looked_up = localizer.table.used if isinstance(localizer.table, RecordingTable) else {}
        return html, dict(localizer.page_missing), set(looked_up)


def test_pages_rendered_one_after_another_equal_pages_rendered_alone() -> None:
    """Per-locale caches give every page the same bytes, missing messages and catalog
    lookups as a page rendered by itself (the page cache relies on the last two)."""
    site = Site()
    order = [("nl", 0), ("en", 0), ("nl", 1), ("en", 1), ("nl", 0), ("en", 0)]
    shared = {locale: site.texts(locale) for locale in ("en", "nl")}
    together = [site.render(shared[locale], index) for locale, index in order]
    alone = [site.render(site.texts(locale), index) for locale, index in order]
    assert together == alone
    dutch_page, dutch_missing, dutch_lookups = together[0]
    assert dutch_missing and dutch_lookups  # the fixture has fallbacks and translations
    assert b'<html lang="nl"' in dutch_page


def test_cached_dates_keep_months_and_days_apart() -> None:
    dutch = Localizer("nl", "en", None)
    month = str(dutch.date(MonthDate(2024, 4)))
    day = str(dutch.date(datetime.date(2024, 4, 1)))
    assert month == '<time datetime="2024-04">april 2024</time>'
    assert day == '<time datetime="2024-04-01">1 april 2024</time>'
    assert str(dutch.date(MonthDate(2024, 4))) == month


def test_cached_lists_and_durations_depend_on_every_argument() -> None:
    dutch, german = Localizer("nl", "en", None), Localizer("de", "en", None)
    assert dutch.join(["a", "b"]) == "a en b"
    assert dutch.join(["a", "b"], "or") == "a of b"
    assert dutch.join(["a", "c"]) == "a en c"
    assert dutch.join([]) == ""
    assert german.join(["a", "b"]) == "a und b"
    assert dutch.duration(1, "day") == "1 dag"
    assert dutch.duration(2, "day") == "2 dagen"
    assert dutch.duration(2, "month") == "2 maanden"
    assert german.duration(2, "day") == "2 Tage"


def test_the_field_index_finds_each_owners_fields_as_the_whole_content_walk_does() -> None:
    loaded = load_content(REPO / "content")  # the example: a site, parties and a notice
    assert loaded.content is not None
    every = {(f.owner, f.path): f for f in content_fields(loaded.content, loaded.sources)}
    owners = {owner for owner, _ in every}
    assert {"site", "notice:privacy-notice", "party:dpo"} <= owners
    index = FieldIndex(loaded.content, loaded.sources)
    assert all(index.get(key) == field for key, field in every.items())
    assert index.get(("notice:no-such-notice", ("title",))) is None
    assert index.get(("party:no-such-party", ("label",))) is None
