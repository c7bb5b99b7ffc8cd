"""The example notice, built as a user would, and read back from the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup, Tag
from conftest import run, tree
from email_validator import validate_email

SECTION_IDS = [
    "purposes",
    "controller",
    "data-protection-officer",
    "personal-data",
    "legal-bases",
    "transfers",
    "sharing",
    "security",
    "retention",
    "tracking",
    "your-rights",
    "right-to-object",
    "changes",
]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def catalog_text(site: Path, locale: str, context: str) -> str:
    with (site / "locales" / locale / "LC_MESSAGES" / "notices.po").open("rb") as handle:
        catalog = read_po(handle)
    (message,) = [m for m in catalog if m.context == context]
    return str(message.string)


@pytest.fixture
def built(example_site: Path) -> Path:
    result = run(["build"], example_site)
    assert result.exit_code == 0, result.output
    return example_site


def test_build_summary_line(example_site: Path) -> None:
    result = run(["build"], example_site)
    assert re.search(
        r"Built 1 notice\(s\) in 4 language\(s\): 4 page\(s\) in [\d.]+ s", result.stdout
    )


def test_dutch_page_has_13_numbered_sections_with_dutch_headings(built: Path) -> None:
    page = soup(built / "output" / "nl" / "privacy-notice.html")
    html = page.find("html")
    assert isinstance(html, Tag) and html["lang"] == "nl" and html["dir"] == "ltr"
    sections = page.select("section.notice-section")
    assert [s["id"] for s in sections] == SECTION_IDS
    for number, (section, ident) in enumerate(zip(sections, SECTION_IDS, strict=True), start=1):
        heading = section.find("h2")
        assert isinstance(heading, Tag)
        assert heading.select_one(".section-number").get_text() == f"{number}."  # type: ignore[union-attr]
        expected = catalog_text(built, "nl", f"privacy-notice.sections.{ident}.title")
        assert heading.get_text(" ", strip=True) == f"{number}. {expected}"
    assert page.find("h1").get_text() == "Privacyverklaring voor betrokkenen"  # type: ignore[union-attr]


def test_every_email_is_a_valid_mailto_link(built: Path) -> None:
    page = soup(built / "output" / "nl" / "privacy-notice.html")
    links = page.select('a[href^="mailto:"]')
    assert len(links) >= 5
    for link in links:
        address = str(link["href"]).removeprefix("mailto:")
        validate_email(address, check_deliverability=False)
        assert link.get_text() == address
    assert "protected]" not in page.get_text()


def test_retention_table_has_header_row_and_six_rows(built: Path) -> None:
    page = soup(built / "output" / "nl" / "privacy-notice.html")
    table = page.select_one("#retention table.retention")
    assert table is not None
    headers = table.select("thead th[scope=col]")
    assert len(headers) == 2
    rows = table.select("tbody tr")
    assert len(rows) == 6
    assert all(row.find("th", scope="row") for row in rows)
    assert "30 dagen" in rows[3].get_text()


def test_alternates_and_canonical(built: Path) -> None:
    page = soup(built / "output" / "nl" / "privacy-notice.html")
    alternates = {
        str(link["hreflang"]): str(link["href"]) for link in page.select('link[rel="alternate"]')
    }
    base = "https://www.example.com/privacy"
    assert alternates == {
        "en": f"{base}/en/privacy-notice.html",
        "nl": f"{base}/nl/privacy-notice.html",
        "de": f"{base}/de/privacy-notice.html",
        "fr": f"{base}/fr/privacy-notice.html",
        "x-default": f"{base}/en/privacy-notice.html",
    }
    canonical = page.select_one('link[rel="canonical"]')
    assert canonical is not None and canonical["href"] == f"{base}/nl/privacy-notice.html"
    switcher = page.select(".language-switcher a")
    assert [a.get_text() for a in switcher] == ["English", "Nederlands", "Deutsch", "Français"]
    assert [a.get("aria-current") for a in switcher] == [None, "page", None, None]


def test_dates_are_formatted_per_locale(built: Path) -> None:
    dutch = soup(built / "output" / "nl" / "privacy-notice.html").select_one("footer time")
    german = soup(built / "output" / "de" / "privacy-notice.html").select_one("footer time")
    assert dutch is not None and dutch.get_text() == "april 2024" and dutch["datetime"] == "2024-04"
    assert german is not None and german.get_text() == "April 2024"


def test_country_names_are_localized(built: Path) -> None:
    text = soup(built / "output" / "nl" / "privacy-notice.html").select_one("#party-ninjaone-gmbh")
    assert text is not None and "Duitsland" in text.get_text()


def test_index_and_sitemap(built: Path) -> None:
    index = soup(built / "output" / "index.html")
    hrefs = [a["href"] for a in index.select("a")]
    assert hrefs == [f"{loc}/privacy-notice.html" for loc in ("en", "nl", "de", "fr")]
    sitemap = (built / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == 4
    assert sitemap.count('hreflang="x-default"') == 4


def test_rebuild_is_byte_identical(example_site: Path, tmp_path: Path) -> None:
    assert run(["build"], example_site).exit_code == 0
    first = tree(example_site / "output")
    assert run(["build"], example_site).exit_code == 0
    assert tree(example_site / "output") == first


def test_failing_build_leaves_output_untouched(built: Path) -> None:
    before = tree(built / "output")
    notice = built / "content" / "privacy-notice.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("[consent]", "[consnt]", 1), encoding="utf-8"
    )
    result = run(["build"], built)
    assert result.exit_code == 1
    assert "[schema.choice]" in result.stderr
    assert tree(built / "output") == before
    assert not list(built.glob(".output.tmp-*"))


def test_html_in_yaml_and_po_comes_out_inert(example_site: Path) -> None:
    notice = example_site / "content" / "privacy-notice.yaml"
    text = notice.read_text(encoding="utf-8").replace(
        "title: Privacy notice for data subjects",
        "title: Privacy <script>alert(1)</script> notice",
        1,
    )
    notice.write_text(text, encoding="utf-8")
    _set_translation(
        example_site,
        "nl",
        "privacy-notice.sections.changes.body",
        "We may update this notice at any time.",
        'Wij <img src=x onerror="alert(1)"> [klik](javascript:alert(2)) passen dit aan.',
    )
    site = example_site
    (site / "content" / "site.yaml").write_text(
        (site / "content" / "site.yaml")
        .read_text(encoding="utf-8")
        .replace("missing_translations: error", "missing_translations: fallback"),
        encoding="utf-8",
    )
    result = run(["build"], site)
    assert result.exit_code == 0, result.output
    for path in (site / "output").rglob("*.html"):
        page = soup(path)
        assert not page.find("script")
        assert not page.find("img")
        for tag in page.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs)
            assert not str(tag.get("href", "")).lower().startswith("javascript:")
    english = (site / "output" / "en" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in english


def test_fallback_marks_source_language(example_site: Path) -> None:
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace(
            "missing_translations: error", "missing_translations: fallback"
        ),
        encoding="utf-8",
    )
    english = "We process personal data for the following purposes."
    _set_translation(example_site, "nl", "privacy-notice.sections.purposes.body", english, "")
    result = run(["build"], example_site)
    assert result.exit_code == 0, result.output
    assert "[i18n.missing]" in result.stderr
    page = soup(example_site / "output" / "nl" / "privacy-notice.html")
    marked = page.find("p", string=english)
    assert isinstance(marked, Tag) and marked["lang"] == "en"


def test_fuzzy_translation_is_never_published(example_site: Path) -> None:
    english = "We process personal data for the following purposes."
    dutch = catalog_text(example_site, "nl", "privacy-notice.sections.purposes.body")
    _set_translation(
        example_site, "nl", "privacy-notice.sections.purposes.body", english, dutch, fuzzy=True
    )
    failed = run(["build"], example_site)
    assert failed.exit_code == 1
    assert 'msgctxt "privacy-notice.sections.purposes.body") is fuzzy' in failed.stderr
    assert "content/privacy-notice.yaml:" in failed.stderr


def _set_translation(
    site: Path, locale: str, context: str, msgid: str, text: str, fuzzy: bool = False
) -> None:
    path = site / "locales" / locale / "LC_MESSAGES" / "notices.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = catalog.get(msgid, context)
    assert message is not None, (context, msgid)
    message.string = text
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_text_is_escaped_exactly_once(built: Path) -> None:
    french = built / "output" / "fr" / "privacy-notice.html"
    assert "&amp;#" not in french.read_text(encoding="utf-8")
    basis = soup(french).select_one("#purpose-contract .legal-basis")
    assert basis is not None and "Exécution d'un contrat" in basis.get_text()
