"""The incremental cache: only pages whose inputs changed are rendered again, byte-identically."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from conftest import run


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit_dutch_title(site: Path, text: str) -> None:
    path = site / "locales" / "nl" / "LC_MESSAGES" / "notices.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = catalog.get("Privacy notice for data subjects", "privacy-notice.title")
    assert message is not None
    message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_incremental_build_equals_clean_build(example_site: Path) -> None:
    assert run(["build"], example_site).exit_code == 0
    pages = example_site / ".notice-builder-cache" / "pages"
    cached_before = {p.name: p.stat().st_mtime_ns for p in pages.iterdir()}
    edit_dutch_title(example_site, "Privacyverklaring (bijgewerkt)")
    assert run(["build"], example_site).exit_code == 0
    incremental = tree(example_site / "output")
    cached_after = {p.name: p.stat().st_mtime_ns for p in pages.iterdir()}
    # exactly one page was rendered again: the Dutch one; the others came from the cache
    assert len(set(cached_after) - set(cached_before)) == 1  # its .page file
    assert len(cached_after) == len(cached_before)
    shutil.rmtree(example_site / ".notice-builder-cache")
    assert run(["build"], example_site).exit_code == 0
    assert tree(example_site / "output") == incremental
    assert "Privacyverklaring (bijgewerkt)" in (
        example_site / "output/nl/privacy-notice.html"
    ).read_text(encoding="utf-8")


def test_cached_pages_still_report_missing_translations(example_site: Path) -> None:
    site_yaml = example_site / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace(
            "missing_translations: error", "missing_translations: fallback"
        ),
        encoding="utf-8",
    )
    edit_dutch_title(example_site, "")
    first = run(["build"], example_site)
    second = run(["build"], example_site)
    assert first.exit_code == second.exit_code == 0
    assert 'msgctxt "privacy-notice.title") has no translation' in first.stderr
    assert 'msgctxt "privacy-notice.title") has no translation' in second.stderr
