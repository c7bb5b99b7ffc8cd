"""Checking a site big enough to be checked in worker processes gives the same result."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from notice_builder.checks.html import check_site, locale_facts
from notice_builder.checks.html.pages import (
    PARALLEL_THRESHOLD,
    PageAnalyzer,
    PageTask,
    notice_batches,
    notice_identity,
    page_tasks,
    site_files,
)

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


def _tasks(notices: dict[str, int]) -> list[PageTask]:
    """Tasks of ``count`` language versions per notice id, in page_tasks' order."""
    rels = ["index.html"] + [
        f"{locale:02d}/{notice}.html"
        for notice, count in notices.items()
        for locale in range(count)
    ]
    return [PageTask(rel, rel, rel) for rel in rels]


def test_batches_keep_a_notice_together_and_the_order_of_the_tasks() -> None:
    tasks = _tasks({"a": 3, "b": 30, "c": 5, "d": 2})
    batches = list(notice_batches(tasks, 8))
    assert [task for batch in batches for task in batch] == tasks
    assert all(len(batch) <= 8 for batch in batches)
    # a notice is split only when it is larger than a batch; small ones are never split
    notices_in = [{notice_identity(task.rel)[1] for task in batch} for batch in batches]
    for notice in ("a", "c", "d"):
        assert sum(notice in found for found in notices_in) == 1
    assert sum("b" in found for found in notices_in) == 4  # 30 pages in batches of 8


def test_a_batch_of_pages_is_analyzed_as_each_page_would_be(big_site: Path) -> None:
    files = site_files(big_site)
    tasks = page_tasks(big_site, files)[:40]
    analyzer = PageAnalyzer(big_site, files, None, None)
    assert analyzer.batch(tasks) == [analyzer(task) for task in tasks]


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers inherit the analyzer by fork"
)
def test_the_analyzer_is_not_sent_with_each_batch(
    big_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked workers inherit the analyzer (its file list, its caches) once; a batch sent
    to a worker is its tasks alone."""

    def refuse(self: PageAnalyzer, protocol: int) -> object:
        raise AssertionError("the analyzer was pickled")

    expected = check_site(big_site, jobs=1).diagnostics
    monkeypatch.setattr(PageAnalyzer, "__reduce_ex__", refuse, raising=False)
    assert check_site(big_site, jobs=2).diagnostics == expected


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers inherit the facts by fork"
)
@pytest.mark.usefixtures("forgotten_locale_facts")
def test_workers_use_the_locale_facts_the_parent_read(big_site: Path, tmp_path: Path) -> None:
    """The facts read from the cache before the workers are forked are the ones they
    check with: a planted wrong direction for nl is reported on every nl page (a worker
    asking Babel would find nothing)."""
    facts_file = tmp_path / "locale-facts.json"
    locale_facts.write_facts(facts_file, {"en": (True, "ltr"), "nl": (True, "rtl")})
    found = check_site(big_site, jobs=2, locale_facts_file=facts_file).diagnostics
    wrong = {d.location.path for d in found if d.code == "html.dir.wrong" and d.location}
    assert len(wrong) == len(NOTICES) * COPIES
    assert all("/nl/" in str(path) for path in wrong), wrong
