"""The incremental cache: only pages whose inputs changed are rendered again, byte-identically."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import babel
import pytest
from babel.messages.pofile import read_po, write_po
from conftest import CACHE, NL_CATALOG, REPO, run, tree

from notice_builder import build as build_module
from notice_builder.diagnostics import Diagnostic, Location, warning
from notice_builder.i18n import localizer, table_cache
from notice_builder.i18n.table_cache import CatalogRef
from notice_builder.i18n.translations import TranslationTable, read_translations
from notice_builder.page_cache import read_sealed, write_atomic
from notice_builder.render import site as render_site
from notice_builder.render.page import switcher_names_key
from notice_builder.render.texts import Texts

Edit = Callable[[Path], None]


def add_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def replace(site: Path, relative: Path | str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_dutch(site: Path, context: str, msgid: str, text: str) -> None:
    path = site / NL_CATALOG
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = catalog.get(msgid, context)
    assert message is not None
    message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog)


def edit_dutch_title(site: Path, text: str) -> None:
    edit_dutch(site, "privacy-notice.title", "Privacy notice for data subjects", text)


def use_fallback(site: Path) -> None:
    replace(
        site, "content/site.yaml", "missing_translations: error", "missing_translations: fallback"
    )


def add_second_notice(site: Path) -> None:
    """A second notice (untranslated: the site falls back to English for it)."""
    use_fallback(site)
    text = (site / "content/privacy-notice.yaml").read_text(encoding="utf-8")
    second = text.replace("id: privacy-notice", "id: second-notice", 1)
    (site / "content/second-notice.yaml").write_text(second, encoding="utf-8")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The (locale, notice) of every page rendered (not taken from the cache); builds --jobs 1."""
    calls: list[tuple[str, str]] = []
    original = render_site._render_notice

    def spy(inputs: render_site.SiteInputs, texts: Texts, notice: object) -> bytes:
        calls.append((texts.localizer.locale, getattr(notice, "id", "")))
        return original(inputs, texts, notice)  # type: ignore[arg-type]

    monkeypatch.setattr(render_site, "_render_notice", spy)
    yield calls


def build(site: Path) -> str:
    result = run(["build", "--jobs", "1"], site)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def assert_equals_clean_build(site: Path) -> None:
    incremental = tree(site / "output")
    shutil.rmtree(site / CACHE)
    build(site)
    assert tree(site / "output") == incremental


EDITS: dict[str, Edit] = {
    "catalog, one notice's message": lambda site: edit_dutch(
        site,
        "privacy-notice.sections.purposes.title",
        "Why we process your personal data",
        "Waarom wij gegevens verwerken",
    ),
    "catalog, the page title (on the index too)": lambda site: edit_dutch_title(site, "Privacy"),
    "catalog, the site name (on every page)": lambda site: edit_dutch(
        site, "site.name", "NinjaOne privacy notices", "NinjaOne-privacy"
    ),
    "catalog, a template message": lambda site: replace(
        site, NL_CATALOG, 'msgstr "Versie %(version)s', 'msgstr "Uitgave %(version)s'
    ),
    "catalog, a translation removed": lambda site: edit_dutch_title(site, ""),
    "notice": lambda site: replace(
        site, "content/privacy-notice.yaml", 'together "NinjaOne"', 'together "Ninja"'
    ),
    "template": lambda site: replace(
        site,
        "templates/page.html",
        '<footer class="notice-status">',
        '<footer class="notice-status" id="status">',
    ),
    "static file": lambda site: add_file(site / "templates/static/extra.css", "p{}\n"),
    "site.yaml": lambda site: replace(
        site, "content/site.yaml", "NinjaOne privacy notices", "NinjaOne privacy"
    ),
    "site.yaml, a language less": lambda site: replace(
        site, "content/site.yaml", "languages: [en, nl, de, fr]", "languages: [en, nl, fr]"
    ),
    "parties": lambda site: replace(
        site, "content/parties.yaml", "privacy@example.com", "privacy-office@example.com"
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_incremental_build_equals_clean_build(example_site: Path, edit: Edit) -> None:
    use_fallback(example_site)  # some edits leave a string untranslated
    build(example_site)
    edit(example_site)
    build(example_site)
    assert_equals_clean_build(example_site)


def test_an_unchanged_site_renders_nothing_and_reads_no_catalog(
    example_site: Path, rendered: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(example_site)
    assert len(rendered) == 4  # one notice in four languages
    before = tree(example_site / "output")

    def refuse(self: CatalogRef) -> object:
        raise AssertionError(f"{self.locale}'s catalog was read")

    monkeypatch.setattr(CatalogRef, "read", refuse)
    build(example_site)
    assert len(rendered) == 4
    assert tree(example_site / "output") == before


def test_editing_one_message_renders_only_the_pages_that_show_it(
    example_site: Path, rendered: list[tuple[str, str]]
) -> None:
    add_second_notice(example_site)
    build(example_site)
    rendered.clear()
    EDITS["catalog, one notice's message"](example_site)
    build(example_site)
    assert rendered == [("nl", "privacy-notice")]
    rendered.clear()
    EDITS["catalog, the site name (on every page)"](example_site)
    build(example_site)
    assert rendered == [("nl", "privacy-notice"), ("nl", "second-notice")]
    assert_equals_clean_build(example_site)


def test_a_linked_page_edited_in_place_is_not_taken_from_the_cache(example_site: Path) -> None:
    build(example_site)
    page = example_site / "output/nl/privacy-notice.html"
    clean = page.read_bytes()
    with page.open("r+b") as handle:  # in place: a hard link to the cache would see it
        handle.write(b"<!-- changed -->")
    build(example_site)
    assert page.read_bytes() == clean


def test_cached_pages_still_report_missing_translations(example_site: Path) -> None:
    use_fallback(example_site)
    edit_dutch_title(example_site, "")
    first = run(["build"], example_site)
    second = run(["build"], example_site)
    assert first.exit_code == second.exit_code == 0
    assert 'msgctxt "privacy-notice.title") has no translation' in first.stderr
    assert 'msgctxt "privacy-notice.title") has no translation' in second.stderr
    assert first.stderr == second.stderr


def test_a_broken_catalog_is_reported_by_every_build(example_site: Path) -> None:
    replace(example_site, NL_CATALOG, 'msgstr "Versie %(version)s', 'msgstr "Versie %(versie)s')
    first = run(["build"], example_site)
    second = run(["build"], example_site)
    assert first.exit_code == second.exit_code == 1
    assert "[i18n.catalog.format]" in first.stderr
    assert first.stderr == second.stderr


def test_a_catalog_warning_is_reported_when_its_pages_come_from_the_cache(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_with_warning(
        path: Path, locale: str, raw: bytes | None = None
    ) -> tuple[TranslationTable, list[Diagnostic]]:
        table, problems = read_translations(path, locale, raw)
        return table, [*problems, warning("i18n.test", f"{locale} looks odd", Location.of(path))]

    monkeypatch.setattr(table_cache, "read_translations", read_with_warning)
    first = build(example_site)
    monkeypatch.setattr(CatalogRef, "read", None)  # all pages are cached: nothing is read
    second = build(example_site)
    assert "nl looks odd [i18n.test]" in first
    assert first == second


def test_a_lost_record_of_catalog_problems_is_written_again(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(example_site)
    catalogs = example_site / CACHE / "catalogs"
    for record in catalogs.glob("*.problems.json"):
        record.unlink()
    build(example_site)  # reads the catalogs once more (from their parsed form)
    assert len(list(catalogs.glob("*.problems.json"))) == 3
    monkeypatch.setattr(CatalogRef, "read", None)
    build(example_site)  # and then no more


def test_the_languages_own_names_are_kept_for_the_next_build_and_the_same_babel(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(localizer, "_LANGUAGE_NAMES", {})  # as in a new process
    languages = ["en", "nl", "de", "fr"]
    build(example_site)
    kept = example_site / CACHE / "pages" / f"{switcher_names_key(languages)}.json"
    names = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français"}
    assert json.loads(read_sealed(kept)) == names
    write_atomic(kept, json.dumps({**names, "nl": "Kept"}).encode("utf-8"))
    page = example_site / "output/nl/privacy-notice.html"

    monkeypatch.setattr(localizer, "_LANGUAGE_NAMES", {})
    edit_dutch_title(example_site, "Privacy")
    build(example_site)
    assert ">Kept<" in page.read_text(encoding="utf-8")  # read back, Babel not asked

    monkeypatch.setattr(localizer, "_LANGUAGE_NAMES", {})
    monkeypatch.setattr(babel, "__version__", "0.0.0-other")  # other CLDR data
    edit_dutch_title(example_site, "Privacyverklaring")
    build(example_site)
    assert ">Kept<" not in page.read_text(encoding="utf-8")
    assert ">Nederlands<" in page.read_text(encoding="utf-8")

    assert switcher_names_key(["en", "nl", "fr"]) != switcher_names_key(languages)
    monkeypatch.setattr(localizer, "_LANGUAGE_NAMES", {})
    replace(
        example_site, "content/site.yaml", "languages: [en, nl, de, fr]", "languages: [en, nl, fr]"
    )
    build(example_site)
    assert "Deutsch" not in page.read_text(encoding="utf-8")
    stored = example_site / CACHE / "pages" / f"{switcher_names_key(['en', 'nl', 'fr'])}.json"
    assert json.loads(read_sealed(stored)) == {k: names[k] for k in ("en", "nl", "fr")}
    assert_equals_clean_build(example_site)


def test_the_cache_holds_no_code_and_an_edited_template_is_used(example_site: Path) -> None:
    """Only data is kept (a cache restored from elsewhere must not be able to run code)."""
    assert run(["build"], example_site).exit_code == 0
    kinds = {p.suffix for p in (example_site / CACHE).rglob("*") if p.is_file()}
    assert kinds <= {".html", ".json"}, kinds

    page = example_site / "templates" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<main", "<!-- edited -->\n<main"))
    assert run(["build"], example_site).exit_code == 0

    built = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "<!-- edited -->" in built


def test_checks_of_the_whole_content_are_kept_and_follow_every_edit(example_site: Path) -> None:
    """Reference and text (Markdown, hidden character) findings come from the cache while
    the content is the same."""
    assert run(["build"], example_site).exit_code == 0
    kept = sorted(p.name.split("-")[0] for p in (example_site / CACHE / "content").glob("*-*.json"))
    assert kept == ["references", "text"]

    replace(example_site, "content/privacy-notice.yaml", "{dpo.email}", "{dpo.fax}")
    first = run(["build"], example_site)
    again = run(["build"], example_site)
    assert first.exit_code == again.exit_code == 1
    assert "'{dpo.fax}' names the unknown field 'fax'" in first.output
    assert again.output == first.output

    replace(example_site, "content/privacy-notice.yaml", "{dpo.fax}", "{dpo.email}")
    fixed = run(["build"], example_site)
    assert fixed.exit_code == 0, fixed.output


def test_a_catalog_edited_with_its_size_and_time_stamp_kept_is_noticed(example_site: Path) -> None:
    """The kept hash of a catalog is trusted only for the same inode, size, mtime and ctime."""
    assert run(["build"], example_site).exit_code == 0
    catalog = example_site / NL_CATALOG
    before = catalog.stat()
    text = catalog.read_text(encoding="utf-8")
    old = 'msgstr "Privacyverklaring voor betrokkenen"'
    with catalog.open("r+", encoding="utf-8") as handle:  # in place: same inode and size
        handle.write(text.replace(old, old.replace("betrokkenen", "Betrokkenen"), 1))
    os.utime(catalog, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert run(["build"], example_site).exit_code == 0
    page = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "Privacyverklaring voor Betrokkenen" in page
    assert catalog.stat().st_size == before.st_size and catalog.stat().st_ino == before.st_ino


def test_a_cache_entry_changed_after_it_was_written_is_not_used(example_site: Path) -> None:
    """Every cache file is sealed with a hash of its data. A flipped bit that left the
    JSON valid was served: the switcher's name of a language came out misspelt."""
    build(example_site)
    names = example_site / CACHE / "pages" / f"{switcher_names_key(['en', 'nl', 'de', 'fr'])}.json"
    sealed = names.read_bytes()
    assert b'"Nederlands"' in sealed
    names.write_bytes(sealed.replace(b'"Nederlands"', b'"Nederlunds"'))  # seal kept
    edit_dutch_title(example_site, "Privacy")  # the nl pages are rendered again
    build(example_site)
    page = (example_site / "output/nl/privacy-notice.html").read_text(encoding="utf-8")
    assert ">Nederlands<" in page and "Nederlunds" not in page
    assert_equals_clean_build(example_site)


def test_a_catalog_edited_while_the_build_runs_fails_the_build(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hashes each catalog when it starts. A worker read it again later as it
    was then: pages rendered from other bytes were kept under the first hash, and a
    later build of those first bytes would have served them."""
    build(example_site)
    before = tree(example_site / "output")
    hashed = build_module.page_keys

    def hashed_then_edited(*args: Any, **kwargs: Any) -> Any:
        keys = hashed(*args, **kwargs)
        edit_dutch_title(example_site, "Bewerkt terwijl de build liep")  # a translator saves
        return keys

    monkeypatch.setattr(build_module, "page_keys", hashed_then_edited)
    edit_dutch_title(example_site, "Privacy")  # the nl pages must be rendered
    result = run(["build", "--jobs", "1"], example_site)
    assert result.exit_code == 1, result.output
    assert f"{NL_CATALOG.as_posix()}: error: the catalog changed while the build ran" in (
        result.stderr.replace(str(example_site) + "/", "")
    )
    assert tree(example_site / "output") == before
    monkeypatch.undo()
    build(example_site)
    page = (example_site / "output/nl/privacy-notice.html").read_text(encoding="utf-8")
    assert "Bewerkt terwijl de build liep" in page
    assert_equals_clean_build(example_site)


def test_a_catalog_hashed_just_after_an_edit_is_hashed_again_next_time(example_site: Path) -> None:
    edit_dutch_title(example_site, "Privacyverklaring (nieuw)")
    assert run(["build"], example_site).exit_code == 0
    memos = [
        json.loads(read_sealed(p)) for p in (example_site / CACHE / "catalogs").glob("*.stat.json")
    ]
    assert memos and not all(memo["trusted"] for memo in memos)  # nl was edited a moment ago


def test_templates_checked_before_are_compiled_only_when_used(
    example_site: Path, compiled: list[str]
) -> None:
    build(example_site)
    assert sorted(compiled) == ["blocks.html", "index.html", "page.html", "sitemap.xml"]
    compiled.clear()
    build(example_site)
    assert compiled == []  # every page, the index and the sitemap from the cache

    EDITS["catalog, one notice's message"](example_site)
    build(example_site)
    assert sorted(compiled) == ["blocks.html", "page.html"]
    assert_equals_clean_build(example_site)


def test_an_edited_template_is_checked_again(example_site: Path) -> None:
    build(example_site)
    blocks = example_site / "templates" / "blocks.html"
    text = blocks.read_text(encoding="utf-8")
    blocks.write_text(text + "{% if %}\n", encoding="utf-8")
    broken = run(["build"], example_site)
    assert broken.exit_code == 1
    assert "templates/blocks.html:" in broken.stderr and "[template.syntax]" in broken.stderr

    blocks.write_text(text, encoding="utf-8")
    build(example_site)


def test_a_cache_written_by_other_code_is_not_read_back(example_site: Path, tmp_path: Path) -> None:
    """The caches were keyed by the release number alone: code changed within a release
    (a checkout, an install from a branch) read back pages rendered, and findings made,
    by the code before it. The key now changes with any file of the package."""
    package = tmp_path / "code" / "notice_builder"
    shutil.copytree(REPO / "notice_builder", package, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONPATH": str(package.parent)}

    def build() -> set[str]:
        command = [sys.executable, "-m", "notice_builder", "build"]
        done = subprocess.run(
            command, cwd=example_site, env=environment, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        cache = example_site / CACHE
        return {path.relative_to(cache).as_posix() for path in cache.rglob("*") if path.is_file()}

    where = [sys.executable, "-c", "import notice_builder; print(notice_builder.__file__)"]
    imported = subprocess.run(
        where, cwd=example_site, env=environment, capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == str(package / "__init__.py")
    first = build()
    assert build() == first  # the same code reads its entries back
    module = package / "render" / "markdown_html.py"
    later = module.stat().st_mtime_ns + 10**9
    os.utime(module, ns=(later, later))  # as a checkout or a reinstall leaves it
    changed = build()
    written = changed - first
    assert any(name.startswith("content/references-") for name in written)
    assert any(name.startswith("pages/") for name in written), sorted(written)


def test_the_code_version_is_the_release_when_the_package_files_cannot_be_listed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Imported from a zip archive, the package is no folder: every cached build ended
    in an internal error. Such an archive does not change, so the release is enough."""
    from notice_builder import __version__, code_version

    monkeypatch.setattr(code_version, "PACKAGE", tmp_path / "notice_builder.zip" / "x")
    code_version.code_version.cache_clear()
    try:
        assert code_version.code_version() == __version__
    finally:
        monkeypatch.undo()
        code_version.code_version.cache_clear()
    assert code_version.code_version().startswith(f"{__version__}+")
