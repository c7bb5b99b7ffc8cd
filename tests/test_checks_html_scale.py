"""Checking a site big enough to be checked in worker processes gives the same result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notice_builder.checks.html import check_site
from notice_builder.checks.html.pages import PARALLEL_THRESHOLD

CLEAN = Path(__file__).parent / "fixtures" / "html" / "clean"
NOTICES = ("privacy", "cookies")
LOCALES = ("en", "nl", "de")
COPIES = PARALLEL_THRESHOLD // (len(NOTICES) * len(LOCALES)) + 2


def renamed(text: str, copy: int) -> str:
    """A page or sitemap text with every notice id given a copy number."""
    for notice in NOTICES:
        text = text.replace(f"{notice}.html", f"{notice}-{copy}.html")
        text = text.replace(f'data-notice="{notice}"', f'data-notice="{notice}-{copy}"')
    return text


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COPIES copies of the clean site's notices, with a few planted defects."""
    site = tmp_path_factory.mktemp("big") / "site"
    shutil.copytree(CLEAN / "static", site / "static")
    (site / "index.html").write_text(renamed((CLEAN / "index.html").read_text(), 0))
    head, _, rest = (CLEAN / "sitemap.xml").read_text().partition("<url>")
    index_entry, _, entries = ("<url>" + rest.rpartition("</urlset>")[0]).partition("</url>\n")
    index_entry += "</url>\n"
    for locale in LOCALES:
        (site / locale).mkdir()
        for notice in NOTICES:
            page = (CLEAN / locale / f"{notice}.html").read_text()
            for copy in range(COPIES):
                target = site / locale / f"{notice}-{copy}.html"
                target.write_text(renamed(page, copy))
    (site / "sitemap.xml").write_text(
        head
        + index_entry
        + "".join(renamed(entries, copy) for copy in range(1, COPIES))
        + "</urlset>\n"
    )
    plant_defects(site)
    return site


def plant_defects(site: Path) -> None:
    page = site / "nl" / "privacy-3.html"
    page.write_text(page.read_text().replace('href="#rights"', 'href="#rechten"'))
    page = site / "de" / "cookies-7.html"
    page.write_text(page.read_text().replace("<td>1 Tag</td>", "<td>2 Tage</td>"))
    (site / "en" / "broken.html").write_bytes(b"")


def test_big_site_is_checked_in_workers_with_the_same_result(
    big_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(big_site.parent)
    in_process = check_site(big_site, jobs=1)
    in_workers = check_site(big_site, jobs=2)
    assert in_process.pages == in_workers.pages == len(NOTICES) * len(LOCALES) * COPIES + 2
    assert in_process.pages > PARALLEL_THRESHOLD
    assert in_workers.diagnostics == in_process.diagnostics
    assert in_workers.external_links == in_process.external_links
    assert len(in_process.external_links) == 9 * COPIES
    found = [(item.code, str(item.location)) for item in in_process.diagnostics]
    assert ("html.anchor.missing", "site/nl/privacy-3.html:33") in found
    assert ("parity.numbers", "site/de/cookies-7.html:40") in found
    assert ("html.parse-error", "site/en/broken.html") in found
    # copy 0 is not in the sitemap
    missing = [item.message for item in in_process.diagnostics if "sitemap" in item.code]
    assert len(missing) == len(NOTICES) * len(LOCALES)
    assert all("-0.html" in message for message in missing)
    assert len(found) == 3 + len(missing)


def test_default_jobs_use_the_cpus(big_site: Path) -> None:
    assert check_site(big_site).diagnostics == check_site(big_site, jobs=1).diagnostics
