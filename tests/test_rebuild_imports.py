"""A rebuild whose content comes from the cache imports neither PyYAML nor the validators'
dependencies (start-up time, issue 5); an edited content file brings them back."""

from __future__ import annotations

from pathlib import Path

from conftest import modules_loaded_by, run

PARSING_MODULES = ("yaml", "email_validator")


def _build_listing_modules(site: Path) -> list[str]:
    return modules_loaded_by(["build", "--project", str(site)], PARSING_MODULES)


def test_a_rebuild_of_unchanged_content_neither_parses_nor_validates_it(
    example_site: Path,
) -> None:
    assert run(["build"], example_site).exit_code == 0
    assert _build_listing_modules(example_site) == []

    parties = example_site / "content" / "parties.yaml"
    text = parties.read_text(encoding="utf-8")
    parties.write_text(text.replace("privacy@example.com", "office@example.com"), "utf-8")
    edited = _build_listing_modules(example_site)
    assert "yaml" in edited and "email_validator" in edited, edited
    page = (example_site / "output" / "nl" / "privacy-notice.html").read_text(encoding="utf-8")
    assert "office@example.com" in page
