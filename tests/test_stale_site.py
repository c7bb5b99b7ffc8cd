"""`check --site-dir` on a site built from other content: what it publishes that the
content no longer does, and what it lacks (the site was "No problems found" before)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run

SITE = Path("content/site.yaml")
NOTICE = Path("content/privacy-notice.yaml")


@pytest.fixture
def built(example_site: Path) -> Path:
    assert run(["build"], example_site).exit_code == 0
    return example_site


def site_findings(project: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run(["check", "--format", "json", "--site-dir", str(project / "output")], project)
    findings = json.loads(result.stdout)["findings"]
    return result.exit_code, [f for f in findings if str(f["code"]).startswith("html.site.")]


def edit(project: Path, file: Path, old: str, new: str) -> None:
    text = (project / file).read_text(encoding="utf-8")
    assert old in text
    (project / file).write_text(text.replace(old, new), encoding="utf-8")


def test_a_site_built_from_this_content_has_no_such_finding(built: Path) -> None:
    assert site_findings(built) == (0, [])


def test_a_language_no_longer_listed_is_still_published(built: Path) -> None:
    edit(built, SITE, "languages: [en, nl, de, fr]", "languages: [en, nl, de]")
    code, found = site_findings(built)
    assert code == 1
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [
        (
            "html.site.stale",
            "error",
            "the site publishes fr/privacy-notice.html, which the content does not: "
            "site.yaml does not list 'fr'",
        )
    ]
    assert str(found[0]["location"]["path"]).endswith("output/fr/privacy-notice.html")


def test_a_notice_removed_from_the_content_is_still_published(built: Path) -> None:
    notice = built / "output" / "nl" / "privacy-notice.html"
    notice.with_name("old-notice.html").write_bytes(notice.read_bytes())
    code, found = site_findings(built)
    assert code == 1
    assert [f["message"] for f in found] == [
        "the site publishes nl/old-notice.html, which the content does not: "
        "there is no notice 'old-notice'"
    ]


def test_a_notice_the_site_lacks_is_an_error_at_its_notice(built: Path) -> None:
    text = (built / NOTICE).read_text(encoding="utf-8")
    assert text.count("  id: privacy-notice\n") == 1
    second = text.replace("  id: privacy-notice\n", "  id: job-applicants\n")
    (built / "content" / "job-applicants.yaml").write_text(second, encoding="utf-8")
    code, found = site_findings(built)
    assert code == 1
    assert sorted(f["message"] for f in found) == [
        f"the site has no page {language}/job-applicants.html: the content publishes the "
        f"notice 'job-applicants' in '{language}'"
        for language in ("de", "en", "fr", "nl")
    ]
    assert {f["location"]["path"] for f in found} == {str(built / "content/job-applicants.yaml")}
    assert all(f["location"]["line"] > 0 for f in found)


def test_a_language_with_no_pages_is_a_warning_at_site_yaml(built: Path) -> None:
    """The build leaves out a language below its minimum completeness, which a check
    that reads no catalog cannot tell from a site built before it was listed."""
    edit(built, SITE, "languages: [en, nl, de, fr]", "languages: [en, nl, de, fr, it]")
    code, found = site_findings(built)
    assert code == 0
    (finding,) = found
    assert (finding["code"], finding["severity"]) == ("html.site.language-missing", "warning")
    assert "the site has no pages in 'it', which site.yaml lists" in str(finding["message"])
    assert re.search(r"content/site\.yaml$", str(finding["location"]["path"]))
    strict = run(["check", "--strict", "--site-dir", str(built / "output")], built)
    assert strict.exit_code == 1


def test_the_pseudo_locales_of_a_pseudo_build_are_not_stale(example_site: Path) -> None:
    assert run(["build", "--pseudo"], example_site).exit_code == 0
    assert (example_site / "output" / "en-XA" / "privacy-notice.html").is_file()
    assert site_findings(example_site)[1] == []
