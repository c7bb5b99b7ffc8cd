"""A two-notice, two-language fixture site: shared parties, contexts, fallback policy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from conftest import run


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / path).read_text(encoding="utf-8"), "html.parser")


def test_two_notices_share_parties_in_two_languages(site_factory: Callable[[str], Path]) -> None:
    site = site_factory("multilingual")
    result = run(["build"], site)
    assert result.exit_code == 0, result.output
    assert "Built 2 notice(s) in 2 language(s): 4 page(s)" in result.stdout
    for path in (
        "en/short-notice.html",
        "nl/short-notice.html",
        "en/cookie-notice.html",
        "nl/cookie-notice.html",
    ):
        assert page(site, path).select_one("#party-acme a[href='mailto:privacy@example.com']")
    index = page(site, "index.html")
    assert [a["href"] for a in index.select("a")] == [
        "en/short-notice.html",
        "en/cookie-notice.html",
        "nl/short-notice.html",
        "nl/cookie-notice.html",
    ]


def test_translations_are_used_and_missing_ones_fall_back_marked(
    site_factory: Callable[[str], Path],
) -> None:
    site = site_factory("multilingual")
    result = run(["build"], site)
    dutch = page(site, "nl/short-notice.html")
    assert dutch.h1 is not None and dutch.h1.get_text() == "Een korte verklaring"
    body = dutch.select_one("#who p")
    assert body is not None and body.get("lang") is None
    assert (
        body.get_text() == "Wij zijn Acme. Schrijf naar privacy@example.com of bel +31 20 555 0100."
    )
    fallback = dutch.select_one(".legal-basis .label span[lang='en']")
    assert fallback is not None and fallback.get_text() == "Legal basis:"
    assert 'warning: [nl] "Legal basis:" (msgctxt "ui") has no translation' in result.stderr


def test_equal_strings_in_different_places_have_their_own_context(
    site_factory: Callable[[str], Path],
) -> None:
    site = site_factory("multilingual")
    with (site / "locales" / "notices.pot").open("rb") as handle:
        catalog = read_po(handle)
    contexts = sorted(str(m.context) for m in catalog if m.id == "Who we are")
    assert contexts == ["cookie-notice.sections.who.title", "short-notice.sections.who.title"]


def test_error_policy_fails_and_names_catalog_context_and_source(
    site_factory: Callable[[str], Path],
) -> None:
    site = site_factory("multilingual")
    site_yaml = site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("fallback", "error"), encoding="utf-8"
    )
    catalog = site / "locales" / "nl" / "LC_MESSAGES" / "notices.po"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            'msgstr "Abonnees van de nieuwsbrief"', 'msgstr ""'
        ),
        encoding="utf-8",
    )
    result = run(["build"], site)
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if '"Newsletter subscribers"' in x]
    assert line.startswith(f"{site}/content/notice.yaml:26:16: error: [nl]")
    assert 'msgctxt "short-notice.retention.newsletter.subject") has no translation in ' in line
    assert line.endswith("locales/nl/LC_MESSAGES/notices.po; the build fails [i18n.missing]")
    assert not (site / "output").exists()


def test_fallback_text_leaves_no_markup_in_titles_or_attributes(
    site_factory: Callable[[str], Path],
) -> None:
    site = site_factory("multilingual")
    result = run(["check", "--format", "json"], site)
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert not {code for code in codes if code.startswith(("html.", "parity."))}
    assert run(["build"], site).exit_code == 0
    dutch = page(site, "nl/short-notice.html")
    assert dutch.title is not None and "<span" not in dutch.title.get_text()
    switcher = dutch.select_one("nav.language-switcher")
    assert switcher is not None and switcher["aria-label"] == "Language"


def test_pseudo_locales_are_not_served_stale_from_the_cache(
    site_factory: Callable[[str], Path],
) -> None:
    site = site_factory("multilingual")
    assert run(["build"], site).exit_code == 0
    assert run(["build", "--pseudo"], site).exit_code == 0
    hreflangs = [
        a["hreflang"] for a in page(site, "nl/short-notice.html").select(".language-switcher a")
    ]
    assert hreflangs == ["en", "nl", "en-XA", "ar-XB"]


def test_a_translation_that_starts_like_a_list_is_shown_as_written(example_site: Path) -> None:
    """German dates start with a number and a full stop: a paragraph translated as
    "1. Januar ..." became a numbered list, stripped to its text, and the page lost
    the day. A translation's line breaks, likewise, are spaces on the page."""
    catalog_path = example_site / "locales/de/LC_MESSAGES/notices.po"
    with catalog_path.open("rb") as file:
        catalog = read_po(file)
    security = [m for m in catalog if m.context == "privacy-notice.sections.security.body"]
    security[0].string = "1. Januar: Wir schützen Ihre Daten\nmit Sorgfalt."
    security[1].string = "- Nur wer sie braucht, sieht sie."
    with catalog_path.open("wb") as file:
        write_po(file, catalog)
    assert run(["build"], example_site).exit_code == 0
    section = page(example_site, "de/privacy-notice.html").find(id="security")
    assert section is not None
    assert [p.get_text() for p in section.find_all("p")] == [
        "1. Januar: Wir schützen Ihre Daten mit Sorgfalt.",
        "- Nur wer sie braucht, sieht sie.",
    ]
    assert section.find("ol") is None and section.find("ul") is None
