"""The one edited catalog is read ahead in a forked process while the build imports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    CACHE,
    NL_CATALOG,
    NL_TITLE,
    NL_TITLE_EDITED,
    assert_nl_edit_equals_a_clean_build,
    edit_nl_title,
    modules_loaded_by,
    run,
)

from notice_builder.diagnostics import Diagnostic
from notice_builder.i18n import prefetch, table_cache, translations
from notice_builder.i18n.translations import TranslationTable


@pytest.fixture
def read_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The locale of every catalog this process read (a forked child's reads are not seen)."""
    locales: list[str] = []
    original = translations.read_translations  # what table_cache calls

    def spy(
        path: Path, locale: str, raw: bytes | None = None
    ) -> tuple[TranslationTable, list[Diagnostic]]:
        locales.append(locale)
        return original(path, locale, raw)

    monkeypatch.setattr(table_cache, "read_translations", spy)
    yield locales


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The process id of every reader :func:`prefetch.start` forked."""
    children: list[int] = []
    original = prefetch.start

    def spy(memo: Path, templates: Path) -> None:
        original(memo, templates)
        if prefetch._READER is not None:
            children.append(prefetch._READER.child)

    monkeypatch.setattr(prefetch, "start", spy)
    yield children


def assert_ended(child: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already: no longer our child


def test_the_edited_catalog_is_read_ahead_and_the_output_equals_a_clean_build(
    example_site: Path, read_here: list[str], started: list[int]
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    read_here.clear()

    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert len(started) == 1 and "nl" not in read_here  # the child read it, not the build
    assert_ended(started[0])
    assert prefetch._READER is None
    assert_nl_edit_equals_a_clean_build(example_site)


def test_only_one_changed_catalog_is_read_ahead(example_site: Path, started: list[int]) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    memo = example_site / CACHE / "catalogs"
    assert prefetch.changed_catalogs(memo) == []
    edit_nl_title(example_site)
    assert prefetch.changed_catalogs(memo) == [prefetch.Changed(example_site / NL_CATALOG, "nl")]
    fr = example_site / "locales/fr/LC_MESSAGES/notices.po"
    fr.write_bytes(fr.read_bytes() + b"\n")
    assert len(prefetch.changed_catalogs(memo)) == 2

    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert started == []


def test_no_reader_without_the_cache_or_with_one_job(
    example_site: Path, started: list[int]
) -> None:
    assert run(["build"], example_site).exit_code == 0
    edit_nl_title(example_site)
    assert run(["build", "--jobs", "1"], example_site).exit_code == 0
    catalog = example_site / NL_CATALOG
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace(NL_TITLE_EDITED, NL_TITLE), encoding="utf-8")
    assert run(["build", "--no-cache", "--jobs", "2"], example_site).exit_code == 0
    assert started == []


def test_a_read_of_other_bytes_is_not_used(example_site: Path) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    prefetch.start(example_site / CACHE / "catalogs", example_site / "templates")
    reader = prefetch._READER
    assert reader is not None
    path = example_site / NL_CATALOG
    assert prefetch.take(path, "nl", "the hash of other bytes") is None
    assert prefetch._READER is None
    assert_ended(reader.child)

    prefetch.start(example_site / CACHE / "catalogs", example_site / "templates")
    expected = table_cache.read_with_digest(path, "nl")
    taken = prefetch.take(path, "nl", expected[0])
    prefetch.stop()
    assert taken is not None
    assert taken[0] == expected[1] and taken[1] == expected[2]


def test_a_reader_the_build_did_not_use_is_ended(example_site: Path, started: list[int]) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    (example_site / "content" / "site.yaml").write_text("site: [broken\n", encoding="utf-8")

    assert run(["build", "--jobs", "2"], example_site).exit_code != 0
    assert len(started) == 1
    assert_ended(started[0])
    assert prefetch._READER is None


def test_a_reader_that_fails_leaves_the_reading_to_the_build(
    example_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_here: list[str],
    started: list[int],
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)

    build_process = os.getpid()
    reads = table_cache.read_with_digest

    def fails_in_the_child(
        path: Path, locale: str
    ) -> tuple[str, TranslationTable, list[Diagnostic]]:
        if os.getpid() != build_process:
            raise OSError("the child cannot read")
        return reads(path, locale)

    monkeypatch.setattr(table_cache, "read_with_digest", fails_in_the_child)  # inherited
    read_here.clear()
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert len(started) == 1 and read_here == ["nl"]
    page = (example_site / "output/nl/privacy-notice.html").read_text(encoding="utf-8")
    assert "Privacyverklaring (herzien)" in page


def test_the_page_template_is_generated_ahead_by_the_reader(
    example_site: Path, compiled: list[str], started: list[int]
) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    compiled.clear()  # what the child parses is not seen here
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert len(started) == 1
    assert "page.html" not in compiled and "blocks.html" not in compiled
    assert_nl_edit_equals_a_clean_build(example_site)


def test_a_template_generated_from_other_text_is_not_used(example_site: Path) -> None:
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    edit_nl_title(example_site)
    prefetch.start(example_site / CACHE / "catalogs", example_site / "templates")
    page = example_site / "templates" / "page.html"
    text = page.read_text(encoding="utf-8")
    generated = prefetch.generated_template("page.html", str(page), text)
    assert generated is not None and "blocks.html" in generated.referenced
    assert prefetch.generated_template("page.html", str(page), text + " ") is None
    assert prefetch.generated_template("page.html", "/elsewhere/page.html", text) is None
    prefetch.stop()
    assert prefetch.generated_template("page.html", str(page), text) is None


def test_the_build_imports_no_catalog_reader_when_it_reads_no_catalog(
    example_site: Path,
) -> None:
    """Babel's messages package (~8 ms to import) is for reading catalogs: a rebuild with
    nothing changed reads none, and the edited one is read by the child."""
    args = ["build", "--project", str(example_site), "--jobs", "2"]
    assert run(["build", "--jobs", "2"], example_site).exit_code == 0
    assert modules_loaded_by(args, ("babel.messages",)) == []
    edit_nl_title(example_site)
    assert modules_loaded_by(args, ("babel.messages",)) == []
    page = (example_site / "output/nl/privacy-notice.html").read_text(encoding="utf-8")
    assert "Privacyverklaring (herzien)" in page
